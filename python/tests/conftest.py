"""Session fixtures of the integration tests: one real Temporal dev server, a client, the stand-in workflow's
worker (in this process) and one shared poke worker process. Tests that stop a worker start their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.client import Client
from temporalio.worker import Worker

from devserver import DevServer, eventually, free_port, start_dev_server
from harness import WorkerProcess, new_id, polled_by
from stand_in_workflow import PokeTestWorkflow

WORKFLOW_QUEUE = "poke-tests-workflows"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def dev_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DevServer]:
    server = await start_dev_server(tmp_path_factory.mktemp("temporal"))
    try:
        yield server
    finally:
        server.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def client(dev_server: DevServer) -> AsyncIterator[Client]:
    connected = await Client.connect(dev_server.target)
    async with Worker(connected, task_queue=WORKFLOW_QUEUE, workflows=[PokeTestWorkflow]):
        yield connected


@pytest.fixture(scope="session")
def logs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("worker-logs")


async def start_worker(client: Client, target: str, log: Path, *extra: str) -> WorkerProcess:
    worker = WorkerProcess(target, new_id("python-pokes"), log, free_port(), list(extra)).start()
    assert worker.process is not None
    pid = worker.process.pid

    async def polling() -> bool:
        if worker.process is not None and worker.process.poll() is not None:
            raise AssertionError(f"the worker exited with {worker.process.returncode}:\n{worker.log_text()[-3000:]}")
        return await polled_by(client, worker.task_queue, pid)

    try:
        await eventually(polling, f"the poke worker to poll {worker.task_queue}", timeout=60)
    except BaseException:
        worker.stop()
        raise
    return worker


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def poke_worker(client: Client, dev_server: DevServer, logs_dir: Path) -> AsyncIterator[WorkerProcess]:
    # A short poke timeout and few threads, so the tests of both stay quick.
    worker = await start_worker(
        client, dev_server.target, logs_dir / "shared-worker.log", "--poke-timeout", "2s", "--max-concurrent-pokes", "4"
    )
    try:
        yield worker
    finally:
        worker.stop()

"""Helpers of the integration tests: spec builders as the Java side writes specs, and the worker run as a real
process.
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

TESTS = Path(__file__).resolve().parent


def spec(
    sensor_name: str,
    inputs: dict[str, Any] | None = None,
    *,
    module: str = "example_sensors",
    config: dict[str, Any] | None = None,
    interval: str = "PT0.2S",
    backoff: str = "FIXED",
    max_interval: str = "PT2S",
    flyte_inputs: bytes | None = None,
    flyte_input_types: bytes | None = None,
) -> dict[str, Any]:
    """A spec as the Java Json mapper writes it (contract/poke-activity.md)."""
    written: dict[str, Any] = {
        "sensor_module": module,
        "sensor_name": sensor_name,
        "config": config or {},
        "inputs": inputs or {},
        "policy": {"interval": interval, "backoff": backoff, "max_interval": max_interval, "timeout": "PT1H"},
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "wake_at": None,
    }
    if flyte_inputs is not None:
        written["flyte_inputs"] = base64.b64encode(flyte_inputs).decode("ascii")
    if flyte_input_types is not None:
        written["flyte_input_types"] = base64.b64encode(flyte_input_types).decode("ascii")
    return written


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass
class WorkerProcess:
    """``sensor-engine-worker`` as deployments run it: a process of its own, logs to a file."""

    target: str
    task_queue: str
    log: Path
    metrics_port: int
    extra: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        # Settings come from the command line here; stray SENSOR_ENGINE_* in the test's environment must not leak.
        env = {k: v for k, v in env.items() if not k.startswith("SENSOR_ENGINE_")}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sensor_engine_worker.main", "--temporal-target", self.target,
                 "--task-queue", self.task_queue, "--metrics-port", str(self.metrics_port), *self.extra],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            )  # fmt: skip
        return self

    def signal(self, signum: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def stop(self) -> None:
        """Ends the process whatever its state; the tests' finalizer, so no worker outlives its test."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.kill()
        self.process.wait(timeout=10)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


async def polled_by(client: Client, task_queue: str, pid: int) -> bool:
    """Whether process ``pid`` polls the queue for activities (the SDK's identity is ``pid@host``)."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        )
    )
    return any(poller.identity.startswith(f"{pid}@") for poller in response.pollers)

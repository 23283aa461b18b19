"""The worker against the real Temporal dev server, as the Java workflow will use it: each test starts the
stand-in workflow, which schedules ``Poke`` on the worker's task queue with a real retry policy, and checks what
the server records (results, failures, pending-activity state) and what the worker process does.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ActivityError, ApplicationError, RetryState

from conftest import WORKFLOW_QUEUE, start_worker
from devserver import DevServer, eventually, free_port
from harness import WorkerProcess, new_id, spec
from stand_in_workflow import PokeTestWorkflow

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def start(
    client: Client, worker: WorkerProcess, sensor_spec: dict[str, Any], **options: Any
) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        PokeTestWorkflow.run,
        {"spec": sensor_spec, "task_queue": worker.task_queue, **options},
        id=new_id(f"sensor-{sensor_spec['sensor_name']}"),
        task_queue=WORKFLOW_QUEUE,
    )


async def pending_poke(handle: WorkflowHandle[Any, Any]) -> PendingActivityInfo | None:
    description = await handle.describe()
    pending = description.raw_description.pending_activities
    return pending[0] if pending else None


def when_pending(
    handle: WorkflowHandle[Any, Any], check: Callable[[PendingActivityInfo], bool]
) -> Callable[[], Awaitable[PendingActivityInfo | None]]:
    async def probe() -> PendingActivityInfo | None:
        info = await pending_poke(handle)
        return info if info is not None and check(info) else None

    return probe


async def failure_of(handle: WorkflowHandle[Any, Any]) -> ApplicationError:
    with pytest.raises(WorkflowFailureError) as failed:
        await asyncio.wait_for(handle.result(), 60)
    activity_error = failed.value.cause
    assert isinstance(activity_error, ActivityError)
    assert activity_error.retry_state == RetryState.NON_RETRYABLE_FAILURE
    cause = activity_error.cause
    assert isinstance(cause, ApplicationError)
    return cause


async def test_a_sensor_that_becomes_ready(client: Client, poke_worker: WorkerProcess, tmp_path: Path) -> None:
    marker = tmp_path / "_SUCCESS"
    handle = await start(client, poke_worker, spec("WaitForFile", {"path": str(marker)}))

    waiting = await eventually(when_pending(handle, lambda p: p.attempt >= 3), "three not-ready pokes")
    assert waiting.last_failure.application_failure_info.type == "SensorNotReady"
    assert waiting.last_failure.message == "example_sensors.WaitForFile: poke returned False"
    # A waiting sensor heartbeats nothing: nothing changed in its streak.
    assert not waiting.heartbeat_details.payloads
    marker.touch()

    result = await asyncio.wait_for(handle.result(), 30)
    assert result["message"] == "example_sensors.WaitForFile: poke returned True"
    assert result["pokes"] >= 3  # pending attempt 3 was scheduled after two not-ready pokes
    assert result["details"] == {"poke_errors": "0"}
    assert result["ready_at"].endswith("Z")
    assert f"workflow_id={handle.id}" in poke_worker.log_text()


async def test_a_poke_that_raises_is_retried_with_its_message(client: Client, poke_worker: WorkerProcess) -> None:
    handle = await start(client, poke_worker, spec("AlwaysFails", {"target": "https://example.invalid"}))
    try:
        seen = await eventually(
            when_pending(handle, lambda p: p.attempt >= 3 and "2 in a row" in p.last_failure.message),
            "the second poke error in describe's pending activity",
        )
        failure = seen.last_failure
        assert failure.message == "poke error (2 in a row): ConnectionError: https://example.invalid said 503"
        assert failure.application_failure_info.type == "SensorPokeError"
        assert not failure.application_failure_info.non_retryable
        # The streak the next attempt reads is in the heartbeat details, as JSON.
        details = json.loads(seen.heartbeat_details.payloads[0].data)
        assert details["errors_in_row"] == details["errors_total"] >= 2
    finally:
        await handle.terminate("test over")


async def test_the_error_streak_survives_attempts_that_do_not_heartbeat(
    client: Client, poke_worker: WorkerProcess, tmp_path: Path
) -> None:
    # Attempts 3 and 4 heartbeat at most once (the streak ends at 3); attempt 5 must still read 2 errors in total,
    # so the server kept the details across attempts that recorded none.
    script = "error,error,not_ready,not_ready,error,ready"
    handle = await start(client, poke_worker, spec("Scripted", {"script": script, "state": str(tmp_path / "place")}))
    result = await asyncio.wait_for(handle.result(), 60)
    assert result["pokes"] == 6
    assert result["details"] == {"poke_errors": "3"}
    log = poke_worker.log_text()
    fifth = rf"attempt=5, next in \d+ms: poke error \(1 in a row\): RuntimeError: boom 5 workflow_id={handle.id}\n"
    assert re.search(fifth, log)
    assert "Traceback" in log  # the sensor's own, once per streak


@pytest.mark.parametrize(
    ("module", "name", "inputs", "message"),
    [
        ("no_such_sensors", "Nope", {}, "module no_such_sensors of sensor no_such_sensors.Nope is not installed"),
        ("example_sensors", "Missing", {}, "module example_sensors has no Missing"),
        ("example_sensors", "NOT_A_SENSOR", {}, "example_sensors.NOT_A_SENSOR is not a flytekit BaseSensor subclass"),
        ("example_sensors", "NeedsBucket", {"key": "k"}, "cannot build example_sensors.NeedsBucket("),
        ("example_sensors", "WaitForFile", {}, "example_sensors.WaitForFile.poke needs input 'path'"),
    ],
)
async def test_a_sensor_that_cannot_be_built_fails_at_once(
    client: Client, poke_worker: WorkerProcess, module: str, name: str, inputs: dict[str, Any], message: str
) -> None:
    handle = await start(client, poke_worker, spec(name, inputs, module=module))
    failure = await failure_of(handle)
    assert failure.type == "SensorConfigurationError"
    assert failure.non_retryable
    assert message in failure.message


async def test_sensor_config_reaches_the_constructor(client: Client, poke_worker: WorkerProcess) -> None:
    typed = await start(client, poke_worker, spec("Configured", {"value": 7}, config={"threshold": 5}))
    untyped = await start(client, poke_worker, spec("UntypedConfig", {"value": 7}, config={"threshold": 5}))
    for handle in (typed, untyped):
        result = await asyncio.wait_for(handle.result(), 30)
        assert result["pokes"] == 1


async def test_flyte_inputs_arrive_as_a_flytefile_and_the_authors_dataclass(
    client: Client, poke_worker: WorkerProcess
) -> None:
    from test_building import typed_literals

    literals, types = typed_literals()
    handle = await start(client, poke_worker, spec("TypedInputs", flyte_inputs=literals, flyte_input_types=types))
    result = await asyncio.wait_for(handle.result(), 30)
    assert result["pokes"] == 1


async def test_plain_inputs_of_older_specs_are_converted_too(client: Client, poke_worker: WorkerProcess) -> None:
    plain = {
        "data": "s3://bucket/data/_SUCCESS",
        "window": {"start": 2, "label": "w"},
        "when": "2026-11-28T10:00:00Z",
        "count": 3,
    }
    handle = await start(client, poke_worker, spec("TypedInputs", plain))
    result = await asyncio.wait_for(handle.result(), 30)
    assert result["pokes"] == 1


async def test_a_blocking_poke_does_not_hold_up_the_others(
    client: Client, poke_worker: WorkerProcess, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    blocked = await start(client, poke_worker, spec("Blocking", {"release": str(release)}))
    try:
        await eventually(_exists(Path(str(release) + ".started")), "the blocking poke to start")
        ready = tmp_path / "ready"
        ready.touch()
        quick = await start(client, poke_worker, spec("WaitForFile", {"path": str(ready)}))
        assert (await asyncio.wait_for(quick.result(), 10))["pokes"] == 1
        assert not Path(str(release) + ".finished").exists()
    finally:
        release.touch()
        await blocked.terminate("test over")


async def test_a_poke_over_its_time_limit_is_a_poke_error(
    client: Client, poke_worker: WorkerProcess, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    handle = await start(
        client, poke_worker, spec("Blocking", {"release": str(release)}, interval="PT30S", max_interval="PT30S")
    )
    try:
        seen = await eventually(
            when_pending(handle, lambda p: p.last_failure.application_failure_info.type == "SensorPokeError"),
            "the overrun poke's failure",
        )
        assert seen.last_failure.message == "poke error (1 in a row): PokeTimeout: poke did not finish within 2s"
    finally:
        release.touch()  # frees the thread the overrun poke still holds
        await handle.terminate("test over")


async def test_a_plain_def_poke_is_called_for_its_answer(
    client: Client, poke_worker: WorkerProcess, tmp_path: Path
) -> None:
    marker = tmp_path / "there"
    marker.touch()
    handle = await start(client, poke_worker, spec("SyncPoke", {"path": str(marker)}))
    assert (await asyncio.wait_for(handle.result(), 30))["pokes"] == 1


async def test_metrics_count_pokes_by_sensor_and_result(client: Client, poke_worker: WorkerProcess) -> None:
    handle = await start(client, poke_worker, spec("Configured", {"value": 9}, config={"threshold": 1}))
    await asyncio.wait_for(handle.result(), 30)
    unknown = await start(client, poke_worker, spec(new_id("Unknown"), module="example_sensors"))
    await failure_of(unknown)

    async def scraped() -> str | None:
        text = await asyncio.to_thread(_get, f"http://127.0.0.1:{poke_worker.metrics_port}/metrics")
        wanted = 'sensor_pokes_total{result="configuration_error",sensor="other"}'
        return text if wanted in text else None

    text = await eventually(scraped, "the configuration error in /metrics")
    assert 'sensor_pokes_total{result="ready",sensor="example_sensors.Configured"}' in text
    assert 'sensor_poke_latency_seconds_bucket{le="0.005",sensor="example_sensors.Configured"}' in text
    assert "Unknown" not in text  # names that build no sensor never become labels


async def test_sigterm_drains_the_poke_in_flight(
    client: Client, dev_server: DevServer, logs_dir: Path, tmp_path: Path
) -> None:
    worker = await start_worker(client, dev_server.target, logs_dir / "drain.log", "--shutdown-grace", "30s")
    try:
        release = tmp_path / "release"
        handle = await start(client, worker, spec("Blocking", {"release": str(release)}))
        await eventually(_exists(Path(str(release) + ".started")), "the poke to start")
        worker.signal(signal.SIGTERM)
        await eventually(_logged(worker, "stopping: no new pokes; draining 1 in flight"), "the worker to drain")
        assert worker.process is not None
        assert worker.process.poll() is None
        release.touch()
        # The poke that was running when the stop began completes, and its result reaches the workflow.
        assert (await asyncio.wait_for(handle.result(), 30))["pokes"] == 1
        assert await asyncio.to_thread(worker.process.wait, 30) == 0
        assert "stopped" in worker.log_text()
    finally:
        worker.stop()


async def test_kill_9_loses_no_sensor(client: Client, dev_server: DevServer, logs_dir: Path, tmp_path: Path) -> None:
    first = await start_worker(client, dev_server.target, logs_dir / "killed.log")
    second: WorkerProcess | None = None
    try:
        markers = [tmp_path / f"marker-{i}" for i in range(10)]
        handles = [
            await start(
                client, first, spec("WaitForFile", {"path": str(m)}, interval="PT0.3S"), start_to_close_seconds=5
            )
            for m in markers
        ]
        for handle in handles:
            await eventually(when_pending(handle, lambda p: p.attempt >= 2), "every sensor to be waiting")
        assert first.process is not None
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)

        second = WorkerProcess(first.target, first.task_queue, logs_dir / "successor.log", free_port()).start()
        for marker in markers:
            marker.touch()
        results = await asyncio.wait_for(asyncio.gather(*(h.result() for h in handles)), 60)
        assert all(r["message"].endswith("poke returned True") for r in results)
    finally:
        first.stop()
        if second is not None:
            second.stop()


def _exists(path: Path) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return path.exists()

    return check


def _logged(worker: WorkerProcess, text: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return text in worker.log_text()

    return check


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
        return body.decode("utf-8")

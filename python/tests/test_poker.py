"""The poke activity's work without Temporal: real flytekit sensors on the real pool, decisions per contract."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from prometheus_client import CollectorRegistry

from sensor_engine_worker.activity import Poker
from sensor_engine_worker.metrics import PokeMetrics
from sensor_engine_worker.pool import PokePool
from sensor_engine_worker.times import parse_instant

from vectors import cases, ids

NOW = datetime(2026, 11, 28, 10, 15, 30, 123000, tzinfo=timezone.utc)
POLICY = {"interval": "PT1S", "backoff": "EXPONENTIAL", "max_interval": "PT1M", "timeout": "PT1H"}


def payload(name: str, inputs: dict[str, Any], policy: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "sensor_module": "example_sensors",
        "sensor_name": name,
        "inputs": inputs,
        "policy": policy or POLICY,
        "created_at": "2026-11-28T10:00:00Z",
    }


@pytest_asyncio.fixture
async def pool() -> AsyncIterator[PokePool]:
    made = PokePool(2)
    yield made
    made.close()


def poker(pool: PokePool, random: float = 0.0, registry: CollectorRegistry | None = None) -> Poker:
    metrics = PokeMetrics(registry or CollectorRegistry())
    return Poker(pool, metrics, timedelta(seconds=50), random_source=lambda: random, clock=lambda: NOW)


async def test_ready_returns_the_sensor_result(pool: PokePool, tmp_path: Path) -> None:
    (tmp_path / "f").touch()
    completion = await poker(pool).poke_once(payload("WaitForFile", {"path": str(tmp_path / "f")}), 4, [], 10)
    assert completion.result == {
        "message": "example_sensors.WaitForFile: poke returned True",
        "details": {"poke_errors": "0"},
        "ready_at": "2026-11-28T10:15:30.123Z",
        "pokes": 4,
    }
    assert parse_instant(completion.result["ready_at"]) == NOW
    assert completion.decision.heartbeat is None


async def test_not_ready_carries_the_delay_and_no_heartbeat(pool: PokePool, tmp_path: Path) -> None:
    completion = await poker(pool).poke_once(payload("WaitForFile", {"path": str(tmp_path / "none")}), 3, [], 10)
    assert completion.result is None
    decision = completion.decision
    assert (decision.result, decision.failure_type, decision.next_delay_millis) == ("not_ready", "SensorNotReady", 4000)
    assert decision.message == "example_sensors.WaitForFile: poke returned False"
    assert decision.heartbeat is None


async def test_no_delay_reaches_past_the_deadline(pool: PokePool, tmp_path: Path) -> None:
    # Created 10:00 with a 16-minute timeout, poked at 10:15:30.123: 29.877 s left, so a 1-minute wait (an
    # error streak, or a fixed interval) is cut to end a second before the deadline, as the Java worker cuts it.
    policy = {"interval": "PT1M", "backoff": "FIXED", "max_interval": "PT1M", "timeout": "PT16M"}
    missing = {"path": str(tmp_path / "none")}
    not_ready = await poker(pool).poke_once(payload("WaitForFile", missing, policy), 3, [], 10)
    assert not_ready.decision.next_delay_millis == 28_877
    failed = await poker(pool).poke_once(
        payload("DoesWhatItIsTold", {"result": "error", "error_type": "OSError"}, policy), 3, [], 10
    )
    assert (failed.decision.result, failed.decision.next_delay_millis) == ("error", 28_877)
    # Within the last second the delay stays: the workflow's deadline timer ends the sensor first.
    policy["timeout"] = "PT15M31S"
    last = await poker(pool).poke_once(payload("WaitForFile", missing, policy), 3, [], 10)
    assert last.decision.next_delay_millis == 60_000


OUTCOMES = [c for c in cases("outcome") if c["poke"]["result"] != "configuration_error"]


@pytest.mark.parametrize("case", OUTCOMES, ids=ids(OUTCOMES))
async def test_the_outcome_vectors_hold_through_a_real_sensor(pool: PokePool, case: dict[str, Any]) -> None:
    poke = case["poke"]
    inputs = {"result": poke["result"]}
    if poke["result"] == "error":
        inputs |= {"error_type": poke["error_type"], "error_message": poke["error_message"]}
    details = [] if case["heartbeat_details"] is None else [case["heartbeat_details"]]
    completion = await poker(pool, case["random"]).poke_once(
        payload("DoesWhatItIsTold", inputs, case["policy"]), case["attempt"], details, 10
    )
    expect = case["expect"]
    decision = completion.decision
    assert decision.result == expect["result"]
    assert (decision.heartbeat.to_details() if decision.heartbeat else None) == expect["heartbeat"]
    if expect["failure"] is None:
        assert completion.result is not None
        assert completion.result["pokes"] == expect["sensor_result"]["pokes"]
    else:
        assert decision.failure_type == expect["failure"]["type"]
        assert decision.next_delay_millis == expect["failure"]["next_retry_delay_ms"]
        if poke["result"] == "error":
            assert decision.message == expect["failure"]["message"]


async def test_an_input_that_is_no_spec_is_a_configuration_error(pool: PokePool) -> None:
    completion = await poker(pool).poke_once({"sensor_name": "X"}, 1, [], 10)
    assert completion.decision.result == "configuration_error"
    assert completion.decision.non_retryable
    assert (
        completion.decision.message
        == "the poke activity's input is not a sensor spec: policy is missing or not an object"
    )


async def test_a_poke_past_its_limit_is_a_poke_error_and_is_cancelled(pool: PokePool) -> None:
    completion = await poker(pool).poke_once(payload("Sleeper", {"seconds": 30}), 1, [], 0.3)
    assert completion.decision.message == "poke error (1 in a row): PokeTimeout: poke did not finish within 0.3s"
    assert completion.decision.heartbeat is not None
    deadline = asyncio.get_running_loop().time() + 5
    while pool.busy:  # the sleeping poke was cancelled at its await and gave its thread back
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.01)


async def test_a_poke_that_finds_every_thread_held_says_so(tmp_path: Path) -> None:
    single = PokePool(1)
    release = tmp_path / "release"
    try:
        stuck = asyncio.create_task(poker(single).poke_once(payload("Blocking", {"release": str(release)}), 1, [], 0.3))
        assert (await stuck).decision.message.endswith("poke did not finish within 0.3s")
        # The blocking poke ignores cancellation and still holds the only thread.
        waiting = await poker(single).poke_once(payload("WaitForFile", {"path": "/"}), 1, [], 0.3)
        assert "waited 0.3s for a free poke thread: all 1 are busy" in waiting.decision.message
    finally:
        release.touch()
        single.close()


def test_the_limit_stays_inside_the_activitys_start_to_close(pool: PokePool) -> None:
    worker = poker(pool)
    assert worker.time_limit(None) == 50
    assert worker.time_limit(timedelta(minutes=1)) == 50
    assert worker.time_limit(timedelta(seconds=20)) == 15
    assert worker.time_limit(timedelta(seconds=3)) == 1


async def test_metrics_bound_the_sensor_label(pool: PokePool) -> None:
    registry = CollectorRegistry()
    worker = poker(pool, registry=registry)
    for name in ("Missing1", "Missing2"):
        await worker.poke_once(payload(name, {}), 1, [], 10)
    await worker.poke_once(payload("WaitForFile", {"path": "/"}), 1, [], 10)
    value = registry.get_sample_value
    assert value("sensor_pokes_total", {"sensor": "other", "result": "configuration_error"}) == 2
    assert value("sensor_pokes_total", {"sensor": "example_sensors.WaitForFile", "result": "ready"}) == 1
    assert value("sensor_poke_latency_seconds_count", {"sensor": "example_sensors.WaitForFile"}) == 1
    assert value("sensor_pokes_in_flight") == 0


def test_at_most_max_sensors_names_become_labels() -> None:
    # Every built class would otherwise get series of its own: past the bound, new names count under "other".
    metrics = PokeMetrics(CollectorRegistry(), max_sensors=2)
    assert [metrics.label(f"team.S{i}", built=True) for i in range(4)] == ["team.S0", "team.S1", "other", "other"]
    assert metrics.label("team.S0", built=True) == "team.S0"
    assert metrics.label("team.NotBuilt", built=False) == "other"

from __future__ import annotations

from typing import Any

import pytest

from sensor_engine_worker.outcome import (
    Behaviour,
    Misconfigured,
    NotReady,
    PokeFailed,
    Ready,
    decide,
)
from sensor_engine_worker.spec import decode_spec
from sensor_engine_worker.streak import Streak

from vectors import cases, ids

OUTCOMES = cases("outcome")


def _behaviour(poke: dict[str, Any]) -> Behaviour:
    result = poke["result"]
    if result == "ready":
        return Ready(poke["message"])
    if result == "not_ready":
        return NotReady(poke["reason"])
    if result == "error":
        return PokeFailed(poke["error_type"], poke["error_message"])
    return Misconfigured(poke["message"])


@pytest.mark.parametrize("case", OUTCOMES, ids=ids(OUTCOMES))
def test_outcome(case: dict[str, Any]) -> None:
    policy = decode_spec({"sensor_name": "S", "policy": case["policy"], "created_at": "2026-01-01T00:00:00Z"}).policy
    details = [] if case["heartbeat_details"] is None else [case["heartbeat_details"]]
    # The sensors of these vectors are taken as created at the poke: the whole timeout is left.
    time_left = policy.timeout_nanos // 1_000_000
    decision = decide(
        policy, case["attempt"], Streak.from_details(details), _behaviour(case["poke"]), case["random"], time_left
    )
    expect = case["expect"]
    assert decision.result == expect["result"]
    assert (decision.heartbeat.to_details() if decision.heartbeat else None) == expect["heartbeat"]
    failure = expect["failure"]
    if failure is None:
        assert decision.failure_type is None
    else:
        assert decision.failure_type == failure["type"]
        assert decision.non_retryable == failure["non_retryable"]
        assert decision.message == failure["message"]
        assert decision.next_delay_millis == failure["next_retry_delay_ms"]

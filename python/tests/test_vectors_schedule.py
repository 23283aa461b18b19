from __future__ import annotations

from typing import Any

import pytest

from sensor_engine_worker import schedule
from sensor_engine_worker.spec import decode_spec

from vectors import cases, ids

SCHEDULE = cases("schedule")
DEADLINE = cases("deadline")


def _policy(raw: dict[str, Any]) -> Any:
    return decode_spec({"sensor_name": "S", "policy": raw, "created_at": "2026-01-01T00:00:00Z"}).policy


@pytest.mark.parametrize("case", SCHEDULE, ids=ids(SCHEDULE))
def test_delay_matches_the_java_schedule(case: dict[str, Any]) -> None:
    policy = _policy(case["policy"])
    compute = schedule.after_error if case["outcome"] == "error" else schedule.after_not_ready
    assert compute(policy, case["index"], case["random"]) == case["delay_ms"]


def test_the_vectors_cover_both_outcomes_rounding_and_the_floor() -> None:
    # A vector file that lost its hard cases would still pass; keep them in.
    names = " ".join(ids(SCHEDULE))
    assert {c["outcome"] for c in SCHEDULE} == {"not_ready", "error"}
    for needed in ("rounding", "at least 1 ms", "overflows a long", "doublings capped"):
        assert needed in names


def test_java_round_halves_up_where_python_round_would_go_to_even() -> None:
    assert schedule.java_round(28.5) == 29
    assert schedule.java_round(24.5) == 25
    assert schedule.java_round(0.49999999999999994) == 0


@pytest.mark.parametrize("random", [-0.1, 1.0, 2.0])
def test_random_outside_the_unit_interval_is_refused(random: float) -> None:
    with pytest.raises(ValueError, match="random"):
        schedule.after_not_ready(_policy(SCHEDULE[0]["policy"]), 1, random)


@pytest.mark.parametrize("case", DEADLINE, ids=ids(DEADLINE))
def test_no_delay_reaches_past_the_deadline(case: dict[str, Any]) -> None:
    assert schedule.before_deadline(case["delay_ms"], case["time_left_ms"]) == case["expect_delay_ms"]

"""The Java SensorWorkflow's stand-in: schedules ``Poke`` on the Python task queue with the same retry policy shape.

A module of its own with nothing but Temporal imports, because the workflow sandbox re-imports it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy


@workflow.defn(name="PokeTestWorkflow")
class PokeTestWorkflow:
    """Runs one sensor's poke activity to its end, with the retry options the Java workflow gives it."""

    @workflow.run
    async def run(self, args: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await workflow.execute_activity(
            "Poke",
            args["spec"],
            task_queue=args["task_queue"],
            schedule_to_close_timeout=timedelta(seconds=args.get("deadline_seconds", 120)),
            start_to_close_timeout=timedelta(seconds=args.get("start_to_close_seconds", 60)),
            retry_policy=RetryPolicy(
                # Used only for failures that carry no delay of their own (a timed-out poke, a dead worker).
                initial_interval=timedelta(seconds=args.get("retry_seconds", 1)),
                backoff_coefficient=2.0,
                maximum_interval=timedelta(seconds=10),
                maximum_attempts=0,
                non_retryable_error_types=["SensorConfigurationError"],
            ),
            result_type=dict,
        )
        return result

"""What one poke means for the activity: the pure part of the contract, free of Temporal and flytekit.

Given the attempt, the streak read from the heartbeat details, what the sensor did and the time left to its
deadline, it decides the activity's result or failure, the next delay and whether to heartbeat. The activity
only carries it out, and the shared outcome and deadline vectors test this function directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sensor_engine_worker import schedule
from sensor_engine_worker.spec import PokePolicy
from sensor_engine_worker.streak import Streak

# ApplicationFailure types, as the Java FailureTypes names them.
NOT_READY = "SensorNotReady"
POKE_ERROR = "SensorPokeError"
CONFIGURATION_ERROR = "SensorConfigurationError"


@dataclass(frozen=True)
class Ready:
    message: str


@dataclass(frozen=True)
class NotReady:
    reason: str


@dataclass(frozen=True)
class PokeFailed:
    """The poke raised; ``error_type`` is the exception's class name, as Java's getSimpleName() gives it."""

    error_type: str
    error_message: str
    # The sensor's traceback, for the worker's log only; not part of the contract.
    trace: str = field(default="", compare=False)


@dataclass(frozen=True)
class Misconfigured:
    message: str


Behaviour = Ready | NotReady | PokeFailed | Misconfigured


@dataclass(frozen=True)
class Decision:
    """``result`` is one of ready, not_ready, error, configuration_error (also the metric's label)."""

    result: str
    message: str
    failure_type: str | None = None
    non_retryable: bool = False
    next_delay_millis: int | None = None
    # The details to heartbeat before finishing, or None to leave the last ones in place.
    heartbeat: Streak | None = None
    details: dict[str, str] = field(default_factory=dict)


def decide(
    policy: PokePolicy, attempt: int, streak: Streak, behaviour: Behaviour, random: float, time_left_millis: int
) -> Decision:
    """``time_left_millis``: from now to the sensor's deadline; no delay reaches past it (schedule.before_deadline)."""
    if isinstance(behaviour, Ready):
        return Decision("ready", behaviour.message, details={"poke_errors": str(streak.errors_total)})
    if isinstance(behaviour, NotReady):
        after = streak.after_not_ready()
        # Errors take attempts too; the exponential backoff counts only the pokes that found the condition
        # false, so a flaky target does not stretch the wait for a healthy one. At least 1, should attempts
        # have been spent elsewhere (a timed-out poke counts as an attempt but not as an error).
        index = max(1, attempt - after.errors_total)
        return Decision(
            "not_ready",
            behaviour.reason,
            failure_type=NOT_READY,
            next_delay_millis=schedule.before_deadline(
                schedule.after_not_ready(policy, index, random), time_left_millis
            ),
            heartbeat=after if after != streak else None,
        )
    if isinstance(behaviour, PokeFailed):
        after = streak.after_error()
        cause = behaviour.error_type + (f": {behaviour.error_message}" if behaviour.error_message else "")
        return Decision(
            "error",
            f"poke error ({after.errors_in_row} in a row): {cause}",
            failure_type=POKE_ERROR,
            next_delay_millis=schedule.before_deadline(
                schedule.after_error(policy, after.errors_in_row, random), time_left_millis
            ),
            heartbeat=after,
        )
    return Decision("configuration_error", behaviour.message, CONFIGURATION_ERROR, non_retryable=True)

"""The ``Poke`` activity: one attempt pokes the sensor once (contract/poke-activity.md).

``Poker`` does the work and is free of Temporal, so tests drive it directly; ``PokeActivity`` is the thin
Temporal adapter that reads the attempt and heartbeat details, heartbeats when the streak changes, and turns
the decision into a return value or an ApplicationError.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from sensor_engine_worker.building import ConfigurationError, prepare
from sensor_engine_worker.logs import WORKFLOW_ID
from sensor_engine_worker.metrics import PokeMetrics
from sensor_engine_worker.outcome import Behaviour, Decision, Misconfigured, NotReady, PokeFailed, Ready, decide
from sensor_engine_worker.pool import PokePool
from sensor_engine_worker.spec import Backoff, PokePolicy, SensorSpec, SpecError, decode_spec
from sensor_engine_worker.streak import Streak
from sensor_engine_worker.times import describe_millis, format_instant

log = logging.getLogger("sensor_engine_worker.poke")

# A spec that did not decode has no policy; its failure is non-retryable, so no delay is computed from this.
_UNUSED_POLICY = PokePolicy(1_000_000_000, Backoff.FIXED, 1_000_000_000, 1_000_000_000)

# Room left inside the activity's start-to-close timeout, so the worker reports an overrun poke itself, with a
# message, before the server times the attempt out without one.
_TIMEOUT_MARGIN_SECONDS = 5.0


@dataclass(frozen=True)
class Completion:
    """One attempt's end: the decision, and the SensorResult JSON when the sensor is ready."""

    sensor: str
    decision: Decision
    result: dict[str, Any] | None = None


async def run_sensor(spec: SensorSpec, workflow_id: str | None) -> Behaviour:
    """Builds the sensor and awaits its poke; runs on a pool thread's loop. Never raises but when cancelled."""
    WORKFLOW_ID.set(workflow_id)
    try:
        prepared = await prepare(spec)
    except ConfigurationError as e:
        return Misconfigured(str(e))
    except Exception as e:
        # A failed read of an offloaded input, say: the storage, not the task, is wrong; retried.
        return PokeFailed(type(e).__name__, str(e))
    try:
        answer = prepared.sensor.poke(**prepared.inputs)
        # flytekit awaits poke unconditionally; a sensor whose poke is a plain def still means what it returns.
        if inspect.isawaitable(answer):
            answer = await answer
    except asyncio.CancelledError:
        raise
    except BaseException as e:  # whatever the sensor's code raises is a poke error
        return PokeFailed(type(e).__name__, str(e), traceback.format_exc())
    # flytekit's connector takes any truthy answer as ready; so does this worker.
    if answer:
        return Ready(f"{spec.qualified_name}: poke returned {answer!r}")
    return NotReady(f"{spec.qualified_name}: poke returned {answer!r}")


class Poker:
    def __init__(
        self,
        pool: PokePool,
        metrics: PokeMetrics,
        poke_timeout: timedelta,
        random_source: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self._pool = pool
        self._metrics = metrics
        self._poke_timeout = poke_timeout
        self._random = random_source
        self._clock = clock

    def time_limit(self, start_to_close: timedelta | None) -> float:
        limit = self._poke_timeout.total_seconds()
        if start_to_close:
            limit = min(limit, max(1.0, start_to_close.total_seconds() - _TIMEOUT_MARGIN_SECONDS))
        return limit

    async def poke_once(
        self,
        payload: object,
        attempt: int,
        heartbeat_details: Sequence[Any],
        time_limit: float,
        workflow_id: str | None = None,
    ) -> Completion:
        streak = Streak.from_details(heartbeat_details)
        started = time.monotonic()
        spec: SensorSpec | None = None
        behaviour: Behaviour
        self._metrics.started()
        try:
            spec = decode_spec(payload)
            behaviour = await self._run(spec, time_limit, workflow_id)
        except SpecError as e:
            behaviour = Misconfigured(f"the poke activity's input is not a sensor spec: {e}")
        except BaseException:
            # Cancelled (the sensor was deleted, or the worker stopped past its grace): no outcome to count.
            self._metrics.abandoned()
            raise
        sensor = spec.qualified_name if spec else "unknown"
        ended = self._clock()
        # No delay past the deadline, counted from the end of the poke as on the Java side; a spec that did not
        # decode fails for good and needs no delay.
        time_left = spec.time_left_millis(ended) if spec else _UNUSED_POLICY.timeout_nanos // 1_000_000
        decision = decide(
            spec.policy if spec else _UNUSED_POLICY, attempt, streak, behaviour, self._random(), time_left
        )
        self._metrics.finished(sensor, decision.result, time.monotonic() - started)
        _log(sensor, attempt, decision, behaviour)
        if decision.result != "ready":
            return Completion(sensor, decision)
        result = {
            "message": decision.message,
            "details": decision.details,
            "ready_at": format_instant(ended),
            "pokes": attempt,
        }
        return Completion(sensor, decision, result)

    async def _run(self, spec: SensorSpec, time_limit: float, workflow_id: str | None) -> Behaviour:
        handle = self._pool.submit(lambda: run_sensor(spec, workflow_id))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(handle.future), time_limit)
        except asyncio.TimeoutError:
            started = handle.started
            handle.cancel()
            if started:
                return PokeFailed("PokeTimeout", f"poke did not finish within {time_limit:g}s")
            return PokeFailed(
                "PokeTimeout",
                f"waited {time_limit:g}s for a free poke thread: all {self._pool.size} are busy, some with pokes "
                "that overran their time limit; raise --max-concurrent-pokes or fix the sensors that block",
            )
        except asyncio.CancelledError:
            handle.cancel()
            raise


class PokeActivity:
    """The Temporal side: registered as activity type ``Poke``."""

    def __init__(self, poker: Poker) -> None:
        self._poker = poker

    @activity.defn(name="Poke")
    async def poke(self, spec: dict[str, Any]) -> dict[str, Any]:
        info = activity.info()
        WORKFLOW_ID.set(info.workflow_id)
        completion = await self._poker.poke_once(
            spec,
            info.attempt,
            info.heartbeat_details,
            self._poker.time_limit(info.start_to_close_timeout),
            info.workflow_id,
        )
        decision = completion.decision
        if decision.heartbeat is not None:
            # Only when the streak changed: a waiting sensor's pokes cost no heartbeat RPC.
            activity.heartbeat(decision.heartbeat.to_details())
        if completion.result is not None:
            return completion.result
        delay = decision.next_delay_millis
        raise ApplicationError(
            decision.message,
            type=decision.failure_type,
            non_retryable=decision.non_retryable,
            next_retry_delay=None if delay is None else timedelta(milliseconds=delay),
            # Expected outcomes of a poke, logged above with the workflow id: BENIGN keeps the SDK from logging
            # each one again at WARNING with the traceback of this raise.
            category=ApplicationErrorCategory.BENIGN,
        ) from None


def _log(sensor: str, attempt: int, decision: Decision, behaviour: Behaviour) -> None:
    after = "" if decision.next_delay_millis is None else f", next in {describe_millis(decision.next_delay_millis)}"
    line = f"poke {decision.result} sensor={sensor} attempt={attempt}{after}: {decision.message}"
    if decision.result == "not_ready":
        log.debug(line)
    elif decision.result == "ready":
        log.info(line)
    elif (
        isinstance(behaviour, PokeFailed)
        and behaviour.trace
        and decision.heartbeat
        and decision.heartbeat.errors_in_row == 1
    ):
        # The sensor's own traceback once per streak: enough to debug it, without one per retry for days.
        log.warning("%s\n%s", line, behaviour.trace.rstrip())
    else:
        log.warning(line)

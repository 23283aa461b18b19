"""The wait before the next poke, computed exactly as the Java ``PokeSchedule`` does.

Not ready: the interval, doubling per not-ready poke under exponential backoff. Poke error: the interval,
doubling per error in a row. Both are capped at the maximum interval and then shortened by up to 10% jitter,
so sensors created together do not poke together; jitter never lengthens the wait, because the interval is the
longest a true condition may go unseen. The result is whole milliseconds, at least 1.

No wait reaches past the sensor's deadline (``before_deadline``, Java ``PokeSchedule.beforeDeadline``): the real
Temporal server stops retrying an activity once ``now + next delay`` passes its schedule-to-close, and the last poke
belongs before the deadline, where its answer still counts.

The arithmetic mirrors Java's step by step (a long shifted with an overflow guard, a double product, and
``Math.round``) so that both languages give the same millisecond for the same random number; the shared
vectors in contract/vectors/schedule.json hold them to it.
"""

from __future__ import annotations

import math

from sensor_engine_worker.spec import Backoff, PokePolicy

JITTER = 0.1
# How long before the deadline the last poke comes, so that its answer reaches the workflow before the deadline
# timer ends the sensor (Java PokeSchedule.DEADLINE_LEAD).
DEADLINE_LEAD_MILLIS = 1000
MAX_DOUBLINGS = 30
_LONG_MAX = 2**63 - 1


def after_not_ready(policy: PokePolicy, not_ready_index: int, random: float) -> int:
    """Milliseconds to wait after the ``not_ready_index``-th not-ready poke (from 1)."""
    doublings = not_ready_index - 1 if policy.backoff is Backoff.EXPONENTIAL else 0
    return _jittered(policy, _grown(policy, doublings), random)


def after_error(policy: PokePolicy, errors_in_row: int, random: float) -> int:
    """Milliseconds to wait after a poke error, ``errors_in_row`` counting the one just seen (from 1)."""
    return _jittered(policy, _grown(policy, errors_in_row - 1), random)


def before_deadline(delay_millis: int, time_left_millis: int) -> int:
    """The delay, cut so that the next poke comes at the latest a second before the deadline.

    ``time_left_millis`` is the time from now to the deadline, floored to whole milliseconds. Within the last
    second the delay is left as it is: the workflow's deadline timer ends the sensor before that poke.
    """
    if time_left_millis <= DEADLINE_LEAD_MILLIS:
        return delay_millis
    return min(delay_millis, max(1, time_left_millis - DEADLINE_LEAD_MILLIS))


def _grown(policy: PokePolicy, doublings: int) -> int:
    n = max(0, min(doublings, MAX_DOUBLINGS))
    millis = policy.interval_millis
    grown = _LONG_MAX if millis > (_LONG_MAX >> n) else millis << n
    return min(grown, policy.max_interval_millis)


def _jittered(policy: PokePolicy, base_millis: int, random: float) -> int:
    if not 0.0 <= random < 1.0:
        raise ValueError(f"random must be in [0, 1), got {random}")
    factor = 1 - JITTER * random
    millis = java_round(float(base_millis) * factor)
    return max(1, min(millis, policy.max_interval_millis))


def java_round(x: float) -> int:
    """``Math.round(double)``: the nearest integer, halves towards positive infinity.

    Not ``round()`` (halves to even) and not ``floor(x + 0.5)`` (the addition itself can round up, e.g. for
    0.49999999999999994); ``x - floor(x)`` is exact for every double this schedule produces.
    """
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole

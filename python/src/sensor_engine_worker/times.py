"""Durations and instants in the forms the Java side's JSON mapper (Jackson, java.time) writes and reads.

Durations are kept as whole nanoseconds so that a value such as ``PT0.0005S`` converts to milliseconds exactly
as ``java.time.Duration.toMillis()`` does (flooring), which the poke schedule depends on.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

NANOS_PER_MILLI = 1_000_000
NANOS_PER_SECOND = 1_000_000_000

# java.time.Duration.parse's grammar: optional sign, days, then a time part whose hours, minutes and seconds
# each carry their own optional sign; seconds may have up to nine fraction digits after '.' or ','.
_DURATION = re.compile(
    r"([-+]?)P(?:([-+]?[0-9]+)D)?"
    r"(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?",
    re.IGNORECASE,
)

_INSTANT = re.compile(
    r"(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}:?\d{2}(?::?\d{2})?)",
    re.IGNORECASE,
)


def parse_duration_nanos(value: object) -> int:
    """Nanoseconds of a duration as Jackson reads one: an ISO-8601 string, or a number of seconds.

    Raises ValueError naming the value when it is neither.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int):
        return value * NANOS_PER_SECOND
    if isinstance(value, float):
        return round(value * NANOS_PER_SECOND)
    if not isinstance(value, str):
        raise ValueError(f"not a duration: {value!r}")
    match = _DURATION.fullmatch(value.strip())
    # "P" alone and "PT" with no field are not durations for Java either.
    if match is None or match.group(3) == "T" or (match.group(2) is None and match.group(3) is None):
        raise ValueError(f"not an ISO-8601 duration such as PT30S: {value!r}")
    negate, days, _, hours, minutes, seconds, fraction = match.groups()
    total = int(days or 0) * 86_400 * NANOS_PER_SECOND
    total += int(hours or 0) * 3_600 * NANOS_PER_SECOND
    total += int(minutes or 0) * 60 * NANOS_PER_SECOND
    if seconds is not None:
        whole = int(seconds)
        nanos = int((fraction or "").ljust(9, "0")) if fraction else 0
        # As in Java, the fraction takes the sign of the seconds it belongs to: PT-0.5S is minus half a second.
        total += whole * NANOS_PER_SECOND + (-nanos if seconds.startswith("-") else nanos)
    return -total if negate == "-" else total


def nanos_to_millis(nanos: int) -> int:
    """``Duration.toMillis()``: floors, so 0.5 ms is 0 ms and -0.5 ms is -1 ms."""
    return nanos // NANOS_PER_MILLI


def parse_instant(value: object) -> datetime:
    """An instant as Jackson reads one: ISO-8601 with an offset (``2026-01-02T03:04:05.123Z``), or epoch seconds.

    Fractions beyond microseconds are truncated: Python's datetime holds no more.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if not isinstance(value, str):
        raise ValueError(f"not an instant: {value!r}")
    match = _INSTANT.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not an ISO-8601 instant such as 2026-01-02T03:04:05Z: {value!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micros, timezone.utc)
    if offset.upper() != "Z":
        digits = offset[1:].replace(":", "").ljust(6, "0")
        shift = timedelta(hours=int(digits[0:2]), minutes=int(digits[2:4]), seconds=int(digits[4:6]))
        moment = moment - shift if offset[0] == "+" else moment + shift
    return moment


def format_instant(moment: datetime) -> str:
    """``Instant.toString()``: UTC, 'Z', and a fraction of 0, 3 or 6 digits as the value needs."""
    utc = moment.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond % 1000 == 0 and utc.microsecond:
        text += f".{utc.microsecond // 1000:03d}"
    elif utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


def describe_millis(millis: int) -> str:
    """A short human form of a delay for logs and messages: 250ms, 30s, 1.5s, 5m, 2h."""
    if millis < 1000:
        return f"{millis}ms"
    seconds = millis / 1000
    if seconds < 120:
        return f"{seconds:g}s"
    if seconds < 7200:
        return f"{seconds / 60:g}m"
    return f"{seconds / 3600:g}h"

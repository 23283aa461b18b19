"""The poke activity's input: the sensor spec as the Java workflow sends it (see contract/poke-activity.md).

Decoding is strict where the Java records are (a missing sensor name, an interval that is not positive) and
lenient where Jackson is (unknown fields are ignored, a null config or inputs is empty), so that both languages
accept and refuse the same payloads.
"""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sensor_engine_worker.times import (
    NANOS_PER_SECOND,
    nanos_to_millis,
    parse_duration_nanos,
    parse_instant,
)

# PokePolicy.MAX: a century. Temporal holds durations up to 10,000 years, but the Java side refuses more than
# this, and the worker must refuse what the Java side refuses.
MAX_NANOS = 36_525 * 86_400 * NANOS_PER_SECOND
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class SpecError(ValueError):
    """The payload is not a sensor spec; the message says which field and why."""


class Backoff(enum.Enum):
    FIXED = "FIXED"
    EXPONENTIAL = "EXPONENTIAL"


@dataclass(frozen=True)
class PokePolicy:
    """When to poke; durations in nanoseconds, as exact as the ISO-8601 text they came from."""

    interval_nanos: int
    backoff: Backoff
    max_interval_nanos: int
    timeout_nanos: int

    def __post_init__(self) -> None:
        if self.interval_nanos <= 0:
            raise SpecError(f"policy.interval must be positive, got {self.interval_nanos} ns")
        if self.max_interval_nanos < self.interval_nanos:
            raise SpecError("policy.max_interval is shorter than policy.interval")
        if self.timeout_nanos <= 0:
            raise SpecError(f"policy.timeout must be positive, got {self.timeout_nanos} ns")
        if self.max_interval_nanos > MAX_NANOS or self.timeout_nanos > MAX_NANOS:
            raise SpecError("policy.max_interval and policy.timeout must be at most 36525 days")

    @property
    def interval_millis(self) -> int:
        return nanos_to_millis(self.interval_nanos)

    @property
    def max_interval_millis(self) -> int:
        return nanos_to_millis(self.max_interval_nanos)


@dataclass(frozen=True)
class SensorSpec:
    sensor_module: str
    sensor_name: str
    policy: PokePolicy
    created_at: datetime
    config: Mapping[str, Any] = field(default_factory=dict)
    inputs: Mapping[str, Any] = field(default_factory=dict)
    wake_at: datetime | None = None
    # The task's inputs as flyteidl.core.LiteralMap bytes and the interface's flyteidl.core.VariableMap bytes;
    # absent in specs written before the Java side sent them.
    flyte_inputs: bytes | None = None
    flyte_input_types: bytes | None = None

    def time_left_millis(self, now: datetime) -> int:
        """From ``now`` to the deadline (``created_at + policy.timeout``) in whole milliseconds, flooring as Java's
        ``Duration.toMillis()`` does; negative once the deadline has passed."""
        return nanos_to_millis(_epoch_nanos(self.created_at) + self.policy.timeout_nanos - _epoch_nanos(now))

    @property
    def qualified_name(self) -> str:
        """``module.Name``, as flytekit and the Java side name the sensor (also the metric label)."""
        return f"{self.sensor_module}.{self.sensor_name}" if self.sensor_module else self.sensor_name


def _epoch_nanos(moment: datetime) -> int:
    # Integer arithmetic on the timedelta's parts: a float timestamp would lose microseconds at today's epochs.
    since = moment - _EPOCH
    return ((since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds) * 1_000


def decode_spec(payload: object) -> SensorSpec:
    """The spec from the activity's decoded JSON argument. Raises SpecError saying what is wrong."""
    if not isinstance(payload, Mapping):
        raise SpecError(f"the poke input must be a JSON object (a sensor spec), got {type(payload).__name__}")
    name = payload.get("sensor_name")
    if not isinstance(name, str) or not name.strip():
        raise SpecError("sensor_name is missing or not a string")
    module = payload.get("sensor_module")
    if module is not None and not isinstance(module, str):
        raise SpecError(f"sensor_module must be a string, got {module!r}")
    return SensorSpec(
        sensor_module=(module or "").strip(),
        sensor_name=name.strip(),
        policy=_policy(payload.get("policy")),
        created_at=_required_instant(payload, "created_at"),
        config=_object(payload, "config"),
        inputs=_object(payload, "inputs"),
        wake_at=_instant(payload, "wake_at"),
        flyte_inputs=_base64(payload, "flyte_inputs"),
        flyte_input_types=_base64(payload, "flyte_input_types"),
    )


def _policy(value: object) -> PokePolicy:
    if not isinstance(value, Mapping):
        raise SpecError("policy is missing or not an object")
    backoff = value.get("backoff")
    try:
        # Jackson reads enum constants by exact name, so "fixed" is refused on both sides.
        parsed_backoff = Backoff(backoff)
    except ValueError:
        raise SpecError(f"policy.backoff must be FIXED or EXPONENTIAL, got {backoff!r}") from None
    return PokePolicy(
        interval_nanos=_duration(value, "interval"),
        backoff=parsed_backoff,
        max_interval_nanos=_duration(value, "max_interval"),
        timeout_nanos=_duration(value, "timeout"),
    )


def _duration(policy: Mapping[str, Any], key: str) -> int:
    if policy.get(key) is None:
        raise SpecError(f"policy.{key} is missing")
    try:
        return parse_duration_nanos(policy[key])
    except ValueError as e:
        raise SpecError(f"policy.{key}: {e}") from None


def _required_instant(payload: Mapping[str, Any], key: str) -> datetime:
    moment = _instant(payload, key)
    if moment is None:
        raise SpecError(f"{key} is missing")
    return moment


def _instant(payload: Mapping[str, Any], key: str) -> datetime | None:
    value = payload.get(key)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as e:
        raise SpecError(f"{key}: {e}") from None


def _object(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = payload.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SpecError(f"{key} must be a JSON object, got {type(value).__name__}")
    return dict(value)


def _base64(payload: Mapping[str, Any], key: str) -> bytes | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SpecError(f"{key} must be a base64 string, got {type(value).__name__}")
    try:
        # Standard alphabet with padding, as java.util.Base64.getEncoder() and Jackson's byte[] write it.
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SpecError(f"{key} is not valid base64") from None

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from flyteidl.core import interface_pb2, literals_pb2

from sensor_engine_worker.spec import SpecError, decode_spec

from vectors import cases, ids

SPECS = cases("spec")
ACCEPTED = [c for c in SPECS if "expect" in c]
REFUSED = [c for c in SPECS if "refused" in c]
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _micros(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@pytest.mark.parametrize("case", ACCEPTED, ids=ids(ACCEPTED))
def test_decodes_as_the_java_mapper_does(case: dict[str, Any]) -> None:
    spec = decode_spec(case["json"])
    expect = case["expect"]
    assert spec.sensor_module == expect["sensor_module"]
    assert spec.sensor_name == expect["sensor_name"]
    assert spec.qualified_name == expect["qualified_name"]
    assert dict(spec.config) == expect["config"]
    assert dict(spec.inputs) == expect["inputs"]
    policy = expect["policy"]
    assert spec.policy.interval_millis == policy["interval_ms"]
    assert spec.policy.backoff.value == policy["backoff"]
    assert spec.policy.max_interval_millis == policy["max_interval_ms"]
    assert spec.policy.timeout_nanos // 1_000_000 == policy["timeout_ms"]
    assert _micros(spec.created_at) == expect["created_at_epoch_micros"]
    assert _micros(spec.wake_at) == expect["wake_at_epoch_micros"]
    assert _names(spec.flyte_inputs, literals_pb2.LiteralMap, "literals") == expect["flyte_inputs_names"]
    assert _names(spec.flyte_input_types, interface_pb2.VariableMap, "variables") == expect["flyte_input_types_names"]


@pytest.mark.parametrize("case", REFUSED, ids=ids(REFUSED))
def test_refuses_what_the_java_mapper_refuses_naming_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(SpecError) as refused:
        decode_spec(case["json"])
    assert case["refused"]["field"] in str(refused.value)


def test_a_payload_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(SpecError, match="JSON object"):
        decode_spec(["not", "a", "spec"])


def test_invalid_base64_in_flyte_inputs_is_refused() -> None:
    payload = dict(ACCEPTED[0]["json"], flyte_inputs="not base64!")
    with pytest.raises(SpecError, match="flyte_inputs"):
        decode_spec(payload)


def _names(data: bytes | None, message: Any, field: str) -> list[str] | None:
    if data is None:
        return None
    parsed = message()
    parsed.ParseFromString(data)
    return sorted(getattr(parsed, field).keys())

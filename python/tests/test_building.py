"""Building sensors and their inputs as the author meant, against flytekit itself (no Temporal)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from flytekit import FlyteContextManager
from flytekit.core.context_manager import FlyteEntities
from flytekit.core.interface import transform_interface_to_typed_interface
from flytekit.core.type_engine import TypeEngine
from flytekit.models.interface import VariableMap
from flytekit.sensor.base_sensor import BaseSensor
from flytekit.sensor.sensor_engine import SensorEngine
from flytekit.types.file import FlyteFile

from sensor_engine_worker.building import (
    ConfigurationError,
    SensorConfigDict,
    build_sensor,
    convert_inputs,
    declared_config_type,
    prepare,
    sensor_class,
)
from sensor_engine_worker.spec import SensorSpec, decode_spec

import example_sensors
from example_sensors import Configured, ThresholdConfig, TypedInputs, Window

WHEN = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.timezone.utc)


def typed_literals() -> tuple[bytes, bytes]:
    """TypedInputs' inputs as flyteidl bytes, written by flytekit: what the Java side forwards from CreateTask."""
    context = FlyteContextManager.current_context()
    types = {"data": FlyteFile, "window": Window, "when": datetime.datetime, "count": int}
    values = {"data": FlyteFile("s3://bucket/data/_SUCCESS"), "window": Window(2, "w"), "when": WHEN, "count": 3}
    literals = TypeEngine.dict_to_literal_map(context, values, types)
    sensor = TypedInputs(name="typed")
    interface = transform_interface_to_typed_interface(sensor.python_interface)
    variables = VariableMap(variables=interface.inputs).to_flyte_idl()
    FlyteEntities.entities.remove(sensor)
    return literals.to_flyte_idl().SerializeToString(), variables.SerializeToString()


def make_spec(name: str, inputs: dict[str, Any] | None = None, **extra: Any) -> SensorSpec:
    payload = {
        "sensor_module": extra.pop("module", "example_sensors"),
        "sensor_name": name,
        "inputs": inputs or {},
        "policy": {"interval": "PT1S", "backoff": "FIXED", "max_interval": "PT1S", "timeout": "PT1H"},
        "created_at": "2026-01-01T00:00:00Z",
        **extra,
    }
    return decode_spec(payload)


def test_flytekits_own_engine_drops_the_config_which_this_worker_delivers() -> None:
    # The parity fact behind the worker's constructor call: SensorEngine.get passes config=, which BaseSensor's
    # **kwargs swallow. Read from flytekit's installed source, so a flytekit that fixes it fails this test.
    import inspect

    assert 'sensor_def("sensor", config=resource_meta.sensor_config)' in inspect.getsource(SensorEngine.get)
    dropped = Configured("sensor", config={"threshold": 5})  # what flytekit does
    assert dropped._sensor_config is None
    FlyteEntities.entities.remove(dropped)
    built = build_sensor(Configured, make_spec("Configured", config={"threshold": 5, "unit": "files"}))
    assert built._sensor_config == ThresholdConfig(5, "files")


def test_a_sensor_without_a_config_class_gets_a_dict_that_reads_every_way() -> None:
    built = build_sensor(example_sensors.UntypedConfig, make_spec("UntypedConfig", config={"threshold": 5}))
    config = built._sensor_config
    assert isinstance(config, SensorConfigDict)
    assert config.threshold == config["threshold"] == config.to_dict()["threshold"] == 5
    with pytest.raises(AttributeError):
        _ = config.missing


def test_an_empty_config_is_no_config() -> None:
    assert build_sensor(Configured, make_spec("Configured"))._sensor_config is None


def test_the_declared_config_class_is_found_only_where_it_names_one() -> None:
    assert declared_config_type(Configured) is ThresholdConfig
    # BaseSensor's own annotation is a TypeVar of the SensorConfig protocol: no class to rebuild.
    assert declared_config_type(example_sensors.UntypedConfig) is None
    assert declared_config_type(example_sensors.WaitForFile) is None


def test_a_config_that_does_not_convert_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"sensor_config of example_sensors\.Configured does not convert"):
        build_sensor(Configured, make_spec("Configured", config={"unit": "no threshold"}))


def test_a_constructor_that_rejects_its_arguments_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"cannot build example_sensors.NeedsBucket\(name=.*TypeError"):
        build_sensor(example_sensors.NeedsBucket, make_spec("NeedsBucket"))


@pytest.mark.parametrize(
    ("module", "name", "message"),
    [
        ("", "FileSensor", "names no module"),
        ("no_such_package.sensors", "S", "module no_such_package.sensors of sensor"),
        ("example_sensors", "Missing", "module example_sensors has no Missing"),
        ("example_sensors", "NOT_A_SENSOR", "is not a flytekit BaseSensor subclass"),
    ],
)
def test_a_class_that_cannot_be_found_is_a_configuration_error(module: str, name: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        sensor_class(make_spec(name, module=module))


def test_an_import_that_fails_inside_the_module_names_the_cause(tmp_path: Any, monkeypatch: Any) -> None:
    (tmp_path / "broken_sensors.py").write_text("import not_installed_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ConfigurationError, match=r"importing broken_sensors .* failed: ModuleNotFoundError"):
        sensor_class(make_spec("S", module="broken_sensors"))


def test_flytekits_file_sensor_builds() -> None:
    spec = make_spec("FileSensor", {"path": "/nowhere"}, module="flytekit.sensor.file_sensor")
    assert type(build_sensor(sensor_class(spec), spec)).__name__ == "FileSensor"


def test_building_does_not_grow_flytekits_entity_registry() -> None:
    spec = make_spec("WaitForFile", {"path": "/x"})
    before = len(FlyteEntities.entities)
    for _ in range(50):
        build_sensor(example_sensors.WaitForFile, spec)
    assert len(FlyteEntities.entities) == before


async def test_flyte_inputs_convert_to_the_types_poke_annotates() -> None:
    literals, types = typed_literals()
    prepared = await prepare(make_spec("TypedInputs", flyte_inputs=_b64(literals), flyte_input_types=_b64(types)))
    inputs = prepared.inputs
    assert isinstance(inputs["data"], FlyteFile)
    assert inputs["data"].remote_source == "s3://bucket/data/_SUCCESS"
    assert inputs["window"] == Window(2, "w")
    assert type(inputs["window"]) is Window  # the author's class, not one guessed from the schema
    assert inputs["when"] == WHEN
    assert inputs["count"] == 3
    assert await prepared.sensor.poke(**inputs)


async def test_unannotated_parameters_fall_back_to_the_interface_types() -> None:
    literals, types = typed_literals()

    class Unannotated(BaseSensor):
        async def poke(self, data, window, when, count):  # type: ignore[no-untyped-def]
            return True

    sensor = Unannotated(name="unannotated")
    FlyteEntities.entities.remove(sensor)
    spec = make_spec("Unannotated", flyte_inputs=_b64(literals), flyte_input_types=_b64(types))
    inputs = await convert_inputs(sensor, spec)
    assert isinstance(inputs["data"], FlyteFile)
    assert inputs["count"] == 3
    assert inputs["window"].label == "w"  # a dataclass flytekit made from the schema


async def test_an_input_without_any_type_is_a_configuration_error() -> None:
    literals, _ = typed_literals()

    class Unannotated(BaseSensor):
        async def poke(self, data, window, when, count):  # type: ignore[no-untyped-def]
            return True

    sensor = Unannotated(name="unannotated")
    FlyteEntities.entities.remove(sensor)
    with pytest.raises(ConfigurationError, match="has no Python type"):
        await convert_inputs(sensor, make_spec("Unannotated", flyte_inputs=_b64(literals)))


async def test_plain_inputs_convert_to_the_annotated_types() -> None:
    spec = make_spec(
        "TypedInputs",
        {"data": "s3://bucket/data/_SUCCESS", "window": {"start": 2, "label": "w"}, "when": "2026-11-28T10:00:00Z",
         "count": 3},
    )  # fmt: skip
    prepared = await prepare(spec)
    assert await prepared.sensor.poke(**prepared.inputs)


async def test_a_plain_input_that_does_not_convert_is_a_configuration_error() -> None:
    spec = make_spec("TypedInputs", {"data": "s3://b/k", "window": "not an object", "when": "x", "count": 3})
    with pytest.raises(ConfigurationError, match="input 'window'"):
        await prepare(spec)


async def test_an_input_poke_does_not_take_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="input 'colour' is not a parameter"):
        await prepare(make_spec("WaitForFile", {"path": "/x", "colour": "red"}))


async def test_a_missing_input_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="poke needs input 'path'"):
        await prepare(make_spec("WaitForFile"))


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")

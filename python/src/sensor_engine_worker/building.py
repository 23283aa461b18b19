"""Builds a flytekit sensor from a spec as flytekit's connector does, but as the sensor's author meant it.

flytekit's SensorEngine (flytekit/sensor/sensor_engine.py, 1.16) imports ``sensor_module``, looks up
``sensor_name`` and calls ``cls("sensor", config=sensor_config).poke(**inputs)``. BaseSensor takes
``sensor_config``, not ``config``, and its ``**kwargs`` swallow the unknown keyword, so every sensor there runs
with no config at all. Here the config reaches ``sensor_config``, rebuilt as the author's config class where the
sensor declares one, and the inputs are converted with flytekit's TypeEngine to the types of ``poke``'s own
annotations, so a FlyteFile is a FlyteFile and a dataclass is the author's dataclass.

Every way this can fail because the task or the worker's environment is wrong raises ConfigurationError with a
message that says what to fix; the poke worker turns it into a non-retryable failure.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import inspect
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flyteidl.core import interface_pb2, literals_pb2
from flytekit import FlyteContextManager
from flytekit.core.context_manager import FlyteEntities
from flytekit.core.type_engine import TypeEngine
from flytekit.models import literals as flyte_literals
from flytekit.models.core.types import BlobType
from flytekit.models.interface import VariableMap
from flytekit.sensor.base_sensor import BaseSensor
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile
from mashumaro.codecs.basic import BasicDecoder

from sensor_engine_worker.spec import SensorSpec
from sensor_engine_worker.times import NANOS_PER_SECOND, parse_duration_nanos


class ConfigurationError(Exception):
    """The task cannot run on this worker as it stands; the message says what to fix."""


class SensorConfigDict(dict[str, Any]):
    """``sensor_config`` for a sensor that declares no config class: the dict its config's ``to_dict()`` gave.

    It answers the ways sensor code reads its config: ``cfg["key"]``, ``cfg.key`` and ``cfg.to_dict()`` (which
    BaseSensor itself calls when it serializes).
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self) -> dict[str, Any]:
        return dict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SensorConfigDict:
        return cls(d)


@dataclass(frozen=True)
class PreparedPoke:
    sensor: BaseSensor
    inputs: dict[str, Any]


async def prepare(spec: SensorSpec) -> PreparedPoke:
    """The sensor and its poke's keyword arguments. Raises ConfigurationError, or OSError for a failed read."""
    sensor = build_sensor(sensor_class(spec), spec)
    return PreparedPoke(sensor, await convert_inputs(sensor, spec))


def sensor_class(spec: SensorSpec) -> type[BaseSensor]:
    where = f"{spec.sensor_module}.{spec.sensor_name}"
    if not spec.sensor_module:
        raise ConfigurationError(
            f"sensor {spec.sensor_name} names no module (TaskTemplate.custom.sensor_module is empty), "
            "so the Python worker cannot import it"
        )
    try:
        module = importlib.import_module(spec.sensor_module)
    except ModuleNotFoundError as e:
        if e.name and (spec.sensor_module == e.name or spec.sensor_module.startswith(e.name + ".")):
            raise ConfigurationError(
                f"module {spec.sensor_module} of sensor {where} is not installed on this Python sensor worker: "
                "add the package that provides it to the worker's image or PYTHONPATH"
            ) from None
        raise ConfigurationError(f"importing {spec.sensor_module} for sensor {where} failed: {_describe(e)}") from None
    except Exception as e:
        raise ConfigurationError(f"importing {spec.sensor_module} for sensor {where} failed: {_describe(e)}") from None
    found = getattr(module, spec.sensor_name, None)
    if found is None:
        raise ConfigurationError(
            f"module {spec.sensor_module} has no {spec.sensor_name}: the worker's copy of the module differs "
            "from the one the task was registered with, or sensor_name is wrong"
        )
    if not (isinstance(found, type) and issubclass(found, BaseSensor)):
        raise ConfigurationError(f"{where} is not a flytekit BaseSensor subclass, so it has no poke to run")
    return found


def build_sensor(cls: type[BaseSensor], spec: SensorSpec) -> BaseSensor:
    kwargs: dict[str, Any] = {"name": spec.qualified_name}
    config = _sensor_config(cls, spec)
    if config is not None:
        kwargs["sensor_config"] = config
    try:
        sensor = cls(**kwargs)
    except Exception as e:
        shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
        raise ConfigurationError(f"cannot build {spec.qualified_name}({shown}): {_describe(e)}") from None
    _forget(sensor)
    return sensor


def _sensor_config(cls: type[BaseSensor], spec: SensorSpec) -> Any:
    # The Java side stores a null sensor_config as {}, so an empty one cannot be told from none; none is
    # BaseSensor's default and what a task registered without a config expects.
    if not spec.config:
        return None
    config_type = declared_config_type(cls)
    if config_type is None:
        return SensorConfigDict(spec.config)
    try:
        return config_type.from_dict(dict(spec.config))  # type: ignore[attr-defined]
    except Exception as e:
        raise ConfigurationError(
            f"sensor_config of {spec.qualified_name} does not convert to {config_type.__name__}: {_describe(e)}"
        ) from None


def declared_config_type(cls: type[BaseSensor]) -> type | None:
    """The config class a sensor declares on its ``sensor_config`` parameter, if a concrete one with ``from_dict``.

    BaseSensor's own annotation is a TypeVar of the SensorConfig protocol, which names no class to rebuild.
    """
    try:
        hints = typing.get_type_hints(cls.__init__)
    except Exception:
        hints = {}
    declared = hints.get("sensor_config")
    for candidate in _union_members(declared):
        if isinstance(candidate, type) and callable(getattr(candidate, "from_dict", None)):
            if getattr(candidate, "_is_protocol", False):
                continue
            return candidate
    return None


async def convert_inputs(sensor: BaseSensor, spec: SensorSpec) -> dict[str, Any]:
    """``poke``'s keyword arguments from ``flyte_inputs`` (typed literals) or, in older specs, plain ``inputs``."""
    parameters = inspect.signature(sensor.poke).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    hints = _poke_hints(sensor)
    if spec.flyte_inputs is not None:
        converted = await _from_literals(spec, hints, spec.flyte_inputs)
    else:
        converted = {name: await _from_plain(name, value, hints.get(name)) for name, value in spec.inputs.items()}
    for name in converted:
        if name not in parameters and not takes_any:
            raise ConfigurationError(
                f"input {name!r} is not a parameter of {spec.qualified_name}.poke: the worker's copy of the "
                "sensor differs from the one the task was registered with"
            )
    for name, parameter in parameters.items():
        positional = parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        if positional and parameter.default is inspect.Parameter.empty and name not in converted:
            raise ConfigurationError(f"{spec.qualified_name}.poke needs input {name!r}, which the task does not pass")
    return converted


def _poke_hints(sensor: BaseSensor) -> dict[str, Any]:
    try:
        hints = typing.get_type_hints(type(sensor).poke, include_extras=True)
    except Exception:
        # A forward reference that does not resolve: fall back to the interface's types.
        hints = {}
    hints.pop("return", None)
    return hints


async def _from_literals(spec: SensorSpec, hints: Mapping[str, Any], data: bytes) -> dict[str, Any]:
    literal_map = literals_pb2.LiteralMap()
    try:
        literal_map.ParseFromString(data)
    except Exception as e:
        raise ConfigurationError(f"flyte_inputs is not a flyteidl LiteralMap: {_describe(e)}") from None
    guessed = _guessed_types(spec.flyte_input_types)
    context = FlyteContextManager.current_context()
    converted: dict[str, Any] = {}
    for name, proto in literal_map.literals.items():
        python_type = hints.get(name) or guessed.get(name)
        if python_type is None:
            raise ConfigurationError(
                f"input {name!r} of {spec.qualified_name} has no Python type: annotate the parameter of poke"
            )
        converted[name] = await _convert(name, flyte_literals.Literal.from_flyte_idl(proto), python_type, context)
    return converted


def _guessed_types(data: bytes | None) -> dict[str, Any]:
    if data is None:
        return {}
    variables = interface_pb2.VariableMap()
    try:
        variables.ParseFromString(data)
        model = VariableMap.from_flyte_idl(variables)
        return {name: TypeEngine.guess_python_type(var.type) for name, var in model.variables.items()}
    except Exception as e:
        raise ConfigurationError(f"flyte_input_types is not a usable flyteidl VariableMap: {_describe(e)}") from None


async def _convert(name: str, literal: Any, python_type: Any, context: Any) -> Any:
    try:
        return await TypeEngine.async_to_python_value(context, literal, python_type)
    except OSError:
        # Reading an offloaded literal failed: the storage, not the task, is at fault; retry as a poke error.
        raise
    except Exception as e:
        raise ConfigurationError(f"input {name!r} does not convert to {_type_name(python_type)}: {_describe(e)}") from e


async def _from_plain(name: str, value: Any, annotation: Any) -> Any:
    """A plain JSON input (a spec without flyte_inputs) as the annotated type, where that is unambiguous.

    The Java side writes blobs as their URI and times as ISO-8601 text, so those are read back; dataclasses and
    containers are decoded with mashumaro, which flytekit itself uses for dataclasses.
    """
    members = [m for m in _union_members(annotation) if m is not type(None)]
    if value is None or annotation in (None, Any) or not members:
        return value
    target = members[0] if len(members) == 1 else annotation
    if isinstance(target, type) and issubclass(target, (FlyteFile, FlyteDirectory)) and isinstance(value, str):
        multipart = issubclass(target, FlyteDirectory)
        return await _convert(name, _blob_literal(value, multipart), target, FlyteContextManager.current_context())
    if target is datetime.timedelta and isinstance(value, str):
        try:
            return datetime.timedelta(microseconds=parse_duration_nanos(value) / (NANOS_PER_SECOND // 1_000_000))
        except ValueError as e:
            raise ConfigurationError(f"input {name!r}: {e}") from None
    try:
        return BasicDecoder(target).decode(value)
    except Exception as e:
        raise ConfigurationError(
            f"input {name!r} = {value!r} does not convert to {_type_name(target)}: {_describe(e)}"
        ) from None


def _blob_literal(uri: str, multipart: bool) -> flyte_literals.Literal:
    dimensionality = BlobType.BlobDimensionality.MULTIPART if multipart else BlobType.BlobDimensionality.SINGLE
    blob = flyte_literals.Blob(
        metadata=flyte_literals.BlobMetadata(type=BlobType(format="", dimensionality=dimensionality)), uri=uri
    )
    return flyte_literals.Literal(scalar=flyte_literals.Scalar(blob=blob))


def _union_members(annotation: Any) -> list[Any]:
    if annotation is None:
        return []
    if typing.get_origin(annotation) is typing.Annotated:
        return _union_members(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    return [annotation]


def _forget(sensor: BaseSensor) -> None:
    """Drops the sensor from flytekit's registry of declared entities, which every task constructor appends to.

    Without this the worker would keep every sensor it ever built (one per poke); flytekit's own connector does.
    Tasks compare by identity, and ``list.remove`` is one call under the GIL, so pool threads may do this at once.
    """
    with contextlib.suppress(ValueError):
        FlyteEntities.entities.remove(sensor)


def _type_name(python_type: Any) -> str:
    return getattr(python_type, "__qualname__", None) or repr(python_type)


def _describe(error: BaseException) -> str:
    text = str(error)
    return type(error).__name__ + (f": {text}" if text else "")

"""Sensors declared the way a flytekit user declares them, for the fixtures and the connector probe.

Import this module as ``example_sensors`` (with ``compat/`` on ``sys.path``): flytekit records
``type(sensor).__module__`` in ``TaskTemplate.custom["sensor_module"]``, and flytekit's own connector imports the
sensor back by that name, so the name must be the same wherever the fixtures are written and replayed.

Each typed-input sensor checks the Python type of what it receives and raises ``TypeError`` otherwise, so a
SUCCEEDED from any connector also proves that its inputs were decoded into the types the author declared.
"""

import asyncio
import dataclasses
import datetime
import os
import time
from dataclasses import dataclass
from typing import Any

from flytekit.sensor.base_sensor import BaseSensor
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile


def _expect(name: str, value: Any, *types: type) -> None:
    """Raises with the received type, so a wrong decoding shows in the connector's answer."""
    # bool is an int in Python; an int input that arrives as a bool is a decoding error.
    if isinstance(value, bool) and bool not in types:
        raise TypeError(f"input {name!r} arrived as bool, expected {[t.__name__ for t in types]}")
    if not isinstance(value, types):
        raise TypeError(f"input {name!r} arrived as {type(value).__name__}, expected {[t.__name__ for t in types]}")


@dataclass
class PokeConfig:
    """Sensor Engine's schedule keys, as a flytekit ``SensorConfig`` (``to_dict``/``from_dict``) carries them."""

    poke_interval: str | None = None
    backoff: str | None = None
    max_poke_interval: str | None = None
    timeout: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Leaves unset keys out, so the engine's defaults apply to them."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PokeConfig":
        return cls(**d)


@dataclass
class SizeConfig:
    """Config of ``FileSizeSensor``: the smallest size that counts as ready."""

    min_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SizeConfig":
        return cls(**d)


class FileSizeSensor(BaseSensor):
    """Ready when a local file exists and holds at least ``sensor_config.min_bytes`` bytes.

    It needs its config and says so: flytekit's own connector builds sensors with ``config=`` rather than
    ``sensor_config=``, so under it this sensor raises instead of silently using a default.
    """

    def __init__(self, name: str, sensor_config: SizeConfig | dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(name=name, sensor_config=sensor_config, **kwargs)

    async def poke(self, path: str) -> bool:
        config = self._sensor_config
        if config is None:
            raise ValueError("FileSizeSensor was built without its sensor_config (min_bytes)")
        if isinstance(config, dict):
            config = SizeConfig.from_dict(config)
        return os.path.isfile(path) and os.path.getsize(path) >= config.min_bytes


class FailingSensor(BaseSensor):
    """A poke that always raises, as a sensor whose backend is down would."""

    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, path: str) -> bool:
        raise RuntimeError(f"simulated poke failure for {path}")


class NeedsBucketSensor(BaseSensor):
    """A constructor argument that flytekit never records: a task stores only the module, the class name and the
    config, so no connector can build this sensor again, and the Python worker says so."""

    def __init__(self, name: str, bucket: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self.bucket = bucket

    async def poke(self, path: str) -> bool:
        return os.path.exists(os.path.join(self.bucket, path))


class JournalSensor(BaseSensor):
    """Notes when each poke begins and ends (process id and epoch milliseconds) in a shared journal, so that a test
    can tell whether two pokes of one sensor ever ran at once; ready when ``path`` exists."""

    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, journal: str, id: str, path: str) -> bool:
        _note(journal, f"begin {id} {os.getpid()} {time.time_ns() // 1_000_000}")
        await asyncio.sleep(0.15)
        ready = os.path.exists(path)
        _note(journal, f"end {id} {os.getpid()} {time.time_ns() // 1_000_000}")
        return ready


def _note(journal: str, line: str) -> None:
    # One write of a short line with O_APPEND: lines of concurrent pokes and processes do not interleave.
    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


class NoInputSensor(BaseSensor):
    """A sensor whose poke takes no inputs and is ready at once."""

    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self) -> bool:
        return True


@dataclass
class Point:
    """A dataclass input; flytekit 1.16 sends it as a msgpack Binary literal."""

    x: int
    y: float
    label: str


class StrInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: str) -> bool:
        _expect("value", value, str)
        return True


class IntInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: int) -> bool:
        _expect("value", value, int)
        return True


class FloatInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: float) -> bool:
        _expect("value", value, float)
        return True


class BoolInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: bool) -> bool:
        _expect("value", value, bool)
        return True


class DatetimeInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: datetime.datetime) -> bool:
        _expect("value", value, datetime.datetime)
        return True


class TimedeltaInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: datetime.timedelta) -> bool:
        _expect("value", value, datetime.timedelta)
        return True


class FlyteFileInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: FlyteFile) -> bool:
        _expect("value", value, FlyteFile)
        return True


class FlyteDirectoryInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: FlyteDirectory) -> bool:
        _expect("value", value, FlyteDirectory)
        return True


class ListInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: list[int]) -> bool:
        _expect("value", value, list)
        return True


class DictInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: dict[str, int]) -> bool:
        _expect("value", value, dict)
        return True


class UntypedDictInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: dict) -> bool:
        _expect("value", value, dict)
        return True


class DataclassInputSensor(BaseSensor):
    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(self, value: Point) -> bool:
        # Under flytekit's connector the value is a dataclass it generated from the schema, not Point itself.
        if not (dataclasses.is_dataclass(value) and {f.name for f in dataclasses.fields(value)} == {"x", "y", "label"}):
            raise TypeError(f"input 'value' arrived as {type(value).__name__}, expected a Point dataclass")
        return True


class AllTypesSensor(BaseSensor):
    """Every input type of the fixtures in one poke."""

    def __init__(self, name: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)

    async def poke(
        self,
        text: str,
        count: int,
        ratio: float,
        flag: bool,
        at: datetime.datetime,
        every: datetime.timedelta,
        file: FlyteFile,
        directory: FlyteDirectory,
        numbers: list[int],
        names: list[str],
        counts: dict[str, int],
        point: Point,
    ) -> bool:
        for name, value, types in [
            ("text", text, (str,)),
            ("count", count, (int,)),
            ("ratio", ratio, (float,)),
            ("flag", flag, (bool,)),
            ("at", at, (datetime.datetime,)),
            ("every", every, (datetime.timedelta,)),
            ("file", file, (FlyteFile,)),
            ("directory", directory, (FlyteDirectory,)),
            ("numbers", numbers, (list,)),
            ("names", names, (list,)),
            ("counts", counts, (dict,)),
        ]:
            _expect(name, value, *types)
        return dataclasses.is_dataclass(point)

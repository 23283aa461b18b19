"""Sensors the tests poke: flytekit BaseSensor subclasses as users write them, one behaviour each.

The worker under test imports this module by name (``example_sensors``), as it imports a user's module; the
integration tests put this directory on the worker process's PYTHONPATH.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flytekit.sensor.base_sensor import BaseSensor
from flytekit.types.file import FlyteFile


class WaitForFile(BaseSensor):
    """Ready once a local file exists."""

    async def poke(self, path: str) -> bool:
        return os.path.exists(path)


class SyncPoke(BaseSensor):
    """A poke written as a plain def: flytekit would fail awaiting its bool; the worker uses its answer."""

    def poke(self, path: str) -> bool:
        return os.path.exists(path)


class AlwaysFails(BaseSensor):
    async def poke(self, target: str) -> bool:
        raise ConnectionError(f"{target} said 503")


class Scripted(BaseSensor):
    """Follows a script of outcomes, one per poke, keeping its place in a file: error, not_ready or ready."""

    async def poke(self, script: str, state: str) -> bool:
        steps = script.split(",")
        place = Path(state)
        done = int(place.read_text()) if place.exists() else 0
        place.write_text(str(done + 1))
        step = steps[min(done, len(steps) - 1)]
        if step == "error":
            raise RuntimeError(f"boom {done + 1}")
        return step == "ready"


class Blocking(BaseSensor):
    """Blocks its thread (time.sleep inside async def, as careless sensors do) until a release file appears."""

    async def poke(self, release: str) -> bool:
        Path(release + ".started").touch()
        deadline = time.monotonic() + 60
        while not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.05)
        Path(release + ".finished").touch()
        return os.path.exists(release)


class NeedsBucket(BaseSensor):
    """A constructor that wants an argument flytekit's task metadata cannot carry."""

    def __init__(self, name: str, bucket: str, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.bucket = bucket

    async def poke(self, key: str) -> bool:
        return True


@dataclass
class ThresholdConfig:
    threshold: int
    unit: str = "rows"

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "unit": self.unit}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ThresholdConfig:
        return cls(threshold=int(d["threshold"]), unit=str(d.get("unit", "rows")))


class Configured(BaseSensor):
    """Declares its config class, so the worker rebuilds a ThresholdConfig from sensor_config."""

    def __init__(self, name: str, sensor_config: ThresholdConfig | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, sensor_config=sensor_config, **kwargs)

    async def poke(self, value: int) -> bool:
        config = self._sensor_config
        if not isinstance(config, ThresholdConfig):
            raise TypeError(f"sensor_config is {config!r}, not a ThresholdConfig")
        return value >= config.threshold


class UntypedConfig(BaseSensor):
    """Declares no config class: reads its config by attribute, by key and through to_dict()."""

    async def poke(self, value: int) -> bool:
        config = self._sensor_config
        if config is None:
            raise TypeError("sensor_config did not reach the sensor")
        return bool(value >= config.threshold and config["threshold"] == config.to_dict()["threshold"])


@dataclass
class Window:
    start: int
    label: str


class TypedInputs(BaseSensor):
    """Ready only when every input arrives as the type its annotation names."""

    async def poke(self, data: FlyteFile, window: Window, when: datetime.datetime, count: int) -> bool:
        problems = []
        if not isinstance(data, FlyteFile):
            problems.append(f"data is {type(data).__name__}")
        elif data.remote_source != "s3://bucket/data/_SUCCESS":
            problems.append(f"data.remote_source is {data.remote_source!r}")
        if not isinstance(window, Window) or window != Window(2, "w"):
            problems.append(f"window is {window!r}")
        if when != datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.timezone.utc):
            problems.append(f"when is {when!r}")
        if count != 3:
            problems.append(f"count is {count!r}")
        if problems:
            raise TypeError("; ".join(problems))
        return True


NOT_A_SENSOR = "a module attribute that is no sensor class"


class Sleeper(BaseSensor):
    """Awaits for a while: cancellable at its await, unlike Blocking."""

    async def poke(self, seconds: float) -> bool:
        await asyncio.sleep(seconds)
        return True


class DoesWhatItIsTold(BaseSensor):
    """Acts out a contract vector's poke: ready, not ready, or raise an exception of the named type."""

    async def poke(self, result: str, error_type: str = "", error_message: str = "") -> bool:
        if result == "error":
            raise type(error_type, (Exception,), {})(error_message)
        return result == "ready"

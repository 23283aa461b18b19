"""Writes the requests propeller sends for flytekit sensor tasks, as flytekit itself serializes them.

Why: Sensor Engine promises to accept flytekit's sensor tasks unchanged, so its tests must send flytekit's own
bytes, not look-alikes. For each case this writes, under OUT/<case>/:

- ``template.pb``: the ``flyteidl.core.TaskTemplate``, from ``flytekit.tools.translator.get_serializable``, the
  call ``pyflyte package``/``register`` make (the template is what admin stores and propeller sends);
- ``inputs.pb``: the ``flyteidl.core.LiteralMap`` of the poke inputs, from flytekit's ``TypeEngine``;
- ``create_request.pb``: a ``flyteidl.admin.CreateTaskRequest`` holding both, with task execution metadata;
- ``resource_meta.bin``: what flytekit's own connector service answers to that request (``CreateTask`` through
  ``AsyncConnectorService``, the code ``pyflyte serve connector`` runs), when it answers at all;
- ``manifest.json``: the files and the plain values a test should find after decoding them.

OUT/index.json lists the cases and the versions that wrote them. The .pb files are deterministic: the same
versions write the same bytes (maps are serialized sorted). flytekit's resource_meta is not: the order of
sensor_config and dataclass keys follows protobuf's map order, which changes from process to process, and
FlyteFile/FlyteDirectory inputs appear in it as a random local download path (the manifest says which).

Run with the tool venv's python: ``$(scripts/tools.sh path python) compat/flytekit_fixtures.py [OUT]``.
"""

import argparse
import asyncio
import dataclasses
import datetime
import hashlib
import json
import logging
import shutil
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COMPAT_DIR = Path(__file__).resolve().parent
PROJECT_DIR = COMPAT_DIR.parent
sys.path.insert(0, str(COMPAT_DIR))

import example_sensors as ex  # noqa: E402  (needs COMPAT_DIR on sys.path, see the module's docstring)
import flytekit  # noqa: E402
import google.protobuf  # noqa: E402
from flyteidl.admin import agent_pb2  # noqa: E402
from flyteidl.core import identifier_pb2, literals_pb2, tasks_pb2, types_pb2  # noqa: E402
from flytekit import FlyteContextManager  # noqa: E402
from flytekit.configuration import ImageConfig, SerializationSettings  # noqa: E402
from flytekit.core.type_engine import TypeEngine  # noqa: E402
from flytekit.extend.backend.connector_service import AsyncConnectorService  # noqa: E402
from flytekit.sensor import BaseSensor, FileSensor  # noqa: E402
from flytekit.tools.translator import get_serializable  # noqa: E402
from flytekit.types.directory import FlyteDirectory  # noqa: E402
from flytekit.types.file import FlyteFile  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from google.protobuf.message import Message  # noqa: E402

PROJECT = "flytesnacks"
DOMAIN = "development"
VERSION = "fixtures"
DEFAULT_LOCAL_ROOT = "/tmp/sensor-engine-fixtures"


@dataclass
class Case:
    """One sensor task: how flytekit declares it and the inputs propeller would send with it."""

    name: str
    description: str
    sensor: Callable[[str], BaseSensor]
    inputs: dict[str, Any] = field(default_factory=dict)


def cases(local_root: str) -> list[Case]:
    """The fixture cases; the case name is also the task name."""
    ready = f"{local_root}/_SUCCESS"
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)
    every = datetime.timedelta(hours=1, minutes=30, seconds=5, microseconds=250000)
    file = FlyteFile("s3://sensor-fixtures/data/file.csv")
    directory = FlyteDirectory("s3://sensor-fixtures/data/dir/")
    point = ex.Point(x=1, y=2.5, label="p")
    return [
        Case("file_sensor", "FileSensor on a local path, no timeout", lambda n: FileSensor(name=n), {"path": ready}),
        Case(
            "file_sensor_s3",
            "FileSensor on an s3:// object, no timeout",
            lambda n: FileSensor(name=n),
            {"path": "s3://sensor-fixtures/incoming/_SUCCESS"},
        ),
        Case(
            "file_sensor_timeout",
            "FileSensor with timeout=timedelta(hours=1)",
            lambda n: FileSensor(name=n, timeout=datetime.timedelta(hours=1)),
            {"path": ready},
        ),
        Case(
            "file_sensor_timeout_int",
            "FileSensor with timeout=90 (an int, seconds)",
            lambda n: FileSensor(name=n, timeout=90),
            {"path": ready},
        ),
        Case(
            "file_sensor_poke_config",
            "FileSensor with a sensor_config of Sensor Engine's schedule keys",
            lambda n: FileSensor(
                name=n,
                sensor_config=ex.PokeConfig(poke_interval="2s", backoff="exponential", max_poke_interval="1m"),
            ),
            {"path": ready},
        ),
        Case(
            "file_sensor_bad_config",
            "FileSensor with a sensor_config whose poke_interval is not a duration",
            lambda n: FileSensor(name=n, sensor_config=ex.PokeConfig(poke_interval="banana")),
            {"path": ready},
        ),
        Case(
            "custom_sensor_config",
            "custom BaseSensor (FileSizeSensor) that needs its sensor_config",
            lambda n: ex.FileSizeSensor(name=n, sensor_config=ex.SizeConfig(min_bytes=3)),
            {"path": ready},
        ),
        Case(
            "custom_sensor_no_config",
            "custom BaseSensor (FileSizeSensor) declared without its sensor_config",
            lambda n: ex.FileSizeSensor(name=n),
            {"path": ready},
        ),
        Case(
            "failing_sensor",
            "custom BaseSensor whose poke always raises",
            lambda n: ex.FailingSensor(name=n),
            {"path": ready},
        ),
        Case("no_inputs", "custom BaseSensor whose poke takes no inputs", lambda n: ex.NoInputSensor(name=n)),
        Case("input_str", "str input", lambda n: ex.StrInputSensor(name=n), {"value": "héllo, wörld"}),
        Case("input_int", "int input", lambda n: ex.IntInputSensor(name=n), {"value": -9007199254740993}),
        Case("input_float", "float input", lambda n: ex.FloatInputSensor(name=n), {"value": 2.5}),
        Case("input_bool", "bool input", lambda n: ex.BoolInputSensor(name=n), {"value": True}),
        Case("input_datetime", "datetime input (UTC)", lambda n: ex.DatetimeInputSensor(name=n), {"value": when}),
        Case("input_timedelta", "timedelta input", lambda n: ex.TimedeltaInputSensor(name=n), {"value": every}),
        Case("input_flytefile", "FlyteFile input (remote)", lambda n: ex.FlyteFileInputSensor(name=n), {"value": file}),
        Case(
            "input_flytedirectory",
            "FlyteDirectory input (remote)",
            lambda n: ex.FlyteDirectoryInputSensor(name=n),
            {"value": directory},
        ),
        Case("input_list", "List[int] input", lambda n: ex.ListInputSensor(name=n), {"value": [1, 2, 3]}),
        Case("input_dict", "Dict[str, int] input", lambda n: ex.DictInputSensor(name=n), {"value": {"a": 1, "b": 2}}),
        Case(
            "input_untyped_dict",
            "untyped dict input",
            lambda n: ex.UntypedDictInputSensor(name=n),
            {"value": {"k": [1, "two", None], "n": 1.5}},
        ),
        Case("input_dataclass", "dataclass input", lambda n: ex.DataclassInputSensor(name=n), {"value": point}),
        Case(
            "all_types",
            "every input type in one poke",
            lambda n: ex.AllTypesSensor(name=n),
            {
                "text": "hello",
                "count": 42,
                "ratio": 0.25,
                "flag": False,
                "at": when,
                "every": every,
                "file": file,
                "directory": directory,
                "numbers": [1, 2, 3],
                "names": ["a", "b"],
                "counts": {"x": 1},
                "point": point,
            },
        ),
    ]


def iso_duration(delta: datetime.timedelta) -> str:
    """The ISO-8601 form java.time.Duration#toString prints, e.g. PT1H30M5.25S."""
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    sign = "-" if micros < 0 else ""
    micros = abs(micros)
    hours, rest = divmod(micros, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, fraction = divmod(rest, 1_000_000)
    text = "PT"
    if hours:
        text += f"{sign}{hours}H"
    if minutes:
        text += f"{sign}{minutes}M"
    if seconds or fraction or text == "PT":
        text += f"{sign}{seconds}" + (f".{fraction:06d}".rstrip("0") if fraction else "") + "S"
    return text


def plain(value: Any) -> Any:
    """A Python input value as the plain JSON value a Java decoder should produce."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.timedelta):
        return iso_duration(value)
    if isinstance(value, (FlyteFile, FlyteDirectory)):
        return value.path
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def type_shape(literal_type: types_pb2.LiteralType) -> str:
    """A short description of an interface variable's LiteralType, e.g. collection<simple:INTEGER>."""
    kind = literal_type.WhichOneof("type")
    if kind == "simple":
        return "simple:" + types_pb2.SimpleType.Name(literal_type.simple)
    if kind == "blob":
        return "blob:" + types_pb2.BlobType.BlobDimensionality.Name(literal_type.blob.dimensionality)
    if kind == "collection_type":
        return f"collection<{type_shape(literal_type.collection_type)}>"
    if kind == "map_value_type":
        return f"map<{type_shape(literal_type.map_value_type)}>"
    return str(kind)


def literal_shape(literal: literals_pb2.Literal) -> str:
    """A short description of a Literal's wire shape, e.g. scalar.primitive.string_value."""
    kind = literal.WhichOneof("value")
    if kind == "scalar":
        scalar = literal.scalar
        inner = scalar.WhichOneof("value")
        if inner == "primitive":
            return "scalar.primitive." + str(scalar.primitive.WhichOneof("value"))
        if inner == "blob":
            dim = types_pb2.BlobType.BlobDimensionality.Name(scalar.blob.metadata.type.dimensionality)
            return f"scalar.blob({dim})"
        if inner == "binary":
            return f"scalar.binary(tag={scalar.binary.tag})"
        return f"scalar.{inner}"
    if kind == "collection":
        items = sorted({literal_shape(lit) for lit in literal.collection.literals})
        return f"collection<{'|'.join(items)}>"
    if kind == "map":
        items = sorted({literal_shape(lit) for lit in literal.map.literals.values()})
        return f"map<{'|'.join(items)}>"
    return str(kind)


class _CapturingContext:
    """The two calls AsyncConnectorService makes on a grpc context when a call fails."""

    def __init__(self) -> None:
        self.code: Any | None = None
        self.details: str | None = None

    def set_code(self, code: Any) -> None:
        self.code = code

    def set_details(self, details: str) -> None:
        self.details = details


def flytekit_create(request: agent_pb2.CreateTaskRequest) -> dict[str, Any]:
    """Runs flytekit's own CreateTask handler on the request and says what it answered."""
    context = _CapturingContext()
    response = asyncio.run(AsyncConnectorService().CreateTask(request, context))
    if context.code is None and response is not None:
        return {"ok": True, "resource_meta": response.resource_meta}
    details = context.details or ""
    # The details carry a traceback with this machine's paths; keep the stable parts.
    message = details.split("Message:", 1)[1].strip() if "Message:" in details else details.strip()
    return {
        "ok": False,
        "code": context.code.name if context.code is not None else None,
        "details_first_line": details.splitlines()[0] if details else "",
        "message": message.rstrip("."),
    }


def _sandbox_paths(value: Any) -> list[str]:
    """Paths under flytekit's local sandbox (``<tmp>/flyte-*``) inside a decoded resource_meta value."""
    prefix = str(Path(tempfile.gettempdir()) / "flyte-")
    if isinstance(value, str):
        return [value] if value.startswith(prefix) else []
    if isinstance(value, dict):
        return [p for v in value.values() for p in _sandbox_paths(v)]
    if isinstance(value, list):
        return [p for v in value for p in _sandbox_paths(v)]
    return []


def write(path: Path, message: Message) -> str:
    path.write_bytes(message.SerializeToString(deterministic=True))
    return path.name


def task_execution_metadata(template: tasks_pb2.TaskTemplate, case: str) -> agent_pb2.TaskExecutionMetadata:
    """Metadata shaped as propeller fills it; the execution name is derived from the case, so it is stable."""
    execution = identifier_pb2.WorkflowExecutionIdentifier(
        project=PROJECT, domain=DOMAIN, name="fx" + hashlib.sha256(case.encode()).hexdigest()[:12]
    )
    return agent_pb2.TaskExecutionMetadata(
        task_execution_id=identifier_pb2.TaskExecutionIdentifier(
            task_id=template.id,
            node_execution_id=identifier_pb2.NodeExecutionIdentifier(node_id="n0", execution_id=execution),
            retry_attempt=0,
        ),
        namespace=f"{PROJECT}-{DOMAIN}",
        k8s_service_account="default",
        max_attempts=1,
    )


def write_case(out: Path, case: Case, settings: SerializationSettings) -> dict[str, Any]:
    """Serializes one case with flytekit, writes its files and returns its manifest."""
    sensor = case.sensor(case.name)
    template = get_serializable(OrderedDict(), settings, sensor).template.to_flyte_idl()
    ctx = FlyteContextManager.current_context()
    inputs = TypeEngine.dict_to_literal_map(ctx, case.inputs, type_hints=sensor.python_interface.inputs)
    inputs_pb = inputs.to_flyte_idl()
    request = agent_pb2.CreateTaskRequest(
        inputs=inputs_pb,
        template=template,
        output_prefix=f"s3://flyte-fixtures/metadata/{case.name}/n0/0",
        task_execution_metadata=task_execution_metadata(template, case.name),
    )

    directory = out / case.name
    directory.mkdir(parents=True)
    files = {
        "template": write(directory / "template.pb", template),
        "inputs": write(directory / "inputs.pb", inputs_pb),
        "create_request": write(directory / "create_request.pb", request),
    }
    created = flytekit_create(request)
    flytekit_answer: dict[str, Any]
    if created["ok"]:
        (directory / "resource_meta.bin").write_bytes(created["resource_meta"])
        files["resource_meta"] = "resource_meta.bin"
        meta = json.loads(created["resource_meta"])
        flytekit_answer = {"ok": True, "resource_meta": meta}
        local = sorted(_sandbox_paths(meta.get("inputs")))
        if local:
            # FlyteFile and FlyteDirectory inputs are stored as the connector's own download path, not the URI.
            flytekit_answer["local_paths_instead_of_uris"] = local
    else:
        flytekit_answer = created

    custom = json_format.MessageToDict(template.custom)
    timeout = template.metadata.timeout if template.metadata.HasField("timeout") else None
    manifest = {
        "case": case.name,
        "description": case.description,
        "files": files,
        "task_id": json_format.MessageToDict(template.id),
        "task_type": template.type,
        "task_type_version": template.task_type_version,
        "custom": custom,
        "sensor_module": custom.get("sensor_module"),
        "sensor_name": custom.get("sensor_name"),
        "sensor_config": custom.get("sensor_config"),
        "timeout_seconds": timeout.seconds + timeout.nanos / 1e9 if timeout is not None else None,
        "interface_inputs": {
            name: type_shape(var.type) for name, var in sorted(template.interface.inputs.variables.items())
        },
        "interface_outputs": sorted(template.interface.outputs.variables),
        "inputs": {name: plain(value) for name, value in sorted(case.inputs.items())},
        "input_literals": {name: literal_shape(lit) for name, lit in sorted(inputs_pb.literals.items())},
        "task_execution_id": json_format.MessageToDict(request.task_execution_metadata.task_execution_id),
        "flytekit_create": flytekit_answer,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def prepare(out: Path) -> None:
    """Empties OUT when it holds an earlier run of this script, and refuses to touch anything else."""
    if out.exists():
        if any(out.iterdir()) and not (out / "index.json").exists():
            raise SystemExit(f"{out} exists and was not written by this script; give an empty or new directory")
        shutil.rmtree(out)
    out.mkdir(parents=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out", nargs="?", default=str(PROJECT_DIR / "target" / "flytekit-fixtures"), help="output directory"
    )
    parser.add_argument(
        "--local-root", default=DEFAULT_LOCAL_ROOT, help="directory of the local paths the file sensors watch"
    )
    args = parser.parse_args(argv)
    # flytekit logs each handled request, and a whole traceback for each failed one; the manifest keeps the gist.
    logging.getLogger("flytekit").setLevel(logging.CRITICAL)

    out = Path(args.out).resolve()
    prepare(out)
    settings = SerializationSettings(
        image_config=ImageConfig.auto_default_image(), project=PROJECT, domain=DOMAIN, version=VERSION
    )
    manifests = [write_case(out, case, settings) for case in cases(args.local_root.rstrip("/"))]
    index = {
        "written_by": "compat/flytekit_fixtures.py",
        "versions": {
            "flytekit": flytekit.__version__,
            "flyteidl": _distribution_version("flyteidl"),
            "protobuf": google.protobuf.__version__,
            "python": ".".join(map(str, sys.version_info[:3])),
        },
        "local_root": args.local_root.rstrip("/"),
        "cases": {m["case"]: m["description"] for m in manifests},
    }
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    return 0


def _distribution_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main())

"""Starts flytekit's own connector (``pyflyte serve connector``) and records what it answers, call by call.

Why: Sensor Engine replaces this connector, so every difference between the two must be known and deliberate.
This probe sends the requests that compat/flytekit_fixtures.py writes with flytekit itself, over gRPC, and
records for each call the status code, the phase and the message flytekit answers, with GetTask latency and the
connector's memory. The parity test that runs in every build is Java, ``dev.sensorengine.flytekit.FlytekitParityTest``
(table: docs/flytekit-parity.md); this probe stays the exploratory tool. ``--target`` probes another connector the
same way, but its scenarios reuse the fixtures' task execution ids, so against Sensor Engine (one sensor per task
execution attempt) several of them land on one sensor; the parity test gives each scenario its own execution.

Run with the tool venv's python: ``$(scripts/tools.sh path python) compat/flytekit_connector_probe.py``.
Without ``--target`` it starts the connector itself on free ports and stops it (by its pid) at the end.
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

COMPAT_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(COMPAT_DIR))

import flytekit_fixtures  # noqa: E402  (needs COMPAT_DIR on sys.path)
import grpc  # noqa: E402
from flyteidl.admin import agent_pb2  # noqa: E402
from flyteidl.core import execution_pb2  # noqa: E402
from grpc_health.v1 import health_pb2, health_pb2_grpc  # noqa: E402

SERVICE = "/flyteidl.service.AsyncAgentService/"
METADATA_SERVICE = "/flyteidl.service.AgentMetadataService/"
CATEGORY = agent_pb2.TaskCategory(name="sensor", version=0)
DEADLINE_S = 10.0  # propeller's default deadline for connector calls


@dataclass
class Answer:
    """One call and what came back."""

    call: str
    code: str
    phase: str | None = None
    message: str = ""
    ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def gist(details: str | None) -> str:
    """The useful part of a status description: flytekit sends a whole traceback, then 'Message:' and the error."""
    if not details:
        return ""
    if "Message:" in details:
        first = details.splitlines()[0].strip()
        return f"{first} {details.split('Message:', 1)[1].strip()}"
    return details.strip()


class Client:
    """flyteidl connector calls over one channel, sending request bytes exactly as given."""

    def __init__(self, target: str):
        self.channel = grpc.insecure_channel(target)

    def _unary(self, path: str, request: bytes, response_type: Any) -> tuple[Any, Answer]:
        call = self.channel.unary_unary(path, request_serializer=None, response_deserializer=response_type.FromString)
        started = time.perf_counter()
        try:
            response = call(request, timeout=DEADLINE_S)
            answer = Answer(call=path.rsplit("/", 1)[1], code="OK")
        except grpc.RpcError as error:
            response = None
            answer = Answer(call=path.rsplit("/", 1)[1], code=error.code().name, message=gist(error.details()))
        answer.ms = round((time.perf_counter() - started) * 1000, 2)
        return response, answer

    def list_agents(self) -> Answer:
        response, answer = self._unary(
            METADATA_SERVICE + "ListAgents",
            agent_pb2.ListAgentsRequest().SerializeToString(),
            agent_pb2.ListAgentsResponse,
        )
        if response is not None:
            answer.extra["agents"] = [
                {
                    "name": a.name,
                    "supported_task_types": list(a.supported_task_types),
                    "supported_task_categories": [
                        {"name": c.name, "version": c.version} for c in a.supported_task_categories
                    ],
                    "is_sync": a.is_sync,
                }
                for a in response.agents
            ]
        return answer

    def get_agent(self, name: str) -> Answer:
        response, answer = self._unary(
            METADATA_SERVICE + "GetAgent",
            agent_pb2.GetAgentRequest(name=name).SerializeToString(),
            agent_pb2.GetAgentResponse,
        )
        if response is not None:
            answer.extra["agent"] = response.agent.name
        return answer

    def create(self, request: bytes) -> tuple[bytes | None, Answer]:
        response, answer = self._unary(SERVICE + "CreateTask", request, agent_pb2.CreateTaskResponse)
        if response is None:
            return None, answer
        answer.extra["resource_meta"] = response.resource_meta.decode("utf-8", "replace")
        return response.resource_meta, answer

    def get(self, meta: bytes, category: bool = True, task_type: bool = True) -> Answer:
        """A GetTask as propeller 1.16 sends it: the category and the deprecated task_type both set."""
        request = agent_pb2.GetTaskRequest(resource_meta=meta)
        if category:
            request.task_category.CopyFrom(CATEGORY)
        if task_type:
            request.task_type = CATEGORY.name
        response, answer = self._unary(SERVICE + "GetTask", request.SerializeToString(), agent_pb2.GetTaskResponse)
        if response is not None:
            resource = response.resource
            answer.phase = execution_pb2.TaskExecution.Phase.Name(resource.phase)
            answer.message = resource.message
            if resource.log_links:
                answer.extra["log_links"] = [link.uri for link in resource.log_links]
            if resource.HasField("custom_info"):
                answer.extra["custom_info"] = json.loads(json.dumps(dict(resource.custom_info)))
        return answer

    def delete(self, meta: bytes) -> Answer:
        request = agent_pb2.DeleteTaskRequest(resource_meta=meta, task_category=CATEGORY, task_type=CATEGORY.name)
        return self._unary(SERVICE + "DeleteTask", request.SerializeToString(), agent_pb2.DeleteTaskResponse)[1]

    def metrics(self, meta: bytes) -> Answer:
        request = agent_pb2.GetTaskMetricsRequest(resource_meta=meta, task_category=CATEGORY, task_type=CATEGORY.name)
        return self._unary(SERVICE + "GetTaskMetrics", request.SerializeToString(), agent_pb2.GetTaskMetricsResponse)[1]

    def logs(self, meta: bytes) -> Answer:
        request = agent_pb2.GetTaskLogsRequest(resource_meta=meta, task_category=CATEGORY, task_type=CATEGORY.name)
        call = self.channel.unary_stream(
            SERVICE + "GetTaskLogs",
            request_serializer=None,
            response_deserializer=agent_pb2.GetTaskLogsResponse.FromString,
        )
        started = time.perf_counter()
        try:
            count = sum(1 for _ in call(request.SerializeToString(), timeout=DEADLINE_S))
            answer = Answer(call="GetTaskLogs", code="OK", extra={"messages": count})
        except grpc.RpcError as error:
            answer = Answer(call="GetTaskLogs", code=error.code().name, message=gist(error.details()))
        answer.ms = round((time.perf_counter() - started) * 1000, 2)
        return answer

    def healthy(self, service: str = "") -> str:
        stub = health_pb2_grpc.HealthStub(self.channel)
        try:
            status = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=DEADLINE_S).status
            return health_pb2.HealthCheckResponse.ServingStatus.Name(status)
        except grpc.RpcError as error:
            return error.code().name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kb(pid: int) -> int:
    """Resident memory of one process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


class Connector:
    """flytekit's connector as a child process of this probe, with the example sensors importable."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.prometheus_port = free_port()
        pyflyte = Path(sys.executable).parent / "pyflyte"
        self.command = [
            str(pyflyte),
            "serve",
            "connector",
            "--port",
            str(self.port),
            "--prometheus_port",
            str(self.prometheus_port),
        ]
        self.log = workdir / "connector.log"
        env = dict(os.environ, PYTHONPATH=str(COMPAT_DIR))
        self.started = time.perf_counter()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(self.command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def wait_ready(self, client: Client, limit_s: float = 120.0) -> float:
        """Seconds from spawn until ListAgents answers; fails with the log when the process dies first."""
        while time.perf_counter() - self.started < limit_s:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"the connector exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}"
                )
            if client.list_agents().code == "OK":
                return round(time.perf_counter() - self.started, 2)
            time.sleep(0.05)
        raise SystemExit(f"the connector did not answer within {limit_s} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 10 s; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class Fixtures:
    """The fixture requests, written by flytekit into a private directory with a local root of our own."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "fixtures"
        self.files = workdir / "files"
        self.files.mkdir()
        flytekit_fixtures.main([str(self.dir), "--local-root", str(self.files)])

    def request(self, case: str) -> bytes:
        return (self.dir / case / "create_request.pb").read_bytes()

    def request_with(self, case: str, change: Callable[[agent_pb2.CreateTaskRequest], None]) -> bytes:
        request = agent_pb2.CreateTaskRequest.FromString(self.request(case))
        change(request)
        return request.SerializeToString()

    @property
    def ready_file(self) -> Path:
        return self.files / "_SUCCESS"


def scenarios(client: Client, fx: Fixtures) -> dict[str, list[Answer]]:
    """The parity cases of issue 12, plus the edges a replacement must also decide."""
    out: dict[str, list[Answer]] = {}

    def create_then_get(case: str, request: bytes | None = None) -> list[Answer]:
        meta, created = client.create(request if request is not None else fx.request(case))
        return [created] + ([client.get(meta)] if meta is not None else [])

    out["discovery"] = [client.list_agents(), client.get_agent("Sensor"), client.get_agent("NoSuchAgent")]

    fx.ready_file.unlink(missing_ok=True)
    meta, created = client.create(fx.request("file_sensor"))
    absent = [created, client.get(meta or b"")]
    fx.ready_file.write_text("ok\n")
    absent.append(client.get(meta or b""))
    out["file_absent_then_appearing"] = absent
    out["file_present"] = create_then_get("file_sensor")
    out["file_present_s3_path"] = create_then_get("file_sensor_s3")

    out["poke_raises"] = create_then_get("failing_sensor")
    out["bad_sensor_config_filesensor"] = create_then_get("file_sensor_bad_config")
    out["poke_config_filesensor"] = create_then_get("file_sensor_poke_config")
    out["custom_sensor_with_config"] = create_then_get("custom_sensor_config")
    out["custom_sensor_without_config"] = create_then_get("custom_sensor_no_config")

    def module(name: str) -> Callable[[agent_pb2.CreateTaskRequest], None]:
        return lambda r: r.template.custom.update({"sensor_module": name})

    def sensor_name(name: str) -> Callable[[agent_pb2.CreateTaskRequest], None]:
        return lambda r: r.template.custom.update({"sensor_name": name})

    out["unknown_sensor_module"] = create_then_get(
        "file_sensor", fx.request_with("file_sensor", module("no_such_module"))
    )
    out["unknown_sensor_name"] = create_then_get(
        "file_sensor", fx.request_with("file_sensor", sensor_name("NoSuchSensor"))
    )
    out["no_inputs"] = create_then_get("no_inputs")
    out["no_inputs_field_absent"] = create_then_get(
        "no_inputs", fx.request_with("no_inputs", lambda r: r.ClearField("inputs"))
    )
    out["missing_input"] = create_then_get(
        "file_sensor", fx.request_with("file_sensor", lambda r: r.ClearField("inputs"))
    )
    out["custom_absent"] = create_then_get(
        "file_sensor", fx.request_with("file_sensor", lambda r: r.template.ClearField("custom"))
    )
    out["template_type_unknown"] = create_then_get(
        "file_sensor", fx.request_with("file_sensor", lambda r: setattr(r.template, "type", "no_such_type"))
    )

    meta, created = client.create(fx.request("file_sensor"))
    good = meta or b""
    out["delete"] = [created, client.delete(good), client.delete(good), client.get(good)]
    out["delete_garbage_meta"] = [client.delete(b"garbage")]
    out["get_routing"] = [
        client.get(good, category=True, task_type=False),
        client.get(good, category=False, task_type=True),
        client.get(good, category=False, task_type=False),
    ]
    out["garbage_resource_meta"] = [
        client.get(b"garbage"),
        client.get(b""),
        client.get(b"{}"),
        client.get(b'{"sensor_module": "flytekit.sensor.file_sensor", "sensor_name": "FileSensor"}'),
        client.get(b"\xff\xfe"),
    ]
    out["logs_and_metrics"] = [client.logs(good), client.metrics(good)]

    for case in [
        "input_str",
        "input_int",
        "input_float",
        "input_bool",
        "input_datetime",
        "input_timedelta",
        "input_flytefile",
        "input_flytedirectory",
        "input_list",
        "input_dict",
        "input_untyped_dict",
        "input_dataclass",
        "all_types",
    ]:
        out[case] = create_then_get(case)
    return out


def load(client: Client, fx: Fixtures, pid: int | None, calls: int) -> dict[str, Any]:
    """GetTask latency for a FileSensor whose file exists, and what the calls do to the connector's memory."""
    fx.ready_file.write_text("ok\n")
    meta, _ = client.create(fx.request("file_sensor"))
    before = rss_kb(pid) if pid else None
    latencies = []
    codes: dict[str, int] = {}
    for _ in range(calls):
        answer = client.get(meta or b"")
        latencies.append(answer.ms)
        codes[answer.code] = codes.get(answer.code, 0) + 1
    latencies.sort()
    return {
        "get_calls": calls,
        "codes": codes,
        "get_ms_p50": statistics.median(latencies),
        "get_ms_p99": latencies[int(len(latencies) * 0.99) - 1],
        "rss_kb_before": before,
        "rss_kb_after": rss_kb(pid) if pid else None,
    }


def print_table(report: dict[str, Any]) -> None:
    for name, answers in report["scenarios"].items():
        for a in answers:
            phase = a["phase"] or "-"
            print(f"{name:32} {a['call']:14} {a['code']:18} {phase:18} {a['message'][:150]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="probe a connector already running at host:port instead of starting one")
    parser.add_argument("--json", help="write the full report to this file")
    parser.add_argument("--load-calls", type=int, default=2000, help="GetTask calls of the latency and memory run")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="flytekit-probe-") as tmp:
        workdir = Path(tmp)
        fixtures = Fixtures(workdir)
        connector = None if args.target else Connector(workdir)
        target = connector.target if connector is not None else args.target
        report: dict[str, Any] = {"target": target}
        try:
            client = Client(target)
            pid = None
            if connector is not None:
                report["command"] = " ".join(connector.command)
                report["startup_s"] = connector.wait_ready(client)
                pid = connector.process.pid
                time.sleep(1.0)
                report["rss_kb_idle"] = rss_kb(pid)
                report["children"] = children(pid)
            report["health"] = {s: client.healthy(s) for s in ["", "flyteidl.service.AsyncAgentService"]}
            results = scenarios(client, fixtures)
            report["scenarios"] = {name: [asdict(a) for a in answers] for name, answers in results.items()}
            report["load"] = load(client, fixtures, pid, args.load_calls)
            if pid is not None:
                report["children_after"] = children(pid)
        finally:
            if connector is not None:
                report["exit_code_on_sigterm"] = connector.stop()
                report["log_tail"] = connector.log.read_text()[-2000:]
    print_table(report)
    print(json.dumps({k: v for k, v in report.items() if k not in ("scenarios", "log_tail")}, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

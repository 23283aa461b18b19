"""The worker's options: the Java ``serve`` names where both have the option, each settable from the environment.

Every option reads ``SENSOR_ENGINE_<NAME>`` as its default, as ``serve`` does, so the service and the worker
share one configuration for what they share (Temporal target, namespace, TLS, API key, log format). The two
options that must differ between them read ``SENSOR_ENGINE_PYTHON_<NAME>`` instead: the task queue (the same
variable the service's ``--python-task-queue`` reads, so both always agree) and the metrics port (two processes
in one pod cannot share it). A flag on the command line wins over the environment.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sensor_engine_worker.times import NANOS_PER_SECOND, parse_duration_nanos

DEFAULT_TASK_QUEUE = "flyte-sensors-python"
# The Java service's embedded Temporal server listens here by default (--embedded-temporal-port 7233).
EMBEDDED_TARGET = "127.0.0.1:7233"

_SHARED = "SENSOR_ENGINE_"
_OWN = "SENSOR_ENGINE_PYTHON_"
_TEXT_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class WorkerOptions:
    temporal_target: str
    namespace: str
    task_queue: str
    temporal_tls: bool
    temporal_tls_ca: Path | None
    temporal_tls_cert: Path | None
    temporal_tls_key: Path | None
    temporal_tls_server_name: str | None
    temporal_api_key: str | None
    metrics_port: int
    max_concurrent_pokes: int
    poke_timeout: timedelta
    shutdown_grace: timedelta
    log_format: str
    log_level: str

    @property
    def uses_tls(self) -> bool:
        # As on the Java side: a CA, a client certificate or an API key turns TLS on.
        return bool(self.temporal_tls or self.temporal_tls_ca or self.temporal_tls_cert or self.temporal_api_key)


def parse_duration(text: str) -> timedelta:
    """``serve``'s duration forms: seconds as a number, ``500ms``, ``30s``, ``5m``, ``2h``, ``7d``, or ISO-8601."""
    value = text.strip()
    try:
        return timedelta(seconds=float(value))
    except ValueError:
        pass
    match = _TEXT_DURATION.fullmatch(value)
    if match:
        return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])
    try:
        return timedelta(microseconds=parse_duration_nanos(value) // (NANOS_PER_SECOND // 1_000_000))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration (e.g. 30s, 5m, PT30S): {text!r}") from None


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port: {value}")
    return value


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    def env(name: str, default: str | None, *, own: bool = False) -> str | None:
        value = environ.get((_OWN if own else _SHARED) + name.upper().replace("-", "_"))
        return value if value not in (None, "") else default

    p = argparse.ArgumentParser(
        prog="sensor-engine-worker",
        description="Run the poke activity of Sensor Engine's Python sensors: a Temporal worker that builds each "
        "flytekit BaseSensor named by a sensor workflow and awaits its poke. Every option can also be set with "
        "an environment variable SENSOR_ENGINE_<NAME>; --task-queue and --metrics-port read "
        "SENSOR_ENGINE_PYTHON_<NAME>.",
    )
    p.add_argument("--temporal-target", metavar="HOST:PORT", default=env("temporal-target", EMBEDDED_TARGET),
                   help="Temporal frontend; 'embedded' means the Java service's embedded server at "
                   f"{EMBEDDED_TARGET} (default: %(default)s)")  # fmt: skip
    p.add_argument("--namespace", default=env("namespace", "default"), help="Temporal namespace (default: %(default)s)")
    p.add_argument("--task-queue", default=env("task-queue", DEFAULT_TASK_QUEUE, own=True),
                   help="task queue of the Python pokes; env SENSOR_ENGINE_PYTHON_TASK_QUEUE, the variable the "
                   "service's --python-task-queue reads (default: %(default)s)")  # fmt: skip
    p.add_argument("--temporal-tls", action="store_true", default=_flag(env("temporal-tls", "false") or ""),
                   help="reach Temporal over TLS trusting the system's CAs")  # fmt: skip
    p.add_argument("--temporal-tls-ca", type=Path, metavar="FILE", default=env("temporal-tls-ca", None),
                   help="PEM CA certificates Temporal's certificate must chain to; turns TLS on")  # fmt: skip
    p.add_argument("--temporal-tls-cert", type=Path, metavar="FILE", default=env("temporal-tls-cert", None),
                   help="PEM client certificate for Temporal (mTLS)")  # fmt: skip
    p.add_argument("--temporal-tls-key", type=Path, metavar="FILE", default=env("temporal-tls-key", None),
                   help="PEM private key of --temporal-tls-cert")  # fmt: skip
    p.add_argument("--temporal-tls-server-name", metavar="NAME", default=env("temporal-tls-server-name", None),
                   help="server name to verify in the certificate of Temporal, if not the target host")  # fmt: skip
    p.add_argument("--temporal-api-key", metavar="KEY", default=env("temporal-api-key", None),
                   help="API key for Temporal Cloud; turns TLS on. Prefer SENSOR_ENGINE_TEMPORAL_API_KEY "
                   "or --temporal-api-key-file")  # fmt: skip
    p.add_argument("--temporal-api-key-file", type=Path, metavar="FILE", default=env("temporal-api-key-file", None),
                   help="file holding the API key (a mounted secret); turns TLS on")  # fmt: skip
    p.add_argument("--metrics-port", type=_port, metavar="PORT", default=env("metrics-port", "9091", own=True),
                   help="port of Prometheus /metrics, 0 turns it off; env SENSOR_ENGINE_PYTHON_METRICS_PORT "
                   "(default: %(default)s, beside the service's 9090)")  # fmt: skip
    p.add_argument("--max-concurrent-pokes", type=_positive_int, metavar="N",
                   default=env("max-concurrent-pokes", "32"),
                   help="pokes run at once, each on a thread of its own (default: %(default)s)")  # fmt: skip
    p.add_argument("--poke-timeout", type=parse_duration, metavar="DURATION", default=env("poke-timeout", "50s"),
                   help="longest one poke may take before it counts as a poke error; kept inside the activity's "
                   "start-to-close timeout (default: %(default)s)")  # fmt: skip
    p.add_argument("--shutdown-grace", type=parse_duration, metavar="DURATION",
                   default=env("shutdown-grace", "20s"),
                   help="on SIGTERM, how long pokes in flight may take to finish (default: %(default)s)")  # fmt: skip
    p.add_argument("--log-format", choices=("text", "json"), default=env("log-format", "text"),
                   help="text, or json for one JSON object per line (default: %(default)s)")  # fmt: skip
    p.add_argument("--log-level", default=env("log-level", "INFO"), help="(default: %(default)s)")
    return p


def parse(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> WorkerOptions:
    p = parser(os.environ if environ is None else environ)
    args = p.parse_args(list(argv))
    if (args.temporal_tls_cert is None) != (args.temporal_tls_key is None):
        p.error("--temporal-tls-cert and --temporal-tls-key go together")
    if args.temporal_api_key and args.temporal_api_key_file:
        p.error("give --temporal-api-key or --temporal-api-key-file, not both")
    api_key = args.temporal_api_key
    if args.temporal_api_key_file is not None:
        try:
            api_key = args.temporal_api_key_file.read_text(encoding="utf-8").strip()
        except OSError as e:
            p.error(f"--temporal-api-key-file: {e}")
    if not api_key:
        api_key = None
    target = args.temporal_target.strip()
    return WorkerOptions(
        temporal_target=EMBEDDED_TARGET if target == "embedded" else target,
        namespace=args.namespace,
        task_queue=args.task_queue,
        temporal_tls=args.temporal_tls,
        temporal_tls_ca=args.temporal_tls_ca,
        temporal_tls_cert=args.temporal_tls_cert,
        temporal_tls_key=args.temporal_tls_key,
        temporal_tls_server_name=args.temporal_tls_server_name,
        temporal_api_key=api_key,
        metrics_port=args.metrics_port,
        max_concurrent_pokes=args.max_concurrent_pokes,
        poke_timeout=args.poke_timeout,
        shutdown_grace=args.shutdown_grace,
        log_format=args.log_format,
        log_level=args.log_level,
    )

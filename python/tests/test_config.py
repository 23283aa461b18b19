from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sensor_engine_worker.config import EMBEDDED_TARGET, parse, parse_duration


def test_defaults() -> None:
    options = parse([], {})
    assert options.temporal_target == EMBEDDED_TARGET
    assert options.namespace == "default"
    assert options.task_queue == "flyte-sensors-python"
    assert options.metrics_port == 9091
    assert options.max_concurrent_pokes == 32
    assert options.poke_timeout == timedelta(seconds=50)
    assert options.shutdown_grace == timedelta(seconds=20)
    assert not options.uses_tls


def test_shared_settings_come_from_the_services_variables_and_flags_win() -> None:
    env = {"SENSOR_ENGINE_TEMPORAL_TARGET": "temporal:7233", "SENSOR_ENGINE_NAMESPACE": "sensors"}
    assert parse([], env).temporal_target == "temporal:7233"
    assert parse([], env).namespace == "sensors"
    assert parse(["--namespace", "other"], env).namespace == "other"


def test_the_task_queue_never_takes_the_java_workers_queue_from_the_environment() -> None:
    # SENSOR_ENGINE_TASK_QUEUE is the service's own queue; a shared environment must not point pokes at it.
    env = {"SENSOR_ENGINE_TASK_QUEUE": "flyte-sensors", "SENSOR_ENGINE_METRICS_PORT": "9090"}
    options = parse([], env)
    assert options.task_queue == "flyte-sensors-python"
    assert options.metrics_port == 9091
    own = {"SENSOR_ENGINE_PYTHON_TASK_QUEUE": "py", "SENSOR_ENGINE_PYTHON_METRICS_PORT": "0"}
    assert (parse([], own).task_queue, parse([], own).metrics_port) == ("py", 0)


def test_embedded_means_the_services_embedded_server() -> None:
    assert parse(["--temporal-target", "embedded"], {}).temporal_target == "127.0.0.1:7233"


def test_the_api_key_comes_from_a_file_and_turns_tls_on(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("secret-key\n")
    options = parse(["--temporal-api-key-file", str(key)], {})
    assert options.temporal_api_key == "secret-key"
    assert options.uses_tls
    assert parse([], {"SENSOR_ENGINE_TEMPORAL_API_KEY": "k"}).uses_tls


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--temporal-tls-cert", "c.pem"], "go together"),
        (["--temporal-api-key", "k", "--temporal-api-key-file", "f"], "not both"),
        (["--max-concurrent-pokes", "0"], "at least 1"),
        (["--poke-timeout", "soon"], "not a duration"),
        (["--metrics-port", "70000"], "not a port"),
    ],
)
def test_bad_options_are_refused_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse(argv, {})
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30", 30), ("1.5", 1.5), ("500ms", 0.5), ("30s", 30), ("5m", 300), ("2h", 7200), ("7d", 604800), ("PT1M30S", 90)],
)
def test_durations_read_as_serve_reads_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


def test_tls_flag_and_ca_from_the_environment() -> None:
    env = {"SENSOR_ENGINE_TEMPORAL_TLS": "true", "SENSOR_ENGINE_TEMPORAL_TLS_CA": "/etc/ca.pem"}
    options = parse([], env)
    assert options.temporal_tls
    assert options.temporal_tls_ca == Path("/etc/ca.pem")

"""The worker process with no Temporal to reach, and the test suite when there is no Temporal CLI."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from devserver import eventually, free_port, require_cli
from harness import WorkerProcess


async def test_waits_for_temporal_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    worker = WorkerProcess(f"127.0.0.1:{free_port()}", "q", tmp_path / "worker.log", 0).start()
    try:

        async def complained() -> bool:
            return "cannot reach Temporal at" in worker.log_text()

        await eventually(complained, "the worker to say it cannot reach Temporal")
        worker.signal(signal.SIGTERM)
        assert worker.process is not None
        assert worker.process.wait(timeout=10) == 0
    finally:
        worker.stop()


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_without_a_temporal_cli_integration_tests_skip_but_fail_under_ci(
    ci: str, outcome: type[BaseException], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SENSOR_ENGINE_TEMPORAL_CLI", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no Temporal CLI found"):
        require_cli()

"""The worker process on its own, with no Temporal to reach: it waits for one, and a SIGTERM still stops it."""

from __future__ import annotations

import signal
from pathlib import Path

from devserver import eventually, free_port
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

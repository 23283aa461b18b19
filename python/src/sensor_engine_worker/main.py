"""``sensor-engine-worker``: connects to Temporal, serves the Poke activity on the Python task queue, and on
SIGTERM or SIGINT stops taking pokes and drains the ones in flight for up to ``--shutdown-grace``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence

from prometheus_client import CollectorRegistry
from temporalio.client import Client
from temporalio.service import TLSConfig
from temporalio.worker import Worker

from sensor_engine_worker import config, logs
from sensor_engine_worker.activity import PokeActivity, Poker
from sensor_engine_worker.metrics import PokeMetrics
from sensor_engine_worker.pool import PokePool

log = logging.getLogger("sensor_engine_worker")

# Between attempts to reach Temporal at start: a worker started before its server (compose, a pod restart)
# waits for it rather than crash-looping.
_CONNECT_RETRY_SECONDS = (1, 2, 5, 10)


def main(argv: Sequence[str] | None = None) -> int:
    options = config.parse(sys.argv[1:] if argv is None else argv)
    logs.configure(options.log_format, options.log_level)
    try:
        return asyncio.run(serve(options))
    except KeyboardInterrupt:
        return 130


async def serve(options: config.WorkerOptions) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    metrics = PokeMetrics(CollectorRegistry())
    if options.metrics_port:
        port = metrics.serve(options.metrics_port)
        log.info("metrics on :%d/metrics", port)
    client = await _connect(options, stop)
    if client is None:
        return 0
    pool = PokePool(options.max_concurrent_pokes)
    metrics.watch_threads(lambda: pool.busy)
    poker = Poker(pool, metrics, options.poke_timeout)
    worker = Worker(
        client,
        task_queue=options.task_queue,
        activities=[PokeActivity(poker).poke],
        # One activity slot per poke thread: the server hands this worker no more pokes than it can run, and
        # the rest wait on the queue for another worker.
        max_concurrent_activities=options.max_concurrent_pokes,
        graceful_shutdown_timeout=options.shutdown_grace,
    )
    running = asyncio.create_task(worker.run())
    log.info(
        "polling task queue %s in namespace %s at %s with %d poke threads, poke timeout %ss",
        options.task_queue,
        options.namespace,
        options.temporal_target,
        options.max_concurrent_pokes,
        f"{options.poke_timeout.total_seconds():g}",
    )
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if running.done():
        stopping.cancel()
        pool.close()
        # The worker ended by itself: a fatal error (the SDK logged it), reported as such.
        return 0 if running.exception() is None else 1
    log.info(
        "stopping: no new pokes; draining %d in flight for up to %ss",
        pool.busy,
        f"{options.shutdown_grace.total_seconds():g}",
    )
    await worker.shutdown()
    await running
    pool.close()
    log.info("stopped")
    return 0


async def _connect(options: config.WorkerOptions, stop: asyncio.Event) -> Client | None:
    """A client, retrying until Temporal answers; None when told to stop first."""
    attempt = 0
    while True:
        try:
            return await Client.connect(
                options.temporal_target,
                namespace=options.namespace,
                tls=_tls(options),
                api_key=options.temporal_api_key,
            )
        except Exception as e:
            wait = _CONNECT_RETRY_SECONDS[min(attempt, len(_CONNECT_RETRY_SECONDS) - 1)]
            attempt += 1
            log.warning("cannot reach Temporal at %s (%s); trying again in %ds", options.temporal_target, e, wait)
            try:
                await asyncio.wait_for(stop.wait(), wait)
                return None
            except asyncio.TimeoutError:
                continue


def _tls(options: config.WorkerOptions) -> TLSConfig | bool:
    if not options.uses_tls:
        return False
    if not (options.temporal_tls_ca or options.temporal_tls_cert or options.temporal_tls_server_name):
        return True
    return TLSConfig(
        server_root_ca_cert=options.temporal_tls_ca.read_bytes() if options.temporal_tls_ca else None,
        domain=options.temporal_tls_server_name,
        client_cert=options.temporal_tls_cert.read_bytes() if options.temporal_tls_cert else None,
        client_private_key=options.temporal_tls_key.read_bytes() if options.temporal_tls_key else None,
    )


def run() -> None:
    """The console script: :func:`main`, then an exit that skips the interpreter's finalization.

    The Temporal SDK's native threads outlive ``asyncio.run`` and may still call into Python while the interpreter
    finalizes, which aborts the process (SIGABRT, "PyGILState_Release") instead of exiting 0: seen when SIGTERM came
    before the first connection to Temporal. Everything the worker owns is closed by then; only logs need flushing.
    """
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()

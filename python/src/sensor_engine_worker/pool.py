"""Threads that run pokes, each on an event loop of its own.

Why threads, when ``poke`` is ``async def``: an async signature promises nothing. flytekit's own FileSensor
calls a blocking ``fs.exists`` for local paths, and sensor authors call blocking clients inside ``async def``
all the time. On the worker's event loop one such poke would stall every other poke and the Temporal SDK's own
work. Here a poke can only block its own thread.

Why a loop per thread that lives as long as the thread: fsspec and the cloud SDKs cache async clients per
event loop; a fresh loop per poke (``asyncio.run``) would strand those caches on closed loops.

Why daemon threads: a thread cannot be killed, so a poke that ignores cancellation keeps its thread until it
returns. Daemon threads let the process exit anyway once it has drained what can be drained.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass
class _Job(Generic[T]):
    make: Callable[[], Coroutine[Any, Any, T]]
    future: concurrent.futures.Future[T] = field(default_factory=concurrent.futures.Future)
    # Set by the thread that runs the job, under the pool's lock, so cancel() can reach the running task.
    loop: asyncio.AbstractEventLoop | None = None
    task: asyncio.Task[T] | None = None
    cancelled: bool = False


class PokeHandle(Generic[T]):
    """A submitted poke: its future, and a way to cancel it wherever it is."""

    def __init__(self, job: _Job[T], lock: threading.Lock) -> None:
        self._job = job
        self._lock = lock

    @property
    def future(self) -> concurrent.futures.Future[T]:
        return self._job.future

    @property
    def started(self) -> bool:
        """Whether a thread took the poke up (else it still waits in the queue for one)."""
        with self._lock:
            return self._job.task is not None

    def cancel(self) -> None:
        """Cancels the poke's task on its thread's loop (a poke that awaits stops at its next await)."""
        with self._lock:
            self._job.cancelled = True
            loop, task = self._job.loop, self._job.task
        self._job.future.cancel()
        if loop is not None and task is not None:
            loop.call_soon_threadsafe(task.cancel)


class PokePool:
    def __init__(self, size: int, name: str = "poke") -> None:
        if size < 1:
            raise ValueError(f"a poke pool needs at least one thread, got {size}")
        self._queue: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._busy = 0
        self._threads = [threading.Thread(target=self._serve, name=f"{name}-{i}", daemon=True) for i in range(size)]
        for thread in self._threads:
            thread.start()

    @property
    def size(self) -> int:
        return len(self._threads)

    @property
    def busy(self) -> int:
        """Threads running a poke now, including pokes whose caller gave up on them."""
        with self._lock:
            return self._busy

    def submit(self, make: Callable[[], Coroutine[Any, Any, T]]) -> PokeHandle[T]:
        """Runs ``make()`` on the next free thread's loop; the coroutine is created there, not here."""
        job: _Job[T] = _Job(make)
        self._queue.put(job)
        return PokeHandle(job, self._lock)

    def close(self) -> None:
        """Lets every thread finish its current poke and stop; does not wait for them."""
        for _ in self._threads:
            self._queue.put(None)

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            while (job := self._queue.get()) is not None:
                self._run(loop, job)
        finally:
            loop.close()

    def _run(self, loop: asyncio.AbstractEventLoop, job: _Job[Any]) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        with self._lock:
            if job.cancelled:
                job.future.set_exception(concurrent.futures.CancelledError())
                return
            self._busy += 1
            job.loop = loop
            job.task = loop.create_task(job.make())
        try:
            result = loop.run_until_complete(job.task)
        except BaseException as e:
            if not job.future.done():
                job.future.set_exception(e)
        else:
            if not job.future.done():
                job.future.set_result(result)
        finally:
            with self._lock:
                self._busy -= 1
            _cancel_leftovers(loop)


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancels tasks a poke started and left running, so they cannot pile up on a loop that lives on."""
    leftovers = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from sensor_engine_worker.pool import PokePool


@pytest.fixture
def pool() -> Iterator[PokePool]:
    made = PokePool(2, name="test-poke")
    yield made
    made.close()


async def test_a_blocked_thread_does_not_hold_up_the_next_poke(pool: PokePool) -> None:
    gate = threading.Event()

    async def blocks() -> str:
        gate.wait(10)  # a blocking call inside async code, as careless sensors make
        return "blocked"

    async def quick() -> str:
        return "quick"

    stuck = pool.submit(blocks)
    try:
        assert await asyncio.wait_for(asyncio.wrap_future(pool.submit(quick).future), 5) == "quick"
        assert not stuck.future.done()
        # The quick poke's thread counts itself free just after its future resolves.
        await _until(lambda: pool.busy == 1)
    finally:
        gate.set()
    assert await asyncio.wait_for(asyncio.wrap_future(stuck.future), 5) == "blocked"


async def test_cancel_stops_a_poke_at_its_next_await(pool: PokePool) -> None:
    started = threading.Event()

    async def sleeps() -> str:
        started.set()
        await asyncio.sleep(30)
        return "slept"

    handle = pool.submit(sleeps)
    assert await asyncio.to_thread(started.wait, 5)
    begun = time.monotonic()
    handle.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(asyncio.wrap_future(handle.future), 5)
    assert time.monotonic() - begun < 2
    await _until(lambda: pool.busy == 0)


async def test_each_thread_keeps_its_loop_from_poke_to_poke() -> None:
    single = PokePool(1)
    try:

        async def loop_id() -> int:
            return id(asyncio.get_running_loop())

        first = await asyncio.wrap_future(single.submit(loop_id).future)
        second = await asyncio.wrap_future(single.submit(loop_id).future)
        assert first == second != id(asyncio.get_running_loop())
    finally:
        single.close()


async def test_tasks_a_poke_leaves_behind_are_cancelled(pool: PokePool) -> None:
    left: list[asyncio.Task[None]] = []

    async def leaves_a_task() -> None:
        left.append(asyncio.get_running_loop().create_task(asyncio.sleep(30)))

    await asyncio.wrap_future(pool.submit(leaves_a_task).future)
    await _until(lambda: left[0].done())
    assert left[0].cancelled()


async def test_an_exception_reaches_the_caller(pool: PokePool) -> None:
    async def fails() -> None:
        raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        await asyncio.wrap_future(pool.submit(fails).future)


def test_a_pool_needs_a_thread() -> None:
    with pytest.raises(ValueError, match="at least one thread"):
        PokePool(0)


async def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "condition not met within 5s"
        await asyncio.sleep(0.01)

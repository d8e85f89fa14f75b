"""The client's concurrency slots (``client.Slots``): a bound, arrival order, and no slot
lost or doubled when a waiter is cancelled, before or after a slot was handed to it."""

from __future__ import annotations

import asyncio

import pytest
from aioresponses import aioresponses

from mautic_async import BasicAuth, MauticClient
from mautic_async.client import Slots

from .conftest import BASE, GROUPS, PASSWORD, group_json


async def test_no_more_than_size_hold_a_slot_at_once() -> None:
    slots = Slots(3)
    holding = peak = 0

    async def hold() -> None:
        nonlocal holding, peak
        await slots.acquire()
        holding += 1
        peak = max(peak, holding)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        holding -= 1
        slots.release()

    await asyncio.gather(*(hold() for _ in range(20)))
    assert peak == 3
    assert slots.free == 3
    assert not slots.waiters


async def test_waiters_get_slots_in_arrival_order_and_newcomers_do_not_overtake() -> None:
    slots = Slots(1)
    await slots.acquire()
    order: list[int] = []

    async def wait(n: int) -> None:
        await slots.acquire()
        order.append(n)
        slots.release()

    tasks = [asyncio.create_task(wait(n)) for n in range(5)]
    await asyncio.sleep(0)  # all five queue
    slots.release()  # handed to waiter 0, not back to the pool
    assert slots.free == 0
    late = asyncio.create_task(wait(99))  # arrives while others still queue
    await asyncio.gather(*tasks, late)
    assert order == [0, 1, 2, 3, 4, 99]
    assert slots.free == 1
    assert not slots.waiters


async def test_a_cancelled_waiter_takes_no_slot() -> None:
    slots = Slots(1)
    await slots.acquire()
    cancelled = asyncio.create_task(slots.acquire())
    after = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    slots.release()
    await asyncio.wait_for(after, 1)  # the slot went past the cancelled waiter
    slots.release()
    assert slots.free == 1
    assert not slots.waiters


async def test_a_waiter_cancelled_after_release_already_dropped_it() -> None:
    slots = Slots(1)
    await slots.acquire()
    waiter = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0)
    waiter.cancel()  # its future is cancelled now; the task has not run yet
    slots.release()  # drops the cancelled waiter and returns the slot to the pool
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert slots.free == 1
    assert not slots.waiters


async def test_a_slot_handed_to_a_waiter_being_cancelled_is_passed_on() -> None:
    slots = Slots(1)
    await slots.acquire()
    first = asyncio.create_task(slots.acquire())
    second = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0)
    slots.release()  # hands the slot to `first`...
    first.cancel()  # ...which is cancelled before it can run
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, 1)  # so the slot went on to `second`
    slots.release()
    assert slots.free == 1
    assert not slots.waiters


async def test_the_client_holds_no_more_than_max_concurrency_requests(
    mock_http: aioresponses,
) -> None:
    in_flight = peak = 0

    async def answer(url: object, **kwargs: object) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1

    mock_http.get(f"{GROUPS}/1", payload={"pointGroup": group_json()}, callback=answer, repeat=True)
    async with MauticClient(BASE, auth=BasicAuth("admin", PASSWORD), max_concurrency=4) as m:
        groups = await asyncio.gather(*(m.point_groups.get(1) for _ in range(30)))
        slots = m._shared._slots
    assert len(groups) == 30
    assert peak == 4
    assert slots is not None
    assert slots.free == 4
    assert not slots.waiters

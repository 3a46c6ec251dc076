"""Stream slots: taken when a stream opens, given back when it ends (`core.streams`)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from django.core.cache import cache, caches
from django.test import RequestFactory

from daihoi.core import streams


def test_slots_given_back_on_an_event_loop_are_counted_down_together_off_the_loop(
    settings: Any, monkeypatch: Any
) -> None:
    """Ten screens closing at once: one count-down per key, on a worker thread (the cache
    may be Redis: no network call blocks the loop), and their places are free again."""
    settings.DAIHOI_STREAMS_PER_USER = 10
    cache.clear()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    slots = [streams.stream_open(request, user_id=7, kind="projector") for _ in range(10)]
    assert all(isinstance(s, streams.StreamSlot) for s in slots)
    refused = streams.stream_open(request, user_id=7, kind="projector")
    assert isinstance(refused, streams.StreamRefused) and refused.code == "too_many_streams_user"
    calls: list[tuple[str, int, bool]] = []
    backend = type(caches["default"])  # every thread's instance of the cache
    decr = backend.decr

    def recording(self: Any, key: str, delta: int = 1, version: Any = None) -> int:
        calls.append((key, delta, threading.current_thread() is threading.main_thread()))
        return decr(self, key, delta, version)

    monkeypatch.setattr(backend, "decr", recording)

    async def scenario() -> None:
        for slot in slots:
            assert isinstance(slot, streams.StreamSlot)
            streams.release_soon(slot)
            streams.release_soon(slot)  # twice: counted once
        assert calls == []  # nothing on the loop itself
        await streams.released()

    asyncio.run(scenario())
    assert sorted(calls) == [
        ("daihoi:streams:projector:a:192.0.2.7", 10, False),
        ("daihoi:streams:projector:u:7", 10, False),
    ]
    again = streams.stream_open(request, user_id=7, kind="projector")
    assert isinstance(again, streams.StreamSlot)  # the places are free again
    again.release()

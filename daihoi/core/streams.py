"""Open live streams per user and per address: a counter every worker shares.

A stream takes a slot when it opens and gives it back when it ends (the client went away,
or the stream's hour is up). The counter lives in the cache (Redis in production, so all
workers count together; per process otherwise). A slot expires on its own after the
longest a stream lives, so a worker that dies holding slots does not lock anyone out for
longer than that. Limits: `DAIHOI_STREAMS_PER_USER`, `DAIHOI_STREAMS_PER_ADDRESS`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from daihoi.core.ratelimit import client_address

SLOT_SECONDS = 3600 + 120  # a stream lives an hour at most; a lost slot expires after


def _limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "DAIHOI_STREAMS_PER_USER", 4)),
        int(getattr(settings, "DAIHOI_STREAMS_PER_ADDRESS", 40)),
    )


@dataclass
class StreamSlot:
    """One open stream's place in the counts of its user and its address."""

    keys: tuple[str, ...]
    released: bool = field(default=False)

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        for key in self.keys:
            with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
                cache.decr(key)


RELEASE_SECONDS = 0.05  # slots given back on an event loop are counted down together


_owed: dict[asyncio.AbstractEventLoop, collections.Counter[str]] = {}
_flushes: set[asyncio.Future[None]] = set()


def release_soon(slot: StreamSlot) -> None:
    """Give a slot back from an event loop without a cache call on it (the cache may be
    Redis, across the network): the slots given back within `RELEASE_SECONDS` are counted
    down together, on a worker thread."""
    if slot.released:
        return
    slot.released = True
    loop = asyncio.get_running_loop()
    owed = _owed.setdefault(loop, collections.Counter())
    if not owed:
        loop.call_later(RELEASE_SECONDS, _flush, loop)
    owed.update(slot.keys)


def _flush(loop: asyncio.AbstractEventLoop) -> None:
    owed = _owed.pop(loop, None)
    if owed:
        flush = asyncio.ensure_future(asyncio.to_thread(_count_down, dict(owed)))
        _flushes.add(flush)
        flush.add_done_callback(_flushes.discard)


async def released() -> None:
    """Wait until every slot given back on this event loop is counted down."""
    loop = asyncio.get_running_loop()
    if loop in _owed:
        _flush(loop)
    if _flushes:
        await asyncio.gather(*_flushes)


def _count_down(owed: dict[str, int]) -> None:
    for key, n in owed.items():
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            cache.decr(key, n)


def _take(key: str) -> int:
    cache.add(key, 0, timeout=SLOT_SECONDS)
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=SLOT_SECONDS)
        count = 1
    cache.touch(key, SLOT_SECONDS)
    return count


@dataclass(frozen=True)
class StreamRefused:
    code: str
    message: str

    def response(self) -> HttpResponse:
        """429 in the API's refusal shape: `{"detail": [{"field", "code", "message"}]}`."""
        body = {"detail": [{"field": None, "code": self.code, "message": self.message}]}
        response = HttpResponse(
            json.dumps(body), status=429, content_type="application/json; charset=utf-8"
        )
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


def stream_open(request: HttpRequest, *, user_id: int, kind: str) -> StreamSlot | StreamRefused:
    """Take a slot for one more stream of `kind`, or say why not (too many already open)."""
    per_user, per_address = _limits()
    user_key = f"daihoi:streams:{kind}:u:{user_id}"
    address_key = f"daihoi:streams:{kind}:a:{client_address(request)}"
    taken: list[str] = []
    refused: StreamRefused | None = None
    for key, limit, code, message in (
        (
            user_key,
            per_user,
            "too_many_streams_user",
            _(
                "This account already has %(n)s live screens open. Close one (or wait a "
                "minute after closing it) and reload."
            )
            % {"n": per_user},
        ),
        (
            address_key,
            per_address,
            "too_many_streams_address",
            _(
                "Too many live screens are open from this network address (%(n)s). Close "
                "one and reload."
            )
            % {"n": per_address},
        ),
    ):
        taken.append(key)
        if _take(key) > limit:
            refused = StreamRefused(code=code, message=message)
            break
    if refused is not None:
        StreamSlot(keys=tuple(taken)).release()
        return refused
    return StreamSlot(keys=tuple(taken))

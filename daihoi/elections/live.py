"""Server-sent events for projector screens, without a message broker.

Two transports share the events and the rendering. Under an ASGI server (production:
uvicorn) a stream is an async generator (`astream`, served by `live_asgi`): it holds no
thread and no database connection while it waits; one listener per process wakes every
stream, by PostgreSQL `LISTEN`/`NOTIFY` (psycopg 3, async) or, on SQLite, by a short async
poll. Under the development server (WSGI) each stream is a generator on a server thread
(`stream`), woken by one watcher thread per process that polls for new `LiveEvent` rows a
few times a second. Either way streams do not query the database while they wait, and the
panel sent after an event is rendered once per congress, event and language and shared by
every screen of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Hashable, Iterator
from typing import Any, TypeVar

import psycopg
from asgiref.sync import sync_to_async
from django.db import connection

from daihoi.elections import queries

T = TypeVar("T")
log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
KEEPALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 2000  # how soon a screen's EventSource reconnects after a drop
MAX_STREAM_SECONDS = 3600.0  # the browser reconnects with Last-Event-ID

EventRow = tuple[int, int, str]  # (event id, congress id, kind)


def release_connection() -> None:
    """Give the database connection back while a stream waits (never inside a transaction)."""
    if not connection.in_atomic_block:
        connection.close()


class LiveHub:
    """The newest event per congress seen by this process, and a condition to wait on."""

    def __init__(self, source: Callable[[int], list[EventRow]] = queries.live_events_since) -> None:
        self._source = source
        self._cond = threading.Condition()
        self._latest = -1
        self._by_congress: dict[int, tuple[int, str]] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="live-hub", daemon=True)
                self._thread.start()

    def _watch(self) -> None:
        while True:
            try:
                self.publish(self._source(self._latest))
            except Exception:  # a dropped connection must not end the watcher
                time.sleep(1)
            finally:
                connection.close()
            time.sleep(POLL_SECONDS)

    def publish(self, rows: list[EventRow]) -> None:
        if not rows:
            with self._cond:
                self._latest = max(self._latest, 0)
            return
        with self._cond:
            for event_id, congress_id, kind in rows:
                self._by_congress[congress_id] = (event_id, kind)
                self._latest = max(self._latest, event_id)
            self._cond.notify_all()

    def wait(self, congress_id: int, seen: int, timeout: float) -> tuple[int, str] | None:
        """Block until the congress has an event newer than `seen`, or `timeout`."""

        def newer() -> bool:
            event = self._by_congress.get(congress_id)
            return event is not None and event[0] > seen

        with self._cond:
            if self._cond.wait_for(newer, timeout=timeout):
                return self._by_congress[congress_id]
            return None


hub = LiveHub()

_panel_cache: dict[tuple[int, int, str], str] = {}
_panel_lock = threading.Lock()


def cached_panel(congress_id: int, event_id: int, language: str, render: Callable[[], str]) -> str:
    """One rendering per congress, event and language, shared by every screen of the process."""
    key = (congress_id, event_id, language)
    with _panel_lock:
        html = _panel_cache.get(key)
        if html is None:
            html = render()
            if len(_panel_cache) > 500:
                _panel_cache.clear()
            _panel_cache[key] = html
    return html


def sse(event: str, data: str, event_id: int | None = None, retry: int | None = None) -> str:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if retry is not None:  # how soon the browser reconnects after the stream drops
        lines.append(f"retry: {retry}")
    lines += [f"data: {line}" for line in data.splitlines() or [""]]
    return "\n".join(lines) + "\n\n"


def _opening(
    congress_id: int, last_seen: int | None, render: Callable[[int], str]
) -> tuple[int, str]:
    """The first message of a stream and the event it has seen: the current panel, or the
    event missed while disconnected (`last_seen` is the browser's Last-Event-ID)."""
    if last_seen is None:
        seen = queries.last_live_event_id()
        return seen, sse("panel", render(seen), seen, retry=RETRY_MILLISECONDS)
    missed = queries.latest_live_event(congress_id, last_seen)
    if missed is None:
        return last_seen, f"retry: {RETRY_MILLISECONDS}\n\n"
    return missed.pk, sse(missed.kind, render(missed.pk), missed.pk, retry=RETRY_MILLISECONDS)


def stream(
    *,
    congress_id: int,
    last_seen: int | None,
    render: Callable[[int], str],
    on_close: Callable[[], None] = lambda: None,
    live_hub: LiveHub = hub,
    max_seconds: float = MAX_STREAM_SECONDS,
    keepalive: float = KEEPALIVE_SECONDS,
) -> Iterator[str]:
    """The event stream of one screen: the current panel, then a new panel after every event.

    `render(event_id)` returns the panel HTML. With `last_seen` (the browser's Last-Event-ID),
    an event missed while disconnected is sent first, read from the database.
    """
    try:
        live_hub.start()
        seen, first = _opening(congress_id, last_seen, render)
        yield first
        release_connection()
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline:
            event = live_hub.wait(congress_id, seen, timeout=keepalive)
            if event is None:
                yield ": keepalive\n\n"
                continue
            seen, kind = event
            yield sse(kind, render(seen), seen)
            release_connection()
    finally:
        on_close()


# Asynchronous streams (ASGI) -------------------------------------------------------------
#
# Under an ASGI server a stream is an async generator: while it waits it holds no thread and
# no database connection. One listener per process wakes them: PostgreSQL LISTEN/NOTIFY
# (psycopg 3, async) where the database is PostgreSQL, else a short async poll (SQLite).

CHANNEL = "daihoi_live"


def notify(event_id: int, congress_id: int, kind: str) -> None:
    """Tell every process's listener about an event, once this transaction commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_notify(%s, %s)", [CHANNEL, f"{event_id} {congress_id} {kind}"]
            )


def _parse(payload: str) -> EventRow | None:
    parts = payload.split(" ")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return int(parts[0]), int(parts[1]), parts[2]


def _conninfo() -> str:
    settings = connection.settings_dict
    params = {
        "dbname": settings.get("NAME"),
        "user": settings.get("USER"),
        "password": settings.get("PASSWORD"),
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
    }
    options = settings.get("OPTIONS") or {}
    params.update({k: options[k] for k in _LIBPQ_OPTIONS if options.get(k)})
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v})


_LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "options", "connect_timeout")


def closing(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` (on a pooled worker thread) with a database connection of its own, closed
    before it returns: a fresh context, so no connection is shared with a stream's task."""

    def run() -> T:
        try:
            return fn(*args)
        finally:
            connection.close()

    return contextvars.Context().run(run)


class AsyncLiveHub:
    """The newest event per congress seen by this process's event loop, and who waits for it.

    Each waiting screen has a future of its own in its congress's set; an event resolves the
    set's futures and empties it: waking 5,000 screens is 5,000 callbacks, with no lock to
    take in turn and no list of callbacks to search when one screen leaves."""

    def __init__(
        self,
        source: Callable[[int], list[EventRow]] = queries.live_events_since,
        *,
        listen: bool | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._source = source
        self._listen_flag = listen
        self._poll_seconds = poll_seconds
        self._latest = -1
        self._by_congress: dict[int, tuple[int, str]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[int, set[asyncio.Future[bool]]] = {}  # congress -> its screens
        self._task: asyncio.Task[None] | None = None
        self._watchers: list[Callable[[EventRow], None]] = []

    def watch(self, watcher: Callable[[EventRow], None]) -> None:
        """Call `watcher` with every event this process is notified of as it arrives (not
        with those read to catch up), on the listener's event loop; it must not block."""
        if watcher not in self._watchers:
            self._watchers.append(watcher)

    def _tell_watchers(self, row: EventRow) -> None:
        for watcher in self._watchers:
            try:
                watcher(row)
            except Exception:  # a watcher's failure must not end the listener
                log.warning("live event watcher failed", exc_info=True)

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._waiting, self._task = loop, {}, None
        return loop

    async def start(self) -> None:
        loop = self._bind()
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run(), name="live-hub")

    def _listens(self) -> bool:
        if self._listen_flag is not None:
            return self._listen_flag
        return connection.vendor == "postgresql"

    async def _run(self) -> None:
        while True:
            try:
                if self._listens():
                    await self._listen()
                else:
                    await self.catch_up()
                    await asyncio.sleep(self._poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception:  # a dropped connection must not end the listener
                with contextlib.suppress(Exception):
                    await self.catch_up()  # screens still wake, a second late at most
                await asyncio.sleep(1)

    async def _listen(self) -> None:
        conn = await psycopg.AsyncConnection.connect(_conninfo(), autocommit=True)
        async with conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            await self.catch_up()  # whatever committed before the LISTEN took hold
            async for note in conn.notifies():
                row = _parse(note.payload)
                if row:
                    self._tell_watchers(row)
                await self.publish([row] if row else [])

    async def catch_up(self) -> None:
        rows = await sync_to_async(closing, thread_sensitive=False)(self._source, self._latest)
        await self.publish(rows)

    async def publish(self, rows: list[EventRow]) -> None:
        self._bind()
        self._latest = max(self._latest, 0)
        woken: set[int] = set()
        for event_id, congress_id, kind in rows:
            known = self._by_congress.get(congress_id)
            if known is None or known[0] < event_id:
                self._by_congress[congress_id] = (event_id, kind)
                woken.add(congress_id)
            self._latest = max(self._latest, event_id)
        for congress_id in woken:
            for future in self._waiting.pop(congress_id, ()):
                if not future.done():
                    future.set_result(True)

    async def wait(self, congress_id: int, seen: int, timeout: float) -> tuple[int, str] | None:
        """Wait, holding nothing but a coroutine, for an event newer than `seen`.

        A screen may have seen more than this process's listener has been told (it read the
        newest event from the table when it opened): an event it has already seen wakes it,
        and it waits on for the next one."""
        loop = self._bind()
        deadline = loop.time() + timeout
        while True:
            event = self._by_congress.get(congress_id)
            if event is not None and event[0] > seen:
                return event
            left = deadline - loop.time()
            if left <= 0:
                return None
            future: asyncio.Future[bool] = loop.create_future()
            waiting = self._waiting.setdefault(congress_id, set())
            waiting.add(future)
            timer = loop.call_later(left, _expire, future)
            try:
                woken = await future
            finally:
                timer.cancel()
                waiting.discard(future)
            if not woken:
                return None  # timed out


def _expire(future: asyncio.Future[bool]) -> None:
    if not future.done():
        future.set_result(False)


async_hub = AsyncLiveHub()


_shared_events: dict[tuple[int, Hashable, int], asyncio.Future[bytes]] = {}


async def _event_text(
    shared: Hashable | None, seen: int, kind: str, render: Callable[[int], str]
) -> bytes:
    """The event as the stream sends it, encoded; rendered once per `shared` key and event."""

    async def rendered() -> bytes:
        html = await sync_to_async(closing, thread_sensitive=False)(render, seen)
        return sse(kind, html, seen).encode()

    if shared is None:
        return await rendered()
    key = (id(asyncio.get_running_loop()), shared, seen)
    future = _shared_events.get(key)
    if future is None:
        if len(_shared_events) > 256:
            _shared_events.clear()  # the waiting streams keep their own reference
        future = _shared_events[key] = asyncio.ensure_future(rendered())

        def forget_failure(done: asyncio.Future[bytes]) -> None:
            if done.cancelled() or done.exception() is not None:
                _shared_events.pop(key, None)

        future.add_done_callback(forget_failure)
    return await asyncio.shield(future)  # a screen going away does not cancel the rendering


async def astream(
    *,
    congress_id: int,
    last_seen: int | None,
    render: Callable[[int], str],
    on_close: Callable[[], None] = lambda: None,
    live_hub: AsyncLiveHub = async_hub,
    max_seconds: float = MAX_STREAM_SECONDS,
    keepalive: float = KEEPALIVE_SECONDS,
    shared: Hashable | None = None,
) -> AsyncGenerator[bytes, None]:
    """`stream` for an ASGI server: the same events, encoded, without a thread while it waits.

    Streams passing the same `shared` key (the congress and the language) render an event
    once per process: the first one wakes a worker thread for it, the others wait for that
    rendering, so a release reaching thousands of screens is one rendering, not thousands of
    thread trips."""
    try:
        await live_hub.start()
        seen, first = await sync_to_async(closing, thread_sensitive=False)(
            _opening, congress_id, last_seen, render
        )
        yield first.encode()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_seconds
        while (left := deadline - loop.time()) > 0:
            event = await live_hub.wait(congress_id, seen, timeout=min(keepalive, left))
            if event is None:
                yield b": keepalive\n\n"
                continue
            seen, kind = event
            yield await _event_text(shared, seen, kind, render)
    finally:
        on_close()

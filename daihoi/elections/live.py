"""Server-sent events for projector screens, without a message broker.

Each application process runs one watcher thread that polls for new `LiveEvent` rows a few
times a second (one indexed query, whatever the number of screens) and wakes every stream of
that process through a condition variable. Streams do not query the database while they
wait; the panel sent after an event is rendered once per congress, event and language and
shared by every screen of the process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from django.db import connection

from daihoi.elections import queries

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


def stream(
    *,
    congress_id: int,
    last_seen: int | None,
    render: Callable[[int], str],
    live_hub: LiveHub = hub,
    max_seconds: float = MAX_STREAM_SECONDS,
    keepalive: float = KEEPALIVE_SECONDS,
) -> Iterator[str]:
    """The event stream of one screen: the current panel, then a new panel after every event.

    `render(event_id)` returns the panel HTML. With `last_seen` (the browser's Last-Event-ID),
    an event missed while disconnected is sent first, read from the database.
    """
    live_hub.start()
    if last_seen is None:
        seen = queries.last_live_event_id()
        yield sse("panel", render(seen), seen, retry=RETRY_MILLISECONDS)
    else:
        seen = last_seen
        missed = queries.latest_live_event(congress_id, seen)
        if missed is not None:
            seen = missed.pk
            yield sse(missed.kind, render(seen), seen, retry=RETRY_MILLISECONDS)
        else:
            yield f"retry: {RETRY_MILLISECONDS}\n\n"
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

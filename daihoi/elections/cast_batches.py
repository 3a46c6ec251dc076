"""The lean cast path's group committer: the open polls cached per process, and, per event
loop, a psycopg 3 async pool and the writer that gathers concurrent casts for a few
milliseconds and writes them in one transaction (`casting.cast_transaction`, its statement
groups sent pipelined by `run_async`). Each cast's future is resolved only after that
transaction committed; if it fails, every cast of the batch gets `CommitFailed`.
`cast_asgi` serves the HTTP side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.utils import timezone

from daihoi.congresses.gates import CLOSED as CONGRESS_CLOSED
from daihoi.core import audit
from daihoi.elections import casting, live

log = logging.getLogger(__name__)
T = TypeVar("T")

TRACE = os.environ.get("DAIHOI_CAST_TRACE") == "1"  # batch sizes and times on stderr


class CommitFailed(Exception):
    """The batch's transaction did not commit (or may not have): nobody was acknowledged."""


# Caches: the open polls and the voters' tokens, for the poll's duration ---------------------


@dataclass
class Caches:
    polls: dict[int, casting.Poll] = field(default_factory=dict)

    def forget(self, pending: casting.Pending, why: str) -> None:
        """Drop what the transaction no longer vouched for."""
        if why in ("poll", "congress"):
            self.polls.pop(pending.poll.election_id, None)

    def forget_congress(self, congress_id: int) -> None:
        for election_id, poll in list(self.polls.items()):
            if poll.congress_id == congress_id:
                self.polls.pop(election_id, None)


caches = Caches()  # per process, shared by every event loop of it


WARM_POLLS = 200  # open polls read at a worker's start-up, at most


def _answerable(election: Any) -> bool:
    """Open, electronic, sealable, in a congress not closed: this path answers its casts."""
    from daihoi.elections.models import Election

    return (
        election.mode == Election.Mode.ELECTRONIC
        and election.state == Election.State.OPEN
        and bool(election.public_key)
        and election.congress.state not in CONGRESS_CLOSED
    )


def _load_poll(election_id: int) -> casting.Poll | None:
    """The poll if this path answers its casts; None sends the cast to Django."""
    from daihoi.elections.models import Election

    election = Election.objects.select_related("congress__unit").filter(pk=election_id).first()
    return casting.poll_of(election) if election is not None and _answerable(election) else None


def _open_polls(congress_id: int | None = None) -> list[casting.Poll]:
    """The polls (of one congress) whose casts this path answers, in one read."""
    from daihoi.elections.models import Election

    elections = Election.objects.select_related("congress__unit").filter(
        state=Election.State.OPEN, mode=Election.Mode.ELECTRONIC
    )
    if congress_id is not None:
        elections = elections.filter(congress_id=congress_id)
    return [casting.poll_of(e) for e in elections.order_by("pk")[:WARM_POLLS] if _answerable(e)]


class PgDialect:
    locks = True
    arrays = "%b"
    fuses = True

    def uuid(self, value: Any) -> Any:
        return value

    def binary(self, value: bytes) -> Any:
        return value

    def json(self, value: Any) -> Any:
        from psycopg.types.json import Jsonb

        return Jsonb(value)

    def time(self, value: Any) -> Any:
        return value


async def _plan_each_time(conn: Any) -> None:
    """Prepared statements, planned for each execution's values. A burst fills the tables
    it reads from (receipts, participations) from empty: a generic plan made on the sixth
    batch would go on scanning them whole as they grow."""
    await conn.execute("SET plan_cache_mode = force_custom_plan")
    await conn.commit()


async def run_async(conn: Any, steps: casting.Steps) -> casting.Written:
    """Run the statements of `casting.cast_transaction` on an async psycopg connection in
    pipeline mode: each group is sent at once and costs one round trip."""
    try:
        group = next(steps)
        while True:
            cursors = [(await conn.execute(sql, params), wanted) for sql, params, wanted in group]
            results = [await cur.fetchall() if wanted else [] for cur, wanted in cursors]
            group = steps.send(results)
    except StopIteration as done:
        written: casting.Written = done.value
        return written


# One state per event loop: the pool and the group committer --------------------------------


class Held:
    """A writer's own connection, kept from one batch to the next: taking it from the pool
    for every batch cost a check round trip and the pool's bookkeeping each time. It is
    checked only after it sat idle (`IDLE_CHECK_S`), and given back after any failure."""

    IDLE_CHECK_S = 2.0

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.conn: Any = None
        self.last_used = 0.0

    async def get(self) -> Any:
        if self.conn is not None and time.monotonic() - self.last_used > self.IDLE_CHECK_S:
            try:
                await self.pool.check_connection(self.conn)
            except Exception:  # gone while idle (a restarted server): another one
                await self.drop()
        if self.conn is None:
            self.conn = await self.pool.getconn(timeout=10)
        return self.conn

    def used(self) -> None:
        self.last_used = time.monotonic()

    async def drop(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await self.pool.putconn(conn)  # the pool resets it, or discards it if broken


class Lean:
    WARM_WAIT_S = 3.0  # at start-up; a database still starting leaves the rest to the first casts

    def __init__(self) -> None:
        from psycopg_pool import AsyncConnectionPool

        db = connections["default"].settings_dict
        kwargs = {
            "dbname": db["NAME"],
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None,
            "port": str(db["PORT"]) if db.get("PORT") else None,
            **{k: v for k, v in (db.get("OPTIONS") or {}).items() if isinstance(v, str | int)},
        }
        configure = None
        if os.environ.get("DAIHOI_PGBOUNCER") == "1":
            kwargs["prepare_threshold"] = None  # transaction pooling: no prepared statements
        else:
            configure = _plan_each_time
        self.pool = AsyncConnectionPool(
            kwargs={k: v for k, v in kwargs.items() if v is not None},
            min_size=1,
            max_size=int(getattr(settings, "DAIHOI_CAST_POOL_SIZE", 4)),
            open=False,
            check=AsyncConnectionPool.check_connection,
            configure=configure,
            name="daihoi-cast",
        )
        self.window = float(getattr(settings, "DAIHOI_CAST_BATCH_MS", 1)) / 1000
        self.max_batch = int(getattr(settings, "DAIHOI_CAST_BATCH_MAX", 128))
        self.queue: asyncio.Queue[tuple[casting.Pending, asyncio.Future[casting.Outcome]]] = (
            asyncio.Queue()
        )
        self.loading: dict[Any, asyncio.Future[Any]] = {}
        self.opened = False
        self.writers: list[asyncio.Future[None]] = []
        self.held: list[Held] = []  # the writers' connections
        self.writer_count = int(getattr(settings, "DAIHOI_CAST_WRITERS", 1))
        self.dialect = PgDialect()
        self.background: set[asyncio.Future[Any]] = set()
        self.trace: list[tuple[int, float]] = []

    async def start(self) -> None:
        if not self.opened:
            self.opened = True
            await self.pool.open(wait=False)
        self.writers = [w for w in self.writers if not w.done()]
        while len(self.writers) < self.writer_count:  # batches in flight at once
            self.writers.append(asyncio.ensure_future(self._write_forever()))

    async def close(self) -> None:
        for writer in self.writers:
            writer.cancel()
        await asyncio.gather(*self.writers, return_exceptions=True)
        await self.pool.close()

    async def once(self, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
        """Concurrent misses for the same key wait for one load."""
        pending = self.loading.get(key)
        if pending is None:
            pending = asyncio.ensure_future(load())
            self.loading[key] = pending
            pending.add_done_callback(lambda _f: self.loading.pop(key, None))
        return await asyncio.shield(pending)

    async def poll(self, election_id: int) -> casting.Poll | None:
        poll = caches.polls.get(election_id)
        if poll is None:
            poll = await self.once(
                ("poll", election_id), lambda: _in_thread(_load_poll, election_id)
            )
            if poll is not None:
                caches.polls[election_id] = poll
        return poll

    async def warm(self) -> None:
        """Ready before the first cast: the pool's connection made and taken by each
        writer, the open polls read, and the live listener told to read a poll as it opens
        and to forget the polls of a congress where one closes. Each is otherwise done by a
        vote's first casts, which then wait for it (all of them at once, in a burst)."""
        await self.pool.wait(timeout=self.WARM_WAIT_S)
        for held in list(self.held):
            await held.get()
            held.used()
        live.async_hub.watch(_on_live_event)
        await live.async_hub.start()
        for poll in await _in_thread(_open_polls):
            caches.polls.setdefault(poll.election_id, poll)

    async def read_polls_of(self, congress_id: int) -> None:
        try:
            for poll in await _in_thread(_open_polls, congress_id):
                caches.polls.setdefault(poll.election_id, poll)
        except Exception:  # the first cast reads it then
            log.warning("lean cast: an opened poll could not be read", exc_info=True)

    def in_background(self, work: Awaitable[Any]) -> None:
        """Run `work` beside the casts, kept referenced until it is done."""
        task = asyncio.ensure_future(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def cast(self, pending: casting.Pending) -> casting.Outcome:
        future: asyncio.Future[casting.Outcome] = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((pending, future))
        return await future

    async def _write_forever(self) -> None:
        held = Held(self.pool)
        self.held.append(held)
        try:
            while True:
                first = await self.queue.get()
                if self.queue.empty() and self.window > 0:
                    await asyncio.sleep(self.window)  # gather the casts arriving meanwhile
                batch = [first]
                while len(batch) < self.max_batch and not self.queue.empty():
                    batch.append(self.queue.get_nowait())
                await self._write(batch, held)
        finally:
            self.held.remove(held)
            await held.drop()

    async def _write(
        self, batch: list[tuple[casting.Pending, asyncio.Future[casting.Outcome]]], held: Held
    ) -> None:
        pendings = [p for p, _f in batch]
        t0 = time.perf_counter()
        try:
            conn = await held.get()
            async with conn.pipeline(), conn.transaction():
                steps = casting.cast_transaction(pendings, self.dialect, now=timezone.now())
                written = await run_async(conn, steps)
            held.used()
        except Exception as exc:  # any failure: nobody is acknowledged
            log.warning("cast batch of %d not committed: %r", len(batch), exc)
            await held.drop()  # whatever state it was left in, the next batch takes another
            for _p, future in batch:
                if not future.done():
                    future.set_exception(CommitFailed(repr(exc)))
            return
        if TRACE:
            self.trace.append((len(batch), time.perf_counter() - t0))
            if len(self.trace) % 20 == 0:
                sizes = [n for n, _t in self.trace]
                times = sorted(t for _n, t in self.trace)
                print(
                    f"cast trace pid {os.getpid()}: {len(sizes)} batches, {sum(sizes)} casts, "
                    f"mean size {sum(sizes) / len(sizes):.1f}, txn ms p50 "
                    f"{times[len(times) // 2] * 1000:.1f} max {times[-1] * 1000:.1f}",
                    file=sys.stderr,
                )
        for (_p, future), outcome in zip(batch, written.outcomes, strict=True):
            if not future.done():
                future.set_result(outcome)
        if written.checkpoint:
            self.in_background(_in_thread(audit.checkpoint_every))


def _on_live_event(row: tuple[int, int, str]) -> None:
    """A poll opened: read it ahead of its first cast; one closed: forget its congress's."""
    from daihoi.elections.models import LiveEvent

    _event_id, congress_id, kind = row
    if kind == LiveEvent.Kind.CLOSED:
        caches.forget_congress(congress_id)
    elif kind == LiveEvent.Kind.OPENED:
        state = _states.get(asyncio.get_running_loop())
        if state is not None:
            state.in_background(state.read_polls_of(congress_id))


def _in_thread(fn: Callable[..., T], *args: Any) -> Awaitable[T]:
    """`fn` on a worker thread, with a database connection of its own closed after it."""
    return sync_to_async(live.closing, thread_sensitive=False)(fn, *args)


_states: dict[asyncio.AbstractEventLoop, Lean] = {}


async def lean() -> Lean:
    loop = asyncio.get_running_loop()
    state = _states.get(loop)
    if state is None:
        state = _states[loop] = Lean()
    await state.start()
    return state


async def warm() -> None:
    """At a web worker's start-up (ASGI lifespan): `Lean.warm`. A database that cannot be
    reached then only leaves the work to the first casts."""
    try:
        await (await lean()).warm()
    except Exception:
        log.warning("lean cast: not warmed at start-up", exc_info=True)


async def shutdown() -> None:
    """Close this event loop's pool (tests; a server's process simply ends)."""
    state = _states.pop(asyncio.get_running_loop(), None)
    if state is not None:
        await state.close()

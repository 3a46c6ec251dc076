"""Live streams under ASGI hold no thread and no database connection while they wait.

The projector stream used to keep a server thread for an hour: twelve screens of one
delegate made the login page time out. Now `daihoi/asgi.py` serves streams beside Django
(`live_asgi`), waiting on one listener per process (PostgreSQL LISTEN/NOTIFY, or an async
poll on SQLite), and open streams are limited per user and per address.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import selectors
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from daihoi import testing
from daihoi.core import streams
from daihoi.elections import actions, live
from daihoi.elections.tests.conftest import Hall, make_hall

POSTGRES = connection.vendor == "postgresql"
STREAMS = 16  # more than the default thread pool of a 2-core machine (6) and a gunicorn's 6


def _session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


class Peer:
    """One HTTP exchange with the ASGI application, as a server would drive it."""

    def __init__(self, app: Any, path: str, cookie: str) -> None:
        self.messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.gone = asyncio.Event()
        self._asked = False
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"testserver"),
                (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()),
            ],
            "client": ("127.0.0.1", 40000),
            "server": ("testserver", 80),
        }
        self.task = asyncio.ensure_future(app(scope, self._receive, self._send))

    async def _receive(self) -> dict[str, Any]:
        if not self._asked:
            self._asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        await self.messages.put(message)

    async def status(self) -> int:
        start = await asyncio.wait_for(self.messages.get(), 30)
        return int(start["status"])

    async def text(self) -> str:
        while True:
            message = await asyncio.wait_for(self.messages.get(), 30)
            body = message.get("body", b"")
            if body or not message.get("more_body", False):
                return str(body.decode())

    async def close(self) -> None:
        self.gone.set()
        await asyncio.wait_for(self.task, 30)


def _open_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)  # committed: the streams read from other threads
def test_more_streams_than_threads_leave_the_login_page_answering_and_hold_no_connection(
    settings: Any,
) -> None:
    from daihoi.asgi import application

    settings.DAIHOI_STREAMS_PER_USER = STREAMS + 1
    hall = make_hall(testing.make_province(), voters=5)
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3, mode="paper")
    )
    cookie = _session_cookie(hall.voters[0])
    path = f"/elections/congress/{hall.congress.pk}/projector/stream/"
    connection.close()
    before_threads = threading.active_count()
    before_connections = _open_connections() if POSTGRES else 0

    async def scenario() -> dict[str, Any]:
        screens = [Peer(application, path, cookie) for _ in range(STREAMS)]
        statuses = [await s.status() for s in screens]
        firsts = [await s.text() for s in screens]
        threads = threading.active_count()
        connections = await sync_to_async(_count_connections)()
        login = Peer(application, "/accounts/login/", "")
        login_status = await login.status()
        await login.close()
        # An event wakes every waiting screen (NOTIFY on PostgreSQL, the poll on SQLite).
        await sync_to_async(_close_poll)(hall, election)
        events = [await s.text() for s in screens]
        for s in screens:
            await s.close()
        await streams.released()  # every slot given back
        return {
            "statuses": statuses,
            "firsts": firsts,
            "threads": threads,
            "connections": connections,
            "login": login_status,
            "events": events,
        }

    outcome = asyncio.run(scenario())
    assert outcome["statuses"] == [200] * STREAMS
    assert all(f.startswith("event: panel") for f in outcome["firsts"])
    assert outcome["login"] == 200
    # A thread per stream would add STREAMS threads; the pooled helpers add a few at most.
    assert outcome["threads"] - before_threads < STREAMS // 2
    if POSTGRES:  # the process's one listener, and nothing per stream
        assert outcome["connections"] - before_connections <= 2
    assert all(e.startswith("event: closed") for e in outcome["events"])


def _count_connections() -> int:
    try:
        return _open_connections() if POSTGRES else 0
    finally:
        connection.close()


def _close_poll(hall: Hall, election: Any) -> None:
    try:
        actions.election_close(actor=hall.counters[0], election=election)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_one_account_cannot_open_more_streams_than_its_limit(settings: Any) -> None:
    from daihoi.asgi import application

    settings.DAIHOI_STREAMS_PER_USER = 2
    hall = make_hall(testing.make_province(), voters=2)
    hall.election(seats=2, candidates=3)
    cookie = _session_cookie(hall.voters[0])
    other = _session_cookie(hall.voters[1])
    path = f"/elections/congress/{hall.congress.pk}/projector/stream/"
    connection.close()

    async def scenario() -> tuple[list[int], dict[str, Any], int, int]:
        mine = [Peer(application, path, cookie) for _ in range(2)]
        statuses = [await s.status() for s in mine]
        third = Peer(application, path, cookie)
        refused = await third.status(), json.loads(await third.text())
        theirs = Peer(application, path, other)
        their_status = await theirs.status()
        await mine[0].close()  # a closed screen gives its place back
        await streams.released()
        again = Peer(application, path, cookie)
        again_status = await again.status()
        for s in [mine[1], third, theirs, again]:
            await s.close()
        await streams.released()
        return [*statuses, refused[0]], refused[1], their_status, again_status

    statuses, body, theirs, again = asyncio.run(scenario())
    assert statuses == [200, 200, 429]
    assert body["detail"][0]["code"] == "too_many_streams_user"
    assert " 2 " in body["detail"][0]["message"]  # says how many are allowed
    assert theirs == 200 and again == 200


@pytest.mark.django_db(transaction=True)  # closing a response closes its connection
def test_the_development_server_view_limits_streams_per_address_too(settings: Any) -> None:
    settings.DAIHOI_STREAMS_PER_ADDRESS = 1
    hall = make_hall(testing.make_province(), voters=2)
    hall.election(seats=2, candidates=3)
    url = f"/elections/congress/{hall.congress.pk}/projector/stream/"
    clients = []
    for user in hall.voters[:2]:
        client = Client()
        client.force_login(user)
        clients.append(client)
    first = clients[0].get(url)
    assert first.status_code == 200
    next(iter(first.streaming_content))
    second = clients[1].get(url)
    assert second.status_code == 429
    assert second.json()["detail"][0]["code"] == "too_many_streams_address"
    first.close()  # the stream ends: its slot is free again
    third = clients[1].get(url)
    assert third.status_code == 200
    third.close()


@pytest.mark.django_db(transaction=True)
def test_the_asgi_stream_answers_404_outside_the_congress_and_redirects_without_login() -> None:
    from daihoi.asgi import application

    province = testing.make_province()
    hall = make_hall(province, voters=1)
    hall.election(seats=2, candidates=3)
    stranger = testing.make_user(username="org_g2", role=testing.ORGANIZER, unit=province["g2"])
    cookie = _session_cookie(stranger)
    path = f"/elections/congress/{hall.congress.pk}/projector/stream/"
    connection.close()

    async def scenario() -> tuple[int, int]:
        outside = Peer(application, path, cookie)
        anonymous = Peer(application, path, "")
        codes = await outside.status(), await anonymous.status()
        await outside.close()
        await anonymous.close()
        await streams.released()
        return codes

    assert asyncio.run(scenario()) == (404, 302)


def test_the_async_hub_wakes_a_waiting_stream_on_a_published_event() -> None:
    hub = live.AsyncLiveHub(source=lambda after: [], listen=False, poll_seconds=3600)

    async def scenario() -> tuple[int, str] | None:
        waiter = asyncio.ensure_future(hub.wait(7, 0, timeout=30))
        await asyncio.sleep(0)
        await hub.publish([(5, 7, "released")])
        return await waiter

    assert asyncio.run(scenario()) == (5, "released")


def test_the_async_hub_wakes_every_screen_of_the_congress_and_only_those() -> None:
    """A thousand screens wait on one congress: all wake on its event, with the event; a
    screen that goes away first, a screen whose wait times out and a screen of another
    congress change nothing for the others."""
    hub = live.AsyncLiveHub(source=lambda after: [], listen=False, poll_seconds=3600)

    async def scenario() -> tuple[list[tuple[int, str] | None], Any, Any, bool, Any]:
        screens = [asyncio.ensure_future(hub.wait(7, 0, timeout=30)) for _ in range(1000)]
        leaving = asyncio.ensure_future(hub.wait(7, 0, timeout=30))
        short = asyncio.ensure_future(hub.wait(7, 0, timeout=0.01))
        elsewhere = asyncio.ensure_future(hub.wait(8, 0, timeout=0.2))
        timed_out = await short  # before the event: its wait ends, the others' do not
        leaving.cancel()
        await asyncio.sleep(0)
        await hub.publish([(5, 7, "released")])
        woken = await asyncio.gather(*screens)
        late = await hub.wait(7, 0, timeout=30)  # already newer than what it has seen
        return woken, timed_out, await elsewhere, leaving.cancelled(), late

    woken, short, elsewhere, left, late = asyncio.run(scenario())
    assert woken == [(5, "released")] * 1000
    assert short is None and elsewhere is None and left
    assert late == (5, "released")


def test_a_screen_ahead_of_the_listener_waits_on_past_an_event_it_has_seen() -> None:
    """A screen opened with event 6 read from the table while the listener knew only 5:
    the listener's late news of 6 does not end its wait; 7 does."""
    hub = live.AsyncLiveHub(source=lambda after: [], listen=False, poll_seconds=3600)

    async def scenario() -> tuple[bool, tuple[int, str] | None]:
        await hub.publish([(5, 7, "opened")])
        screen = asyncio.ensure_future(hub.wait(7, 6, timeout=30))
        await asyncio.sleep(0)
        await hub.publish([(6, 7, "opened")])  # already seen by the screen
        await asyncio.sleep(0)
        still_waiting = not screen.done()
        await hub.publish([(7, 7, "closed")])
        return still_waiting, await screen

    assert asyncio.run(scenario()) == (True, (7, "closed"))


def test_screens_of_one_congress_and_language_render_an_event_once() -> None:
    """A release reaching thousands of screens is one rendering per language, not one
    thread trip per screen."""
    calls: list[int] = []

    def render(event_id: int) -> str:
        calls.append(event_id)
        return f"<p>{event_id}</p>"

    async def scenario() -> tuple[list[bytes], bytes]:
        texts = await asyncio.gather(
            *(live._event_text((7, "vi"), 9, "released", render) for _ in range(50))
        )
        other = await live._event_text((7, "de"), 9, "released", render)
        return list(texts), other

    texts, other = asyncio.run(scenario())
    assert set(texts) == {other} == {live.sse("released", "<p>9</p>", 9).encode()}
    assert calls == [9, 9]  # once for Vietnamese, once for German


# A real server: uvicorn in a subprocess, on PostgreSQL (the test database is shared). -----


@contextlib.contextmanager
def _uvicorn(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "daihoi.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--lifespan",
            "off",
        ],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    try:
        selector = selectors.DefaultSelector()
        assert proc.stderr is not None
        selector.register(proc.stderr, selectors.EVENT_READ)
        base = ""
        for _ in range(400):  # bounded: the server says where it listens, or the test fails
            if not selector.select(timeout=0.5):
                if proc.poll() is not None:
                    break
                continue
            if "running on" in proc.stderr.readline().decode():
                base = f"http://127.0.0.1:{port}"
                break
        assert base, "uvicorn did not start"
        yield proc, base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _threads(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


@pytest.mark.skipif(not POSTGRES, reason="the subprocess shares the test database (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_uvicorn_serves_more_streams_than_threads_and_the_login_page_still_answers() -> None:
    hall = make_hall(testing.make_province(), voters=1)
    hall.election(seats=2, candidates=3)
    cookie = _session_cookie(hall.voters[0])
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DAIHOI_STREAMS_PER_USER": str(STREAMS + 1),
        "ASGI_THREADS": "2",
    }
    path = f"/elections/congress/{hall.congress.pk}/projector/stream/"
    with _uvicorn(env) as (proc, base), contextlib.ExitStack() as stack:
        client = stack.enter_context(
            httpx.Client(base_url=base, cookies={django_settings.SESSION_COOKIE_NAME: cookie})
        )
        idle = _threads(proc.pid)
        for _ in range(STREAMS):
            response = stack.enter_context(client.stream("GET", path, timeout=30))
            assert response.status_code == 200
            assert next(response.iter_text()).startswith("event: panel")
        login = httpx.get(base + "/accounts/login/", timeout=10)
        assert login.status_code == 200
        assert _threads(proc.pid) - idle < STREAMS // 2


@pytest.mark.django_db(transaction=True)
def test_the_listener_catches_up_from_the_table_when_it_connects_or_cannot() -> None:
    # On PostgreSQL the LISTEN connects and then reads what committed before it; on SQLite
    # (no LISTEN to connect to) the failing listener still reads the table every second.
    hub = live.AsyncLiveHub(source=lambda after: [(3, 7, "closed")], listen=True)

    async def scenario() -> tuple[int, str] | None:
        await hub.start()
        try:
            return await hub.wait(7, 0, timeout=20)
        finally:
            if hub._task is not None:
                hub._task.cancel()

    assert asyncio.run(scenario()) == (3, "closed")

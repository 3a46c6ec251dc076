"""The cast through HTTP: the lean ASGI path on PostgreSQL, Django's action on SQLite.

`daihoi.asgi.application` answers `POST /api/v1/elections/{id}/ballots` itself on PostgreSQL
(`elections.cast_asgi`: cached voters, group commit); on SQLite the same request goes to
Django, whose action runs the same checks and statements (`elections.casting`) as a batch of
one. Every guarantee is asserted through HTTP on both, and through the ASGI application
(httpx's ASGI transport) where the lean path serves it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import connection, connections
from django.test import Client

from daihoi import testing
from daihoi.accounts.actions import api_token_create, api_token_revoke
from daihoi.core import audit
from daihoi.core.models import AuditEvent
from daihoi.elections import actions, cast_asgi, queries
from daihoi.elections.models import Ballot, Election, Participation, Receipt, SealedBallot
from daihoi.elections.tests.conftest import Hall, make_hall, token

POSTGRES = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db(transaction=True)  # the lean path's pool sees commits only

Sent = tuple[str, dict[str, Any]]  # (API key, body)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Empty caches; and Django's request threads close their connections when they end."""
    cast_asgi.caches.polls.clear()
    db = connections.settings["default"]
    age = db.get("CONN_MAX_AGE", 0)
    db["CONN_MAX_AGE"] = 0
    yield
    db["CONN_MAX_AGE"] = age
    cast_asgi.caches.polls.clear()


class Answer:
    def __init__(self, status: int, body: Any, lean: bool) -> None:
        self.status, self.body, self.lean = status, body, lean

    @property
    def code(self) -> str:
        return str(self.body["detail"][0]["code"])

    def __repr__(self) -> str:
        return f"<{self.status} {self.body} lean={self.lean}>"


def post(election: Election, sent: Sequence[Sent]) -> list[Answer]:
    """Send every cast at once (PostgreSQL, through the ASGI application) or one by one
    (SQLite, through Django's test client)."""
    url = f"/api/v1/elections/{election.pk}/ballots"
    if not POSTGRES:
        answers = []
        for key, body in sent:
            client = Client(headers={"authorization": f"Bearer {key}", "accept-language": "en"})
            response = client.post(url, json.dumps(body), content_type="application/json")
            answers.append(Answer(response.status_code, response.json(), False))
        return answers

    from daihoi.asgi import application

    async def main() -> list[Answer]:
        transport = httpx.ASGITransport(app=application)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                responses = await asyncio.gather(
                    *(
                        c.post(
                            url,
                            json=body,
                            headers={"authorization": f"Bearer {key}", "accept-language": "en"},
                        )
                        for key, body in sent
                    )
                )
        finally:
            await cast_asgi.shutdown()
            await sync_to_async(connections.close_all)()
        return [
            Answer(r.status_code, r.json(), r.headers.get("x-daihoi-cast") == "lean")
            for r in responses
        ]

    return asyncio.run(main())


def _keys(hall: Hall) -> list[str]:
    return [api_token_create(actor=v, user=v, name="app")[1] for v in hall.voters]


def _open(hall: Hall, *, seats: int = 2, candidates: int = 3) -> Election:
    return actions.election_open(
        actor=hall.organizer, election=hall.election(seats=seats, candidates=candidates)
    )


def _written(election: Election) -> tuple[int, int, int, int]:
    return (
        Participation.objects.filter(election=election).count(),
        SealedBallot.objects.filter(election=election).count(),
        Receipt.objects.filter(election=election).count(),
        AuditEvent.objects.filter(action="ballot_cast", object_id=str(election.pk)).count(),
    )


def test_a_cast_gets_a_receipt_a_retry_the_same_and_a_second_ballot_is_refused() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = _open(hall)
    key = _keys(hall)[0]
    slate = queries.slate_ids(election)
    form = {"form_token": token(), "kept": slate[:2]}
    (first,) = post(election, [(key, form)])
    assert first.status == 201, first
    assert first.lean is POSTGRES  # on PostgreSQL the lean path answered, not Django
    (again,) = post(election, [(key, form)])
    assert (again.status, again.body) == (200, {**first.body, "already_recorded": True})
    (other,) = post(election, [(key, {**form, "form_token": token()})])
    assert other.status == 422 and other.code == "you_already_voted_election", other
    assert "already voted" in other.body["detail"][0]["message"]
    assert _written(election) == (1, 1, 1, 1)
    assert Receipt.objects.get(election=election).code == first.body["receipt"]
    event = AuditEvent.objects.get(action="ballot_cast", object_id=str(election.pk))
    assert event.changes == {"delegate": hall.lines[0].pk}  # who voted, never how
    assert event.actor_label == hall.voters[0].username
    assert audit.verify_chain() == []


def test_a_refused_ballot_writes_nothing_and_says_why() -> None:
    hall = make_hall(testing.make_province(), voters=1)
    election = _open(hall)
    key = _keys(hall)[0]
    (bad,) = post(election, [(key, {"form_token": token(), "kept": ["999999"]})])
    assert bad.status == 422 and bad.body["detail"][0]["field"] == "kept", bad
    (damaged,) = post(election, [(key, {"form_token": "short", "kept": []})])
    assert damaged.status == 422 and damaged.code == "ballot_form_damaged_reload"
    assert _written(election) == (0, 0, 0, 0)


def test_a_poll_closed_after_its_voters_were_cached_refuses_the_next_cast() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = _open(hall)
    keys = _keys(hall)
    kept = queries.slate_ids(election)[:1]
    # Both voters are looked up (and, on the lean path, cached); one ballot is recorded.
    first, refused = post(
        election,
        [(keys[0], {"form_token": token(), "kept": kept}), (keys[1], {"form_token": "x"})],
    )
    assert first.status == 201 and refused.status == 422
    actions.election_close(actor=hall.counters[0], election=election)
    (late,) = post(election, [(keys[1], {"form_token": token(), "kept": kept})])
    assert late.status == 422 and late.code == "poll_not_open", late
    assert _written(election) == (1, 1, 1, 1)
    assert election.pk not in cast_asgi.caches.polls


def test_a_token_revoked_while_the_poll_is_cached_is_refused() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = _open(hall)
    keys = _keys(hall)
    token_row, key = api_token_create(actor=hall.voters[1], user=hall.voters[1], name="app")
    kept = queries.slate_ids(election)[:1]
    (first,) = post(election, [(keys[0], {"form_token": token(), "kept": kept})])
    (also,) = post(election, [(key, {"form_token": token(), "kept": ["0"]})])
    assert first.status == 201 and also.status == 422
    if POSTGRES:
        assert first.lean and election.pk in cast_asgi.caches.polls
    api_token_revoke(actor=hall.voters[1], token=token_row)
    (after,) = post(election, [(key, {"form_token": token(), "kept": kept})])
    # refused as an unauthenticated request (the API's answer: 401, or 403 for the missing
    # CSRF token of the session it then looks for)
    assert after.status in (401, 403), after
    assert _written(election) == (1, 1, 1, 1)


VOTERS = 12


def test_a_burst_of_concurrent_casts_is_committed_exactly_once() -> None:
    hall = make_hall(testing.make_province(), voters=VOTERS)
    election = _open(hall, seats=3, candidates=4)
    keys = _keys(hall)
    slate = queries.slate_ids(election)
    forms = [{"form_token": token(), "kept": slate[: 1 + i % 3]} for i in range(VOTERS)]
    # every voter twice (a double click), and the second voter once more with another form
    sent = [(k, f) for k, f in zip(keys, forms, strict=True)] * 2
    sent.append((keys[1], {"form_token": token(), "kept": slate[:1]}))
    answers = post(election, sent)
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] * VOTERS + [201] * VOTERS + [422], answers
    receipts = [a.body["receipt"] for a in answers if a.status == 201]
    assert len(set(receipts)) == VOTERS
    assert all(a.body["receipt"] in receipts for a in answers if a.status == 200)
    assert _written(election) == (VOTERS, VOTERS, VOTERS, VOTERS)
    assert set(Receipt.objects.filter(election=election).values_list("code", flat=True)) == set(
        receipts
    )
    assert audit.verify_chain() == []
    if POSTGRES:
        assert all(a.lean for a in answers)
        with connection.cursor() as cursor:  # gathered: fewer transactions than ballots
            cursor.execute(
                "SELECT count(DISTINCT xmin::text) FROM elections_participation "
                "WHERE election_id = %s",
                [election.pk],
            )
            (transactions,) = cursor.fetchone()
        assert transactions < VOTERS


@pytest.mark.skipif(not POSTGRES, reason="group commit is the lean path's (PostgreSQL)")
def test_a_batch_whose_transaction_fails_acknowledges_nobody(monkeypatch: Any) -> None:
    hall = make_hall(testing.make_province(), voters=4)
    election = _open(hall)
    keys = _keys(hall)
    kept = queries.slate_ids(election)[:1]
    sent = [(k, {"form_token": token(), "kept": kept}) for k in keys]

    def broken(**_kw: Any) -> Any:  # fails after the ballots' rows were inserted
        raise RuntimeError("the audit chain cannot be appended")

    monkeypatch.setattr(audit, "append", broken)
    failed = post(election, sent)
    assert [a.status for a in failed] == [503] * 4, failed
    assert {a.code for a in failed} == {"cast_not_recorded_retry"}
    assert _written(election) == (0, 0, 0, 0)
    monkeypatch.undo()
    retried = post(election, sent)  # the same forms again: now recorded, once each
    assert [a.status for a in retried] == [201] * 4, retried
    assert _written(election) == (4, 4, 4, 4)


@pytest.mark.skipif(not POSTGRES, reason="xmin is a PostgreSQL system column")
def test_a_batched_burst_leaves_no_link_between_counted_ballots_and_voters() -> None:
    hall = make_hall(testing.make_province(), voters=8)
    election = _open(hall, seats=3, candidates=4)
    keys = _keys(hall)
    slate = queries.slate_ids(election)
    subsets = [list(c) for n in (1, 2, 3) for c in itertools.combinations(slate, n)][:8]
    answers = post(
        election,
        [(k, {"form_token": token(), "kept": s}) for k, s in zip(keys, subsets, strict=True)],
    )
    assert [a.status for a in answers] == [201] * 8
    actions.election_close(actor=hall.counters[0], election=election)
    actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )
    contents = sorted(
        str(b) for b in Ballot.objects.filter(election=election).values_list("content", flat=True)
    )
    assert contents == sorted(str({"kept": sorted(s)}) for s in subsets)
    with connection.cursor() as cursor:
        for table in ("elections_participation", "elections_receipt", "core_auditevent"):
            cursor.execute(
                f"SELECT count(*) FROM elections_ballot b JOIN {table} t "
                "ON b.xmin::text = t.xmin::text WHERE b.election_id = %s "
                "AND t.xmin::text <> (SELECT xmin::text FROM elections_ballot "
                "WHERE election_id = %s LIMIT 1)",
                [election.pk, election.pk],
            )
            assert cursor.fetchone() == (0,), table
        cursor.execute(
            "SELECT count(*) FROM elections_ballot b JOIN elections_participation p "
            "ON b.xmin::text = p.xmin::text WHERE b.election_id = %s",
            [election.pk],
        )
        assert cursor.fetchone() == (0,)
    assert not SealedBallot.objects.filter(election=election).exists()


# The ballot page's form: a session and a CSRF token instead of an API token. ---------------


class PageAnswer:
    def __init__(self, status: int, location: str, lean: bool) -> None:
        self.status, self.location, self.lean = status, location, lean

    def __repr__(self) -> str:
        return f"<{self.status} {self.location} lean={self.lean}>"


def _browser(user: Any | None) -> tuple[str, dict[str, str]]:
    """A CSRF secret, and the cookies of a browser holding it (and `user`'s session)."""
    from django.conf import settings as django_settings
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    cookies = {django_settings.CSRF_COOKIE_NAME: secret}
    if user is not None:
        browser = Client()
        browser.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        cookies[name] = browser.cookies[name].value
    return secret, cookies


def post_page(
    election: Election, user: Any | None, fields: dict[str, Any], *, csrf: bool = True
) -> PageAnswer:
    """Submit the ballot page's form as a browser does: through the ASGI application on
    PostgreSQL, through Django's test client (CSRF enforced) on SQLite."""
    url = f"/elections/{election.pk}/vote/"
    secret, cookies = _browser(user)
    data = {**fields, **({"csrfmiddlewaretoken": secret} if csrf else {})}
    if not POSTGRES:
        client = Client(enforce_csrf_checks=True)
        for name, value in cookies.items():
            client.cookies[name] = value
        response = client.post(url, data)
        return PageAnswer(response.status_code, response.get("Location", ""), False)

    from daihoi.asgi import application

    async def main() -> PageAnswer:
        transport = httpx.ASGITransport(app=application)
        try:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", cookies=cookies
            ) as c:
                r = await c.post(url, data=data)
        finally:
            await cast_asgi.shutdown()
            await sync_to_async(connections.close_all)()
        lean = r.headers.get("x-daihoi-cast") == "lean"
        return PageAnswer(r.status_code, r.headers.get("location", ""), lean)

    return asyncio.run(main())


def test_the_ballot_page_form_is_cast_on_the_lean_path_with_the_pages_answers() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = _open(hall, seats=2, candidates=3)
    voter = hall.voters[0]
    slate = queries.slate_ids(election)
    form = {"form_token": token(), "struck": [slate[2]]}
    first = post_page(election, voter, form)
    assert first.status == 302 and "/receipt/" in first.location, first
    assert first.lean is POSTGRES  # on PostgreSQL the lean path answered, not Django
    code = first.location.rstrip("/").rsplit("/", 1)[1]
    assert Receipt.objects.get(election=election).code == code
    again = post_page(election, voter, form)  # a resubmitted form: the same receipt
    assert (again.status, again.location, again.lean) == (302, first.location, POSTGRES)
    other = post_page(election, voter, {**form, "form_token": token()})
    # a second ballot: the page view's answer, back to the election with its refusal
    assert (other.status, other.location, other.lean) == (302, f"/elections/{election.pk}/", False)
    assert _written(election) == (1, 1, 1, 1)
    event = AuditEvent.objects.get(action="ballot_cast", object_id=str(election.pk))
    assert event.changes == {"delegate": hall.lines[0].pk}  # who voted, never how
    assert event.actor_label == voter.username
    assert audit.verify_chain() == []


def test_a_page_form_django_would_refuse_is_left_to_django_and_writes_nothing() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = _open(hall, seats=2, candidates=3)
    slate = queries.slate_ids(election)
    form = {"form_token": token(), "struck": [slate[0]]}
    forged = post_page(election, hall.voters[0], form, csrf=False)
    assert (forged.status, forged.lean) == (403, False), forged  # no CSRF token
    signed_out = post_page(election, None, form)
    assert signed_out.status == 302 and "/accounts/login/" in signed_out.location
    assert not signed_out.lean
    # the organizer sees the election but is not on its roster: the page view's refusal
    outsider = post_page(election, hall.organizer, form)
    assert (outsider.status, outsider.lean) == (302, False), outsider
    assert outsider.location == f"/elections/{election.pk}/"
    damaged = post_page(election, hall.voters[1], {**form, "form_token": "short"})
    assert (damaged.status, damaged.lean) == (302, False), damaged
    assert _written(election) == (0, 0, 0, 0)


def post_api_with_session(
    election: Election, user: Any, body: dict[str, Any], *, csrf: bool = True
) -> Answer:
    """An API cast signed in with the browser's session (no API token), its CSRF token in
    `X-CSRFToken`: through the ASGI application on PostgreSQL, Django's client on SQLite."""
    url = f"/api/v1/elections/{election.pk}/ballots"
    secret, cookies = _browser(user)
    headers = {"accept-language": "en", **({"x-csrftoken": secret} if csrf else {})}
    if not POSTGRES:
        client = Client(enforce_csrf_checks=True, headers=headers)
        for key, value in cookies.items():
            client.cookies[key] = value
        response = client.post(url, json.dumps(body), content_type="application/json")
        return Answer(response.status_code, response.json(), False)

    from daihoi.asgi import application

    async def main() -> Answer:
        transport = httpx.ASGITransport(app=application)
        try:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", cookies=cookies
            ) as c:
                r = await c.post(url, json=body, headers=headers)
        finally:
            await cast_asgi.shutdown()
            await sync_to_async(connections.close_all)()
        return Answer(r.status_code, r.json(), r.headers.get("x-daihoi-cast") == "lean")

    return asyncio.run(main())


def test_an_api_cast_with_the_browsers_session_is_cast_on_the_lean_path_too() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = _open(hall)
    slate = queries.slate_ids(election)
    form = {"form_token": token(), "kept": slate[:2]}
    forged = post_api_with_session(election, hall.voters[0], form, csrf=False)
    assert forged.status == 403 and not forged.lean, forged  # no CSRF token: Django's refusal
    first = post_api_with_session(election, hall.voters[0], form)
    assert first.status == 201 and first.lean is POSTGRES, first
    again = post_api_with_session(election, hall.voters[0], form)
    assert (again.status, again.body) == (200, {**first.body, "already_recorded": True})
    outsider = post_api_with_session(election, hall.organizer, {**form, "form_token": token()})
    assert outsider.status == 403 and not outsider.lean, outsider  # not on the roster
    assert _written(election) == (1, 1, 1, 1)
    assert Receipt.objects.get(election=election).code == first.body["receipt"]


def _terminate(pid: int) -> None:
    """End a PostgreSQL backend, as a restart or a network fault would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.skipif(not POSTGRES, reason="the writers' connections are the lean path's")
def test_a_writer_keeps_its_connection_and_checks_it_after_it_sat_idle() -> None:
    hall = make_hall(testing.make_province(), voters=3)
    election = _open(hall)
    keys = _keys(hall)
    kept = queries.slate_ids(election)[:1]
    from daihoi.asgi import application

    async def cast(c: httpx.AsyncClient, key: str, form: str) -> int:
        url = f"/api/v1/elections/{election.pk}/ballots"
        answer = await c.post(
            url,
            json={"form_token": form, "kept": kept},
            headers={"authorization": f"Bearer {key}"},
        )
        assert answer.headers.get("x-daihoi-cast") == "lean"
        return answer.status_code

    async def backend(conn: Any) -> int:
        return int((await (await conn.execute("SELECT pg_backend_pid()")).fetchone())[0])

    async def main() -> list[Any]:
        seen: list[Any] = []
        transport = httpx.ASGITransport(app=application)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                seen.append(await cast(c, keys[0], token()))
                state = await cast_asgi.lean()
                (held,) = state.held
                first = held.conn
                seen.append(await cast(c, keys[1], token()))
                seen.append(held.conn is first)  # the same connection for the next batch
                # gone while idle: checked before the next batch, which then takes another
                pid = await backend(first)
                await sync_to_async(_terminate)(pid)
                held.last_used -= held.IDLE_CHECK_S + 1
                form = token()
                seen.append(await cast(c, keys[2], form))
                seen.append(held.conn is not first)
                seen.append(await cast(c, keys[2], form))  # sent again: the same receipt
        finally:
            await cast_asgi.shutdown()
            await sync_to_async(connections.close_all)()
        return seen

    assert asyncio.run(main()) == [201, 201, True, 201, True, 200]
    assert _written(election) == (3, 3, 3, 3)


@pytest.mark.skipif(not POSTGRES, reason="the writers' connections are the lean path's")
def test_a_batch_on_a_connection_lost_without_a_pause_fails_and_its_retry_is_recorded() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = _open(hall)
    keys = _keys(hall)
    kept = queries.slate_ids(election)[:1]
    from daihoi.asgi import application

    async def main() -> list[int]:
        statuses = []
        url = f"/api/v1/elections/{election.pk}/ballots"
        transport = httpx.ASGITransport(app=application)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:

                async def cast(key: str, form: str) -> int:
                    body = {"form_token": form, "kept": kept}
                    answer = await c.post(
                        url, json=body, headers={"authorization": f"Bearer {key}"}
                    )
                    return answer.status_code

                statuses.append(await cast(keys[0], token()))
                (held,) = (await cast_asgi.lean()).held
                cursor = await held.conn.execute("SELECT pg_backend_pid()")
                await sync_to_async(_terminate)((await cursor.fetchone())[0])
                form = token()
                statuses.append(await cast(keys[1], form))  # on the dead connection
                statuses.append(await cast(keys[1], form))  # the same form, on a new one
        finally:
            await cast_asgi.shutdown()
            await sync_to_async(connections.close_all)()
        return statuses

    assert asyncio.run(main()) == [201, 503, 201]
    assert _written(election) == (2, 2, 2, 2)


@pytest.mark.skipif(not POSTGRES, reason="the lean path is PostgreSQL's")
def test_a_worker_is_ready_before_the_first_cast_and_follows_polls_opening_and_closing() -> None:
    """Warmed at start-up: the writer holds its connection and the open poll is read; the
    live listener then reads a poll as it opens and forgets a congress's polls as one closes,
    so no cast waits for either."""
    hall = make_hall(testing.make_province(), voters=1)
    first = _open(hall)
    second = hall.election(seats=2, candidates=3)
    polls = cast_asgi.caches.polls

    async def until(condition: Any) -> bool:
        for _ in range(200):
            if condition():
                return True
            await asyncio.sleep(0.025)
        return False

    async def main() -> list[Any]:
        try:
            await cast_asgi.warm()
            (held,) = (await cast_asgi.lean()).held
            seen: list[Any] = [held.conn is not None, set(polls)]
            await sync_to_async(actions.election_close)(actor=hall.organizer, election=first)
            seen.append(await until(lambda: first.pk not in polls))
            await sync_to_async(actions.election_open)(actor=hall.organizer, election=second)
            seen.append(await until(lambda: second.pk in polls))
            seen.append(set(polls))
        finally:
            await cast_asgi.shutdown()
            await sync_to_async(connections.close_all)()
        return seen

    assert asyncio.run(main()) == [True, {first.pk}, True, True, {second.pk}]


@pytest.mark.skipif(POSTGRES, reason="on SQLite Django answers every cast")
def test_on_sqlite_the_start_up_warms_nothing() -> None:
    from daihoi.elections import cast_batches

    asyncio.run(cast_asgi.warm())
    assert cast_batches._states == {} and cast_asgi.caches.polls == {}


@pytest.mark.skipif(not POSTGRES, reason="the lean path is PostgreSQL's")
def test_a_database_unreachable_at_start_up_leaves_the_work_to_the_first_casts(
    monkeypatch: Any, caplog: Any
) -> None:
    from bench.common import free_port
    from daihoi.elections import cast_batches

    _open(make_hall(testing.make_province(), voters=1))
    db = connections["default"].settings_dict
    monkeypatch.setitem(db, "HOST", "127.0.0.1")
    monkeypatch.setitem(db, "PORT", str(free_port()))  # nothing listens there
    monkeypatch.setattr(cast_batches.Lean, "WARM_WAIT_S", 0.5)

    async def main() -> None:
        try:
            await cast_asgi.warm()  # returns: the server starts anyway
        finally:
            await cast_asgi.shutdown()

    with caplog.at_level("WARNING", logger="daihoi.elections.cast_batches"):
        asyncio.run(main())
    assert "not warmed at start-up" in caplog.text
    assert cast_asgi.caches.polls == {}

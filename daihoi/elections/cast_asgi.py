"""The lean cast path: `POST /api/v1/elections/{id}/ballots` and the ballot page's form
(`POST /elections/{id}/vote/`) under an ASGI server, beside Django: the HTTP side. The
caches, the pool and the group commit are `cast_batches`'s; who sends a page form or a
session's API cast, `cast_page`'s.

Through Django a cast costs ~14 ms of CPU (middleware, ninja, the ORM, one transaction per
ballot). Here, on PostgreSQL, the request is answered without the Django request cycle:

- the open poll (slate, ballot form, public key) is read once per process and cached until a
  transaction finds it closed; the voters' API tokens are resolved inside each batch's
  transaction, one query for the whole batch (token, active account, checked-in roster line:
  `casting.cast_transaction`), which is at once the authentication and the check that the
  token was not revoked meanwhile. (A cache of token → delegate was measured first: in a burst
  every voter casts once, so every lookup missed, and the lookups were one pooled round trip
  and commit per ballot, more than the batch's own share of the work.)
- the submission is checked and sealed by `casting.prepare`, the code the Django action runs;
- casts are gathered for a few milliseconds (`DAIHOI_CAST_BATCH_MS`, at most
  `DAIHOI_CAST_BATCH_MAX`) and written in one transaction on a psycopg 3 async connection
  pool (`psycopg_pool`); each voter is answered only after that transaction committed. If it
  fails, every cast in it is answered 503 `cast_not_recorded_retry`, and a retry with the same
  form token gets the same receipt, whether or not the commit had in fact happened.

The page form carries a session and a CSRF token instead of an API token: `cast_page.admit`
checks them, on one short trip to a worker thread, with Django's own middleware pieces, and
finds the voter's roster line; the cast then joins the same batches, and a recorded ballot is
answered with the page view's redirect to its receipt.

An API cast signed in with the browser's session instead of an API token is admitted the
same way (`cast_page.admit_api`, its CSRF token in `X-CSRFToken`) and answered as the API.

Whatever the lean path cannot answer by itself goes on to Django with the request body
replayed: a session that is not signed in or lacks its CSRF token, an election or voter it
does not know, a malformed body, a poll that closed or a token revoked since it was cached.
Django's answer is then the action's (`actions.ballot_cast`, the same checks and statements
as a batch of one). On SQLite, and under the development server, everything goes to Django.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from daihoi.core.errors import error_items
from daihoi.elections import cast_page, casting, live
from daihoi.elections.cast_batches import CommitFailed, Lean, caches, lean, run_async, shutdown
from daihoi.elections.cast_batches import warm as warm_lean

log = logging.getLogger(__name__)

__all__ = ["CommitFailed", "caches", "lean", "run_async", "shutdown", "warm", "with_lean_cast"]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CAST_PATH = re.compile(r"^/api/v1/elections/(\d+)/ballots$")
PAGE_PATH = re.compile(r"^/elections/(\d+)/vote/$")  # the ballot page's form
MAX_BODY = 64 * 1024
SERVED_BY = (b"x-daihoi-cast", b"lean")  # which path answered (the smoke test checks it)


# The request ---------------------------------------------------------------------------


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def _api_key(scope: Scope) -> str:
    authorization = _header(scope, b"authorization")
    scheme, _sep, credential = authorization.partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        return credential.strip()
    return _header(scope, b"x-api-token").strip()


def _language(scope: Scope) -> str:
    """The request's language as Django's LocaleMiddleware would choose it for an API call."""
    cookie = _header(scope, b"cookie")
    name = settings.LANGUAGE_COOKIE_NAME
    chosen = [v.split("=", 1)[1] for v in cookie.split("; ") if v.startswith(name + "=")]
    return _language_of(tuple(chosen), _header(scope, b"accept-language"))


@functools.lru_cache(maxsize=256)
def _language_of(chosen: tuple[str, ...], accept_language: str) -> str:
    """The first supported of the cookie's language and the header's (a few hundred
    distinct pairs at most: cached, not worked out again for every cast)."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    wanted = [*chosen, *(lang for lang, _q in parse_accept_lang_header(accept_language))]
    for code in wanted:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def _ballot(body: bytes) -> dict[str, Any] | None:
    """The body as `api.BallotIn` takes it, or None (Django then answers with its errors)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("form_token"), str):
        return None
    if set(data) - {"form_token", "kept", "agreed", "disagreed"}:
        return None
    for key in ("kept", "agreed", "disagreed"):
        marks = data.get(key)
        if marks is not None and not (isinstance(marks, list) and set(map(type, marks)) <= {str}):
            return None
    return data


def _headers(scope: Scope, content_type: bytes) -> list[tuple[bytes, bytes]]:
    """The headers Django's middleware would set on the answer."""
    headers = [
        (b"content-type", content_type),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
        SERVED_BY,
    ]
    hsts = int(getattr(settings, "SECURE_HSTS_SECONDS", 0) or 0)
    if hsts and scope.get("scheme") == "https":
        headers.append((b"strict-transport-security", f"max-age={hsts}".encode()))
    return headers


async def _respond(scope: Scope, send: Send, status: int, payload: Any) -> None:
    headers = _headers(scope, b"application/json; charset=utf-8")
    await send({"type": "http.response.start", "status": status, "headers": headers})
    body = json.dumps(payload, ensure_ascii=False).encode()
    await send({"type": "http.response.body", "body": body})


async def _redirect(scope: Scope, send: Send, location: str) -> None:
    headers = [*_headers(scope, b"text/html; charset=utf-8"), (b"location", location.encode())]
    await send({"type": "http.response.start", "status": 302, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _read_body(receive: Receive) -> tuple[list[Any], bytes, bool]:
    """The messages read (to replay), the body, and whether it was read whole within MAX_BODY."""
    messages, chunks, size = [], [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, b"", False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            return messages, b"", False
        if not message.get("more_body", False):
            return messages, b"".join(chunks), True


def _replay(messages: list[Any], receive: Receive) -> Receive:
    queued = list(messages)

    async def replayed() -> Any:
        if queued:
            return queued.pop(0)
        return await receive()

    return replayed


async def _open_poll(state: Lean, election_id: int) -> casting.Poll | None:
    try:
        return await state.poll(election_id)
    except Exception:  # the database is away: Django answers as it can
        log.warning("lean cast: the poll could not be read", exc_info=True)
        return None


async def serve_page_form(
    scope: Scope, receive: Receive, send: Send, *, election_id: int, django_app: ASGIApp
) -> None:
    """The ballot page's form (`cast_page.admit` says who sends it). A recorded ballot, or
    the same form again, is answered with the redirect to its receipt, as the page view
    answers; everything else (a refusal, a flash message to show) is Django's to answer."""
    messages, body, whole = await _read_body(receive)

    async def to_django() -> None:
        await django_app(scope, _replay(messages, receive), send)

    state = await lean()
    poll = await _open_poll(state, election_id) if whole else None
    page = None
    if poll is not None:
        page = await sync_to_async(live.closing, thread_sensitive=False)(
            cast_page.admit, scope, body, poll
        )
    if poll is None or page is None:
        await to_django()
        return
    try:
        pending = casting.prepare(poll, page.voter, form_token=page.form_token, **page.marks)
        outcome = await state.cast(pending)
    except (ValidationError, PermissionDenied, CommitFailed):
        # the view flashes the refusal; after a failed commit its action casts the same form
        # again, and gets the receipt if the commit had in fact happened
        await to_django()
        return
    if outcome.kind is casting.Kind.RECORDED or outcome.kind is casting.Kind.RETRY:
        location = reverse(
            "elections:receipt", kwargs={"election_id": election_id, "code": outcome.receipt}
        )
        await _redirect(scope, send, location)
        return
    if outcome.kind is casting.Kind.STALE:
        caches.forget(pending, outcome.why)
    await to_django()


async def serve_cast(
    scope: Scope, receive: Receive, send: Send, *, election_id: int, django_app: ASGIApp
) -> None:
    messages, body, whole = await _read_body(receive)

    async def to_django() -> None:
        await django_app(scope, _replay(messages, receive), send)

    key = _api_key(scope)
    data = _ballot(body) if whole else None
    if data is None:
        await to_django()
        return
    state = await lean()
    poll = await _open_poll(state, election_id)
    if poll is None:
        await to_django()
        return
    if key:
        # Who the token's voter is, the transaction finds out (for the whole batch at once).
        digest = hashlib.sha256(key.encode()).hexdigest()
        voter: casting.Voter | None = casting.Voter(
            user_id=0, username="", delegate_id=0, api_key_hash=digest
        )
    else:  # the browser's session and its CSRF token, as the API's session authentication
        voter = await sync_to_async(live.closing, thread_sensitive=False)(
            cast_page.admit_api, scope, body, poll
        )
    if voter is None:
        await to_django()
        return
    with translation.override(_language(scope)):
        try:
            pending = casting.prepare(
                poll,
                voter,
                form_token=data["form_token"],
                kept=data.get("kept"),
                agreed=data.get("agreed"),
                disagreed=data.get("disagreed"),
            )
            outcome = await state.cast(pending)
        except ValidationError as exc:
            await _respond(scope, send, 422, {"detail": error_items(exc)})
            return
        except PermissionDenied as exc:
            await _respond(scope, send, 403, {"detail": str(exc) or "Forbidden"})
            return
        except CommitFailed:
            retry = _("The ballot was not recorded; send the same ballot form again.")
            item = {"field": "__all__", "code": "cast_not_recorded_retry", "message": retry}
            await _respond(scope, send, 503, {"detail": [item]})
            return
        kind = outcome.kind
        if kind is casting.Kind.RECORDED or kind is casting.Kind.RETRY:
            retried = kind is casting.Kind.RETRY
            payload = {"receipt": outcome.receipt, "already_recorded": retried}
            await _respond(scope, send, 200 if retried else 201, payload)
            return
        if kind is casting.Kind.ALREADY_VOTED:
            error = casting.already_voted()
        elif kind is casting.Kind.FORM_TAKEN:
            error = casting.form_damaged()
        else:  # STALE: forget, and let Django's checks say what changed
            caches.forget(pending, outcome.why)
            await to_django()
            return
        assert isinstance(error, ValidationError)
        await _respond(scope, send, 422, {"detail": error_items(error)})


def lean_enabled() -> bool:
    return bool(getattr(settings, "DAIHOI_LEAN_CAST", True)) and (
        connections["default"].vendor == "postgresql"
    )


async def warm() -> None:
    """At a web worker's start-up: the lean path made ready for a vote's first casts
    (`cast_batches.Lean.warm`), where it answers them."""
    if lean_enabled():
        await warm_lean()


def with_lean_cast(django_app: ASGIApp) -> ASGIApp:
    """The ASGI application: ballot casts, from the API and from the ballot page, here
    (PostgreSQL); everything else to `django_app`."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST" and lean_enabled():
            path = scope.get("path", "")
            for pattern, serve in ((CAST_PATH, serve_cast), (PAGE_PATH, serve_page_form)):
                match = pattern.match(path)
                if match:
                    await serve(
                        scope, receive, send, election_id=int(match[1]), django_app=django_app
                    )
                    return
        await django_app(scope, receive, send)

    return application

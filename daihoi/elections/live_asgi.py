"""The projector stream under an ASGI server, served beside Django rather than through it.

Django runs a request's synchronous parts (the session, the user, every sync middleware) on
a thread reserved for that request until the response ends; a stream lasting an hour would
keep that thread, and a screen per thread soon runs a process out of them. So `daihoi/asgi.py`
sends the stream's path here: one short trip to a pooled worker thread reads the session,
checks that the user may see the congress (`views.projector_congress`, 404 otherwise) and
takes a stream slot (`core.streams`, 429 when too many are open), closing its database
connection before it returns; then the stream waits on the process's listener
(`live.async_hub`) holding no thread and no connection. Every other path goes to Django.
Under the development server (WSGI) the Django view `views.projector_stream` serves the same
URL with the threaded hub.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from urllib.parse import quote

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils import translation

from daihoi.core import streams
from daihoi.elections import live

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STREAM_PATH = re.compile(r"^/elections/congress/(\d+)/projector/stream/$")
HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
    (b"x-content-type-options", b"nosniff"),
]


@dataclass
class Admission:
    """What the thread found: a refusal to send, or what the stream needs."""

    status: int = 200
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""
    congress_id: int = 0
    last_seen: int | None = None
    render: Callable[[int], str] | None = None
    slot: streams.StreamSlot | None = None
    language: str = ""


def _admit(scope: Scope, congress_id: int) -> Admission:
    from daihoi.elections import views

    request = ASGIRequest(scope, io.BytesIO())
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    user = get_user(request)  # type: ignore[arg-type]
    if not user.is_authenticated:
        login = f"{resolve_url(settings.LOGIN_URL)}?next={quote(scope['path'])}"
        return Admission(status=302, headers=[(b"location", login.encode())])
    try:
        congress = views.projector_congress(user, congress_id)
    except Http404:
        return Admission(status=404, headers=[(b"content-type", b"text/plain")], body=b"")
    language = translation.get_language_from_request(request)
    with translation.override(language):  # the refusal speaks the screen's language
        slot = streams.stream_open(request, user_id=user.pk, kind="projector")
    if isinstance(slot, streams.StreamRefused):
        refused = slot.response()
        return Admission(
            status=refused.status_code,
            headers=[(k.lower().encode(), str(v).encode()) for k, v in refused.items()],
            body=refused.content,
        )
    raw = request.headers.get("Last-Event-ID", "")

    def render(event_id: int) -> str:
        with translation.override(language):
            return live.cached_panel(
                congress.pk, event_id, language, lambda: views.panel_html(congress)
            )

    return Admission(
        congress_id=congress.pk,
        last_seen=int(raw) if raw.isdigit() else None,
        render=render,
        slot=slot,
        language=language,
    )


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def serve_stream(scope: Scope, receive: Receive, send: Send, *, congress_id: int) -> None:
    admission = await sync_to_async(live.closing, thread_sensitive=False)(
        _admit, scope, congress_id
    )
    if admission.status != 200 or admission.render is None or admission.slot is None:
        await send(
            {
                "type": "http.response.start",
                "status": admission.status,
                "headers": admission.headers,
            }
        )
        await send({"type": "http.response.body", "body": admission.body})
        return
    events = live.astream(
        congress_id=admission.congress_id,
        last_seen=admission.last_seen,
        render=admission.render,
        shared=(admission.congress_id, admission.language),
    )

    async def pump() -> None:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        async for chunk in events:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    tasks = [asyncio.ensure_future(pump()), asyncio.ensure_future(_until_disconnect(receive))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await events.aclose()
        streams.release_soon(admission.slot)


def with_live_streams(django_app: ASGIApp) -> ASGIApp:
    """The ASGI application: live streams here, everything else to Django."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "GET":
            match = STREAM_PATH.match(scope.get("path", ""))
            if match:
                await serve_stream(scope, receive, send, congress_id=int(match[1]))
                return
        await django_app(scope, receive, send)

    return application

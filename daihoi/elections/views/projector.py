"""The hall's projector: the full-screen page, its panel and figures, and the live stream."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from daihoi.congresses.models import Congress
from daihoi.core import streams
from daihoi.core.access import scoped
from daihoi.elections import (
    hall,
    live,
    minutes,
    queries,
)
from daihoi.elections.models import Election
from daihoi.elections.views._base import _congress


def _panel_html(congress: Congress, request: HttpRequest | None = None) -> str:
    elections = list(queries.congress_elections(congress))
    blocks = []
    for election in elections:
        released = election.state == Election.State.RELEASED
        blocks.append(
            {
                "election": election,
                "rows": minutes.outcome_rows(election, election.outcome) if released else [],
                "result": election.outcome if released else None,
            }
        )
    return render_to_string(
        "elections/_panel.html", {"congress": congress, "blocks": blocks}, request=None
    )


def _hall_html(congress: Congress) -> str:
    return render_to_string("elections/_hall.html", {"hall": hall.hall_state(congress)})


@scoped
def projector(request: HttpRequest, congress_id: int) -> HttpResponse:
    """The hall's full-screen page: no navigation, large type, live."""
    congress = _congress(request.user, congress_id)
    context = {"congress": congress, "panel": _panel_html(congress), "hall": _hall_html(congress)}
    return render(request, "elections/projector.html", context)


@scoped
def projector_hall(request: HttpRequest, congress_id: int) -> HttpResponse:
    """Attendance, quorum, the current item and speaker, and each open poll's turnout."""
    congress = _congress(request.user, congress_id)
    return HttpResponse(_hall_html(congress))


@scoped
def projector_panel(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = _congress(request.user, congress_id)
    return HttpResponse(_panel_html(congress))


def projector_congress(user: Any, congress_id: int) -> Congress:
    """The congress a projector stream follows, if the user may see it (404 otherwise)."""
    return _congress(user, congress_id)


def panel_html(congress: Congress) -> str:
    return _panel_html(congress)


@scoped
def projector_stream(request: HttpRequest, congress_id: int) -> HttpResponseBase:
    """Server-sent events: the panel now, and again whenever a poll closes or a result is out.

    This view serves the development server (WSGI, one thread per stream); under an ASGI
    server `live_asgi` answers this URL without a thread. Both limit open streams."""
    congress = _congress(request.user, congress_id)
    slot = streams.stream_open(request, user_id=int(request.user.pk or 0), kind="projector")
    if isinstance(slot, streams.StreamRefused):
        return slot.response()
    raw = request.headers.get("Last-Event-ID", "")
    last_seen = int(raw) if raw.isdigit() else None
    language = get_language() or "vi"

    def render_panel(event_id: int) -> str:
        return live.cached_panel(congress.pk, event_id, language, lambda: _panel_html(congress))

    response = StreamingHttpResponse(
        live.stream(
            congress_id=congress.pk,
            last_seen=last_seen,
            render=render_panel,
            on_close=slot.release,
        ),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response

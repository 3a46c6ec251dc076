"""The ballot page's form, and API casts signed in with a browser session, on the lean cast
path: who submits them, read as Django reads it.

`cast_asgi` answers `POST /elections/{id}/vote/` beside Django as it answers the API's cast.
A browser carries a session and a CSRF token, not an API token, so one short trip to a
pooled worker thread (`admit`) runs Django's own pieces on the request: the hostile-input
check (`core.middleware.HostileInputMiddleware`), the session and its user
(`django.contrib.auth.get_user`), the CSRF check (`CsrfViewMiddleware`), the election's
scope (`queries.access_election_by_id`, as the page view) and the voter's checked-in roster
line (`queries.voter_line`, as the action). It reads the marks with `casting.form_marks`,
the same function as the page view. `admit_api` does the same for an API cast that carries
the browser's session (and its CSRF token in a header) instead of an API token. Whatever
they cannot vouch for returns None, and the
request goes to Django, whose view and action answer it (a refusal, the login page, a
flash message). The transaction checks the roster line again (`casting.cast_transaction`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from daihoi.core.middleware import HostileInputMiddleware
from daihoi.elections import casting, queries

FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class PageCast:
    """A page form the lean path may cast: its voter, form token and marks."""

    voter: casting.Voter
    form_token: str
    marks: dict[str, Any]


def _unreached(request: HttpRequest) -> HttpResponse:  # the middlewares' next step: unused
    raise AssertionError("only the middlewares' checks run here")


def _session_voter(request: HttpRequest, poll: casting.Poll, view: Any) -> casting.Voter | None:
    """The voter signed in with this request's session, if Django would let the request
    reach `view`: no hostile input, a signed-in user, the CSRF check passed, the election in
    the user's scope, a checked-in roster line."""
    if HostileInputMiddleware(_unreached).check(request) is not None:
        return None
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    user = get_user(request)  # type: ignore[arg-type]
    if not user.is_authenticated:
        return None
    request.user = user
    csrf = CsrfViewMiddleware(_unreached)
    csrf.process_request(request)
    if csrf.process_view(request, view, (), {"election_id": poll.election_id}) is not None:
        return None
    try:
        election = queries.access_election_by_id(user, poll.election_id)
    except Http404:
        return None
    line = queries.voter_line(user, election.congress)
    if line is None or line.checked_in_at is None:
        return None
    return casting.Voter(user_id=user.pk, username=user.get_username(), delegate_id=line.pk)


def admit(scope: dict[str, Any], body: bytes, poll: casting.Poll) -> PageCast | None:
    """On a worker thread: the page form's voter and marks, or None to let Django answer."""
    from daihoi.elections.views import vote

    request = ASGIRequest(scope, io.BytesIO(body))
    if request.content_type != FORM_TYPE:
        return None
    voter = _session_voter(request, poll, vote)
    if voter is None:
        return None
    return PageCast(
        voter=voter,
        form_token=request.POST.get("form_token", ""),
        marks=casting.form_marks(request.POST, strike_out=poll.strike_out, slate=poll.slate),
    )


def admit_api(scope: dict[str, Any], body: bytes, poll: casting.Poll) -> casting.Voter | None:
    """On a worker thread: the voter of an API cast signed in with the browser's session
    instead of an API token (its CSRF token in `X-CSRFToken`, as the API's session
    authentication asks), or None to let Django answer."""
    from daihoi.elections.api import cast_ballot

    request = ASGIRequest(scope, io.BytesIO(body))
    if request.content_type != "application/json":
        return None
    return _session_voter(request, poll, cast_ballot)

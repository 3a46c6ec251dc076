"""Shared by the personnel pages: numbers and dates from forms, the person or candidate a form
names, and one way to run the action a form asks for."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from daihoi.core.errors import attempt
from daihoi.personnel import queries
from daihoi.personnel.messages import check_label, describe
from daihoi.personnel.models import Plan, PlanCandidate


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise ValidationError({name: _("Enter a whole number.")}, code="not_a_number") from None


def _date(request: HttpRequest, name: str) -> datetime.date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: _("Enter a date as YYYY-MM-DD.")}, code="bad_date") from None


def _dispatch(request: HttpRequest, handlers: dict[str, Callable[[], str]]) -> None:
    """Run the handler the form's `action` names, inside `attempt` (so every refusal, a bad
    number or date included, becomes a message); an unknown action is refused."""
    handler = handlers.get(request.POST.get("action", ""))
    if handler is None:
        messages.error(request, _("Unknown request."))
        return
    attempt(request, handler)


def _check_rows(candidate: PlanCandidate) -> list[dict[str, str]]:
    """The candidate's hard-standard checks as the pages show them."""
    return [
        {"label": check_label(k.code), "result": k.result.value, "text": describe(k)}
        for k in queries.candidate_checks(candidate)
    ]


def _person_of(request: HttpRequest) -> Any:
    """The member whose code was posted, in the user's area (a refusal otherwise)."""
    person = queries.person_by_code(request.user, request.POST.get("code", ""))
    if person is None:
        raise ValidationError({"code": _("No such member in your area.")}, code="no_person")
    return person


def _candidate_of(request: HttpRequest, plan: Plan) -> PlanCandidate:
    candidate = plan.candidates.filter(pk=request.POST.get("candidate") or 0).first()
    if candidate is None:
        raise Http404("No such candidate")
    return candidate

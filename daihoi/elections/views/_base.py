"""Shared by the election pages: the congress whose elections a user may see, numbers and dates
from forms."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from daihoi.congresses.models import Congress
from daihoi.elections import (
    queries,
)


def _congress(user: Any, congress_id: int) -> Congress:
    """A congress whose elections the user may see; 404 otherwise."""
    election = queries.elections_visible(user).filter(congress_id=congress_id).first()
    if election is not None:
        return election.congress
    congress = Congress.objects.select_related("unit", "cycle").filter(pk=congress_id).first()
    if congress is None or not queries.is_organizer(user, congress):
        raise Http404("No such congress")
    return congress


def _int(request: HttpRequest, name: str, *, default: int | None = None) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw and default is not None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            {
                name: _("%(field)s must be a whole number, got “%(raw)s”.")
                % {"field": name, "raw": raw}
            }
        ) from None


def _document_language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "vi")
    if language not in ("vi", "en", "de"):
        raise Http404("No such language")
    return language


def _date(request: HttpRequest, name: str) -> datetime.date:
    raw = request.POST.get(name, "").strip()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {name: _("Give the date as YYYY-MM-DD, got “%(raw)s”.") % {"raw": raw}}
        ) from None

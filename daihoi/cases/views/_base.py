"""Shared by the case pages: dates and numbers from forms, the register's filters."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            {field: ValidationError(_("Enter a date like 2025-07-15."), code="not_a_date")}
        ) from None


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "kind": request.GET.get("kind", ""),
        "state": request.GET.get("state", ""),
        "due": request.GET.get("due", ""),
        "unit": request.GET.get("unit", "").strip()[:40],
        "congress": _int(request.GET.get("congress")),
    }

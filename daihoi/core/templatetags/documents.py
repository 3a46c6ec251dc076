"""Template filters for documents: `document_date` and `figure` (see `core.documents`)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from daihoi.core import documents

register = template.Library()


@register.filter(name="document_date")
def document_date(value: datetime.date | None) -> str:
    return documents.document_date(value) if value else ""


@register.filter(name="figure")
def figure(value: Any) -> str:
    return "" if value is None or value == "" else documents.figure(value)


@register.filter(name="isodate")
def isodate(value: datetime.date | None) -> str:
    """A date for a URL or an `<input type="date">`, which take ISO dates whatever the
    language; what people read uses the language's format (`|date:"SHORT_DATE_FORMAT"`)."""
    return value.isoformat() if value else ""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping|get_item:key` — a dictionary lookup with a variable key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def state_name(code: str) -> str:
    """A congress state code (`in_session`) in the reader's language."""
    from daihoi.congresses.actions.lifecycle import state_label

    return str(state_label(code))


PLAN_FIELDS = {
    "congress_type": _("type"),
    "contents": _("contents"),
    "bodies": _("bodies"),
    "earliest": _("earliest date"),
    "latest": _("latest date"),
    "max_duration_days": _("maximum duration (days)"),
}


@register.filter
def plan_field_name(field: str) -> str:
    """A field of a congress's plan terms (`earliest`) in the reader's language."""
    return str(PLAN_FIELDS.get(field, field))


@register.simple_tag
def plan_value(field: str, value: Any, rulebook_id: str = "") -> str:
    """A plan term's value written out: a type by its name, dates and numbers localized."""
    from daihoi.congresses.models import Congress
    from daihoi.rulebooks.templatetags.rulebook_names import congress_type_name

    if value is None or value == "" or value == ():
        return "–"
    if field == "congress_type":
        return congress_type_name(str(value), rulebook_id or None)
    if field == "contents":
        return ", ".join(str(c) for c in value)
    if field == "bodies":
        return str(dict(Congress.Bodies.choices).get(value, value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(formats.localize(value))

"""Rulebook codes shown by their names in the reader's language: `{{ unit.level|level_name }}`,
`{{ congress.congress_type|congress_type_name:congress.cycle.rulebook_id }}`."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import get_language

from daihoi.rulebooks.loader import load_rulebook

register = template.Library()


def _rulebook(rulebook_id: str | None):  # type: ignore[no-untyped-def]
    return load_rulebook(rulebook_id or settings.DAIHOI_DEFAULT_RULEBOOK)


@register.filter
def level_name(code: str, rulebook_id: str | None = None) -> str:
    """A level code (`above_grassroots`) as the rulebook names it; the code if unknown."""
    try:
        return _rulebook(rulebook_id).level(code).names.get(get_language() or "vi")
    except (KeyError, LookupError, ValueError):
        return code


@register.filter
def congress_type_name(code: str, rulebook_id: str | None = None) -> str:
    try:
        return _rulebook(rulebook_id).congress_type(code).names.get(get_language() or "vi")
    except (KeyError, LookupError, ValueError):
        return code


@register.filter
def source_name(short: str, rulebook_id: str | None = None) -> str:
    """A cited source: its short (English) name, or in Vietnamese its full title."""
    if not (get_language() or "vi").startswith("vi"):
        return short
    return str(_rulebook(rulebook_id).sources.get(short, short))

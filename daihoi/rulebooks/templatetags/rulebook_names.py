"""Rulebook codes shown by their names in the reader's language: `{{ unit.level|level_name }}`,
`{{ congress.congress_type|congress_type_name:congress.cycle.rulebook_id }}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import get_language

from daihoi.rulebooks import display, outline
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


def _row(rule: Any, book: Any) -> dict[str, Any]:
    return {
        "anchor": rule.anchor,
        "path": rule.path,
        "label": display.label(rule, book),
        "value": display.value_text(rule, book),
        "source": display.source_text(rule, book),
        "unverified": rule.cited.unverified,
        "rulebook_id": book.id,
    }


@register.simple_tag
def rule_text(path: str, rulebook_id: str | None = None) -> dict[str, Any] | None:
    """The rule at `path` of a rulebook in words: label, value, source, unverified, anchor."""
    try:
        book = _rulebook(rulebook_id)
    except (KeyError, LookupError, ValueError):
        return None
    rule = outline.rule_at(book, path)
    return _row(rule, book) if rule is not None else None


@register.simple_tag
def congress_rules(
    rulebook_id: str, level: str, congress_type: str, window_rule: str = ""
) -> list[dict[str, Any]]:
    """The rules that decide a congress, in words, for links into the rulebook browser."""
    try:
        book = _rulebook(rulebook_id)
    except (KeyError, LookupError, ValueError):
        return []
    found = outline.rules_for_congress(
        book, level=level, congress_type=congress_type, window_rule=window_rule
    )
    return [_row(rule, book) for rule in found]

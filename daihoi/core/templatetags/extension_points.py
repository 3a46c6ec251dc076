"""Template access to the read-only hooks of `core.hooks` (lines other apps contribute)."""

from __future__ import annotations

from typing import Any

from django import template

from daihoi.core import hooks

register = template.Library()


@register.simple_tag
def candidate_notes(candidate: Any) -> list[str]:
    return hooks.candidate_notes(candidate=candidate)


@register.simple_tag
def congress_lines(congress: Any, user: Any) -> list[tuple[str, str]]:
    return hooks.congress_lines(congress=congress, user=user)

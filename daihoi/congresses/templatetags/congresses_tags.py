from __future__ import annotations

from typing import Any

from django import template

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

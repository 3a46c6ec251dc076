"""What the consultation pages share: errors as messages, numbers from forms."""

from __future__ import annotations


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None

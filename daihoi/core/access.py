"""Every route declares its access: deliberately public, or scoped to the user's subtree.

`tests/test_routes.py` enumerates all URL patterns and API operations and fails on any
route that declares neither. A scoped view still fetches its objects through an
`access_…` query, which answers 404 outside the user's subtree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required

ACCESS_ATTR = "daihoi_access"
PUBLIC = "public"
SCOPED = "scoped"

V = TypeVar("V", bound=Callable[..., Any])


def public(view: V) -> V:
    """Mark a view as reachable without an account, on purpose."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def scoped(view: V) -> V:
    """Require a login; the view limits what it shows to the user's subtree."""
    wrapped = login_required(view)
    setattr(wrapped, ACCESS_ATTR, SCOPED)
    return wrapped  # type: ignore[return-value]


def access_of(view: Any) -> str | None:
    return getattr(view, ACCESS_ATTR, None)

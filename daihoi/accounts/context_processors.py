"""What every page's navigation needs to know about the user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from daihoi.accounts.authority import scope_paths
from daihoi.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`may_manage_roles`: the user organizes some subtree (asked only when a page shows it)."""
    return {
        "may_manage_roles": SimpleLazyObject(
            lambda: scope_paths(request.user, roles=[Role.ORGANIZER]) != []
        )
    }

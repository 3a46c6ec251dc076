"""Shared by the congress pages: dates from forms, the unit a cycle page looks at, crumbs."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest

from daihoi.accounts.authority import in_scope
from daihoi.accounts.models import Role
from daihoi.congresses import queries
from daihoi.congresses.models import Cycle
from daihoi.organizations.models import Unit
from daihoi.organizations.queries import access_unit_by_code, unit_ancestors, unit_parent


def _date(value: str | None, default: datetime.date | None = None) -> datetime.date | None:
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return default


def _subtree_unit(request: HttpRequest, cycle: Cycle) -> Unit:
    code = request.GET.get("unit", "").strip()
    if not code:
        return queries.default_unit(request.user, cycle)
    unit = access_unit_by_code(request.user, code)
    if not unit.path.startswith(cycle.root.path):
        raise Http404("Unit not in this cycle")
    return unit


def can_decide_for(user: Any, unit: Unit) -> bool:
    """Whether `user` acts as the higher level of `unit`."""
    parent = unit_parent(unit)
    if parent is None:
        return in_scope(user, unit, roles=[Role.ADMIN])
    return in_scope(user, parent, roles=[Role.ORGANIZER])


def _crumbs(request: HttpRequest, cycle: Cycle, unit: Unit) -> list[Unit]:
    return [
        a
        for a in unit_ancestors(unit)
        if a.path.startswith(cycle.root.path) and in_scope(request.user, a)
    ]

"""The planning pool: its units, entries and shares, and the people entered in it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language

from daihoi.accounts.authority import people_scope_q, scope_paths
from daihoi.congresses.models import Cycle
from daihoi.organizations.models import Person, Unit
from daihoi.personnel import structure
from daihoi.personnel.models import (
    PoolEntry,
)
from daihoi.personnel.queries._base import DOSSIER_ROLES
from daihoi.rulebooks.loader import load_rulebook


def access_pool_unit(user: Any, code: str) -> Unit:
    unit = Unit.objects.filter(people_scope_q(user, field="path"), code=code).first()
    if unit is None:
        raise Http404("No such unit")
    return unit


def pool_units(user: Any) -> QuerySet[Unit]:
    paths = scope_paths(user, roles=DOSSIER_ROLES)
    qs = Unit.objects.filter(people_scope_q(user, field="path"), active_until__isnull=True)
    if paths is None:
        qs = qs.filter(depth__lte=2)
    return qs.order_by("path")[:200]  # type: ignore[return-value]


def pool(
    unit: Unit, cycle: Cycle | None = None, *, include_removed: bool = True
) -> QuerySet[PoolEntry]:
    qs = PoolEntry.objects.filter(unit=unit).select_related("person", "cycle")
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if not include_removed:
        qs = qs.filter(removed_on__isnull=True)
    return qs.order_by("removed_on", "body", "person__full_name")


def pool_gauges(unit: Unit, cycle: Cycle, entries: list[PoolEntry]) -> list[structure.Gauge]:
    book = load_rulebook(cycle.rulebook_id)
    rules = book.personnel
    if rules is None:
        return []
    targets = [
        structure.Target(
            code=s.value.code,
            comparison="at_least",
            percent=s.value.percent,
            name=s.value.names.get(get_language() or "vi"),
        )
        for s in rules.pool.shares
    ]
    members = [
        structure.Member(
            gender=e.person.gender, birth_date=e.person.birth_date, ethnicity=e.person.ethnicity
        )
        for e in entries
        if e.removed_on is None
    ]
    ref = date(cycle.term_start, 1, 1)
    return structure.gauges(
        members,
        targets,
        reference_date=ref,
        young_under_years=rules.standards.young_under_years.value,
    )


def cycles_of(unit: Unit) -> QuerySet[Cycle]:
    return Cycle.objects.filter(congresses__unit=unit).distinct().order_by("-term_start")


def in_active_pool(person: Person, unit: Unit, body: str) -> PoolEntry | None:
    return PoolEntry.objects.filter(
        person=person, unit=unit, body=body, removed_on__isnull=True
    ).first()


def person_by_code(user: Any, code: str) -> Person | None:
    """A member within the user's personal-data scope, by member code."""
    return (
        Person.objects.filter(people_scope_q(user), member_code=code.strip())
        .select_related("unit")
        .first()
    )


def access_pool_entry(user: Any, unit: Unit, entry_id: int) -> PoolEntry:
    entry = PoolEntry.objects.filter(unit=unit, pk=entry_id).select_related("unit").first()
    if entry is None:
        raise Http404("No such entry")
    return entry

"""Reads of units and people, always scoped to the user's subtrees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from daihoi.accounts.authority import may_read_personal_data, people_scope_q, unit_scope_q
from daihoi.core.text import fold
from daihoi.organizations.models import CURRENT_STATUSES, Person, PreparedReorganization, Unit

# --- the order of people ---------------------------------------------------------------


def people_order(prefix: str = "") -> list[str]:
    """`order_by` fields that list people the Vietnamese way: by given name, family name and
    middle name in Vietnamese collation (`Person.name_key`), then birth date. `prefix` reaches
    a person through a relation, e.g. ``people_order("person__")``.

    One stored key serves SQLite and PostgreSQL alike, so both list people in one order (the
    key is tested against PostgreSQL's `vi-x-icu` collation) and a page of a large unit is read
    from an index rather than sorted.
    """
    return [f"{prefix}name_key", f"{prefix}birth_date", f"{prefix}id"]


def person_sort_key(person: Person) -> tuple[str, Any, int]:
    """The same order for people already in memory."""
    return (person.name_key, person.birth_date, person.pk or 0)


def units_visible(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(unit_scope_q(user))


def access_unit_by_code(user: Any, code: str, *, roles: list[str] | None = None) -> Unit:
    """The unit with `code` if the user may see it; 404 otherwise, so nothing leaks."""
    unit = Unit.objects.filter(unit_scope_q(user, roles=roles), code=code).first()
    if unit is None:
        raise Http404("No such unit")
    return unit


def access_unit_personal(user: Any, code: str) -> Unit:
    """The unit with `code` if the user may read its members' records (organizers and
    inspectors of the subtree); 404 otherwise."""
    unit = Unit.objects.filter(people_scope_q(user, field="path"), code=code).first()
    if unit is None:
        raise Http404("No such unit")
    return unit


def may_list_names(user: Any, unit: Unit) -> bool:
    """Names of a unit's members: for those who read personal data, and for a member of that
    very unit (their cell's names)."""
    if may_read_personal_data(user, unit):
        return True
    return getattr(user, "person_id", None) is not None and user.person.unit_id == unit.pk


def access_person_by_id(user: Any, person_id: int) -> Person:
    """A member's record: for organizers and inspectors of the subtree, and for the member."""
    own = Q(pk=getattr(user, "person_id", None) or 0)
    person = (
        Person.objects.filter(people_scope_q(user) | own, pk=person_id)
        .select_related("unit")
        .first()
    )
    if person is None:
        raise Http404("No such person")
    return person


def root_units(user: Any) -> list[Unit]:
    """The top units of the user's scope (their grant units, or the tree's roots)."""
    units = list(units_visible(user).order_by("path"))
    tops: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(t.path) for t in tops):
            tops.append(unit)
    return tops


def unit_children(unit: Unit, *, include_inactive: bool = False) -> QuerySet[Unit]:
    children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by(
        "path"
    )
    return children if include_inactive else children.filter(active_until__isnull=True)


def unit_parent(unit: Unit) -> Unit | None:
    if unit.depth <= 1:
        return None
    return Unit.objects.filter(path=unit.path[: -Unit.steplen]).first()


def unit_ancestors(unit: Unit) -> list[Unit]:
    paths = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth)]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))


def members_in_subtree(unit: Unit) -> QuerySet[Person]:
    # Through the subtree's unit ids: the (unit, status) index answers it, where a join on
    # the path prefix would scan every person.
    subtree = Unit.objects.filter(path__startswith=unit.path).values("pk")
    return Person.objects.filter(unit_id__in=subtree, status__in=CURRENT_STATUSES)


@dataclass(frozen=True)
class MemberCounts:
    """Current members of a unit's subtree: in total, in the unit itself, under each child."""

    total: int
    own: int
    by_child: dict[str, int]
    units: int = 0  # units in the subtree, the unit itself included


def member_counts(unit: Unit) -> MemberCounts:
    """Current members under each child of `unit` (by child path), in the unit itself and in
    total: one aggregate per unit of the subtree, summed here."""
    per_unit = dict(
        members_in_subtree(unit)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    width = len(unit.path) + Unit.steplen
    by_child: dict[str, int] = {}
    own = units = 0
    for pk, path in Unit.objects.filter(path__startswith=unit.path).values_list("pk", "path"):
        units += 1
        if pk not in per_unit:
            continue
        if path == unit.path:
            own = per_unit[pk]
        else:
            by_child[path[:width]] = by_child.get(path[:width], 0) + per_unit[pk]
    return MemberCounts(total=sum(per_unit.values()), own=own, by_child=by_child, units=units)


def holds_most_of_the_tree(unit: Unit, *, counts: MemberCounts | None = None) -> bool:
    """Whether `unit`'s subtree holds at least half of all units (a province's root, say);
    `counts` already counted them."""
    units = (
        counts.units if counts is not None else subtree_units(unit, include_inactive=True).count()
    )
    return units * 2 >= Unit.objects.count()


def member_counts_by_child(unit: Unit) -> dict[str, int]:
    """Current members under each child of `unit`, by child path."""
    return member_counts(unit).by_child


def unit_members(
    unit: Unit, *, query: str = "", subtree: bool = True, most: bool = False
) -> QuerySet[Person]:
    """Current members of `unit` (and its subtree), optionally filtered by a name or code.

    `most` says the subtree holds most of the tree (`holds_most_of_the_tree`): the people are
    then read in their order from the `person_name_order` index and filtered as they come,
    instead of every member being found through the (unit, status) index and sorted — for a
    province's root that sorted 108,000 people to show 50. (Comparing `unit_id + 0` and
    the status as an expression keeps the planner from the unit and status indexes.)
    """
    people: QuerySet[Person]
    if subtree and most:
        subtree_ids = Unit.objects.filter(path__startswith=unit.path).values("pk")
        people = Person.objects.alias(
            unit_ref=F("unit_id") + 0, status_ref=Concat("status", Value(""))
        ).filter(unit_ref__in=subtree_ids, status_ref__in=CURRENT_STATUSES)
    elif subtree:
        people = members_in_subtree(unit)
    else:
        people = Person.objects.filter(unit=unit, status__in=CURRENT_STATUSES)
    if query:
        folded = fold(query)
        people = people.filter(Q(name_folded__contains=folded) | Q(member_code__iexact=query))
    return people.select_related("unit").order_by(*people_order())


def search_units(user: Any, query: str, *, limit: int = 50) -> QuerySet[Unit]:
    folded = fold(query)
    return (
        units_visible(user)
        .filter(Q(name_folded__contains=folded) | Q(code__istartswith=query.strip()))
        .order_by("depth", "path")[:limit]
    )


def search_people(user: Any, query: str, *, limit: int = 30) -> tuple[list[Person], bool]:
    """Up to `limit` people in the user's area whose folded name holds the folded query (or
    whose member code is the query), sorted by name, and whether more match.

    The first matches found are taken and then sorted: ordering every match of a common name
    ("nguyen van") across a province before cutting would sort tens of thousands of rows.
    """
    folded = fold(query)
    hits = list(
        Person.objects.filter(people_scope_q(user))
        .filter(Q(name_folded__contains=folded) | Q(member_code__iexact=query.strip()))
        .select_related("unit")[: limit + 1]
    )
    hits.sort(key=person_sort_key)
    return hits[:limit], len(hits) > limit


def pick_people(user: Any, *, within: Unit, query: str, limit: int = 20) -> list[Person]:
    """The person picker's people: current members of `within`'s subtree whose records the
    user may read, whose folded name holds the query or whose member code is the query,
    sorted by name (the first `limit` matches found)."""
    if not query.strip():
        return []
    folded = fold(query)
    hits = list(
        members_in_subtree(within)
        .filter(people_scope_q(user))
        .filter(Q(name_folded__contains=folded) | Q(member_code__iexact=query.strip()))
        .select_related("unit")[:limit]
    )
    return sorted(hits, key=person_sort_key)


def subtree_units(unit: Unit, *, include_inactive: bool = False) -> QuerySet[Unit]:
    units = Unit.objects.filter(path__startswith=unit.path).order_by("path")
    return units if include_inactive else units.filter(active_until__isnull=True)


def unit_lineage(unit: Unit) -> dict[str, list[Unit]]:
    return {
        "predecessors": [
            link.predecessor for link in unit.predecessor_links.select_related("predecessor")
        ],
        "successors": [link.successor for link in unit.successor_links.select_related("successor")],
    }


def pick_units(
    user: Any,
    *,
    within: Unit,
    query: str = "",
    level: str = "",
    roles: list[str] | None = None,
    limit: int = 20,
) -> list[Unit]:
    """The search picker's units: active units strictly below `within` that `user` reaches
    (with one of `roles`), whose folded name holds the query or whose code starts with it."""
    units = Unit.objects.filter(
        unit_scope_q(user, roles=roles),
        path__startswith=within.path,
        depth__gt=within.depth,
        active_until__isnull=True,
    )
    if level:
        units = units.filter(level=level)
    if query.strip():
        units = units.filter(
            Q(name_folded__contains=fold(query)) | Q(code__istartswith=query.strip())
        )
    return list(units.order_by("depth", "name_folded", "path")[:limit])


def prepared_reorganizations(
    unit: Unit, *, waiting_only: bool = False
) -> QuerySet[PreparedReorganization]:
    """Reorganizations prepared on the page of `unit`, newest first."""
    rows = PreparedReorganization.objects.filter(unit=unit).select_related(
        "prepared_by", "confirmed_by"
    )
    if waiting_only:
        rows = rows.filter(status=PreparedReorganization.Status.PREPARED)
    return rows.order_by("-prepared_at", "-pk")


def reorganizations_of(unit: Unit) -> list[PreparedReorganization]:
    """The confirmed prepared reorganizations that formed or closed `unit` (its lineage)."""
    reorg_ids = set(unit.predecessor_links.values_list("reorganization_id", flat=True)) | set(
        unit.successor_links.values_list("reorganization_id", flat=True)
    )
    return list(
        PreparedReorganization.objects.filter(reorganization_id__in=reorg_ids)
        .select_related("prepared_by", "confirmed_by", "reorganization", "unit")
        .order_by("pk")
    )

"""What a user may see: cycles, congresses and directives in their subtrees (404 outside)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from daihoi.accounts.authority import (
    ALL,
    active_grants,
    congress_attended_q,
    congress_scope_q,
    congress_visible_q,
    scope_paths,
    unit_scope_q,
)
from daihoi.accounts.models import Role
from daihoi.congresses.models import (
    Congress,
    Cycle,
    Directive,
)
from daihoi.congresses.queries._base import ancestor_paths
from daihoi.core.text import fold
from daihoi.organizations.models import CURRENT_STATUSES, Person, Unit
from daihoi.organizations.queries import (
    holds_most_of_the_tree,
    members_in_subtree,
    people_order,
)


def cycles_visible(user: Any) -> QuerySet[Cycle]:
    """Cycles whose tree reaches into the user's scope (planned above it or inside it)."""
    paths = scope_paths(user)
    cycles = Cycle.objects.select_related("root").order_by("-term_start", "name")
    if paths is ALL:
        return cycles
    if not paths:
        return cycles.none()
    above = {a for p in paths for a in [*ancestor_paths(p), p]}
    return cycles.filter(Q(root__path__in=above) | unit_scope_q(user, field="root__path"))


def access_cycle_by_id(user: Any, cycle_id: int) -> Cycle:
    cycle = cycles_visible(user).filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("No such cycle")
    return cycle


def congresses_in_scope(user: Any) -> QuerySet[Congress]:
    """Congresses of units in the user's subtrees: those they plan, monitor or organize."""
    return Congress.objects.filter(congress_scope_q(user))


def congresses_attended(user: Any) -> QuerySet[Congress]:
    """Congresses the user sits a board of or is on the roster of."""
    return Congress.objects.filter(congress_attended_q(user))


def congresses_visible(user: Any) -> QuerySet[Congress]:
    """Congresses in scope or attended (everything for the superuser and a root admin)."""
    return Congress.objects.filter(congress_visible_q(user)).select_related("unit", "cycle")


def _access(congresses: QuerySet[Congress], congress_id: int) -> Congress:
    congress = (
        congresses.filter(pk=congress_id)
        .select_related("unit", "cycle", "successor__unit", "convene_approved_by")
        .first()
    )
    if congress is None:
        raise Http404("No such congress")
    return congress


def access_congress_in_scope(user: Any, congress_id: int) -> Congress:
    """A congress of the user's subtrees; 404 otherwise, so nothing leaks."""
    return _access(congresses_in_scope(user), congress_id)


def access_congress_by_id(user: Any, congress_id: int) -> Congress:
    """A congress the user may see (in scope or attended); 404 otherwise."""
    return _access(congresses_visible(user), congress_id)


def access_directive_by_id(user: Any, directive_id: int) -> Directive:
    """A directive is visible to its publisher's subtree and to whoever sees the publisher."""
    paths = scope_paths(user)
    directives = Directive.objects.select_related("unit")
    if paths is not ALL:
        above = {a for p in paths or [] for a in [*ancestor_paths(p), p]}
        directives = directives.filter(
            Q(unit__path__in=above) | unit_scope_q(user, field="unit__path")
        )
    directive = directives.filter(pk=directive_id).first()  # noqa: RUF100
    if directive is None:
        raise Http404("No such directive")
    return directive


def directives_for(user: Any) -> QuerySet[Directive]:
    """Directives published in the user's subtrees or above them."""
    paths = scope_paths(user)
    directives = Directive.objects.select_related("unit").order_by("-issued_on", "-id")
    if paths is ALL:
        return directives
    above = {a for p in paths or [] for a in [*ancestor_paths(p), p]}
    return directives.filter(Q(unit__path__in=above) | unit_scope_q(user, field="unit__path"))


def units_granted(user: Any, roles: list[str]) -> list[Unit]:
    """The units the user holds one of `roles` on (the tops of their subtrees)."""
    return sorted({g.unit for g in active_grants(user, roles=roles)}, key=lambda u: u.path)


def my_units_for_directive(user: Any, directive: Directive) -> list[Unit]:
    """Units addressed by `directive` that the user organizes: their grants' units inside the
    directive's subtree, or (for organizers above) none to act for."""
    return [
        u
        for u in units_granted(user, [Role.ORGANIZER])
        if u.path.startswith(directive.unit.path) and u.pk != directive.unit_id
    ]


def people_by_member_code(unit: Unit, codes: list[str]) -> dict[str, int]:
    """Current members of `unit`'s subtree with these member codes: code -> id."""
    return dict(
        Person.objects.filter(
            unit__path__startswith=unit.path, status__in=CURRENT_STATUSES, member_code__in=codes
        ).values_list("member_code", "pk")
    )


def congress_for_unit(cycle: Cycle, unit: Unit) -> Congress | None:
    return Congress.objects.filter(cycle=cycle, unit=unit).select_related("unit").first()


def default_unit(user: Any, cycle: Cycle) -> Unit:
    """Where the user's dashboard starts: the cycle's root, or the top of their own scope."""
    paths = scope_paths(user)
    if paths is ALL or any(cycle.root.path.startswith(p) for p in paths or []):
        return cycle.root
    mine = [p for p in paths or [] if p.startswith(cycle.root.path)]
    unit = Unit.objects.filter(path__in=mine).order_by("path").first()
    if unit is None:
        raise Http404("Not in this cycle")
    return unit


def pick_congresses(
    user: Any, *, query: str = "", limit: int = 20, roles: Sequence[str] | None = None
) -> tuple[list[Congress], int]:
    """The congress picker: congresses in the user's subtrees (where they hold one of `roles`,
    when given) whose unit's folded name holds the query (or whose unit code starts with it),
    not cancelled, and how many match."""
    scoped = (
        Congress.objects.filter(unit_scope_q(user, roles=roles, field="unit__path"))
        if roles
        else congresses_in_scope(user)
    )
    congresses = scoped.exclude(state="cancelled")
    if query.strip():
        congresses = congresses.filter(
            Q(unit__name_folded__contains=fold(query)) | Q(unit__code__istartswith=query.strip())
        )
    congresses = congresses.select_related("unit", "cycle").order_by(
        "unit__depth", "unit__name_folded", "-cycle__term_start", "pk"
    )
    return list(congresses[:limit]), congresses.count()


def pick_members(unit: Unit, *, query: str = "", limit: int = 20) -> list[Person]:
    """The attendee picker: current members of `unit`'s subtree whose folded name holds the
    query or whose member code is it, in the order of people."""
    if not query.strip():
        return []
    # a small subtree's members through its units' ids (the (unit, status) index); a subtree
    # holding most of the tree gains nothing from that and is scanned by status
    people = (
        Person.objects.filter(unit__path__startswith=unit.path, status__in=CURRENT_STATUSES)
        if holds_most_of_the_tree(unit)
        else members_in_subtree(unit)
    ).filter(Q(name_folded__contains=fold(query)) | Q(member_code__iexact=query.strip()))
    return list(people.select_related("unit").order_by(*people_order())[:limit])

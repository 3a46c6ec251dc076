"""Reads of cycles, congresses and directives, scoped to the user's subtree.

The dashboard's figures come from a fixed number of aggregate queries over a materialized
path prefix (`unit__path__startswith`), whatever the size of the subtree: never one query
per unit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404
from django.utils import timezone

from daihoi.accounts.models import Role, User
from daihoi.accounts.queries import ALL, active_grants, scope_paths, unit_scope_q
from daihoi.congresses import planning, workflow
from daihoi.congresses.models import (
    Acknowledgement,
    Congress,
    Cycle,
    Directive,
    PlanApproval,
)
from daihoi.organizations.models import CURRENT_STATUSES, Person, Unit
from daihoi.rulebooks.loader import load_rulebook

STEP = Unit.steplen
NOT_COUNTED = (workflow.CANCELLED,)
OPEN_STATES = tuple(sorted(set(workflow.STATES) - workflow.DONE - {workflow.CANCELLED}))


def today() -> datetime.date:
    """The date the cycle is looked at; `DAIHOI_TODAY` pins it for demonstrations."""
    pinned = getattr(settings, "DAIHOI_TODAY", "")
    if pinned:
        return datetime.date.fromisoformat(pinned)
    return timezone.localdate()


def ancestor_paths(path: str) -> list[str]:
    return [path[: i * STEP] for i in range(1, len(path) // STEP)]


# Access ----------------------------------------------------------------------------------


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


def congresses_visible(user: Any) -> QuerySet[Congress]:
    return Congress.objects.filter(unit_scope_q(user, field="unit__path"))


def access_congress_by_id(user: Any, congress_id: int) -> Congress:
    congress = (
        congresses_visible(user)
        .filter(pk=congress_id)
        .select_related("unit", "cycle", "successor__unit", "convene_approved_by")
        .first()
    )
    if congress is None:
        raise Http404("No such congress")
    return congress


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


# Filtering -------------------------------------------------------------------------------


def congress_list(
    *,
    cycle: Cycle,
    unit: Unit,
    level: str = "",
    state: str = "",
    overdue: bool = False,
    pilot: bool | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Congress]:
    """The congresses of `unit`'s subtree in `cycle`, filtered."""
    congresses = (
        Congress.objects.filter(cycle=cycle, unit__path__startswith=unit.path)
        .select_related("unit")
        .annotate(due=Coalesce("extended_latest", "latest"))
        .order_by("unit__path")
    )
    if level:
        congresses = congresses.filter(unit__level=level)
    if state:
        congresses = congresses.filter(state=state)
    if pilot is not None:
        congresses = congresses.filter(pilot=pilot)
    if overdue:
        congresses = congresses.filter(due__lt=on or today(), state__in=OPEN_STATES)
    return congresses


# Rollups ---------------------------------------------------------------------------------


def progress(cycle: Cycle, unit: Unit) -> dict[str, dict[str, int]]:
    """Counts by level and state in `unit`'s subtree: one aggregate query."""
    rows = (
        Congress.objects.filter(cycle=cycle, unit__path__startswith=unit.path)
        .values("unit__level", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        out[row["unit__level"]][row["state"]] = row["n"]
    return dict(out)


def child_rollup(cycle: Cycle, unit: Unit) -> dict[str, dict[str, int]]:
    """Counts by state for each child subtree of `unit`, keyed by child path: one query."""
    width = len(unit.path) + STEP
    rows = (
        Congress.objects.filter(cycle=cycle, unit__path__startswith=unit.path)
        .exclude(unit__path=unit.path)
        .annotate(child_path=Substr("unit__path", 1, width))
        .values("child_path", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        out[row["child_path"]][row["state"]] = row["n"]
    return dict(out)


@dataclass(frozen=True)
class ChildCount:
    total: int
    done: int

    @property
    def open(self) -> int:
        return self.total - self.done


def child_counts(cycle: Cycle, unit: Unit) -> dict[str, ChildCount]:
    """For every parent path in the subtree: its children's congresses, total and done.

    Cancelled congresses (of abolished or merged units) do not count. One query.
    """
    rows = (
        Congress.objects.filter(cycle=cycle, unit__path__startswith=unit.path)
        .exclude(unit__path=unit.path)
        .exclude(state__in=NOT_COUNTED)
        .annotate(parent_path=Substr("unit__path", 1, Length("unit__path") - STEP))
        .values("parent_path")
        .annotate(total=Count("id"), done=Count("id", filter=Q(state__in=workflow.DONE)))
        .order_by()
    )
    return {r["parent_path"]: ChildCount(r["total"], r["done"]) for r in rows}


def children_of_congress(congress: Congress) -> ChildCount:
    unit = congress.unit
    row = (
        Congress.objects.filter(
            cycle_id=congress.cycle_id,
            unit__path__startswith=unit.path,
            unit__depth=unit.depth + 1,
        )
        .exclude(state__in=NOT_COUNTED)
        .aggregate(total=Count("id"), done=Count("id", filter=Q(state__in=workflow.DONE)))
    )
    return ChildCount(row["total"] or 0, row["done"] or 0)


def open_sibling_pilots(congress: Congress) -> int:
    """Pilot congresses beside this one (same parent, same level) not yet concluded."""
    unit = congress.unit
    if congress.pilot or unit.depth <= 1:
        return 0
    return (
        Congress.objects.filter(
            cycle_id=congress.cycle_id,
            pilot=True,
            unit__path__startswith=unit.path[:-STEP],
            unit__depth=unit.depth,
            unit__level=unit.level,
        )
        .exclude(state__in=(*workflow.DONE, workflow.CANCELLED))
        .count()
    )


def plan_approved_for(cycle: Cycle, unit: Unit) -> bool:
    """Whether an approved plan covers `unit` (its own subtree's or an ancestor's)."""
    return PlanApproval.objects.filter(
        cycle=cycle,
        approved_at__isnull=False,
        unit__path__in=[*ancestor_paths(unit.path), unit.path],
    ).exists()


def plan_approvals(cycle: Cycle, unit: Unit) -> QuerySet[PlanApproval]:
    paths = [*ancestor_paths(unit.path), unit.path]
    return (
        PlanApproval.objects.filter(cycle=cycle)
        .filter(Q(unit__path__in=paths) | Q(unit__path__startswith=unit.path))
        .select_related("unit", "prepared_by", "approved_by")
        .order_by("unit__path")
    )


@dataclass
class Blocked:
    congress: Congress
    open: int
    total: int


@dataclass
class LevelTimeline:
    level: str
    earliest: datetime.date | None
    latest: datetime.date | None
    first_concluded: datetime.date | None
    last_concluded: datetime.date | None
    total: int
    done: int
    bar: dict[str, float] = field(default_factory=dict)


@dataclass
class Dashboard:
    cycle: Cycle
    unit: Unit
    on: datetime.date
    levels: list[str]
    states: list[str]
    counts: dict[str, dict[str, int]]
    level_totals: dict[str, int]
    state_totals: dict[str, int]
    total: int
    children: list[dict[str, Any]]
    overdue: list[Congress]
    overdue_count: int
    upcoming: list[Congress]
    upcoming_count: int
    pilots: list[Congress]
    blocked: list[Blocked]
    blocked_count: int
    timeline: list[LevelTimeline]
    directives: list[dict[str, Any]]


LIST_LIMIT = 20


def dashboard(
    cycle: Cycle, unit: Unit, *, on: datetime.date | None = None, horizon: int = 30
) -> Dashboard:
    """Everything the dashboard shows for `unit`'s subtree: a fixed number of queries."""
    on = on or today()
    book = load_rulebook(cycle.rulebook_id)
    counts = progress(cycle, unit)
    levels = [lv.code for lv in book.levels if lv.code in counts]
    levels += sorted(set(counts) - set(levels))
    level_totals = {lv: sum(counts[lv].values()) for lv in levels}
    state_totals: dict[str, int] = defaultdict(int)
    for by_state in counts.values():
        for state, n in by_state.items():
            state_totals[state] += n

    subtree = Congress.objects.filter(cycle=cycle, unit__path__startswith=unit.path).annotate(
        due=Coalesce("extended_latest", "latest")
    )
    overdue_qs = subtree.filter(due__lt=on, state__in=OPEN_STATES)
    upcoming_qs = subtree.filter(state__in=OPEN_STATES).filter(
        Q(due__gte=on, due__lte=on + datetime.timedelta(days=horizon))
        | Q(starts_on__gte=on, starts_on__lte=on + datetime.timedelta(days=horizon))
    )

    rollup = child_rollup(cycle, unit)
    child_units = list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")
    )
    children = []
    for child in child_units:
        by_state = rollup.get(child.path, {})
        total = sum(by_state.values())
        if not total and not child.is_active:
            continue
        done = sum(n for s, n in by_state.items() if s in workflow.DONE)
        counted = total - by_state.get(workflow.CANCELLED, 0)
        children.append(
            {
                "unit": child,
                "by_state": by_state,
                "total": total,
                "done": done,
                "percent": round(100 * done / counted) if counted else 0,
            }
        )

    counts_by_parent = child_counts(cycle, unit)
    open_parents = [p for p, c in counts_by_parent.items() if c.open > 0]
    blocked_qs = subtree.filter(
        unit__path__in=open_parents,
        state__in=sorted(workflow.PENDING),
        earliest__lte=on,
        exemption__isnull=True,
    ).select_related("unit")
    blocked_rows = list(blocked_qs.order_by("unit__path")[:LIST_LIMIT])
    blocked = [
        Blocked(c, counts_by_parent[c.unit.path].open, counts_by_parent[c.unit.path].total)
        for c in blocked_rows
    ]

    windows = {
        r["unit__level"]: r
        for r in subtree.values("unit__level")
        .annotate(
            earliest_min=Min("earliest"),
            latest_max=Max("due"),
            first_done=Min("concluded_on"),
            last_done=Max("concluded_on"),
        )
        .order_by()
    }
    timeline = _timeline(levels, windows, counts)

    return Dashboard(
        cycle=cycle,
        unit=unit,
        on=on,
        levels=levels,
        states=[s for s in workflow.STATES if state_totals.get(s)],
        counts=counts,
        level_totals=level_totals,
        state_totals=dict(state_totals),
        total=sum(level_totals.values()),
        children=children,
        overdue=list(overdue_qs.select_related("unit").order_by("due", "unit__path")[:LIST_LIMIT]),
        overdue_count=overdue_qs.count(),
        upcoming=list(
            upcoming_qs.select_related("unit").order_by("due", "unit__path")[:LIST_LIMIT]
        ),
        upcoming_count=upcoming_qs.count(),
        pilots=list(
            subtree.filter(pilot=True).select_related("unit").order_by("unit__path")[:LIST_LIMIT]
        ),
        blocked=blocked,
        blocked_count=blocked_qs.count(),
        timeline=timeline,
        directives=directive_progress(cycle, unit),
    )


def _timeline(
    levels: list[str], windows: dict[str, dict[str, Any]], counts: dict[str, dict[str, int]]
) -> list[LevelTimeline]:
    rows = [
        LevelTimeline(
            level=lv,
            earliest=windows.get(lv, {}).get("earliest_min"),
            latest=windows.get(lv, {}).get("latest_max"),
            first_concluded=windows.get(lv, {}).get("first_done"),
            last_concluded=windows.get(lv, {}).get("last_done"),
            total=sum(counts.get(lv, {}).values()) - counts.get(lv, {}).get("cancelled", 0),
            done=sum(n for s, n in counts.get(lv, {}).items() if s in workflow.DONE),
        )
        for lv in levels
    ]
    dates = [d for r in rows for d in (r.earliest, r.latest, r.last_concluded) if d]
    if not dates:
        return rows
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)
    for row in rows:
        if row.earliest and row.latest:
            row.bar = {
                "left": round(100 * (row.earliest - start).days / span, 1),
                "width": max(round(100 * (row.latest - row.earliest).days / span, 1), 0.8),
                "done": round(100 * row.done / row.total) if row.total else 0,
            }
    return rows


def directive_progress(cycle: Cycle, unit: Unit) -> list[dict[str, Any]]:
    """Directives reaching `unit`'s subtree from it or above, with how many of the subtree's
    active units acknowledged them. Three queries."""
    directives = list(
        Directive.objects.filter(Q(cycle=cycle) | Q(cycle__isnull=True))
        .filter(unit__path__in=[*ancestor_paths(unit.path), unit.path])
        .select_related("unit")
        .order_by("-issued_on", "-id")[:10]
    )
    if not directives:
        return []
    acks = dict(
        Acknowledgement.objects.filter(directive__in=directives, unit__path__startswith=unit.path)
        .values_list("directive_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    in_subtree = Unit.objects.filter(path__startswith=unit.path, active_until__isnull=True).count()
    out = []
    for d in directives:
        # The publishing unit does not acknowledge its own directive.
        addressed = in_subtree - (1 if d.unit_id == unit.pk else 0)
        n = acks.get(d.pk, 0)
        out.append(
            {
                "directive": d,
                "acknowledged": n,
                "addressed": addressed,
                "percent": round(100 * n / addressed) if addressed else 100,
            }
        )
    return out


# Rulebook migration ----------------------------------------------------------------------


@dataclass(frozen=True)
class MigrationPreview:
    cycle_id: int
    from_rulebook: str
    to_rulebook: str
    changes: list[planning.CongressChange]
    rule_changes: list[planning.RuleChange]
    held: int  # congresses already held, which keep the rules they were held under
    fingerprint: str


def planned_congresses(cycle: Cycle) -> list[planning.PlannedCongress]:
    """The congresses of `cycle` that a new rulebook may still re-plan."""
    rows = (
        Congress.objects.filter(cycle=cycle, state__in=sorted(workflow.PENDING))
        .select_related("unit")
        .order_by("unit__path")
    )
    return [
        planning.PlannedCongress(
            congress_id=c.pk,
            unit_code=c.unit.code,
            level=c.unit.level,
            merged=c.merged,
            terms=planning.PlanTerms(
                congress_type=c.congress_type,
                contents=tuple(c.contents),
                bodies=c.bodies,
                earliest=c.earliest,
                latest=c.latest,
                max_duration_days=c.max_duration_days,
            ),
        )
        for c in rows
    ]


def cycle_migration_preview(cycle: Cycle, rulebook_id: str) -> MigrationPreview:
    """Every pending congress whose type, window or rules change under `rulebook_id`."""
    old = load_rulebook(cycle.rulebook_id)
    new = load_rulebook(rulebook_id)
    changes = planning.diff_plan(planned_congresses(cycle), new)
    held = Congress.objects.filter(cycle=cycle).exclude(state__in=sorted(workflow.PENDING))
    return MigrationPreview(
        cycle_id=cycle.pk,
        from_rulebook=cycle.rulebook_id,
        to_rulebook=rulebook_id,
        changes=changes,
        rule_changes=planning.diff_rules(old, new),
        held=held.exclude(state=workflow.CANCELLED).count(),
        fingerprint=planning.fingerprint(rulebook_id, changes),
    )


# Deadlines -------------------------------------------------------------------------------


def organizer_deadlines(
    paths: list[str] | None, *, on: datetime.date, within_days: int = 14
) -> tuple[list[Congress], list[Congress]]:
    """Congresses in the subtrees `paths` (None = all) due within `within_days`, and overdue."""
    congresses = Congress.objects.filter(state__in=OPEN_STATES).annotate(
        due=Coalesce("extended_latest", "latest")
    )
    if paths is not None:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(unit__path__startswith=p)
        congresses = congresses.filter(q)
    congresses = congresses.select_related("unit", "cycle").order_by("due", "unit__path")
    due: list[Congress] = list(
        congresses.filter(due__gte=on, due__lte=on + datetime.timedelta(days=within_days))
    )
    overdue: list[Congress] = list(congresses.filter(due__lt=on))
    return due, overdue


def organizers_with_email() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, grants__role__in=[Role.ORGANIZER, Role.ADMIN])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )

"""The dashboard of a subtree: counts, overdue, coming up, pilots, blocked congresses,
the timeline per level, and directive acknowledgement progress."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from daihoi.congresses import workflow
from daihoi.congresses.models import (
    Acknowledgement,
    Congress,
    Cycle,
    Directive,
)
from daihoi.congresses.queries._base import OPEN_STATES, ancestor_paths, today
from daihoi.congresses.queries.rollups import child_counts, child_rollup, progress
from daihoi.organizations.models import Unit
from daihoi.rulebooks.loader import load_rulebook


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
    pending = _pending_for(directives, unit)
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
                "pending": pending[d.pk][0],
                "pending_units": pending[d.pk][1],
            }
        )
    return out


def directive_pending_units(directive: Directive, *, within: Unit) -> QuerySet[Unit]:
    """The active units in `within`'s subtree (and the directive's) that have not
    acknowledged `directive`; the publishing unit does not acknowledge its own."""
    root = within if within.path.startswith(directive.unit.path) else directive.unit
    return (
        Unit.objects.filter(path__startswith=root.path, active_until__isnull=True)
        .exclude(pk=directive.unit_id)
        .exclude(
            Exists(Acknowledgement.objects.filter(directive_id=directive.pk, unit=OuterRef("pk")))
        )
        .order_by("depth", "path")
    )


PENDING_SHOWN = 5


def _pending_for(directives: list[Directive], unit: Unit) -> dict[int, tuple[int, list[Unit]]]:
    """For each directive: how many active units of the subtree have not acknowledged it,
    and the first few of them. Two queries whatever the number of directives."""
    if not directives:
        return {}
    marks = {
        f"ack_{d.pk}": Exists(
            Acknowledgement.objects.filter(directive_id=d.pk, unit=OuterRef("pk"))
        )
        for d in directives
    }
    units = Unit.objects.filter(path__startswith=unit.path, active_until__isnull=True).annotate(
        **marks
    )
    counts = units.aggregate(
        **{
            f"n_{d.pk}": Count("pk", filter=Q(**{f"ack_{d.pk}": False}) & ~Q(pk=d.unit_id))
            for d in directives
        }
    )
    lacking = Q(pk__in=[])
    for d in directives:
        lacking |= Q(**{f"ack_{d.pk}": False}) & ~Q(pk=d.unit_id)
    sample = list(units.filter(lacking).order_by("depth", "path")[: PENDING_SHOWN * 20])
    out: dict[int, tuple[int, list[Unit]]] = {}
    for d in directives:
        shown = [u for u in sample if not getattr(u, f"ack_{d.pk}") and u.pk != d.unit_id]
        out[d.pk] = (counts[f"n_{d.pk}"], shown[:PENDING_SHOWN])
    return out


def unacknowledged_for(paths: list[str] | None) -> list[tuple[Directive, Unit]]:
    """Directives published above the units `paths` that those units have not acknowledged:
    the reminders of an organizer whose grants are on these units."""
    if not paths:
        return []
    units = list(Unit.objects.filter(path__in=paths, active_until__isnull=True))
    above = {p for u in units for p in ancestor_paths(u.path)}
    directives = list(
        Directive.objects.filter(unit__path__in=sorted(above))
        .select_related("unit")
        .order_by("-issued_on", "-id")
    )
    done = set(
        Acknowledgement.objects.filter(directive__in=directives, unit__in=units).values_list(
            "directive_id", "unit_id"
        )
    )
    return [
        (d, u)
        for d in directives
        for u in units
        if u.path.startswith(d.unit.path) and u.pk != d.unit_id and (d.pk, u.pk) not in done
    ]

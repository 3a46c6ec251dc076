"""The filtered congress list, counts by level and state in one aggregate per level, and
the facts the lifecycle gates read (children concluded, pilots, plan approval)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, Length, Substr

from daihoi.congresses import workflow
from daihoi.congresses.models import (
    Congress,
    Cycle,
    PlanApproval,
)
from daihoi.congresses.queries._base import NOT_COUNTED, OPEN_STATES, STEP, ancestor_paths, today
from daihoi.congresses.queries.approval import approval_is_current
from daihoi.organizations.models import Unit


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
    """Whether an approved plan covers `unit` (its own subtree's or an ancestor's), and is
    still the plan that was approved."""
    approvals = PlanApproval.objects.filter(
        cycle=cycle,
        approved_at__isnull=False,
        unit__path__in=[*ancestor_paths(unit.path), unit.path],
    ).select_related("cycle", "unit")
    return any(approval_is_current(a) for a in approvals)


def plan_approvals(cycle: Cycle, unit: Unit) -> QuerySet[PlanApproval]:
    paths = [*ancestor_paths(unit.path), unit.path]
    return (
        PlanApproval.objects.filter(cycle=cycle)
        .filter(Q(unit__path__in=paths) | Q(unit__path__startswith=unit.path))
        .select_related("unit", "prepared_by", "approved_by")
        .order_by("unit__path")
    )

"""What a subtree's plan holds, for its approval: each congress, its deviations from the
rulebook, and the fingerprint an approval keeps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import connection

from daihoi.congresses import planning, workflow
from daihoi.congresses.models import Congress, Cycle, PlanApproval
from daihoi.organizations.models import Unit
from daihoi.rulebooks.loader import load_rulebook


@dataclass(frozen=True)
class PlanRow:
    congress: Congress
    deviations: tuple[planning.FieldChange, ...]  # planned value vs the rulebook's


def _congresses(cycle: Cycle, unit: Unit) -> list[Congress]:
    return list(
        Congress.objects.filter(cycle=cycle, unit__path__startswith=unit.path)
        .exclude(state=workflow.CANCELLED)
        .select_related("unit")
        .order_by("unit__path")
    )


def plan_fingerprint(cycle: Cycle, unit: Unit) -> str:
    """The fingerprint of `unit`'s subtree's plan as it is now: one aggregate query, since
    every gated transition in the subtree asks for it (a country's plan has 60,000 lines)."""
    congress = Congress._meta.db_table
    unit_table = Unit._meta.db_table
    fields = [
        "u.code",
        "c.congress_type",
        "c.contents",
        "c.bodies",
        "c.earliest",
        "c.latest",
        "c.max_duration_days",
        "c.pilot",
    ]
    cast = "::text" if connection.vendor == "postgresql" else ""
    line = " || '|' || ".join(f"coalesce({f}{cast}, '')" for f in fields)
    # Built only from the models' table names and the constant field list; values are bound.
    inner = (
        f"SELECT {line} AS line FROM {congress} c JOIN {unit_table} u ON u.id = c.unit_id "  # noqa: S608
        "WHERE c.cycle_id = %s AND u.path LIKE %s AND c.state <> %s"
    )
    if connection.vendor == "postgresql":
        sql = f"SELECT string_agg(line, E'\\n' ORDER BY line) FROM ({inner}) plan"  # noqa: S608
    else:
        sql = f"SELECT group_concat(line, char(10)) FROM ({inner} ORDER BY line) plan"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk, f"{unit.path}%", workflow.CANCELLED])
        (blob,) = cursor.fetchone() or ("",)
    return hashlib.sha256((blob or "").encode()).hexdigest()[:16]


def plan_review(cycle: Cycle, unit: Unit) -> tuple[list[PlanRow], str]:
    """Every congress of the subtree's plan with where it departs from the rulebook, and the
    plan's fingerprint."""
    book = load_rulebook(cycle.rulebook_id)
    congresses = _congresses(cycle, unit)
    rows = []
    for c in congresses:
        try:
            expected = planning.terms_for(
                book, c.unit.level, merged=c.merged, formed_on=c.formed_on
            )
        except KeyError:
            rows.append(PlanRow(c, ()))
            continue
        planned = planning.PlanTerms(
            congress_type=c.congress_type,
            contents=tuple(c.contents),
            bodies=c.bodies,
            earliest=c.earliest,
            latest=c.latest,
            max_duration_days=c.max_duration_days,
        )
        rows.append(PlanRow(c, planning.diff_terms(expected, planned)))
    return rows, plan_fingerprint(cycle, unit)


def approval_is_current(approval: PlanApproval) -> bool:
    """An approval holds while the plan is the one approved (older approvals carry no
    fingerprint and hold as they are)."""
    if approval.approved_at is None:
        return False
    if not approval.fingerprint:
        return True
    return approval.fingerprint == plan_fingerprint(approval.cycle, approval.unit)

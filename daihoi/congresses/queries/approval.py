"""What a subtree's plan holds, for its approval: each congress, its deviations from the
rulebook, and the fingerprint an approval keeps."""

from __future__ import annotations

from dataclasses import dataclass

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


def _line(c: Congress) -> planning.PlanLine:
    return planning.PlanLine(
        unit_code=c.unit.code,
        congress_type=c.congress_type,
        contents=tuple(c.contents),
        bodies=c.bodies,
        earliest=c.earliest,
        latest=c.latest,
        max_duration_days=c.max_duration_days,
        pilot=c.pilot,
    )


def plan_fingerprint(cycle: Cycle, unit: Unit) -> str:
    """The fingerprint of `unit`'s subtree's plan as it is now (one query)."""
    return planning.plan_fingerprint(_line(c) for c in _congresses(cycle, unit))


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
    return rows, planning.plan_fingerprint(_line(c) for c in congresses)


def approval_is_current(approval: PlanApproval) -> bool:
    """An approval holds while the plan is the one approved (older approvals carry no
    fingerprint and hold as they are)."""
    if approval.approved_at is None:
        return False
    if not approval.fingerprint:
        return True
    return approval.fingerprint == plan_fingerprint(approval.cycle, approval.unit)

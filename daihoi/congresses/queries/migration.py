"""The preview of moving a running cycle to another rulebook version."""

from __future__ import annotations

from dataclasses import dataclass

from daihoi.congresses import planning, workflow
from daihoi.congresses.models import (
    Congress,
    Cycle,
)
from daihoi.rulebooks.loader import load_rulebook


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
            formed_on=c.formed_on,
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

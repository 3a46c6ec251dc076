"""Moving a running cycle to a new rulebook version: exactly what the preview showed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role
from daihoi.congresses import planning, queries, workflow
from daihoi.congresses.actions._base import ORGANIZER, rulebook
from daihoi.congresses.models import (
    Congress,
    Cycle,
)
from daihoi.core import audit
from daihoi.core.errors import refusal


@action(system=True)
def cycle_migrate_rulebook(
    *, actor: Any, cycle: Cycle, rulebook_id: str, fingerprint: str
) -> queries.MigrationPreview:
    """Move a running cycle to another rulebook, applying exactly the preview shown.

    `fingerprint` is the preview's; if the plan changed since, nothing is written.
    """
    cycle = Cycle.objects.select_for_update().select_related("root").get(pk=cycle.pk)
    require_role(actor, cycle.root, ORGANIZER)
    if rulebook_id == cycle.rulebook_id:
        raise refusal(
            _("The cycle already follows this rulebook."),
            code="cycle_already_follows_rulebook",
            field="rulebook_id",
        )
    new_book = rulebook(rulebook_id)
    levels = set(
        Congress.objects.filter(cycle=cycle, state__in=sorted(workflow.PENDING))
        .values_list("unit__level", flat=True)
        .distinct()
    )
    missing = sorted(lv for lv in levels if lv not in {x.code for x in new_book.levels})
    if missing:
        raise refusal(
            _("Rulebook %(id)s has no level %(levels)s.")
            % {"id": rulebook_id, "levels": ", ".join(missing)},
            code="rulebook_no_level",
            field="rulebook_id",
        )
    preview = queries.cycle_migration_preview(cycle, rulebook_id)
    if preview.fingerprint != fingerprint:
        raise refusal(
            _("The plan changed since the preview; preview the migration again."),
            code="plan_changed_since_preview",
            field="fingerprint",
        )
    by_id = Congress.objects.in_bulk([c.congress_id for c in preview.changes])
    for change in preview.changes:
        congress = by_id[change.congress_id]
        for name, value in change.new_terms().items():
            setattr(congress, name, list(value) if isinstance(value, tuple) else value)
    Congress.objects.bulk_update(list(by_id.values()), list(planning.FIELDS), batch_size=1000)
    old = cycle.rulebook_id
    cycle.rulebook_id = rulebook_id
    cycle.save(update_fields=["rulebook_id"])
    audit.record(
        actor=actor,
        action="cycle_migrate_rulebook",
        obj=cycle,
        unit_path=cycle.root.path,
        changes={
            "rulebook": [old, rulebook_id],
            "fingerprint": fingerprint,
            "congresses": [asdict(c) for c in preview.changes],
        },
    )
    return preview

"""A cycle and its plan: creating it, generating one congress per unit, four-eyes approval."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import SYSTEM, action, require_higher, require_role
from daihoi.congresses import planning, workflow
from daihoi.congresses.actions._base import (
    ORGANIZER,
    apply_terms,
    is_user,
    plan_terms,
    rulebook,
)
from daihoi.congresses.models import (
    Congress,
    Cycle,
    PlanApproval,
)
from daihoi.congresses.queries.approval import plan_fingerprint
from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.core.text import nfc
from daihoi.organizations.models import Unit


@action(system=True)
def cycle_create(
    *, actor: Any, name: str, term_start: int, term_end: int, rulebook_id: str, root: Unit
) -> Cycle:
    require_role(actor, root, ORGANIZER)
    name = nfc(name.strip())
    if not name:
        raise refusal(_("A cycle needs a name."), code="cycle_needs_name", field="name")
    if term_end <= term_start:
        raise refusal(
            _("The term must end after it starts."), code="term_end_after_starts", field="term_end"
        )
    rulebook(rulebook_id)
    cycle = Cycle.objects.create(
        name=name, term_start=term_start, term_end=term_end, rulebook_id=rulebook_id, root=root
    )
    audit.record(
        actor=actor,
        action="cycle_create",
        obj=cycle,
        unit_path=root.path,
        changes={"name": name, "term": [term_start, term_end], "rulebook": rulebook_id},
    )
    return cycle


@action(system=True)
def cycle_generate_plan(*, actor: Any, cycle: Cycle, pilots: Sequence[str] = ()) -> int:
    """One congress for every active unit of the cycle's tree that has none yet.

    Idempotent: running it again plans only units added since. `pilots` are unit codes
    whose congresses go first. Returns how many congresses were planned.
    """
    root = Unit.objects.get(pk=cycle.root_id)
    require_role(actor, root, ORGANIZER)
    book = rulebook(cycle.rulebook_id)
    planned = set(Congress.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
    units = [
        u
        for u in Unit.objects.filter(path__startswith=root.path, active_until__isnull=True)
        .order_by("path")
        .iterator(chunk_size=2000)
        if u.pk not in planned
    ]
    known = {u.code for u in Unit.objects.filter(code__in=list(pilots))}
    unknown = sorted(set(pilots) - known)
    if unknown:
        raise refusal(
            _("No such units: %(codes)s") % {"codes": ", ".join(unknown)},
            code="no_such_units",
            field="pilots",
        )
    terms_by_level: dict[str, planning.PlanTerms] = {}
    new: list[Congress] = []
    for unit in units:
        if unit.level not in terms_by_level:
            terms_by_level[unit.level] = plan_terms(book, unit)
        congress = Congress(cycle=cycle, unit=unit, pilot=unit.code in set(pilots))
        apply_terms(congress, terms_by_level[unit.level])
        new.append(congress)
    Congress.objects.bulk_create(new, batch_size=2000)
    audit.record(
        actor=actor,
        action="cycle_generate_plan",
        obj=cycle,
        unit_path=root.path,
        changes={"planned": len(new), "pilots": sorted(pilots), "rulebook": cycle.rulebook_id},
    )
    return len(new)


@action(system=True)
def congress_set_pilot(*, actor: Any, congress: Congress, pilot: bool) -> Congress:
    """The higher level chooses the pilot congresses that go first."""
    require_higher(actor, congress.unit)
    if congress.state not in workflow.PENDING:
        raise refusal(
            _("Only a congress not yet held can become a pilot."),
            code="only_congress_not_held",
            field="pilot",
        )
    Congress.objects.filter(pk=congress.pk).update(pilot=pilot)
    congress.pilot = pilot
    audit.record(
        actor=actor,
        action="congress_set_pilot",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"pilot": pilot},
    )
    return congress


@action(system=True)
def plan_submit(*, actor: Any, cycle: Cycle, unit: Unit) -> PlanApproval:
    """An organizer of `unit` submits its subtree's plan for the higher level's approval."""
    require_role(actor, unit, ORGANIZER)
    if not unit.path.startswith(cycle.root.path):
        raise refusal(
            _("This unit is not part of the cycle."), code="unit_not_part_cycle", field="unit"
        )
    approval, created = PlanApproval.objects.get_or_create(
        cycle=cycle, unit=unit, defaults={"prepared_by": actor if is_user(actor) else None}
    )
    if not created:
        raise refusal(
            _("This plan has already been submitted."),
            code="plan_already_been_submitted",
            field="unit",
        )
    audit.record(actor=actor, action="plan_submit", obj=approval, unit_path=unit.path, changes={})
    return approval


@action(system=True)
def plan_approve(
    *, actor: Any, cycle: Cycle, unit: Unit, fingerprint: str = "", remarks: str = ""
) -> PlanApproval:
    """Four eyes: the higher level approves a plan someone else prepared, as it saw it.

    `fingerprint` is the plan the approver was shown (`queries.plan_review`); a plan changed
    since is refused. An approved plan that changed since its approval is approved again.
    """
    require_higher(actor, unit)
    approval = PlanApproval.objects.select_for_update().filter(cycle=cycle, unit=unit).first()
    if approval is None:
        raise refusal(
            _("No plan has been submitted for this unit."),
            code="no_plan_been_submitted",
            field="unit",
        )
    current = plan_fingerprint(cycle, unit)
    if approval.approved_at is not None and approval.fingerprint in ("", current):
        raise refusal(
            _("This plan is already approved."), code="plan_already_approved", field="unit"
        )
    if fingerprint and fingerprint != current:
        raise refusal(
            _("The plan changed while you were reviewing it; review it again."),
            code="plan_changed_during_review",
            field="fingerprint",
        )
    if actor is not SYSTEM and approval.prepared_by_id == getattr(actor, "pk", None):
        raise refusal(
            _("The plan must be approved by someone other than who prepared it."),
            code="plan_approved_someone_other",
            field="approved_by",
        )
    again = approval.approved_at is not None
    approval.approved_by = actor if is_user(actor) else None
    approval.approved_at = timezone.now()
    approval.fingerprint = current
    approval.remarks = nfc(remarks.strip())
    approval.save(update_fields=["approved_by", "approved_at", "fingerprint", "remarks"])
    audit.record(
        actor=actor,
        action="plan_approve",
        obj=approval,
        unit_path=unit.path,
        changes={
            "prepared_by": approval.prepared_by_id,
            "fingerprint": current,
            "remarks": approval.remarks,
            "again": again,
        },
    )
    return approval

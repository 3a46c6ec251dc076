"""The personnel plan of a congress: creating it, its candidates, vetting and approval."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from daihoi.accounts.authority import (
    action,
    require_distinct,
    require_higher,
    require_role,
    user_of,
)
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.core.errors import refusals
from daihoi.organizations.models import Person
from daihoi.personnel import queries, standards
from daihoi.personnel.actions._base import (
    ORGANIZER,
    locked_plan,
    require_open,
    require_plan_organizer,
    touch,
)
from daihoi.personnel.messages import failure_text
from daihoi.personnel.models import Body, Plan, PlanCandidate


@action(system=True)
def plan_create(*, actor: Any, congress: Congress, body: str, seats: int) -> Plan:
    """Open the personnel plan of `congress` for `body`; merged units' appointed committees
    follow the appointment procedure, the others the five-step introduction."""
    require_role(actor, congress.unit, ORGANIZER)
    errors = {}
    if body not in Body.values:
        errors["body"] = _("Unknown body %(body)s.") % {"body": body}
    if seats < 1:
        errors["seats"] = _("A body needs at least one seat.")
    if errors:
        raise refusals(errors, code="plan_invalid")
    if Plan.objects.filter(congress=congress, body=body).exists():
        raise refusals(
            {"body": _("This congress already has a plan for that body.")}, code="plan_exists"
        )
    appointed = congress.bodies == Congress.Bodies.APPOINTED
    plan = Plan.objects.create(
        congress=congress,
        body=body,
        seats=seats,
        procedure=Plan.Procedure.APPOINTMENT if appointed else Plan.Procedure.ELECTION,
        prepared_by=user_of(actor),
        last_changed_by=user_of(actor),
    )
    audit.record(
        actor=actor,
        action="plan_create",
        obj=plan,
        unit_path=congress.unit.path,
        changes={"body": body, "seats": seats, "procedure": plan.procedure},
    )
    return plan


@action(system=True)
def plan_candidate_add(
    *, actor: Any, plan: Plan, person: Person, science_technology: bool = False
) -> PlanCandidate:
    """Put a person on the plan: a re-election candidate (sitting on the body now) or a
    first-time candidate from the unit's active planning pool. A candidate who fails a hard
    standard may be listed while drafting (shown red) but the plan cannot be approved."""
    plan = locked_plan(plan)
    require_plan_organizer(actor, plan)
    require_open(plan)
    congress = plan.congress
    if PlanCandidate.objects.filter(plan=plan, person=person, removed_at__isnull=True).exists():
        raise refusals(
            {"person": _("%(name)s is already on the plan.") % {"name": person.full_name}},
            code="already_on_plan",
        )
    reelection = queries.is_reelection(person, congress, plan.body)
    entry = None
    if not reelection:
        entry = queries.in_active_pool(person, congress.unit, plan.body)
        if entry is None:
            raise refusals(
                {
                    "person": _(
                        "%(name)s is neither re-standing nor in the approved planning pool for "
                        "this body."
                    )
                    % {"name": person.full_name}
                },
                code="not_in_pool",
            )
    candidate, _created = PlanCandidate.objects.update_or_create(
        plan=plan,
        person=person,
        defaults={
            "reelection": reelection,
            "science_technology": science_technology,
            "pool_entry": entry,
            "removed_at": None,
            "removal_cause": "",
            "removal_note": "",
        },
    )
    touch(plan, actor)
    audit.record(
        actor=actor,
        action="plan_candidate_add",
        obj=candidate,
        unit_path=congress.unit.path,
        changes={"plan": plan.pk, "person": person.member_code, "reelection": reelection},
    )
    return candidate


@action(system=True)
def plan_candidate_remove(
    *, actor: Any, candidate: PlanCandidate, cause: str, note: str = ""
) -> PlanCandidate:
    """Take a candidate off the plan for a cause (withdrawn, a failed step, a hard standard,
    a complaint...). Kept on record with the cause; the complaints app calls this too."""
    plan = locked_plan(candidate.plan)
    require_plan_organizer(actor, plan)
    require_open(plan)
    if cause not in PlanCandidate.Cause.values:
        raise refusals({"cause": _("Choose the cause of the removal.")}, code="unknown_cause")
    if candidate.removed_at is not None:
        raise ValidationError(
            _("This candidate has already left the plan."), code="already_removed"
        )
    candidate.removed_at = timezone.now()
    candidate.removal_cause = cause
    candidate.removal_note = note.strip()[:300]
    candidate.save(update_fields=["removed_at", "removal_cause", "removal_note"])
    touch(plan, actor)
    audit.record(
        actor=actor,
        action="plan_candidate_remove",
        obj=candidate,
        unit_path=plan.congress.unit.path,
        changes={
            "plan": plan.pk,
            "person": candidate.person.member_code,
            "cause": cause,
            "note": candidate.removal_note,
        },
    )
    return candidate


@action(system=True)
def plan_submit(*, actor: Any, plan: Plan) -> Plan:
    """Send the plan for vetting (drafting → under vetting)."""
    plan = locked_plan(plan)
    require_plan_organizer(actor, plan)
    if plan.state != Plan.State.DRAFTING:
        raise ValidationError(
            _("Only a plan being drafted can be sent for vetting."), code="plan_not_drafting"
        )
    if not plan.candidates.filter(removed_at__isnull=True).exists():
        raise ValidationError(_("The plan has no candidates."), code="plan_empty")
    plan.state = Plan.State.VETTING
    plan.save(update_fields=["state"])
    audit.record(
        actor=actor,
        action="plan_submit",
        obj=plan,
        unit_path=plan.congress.unit.path,
        changes={"state": plan.state},
    )
    return plan


def approval_problems(plan: Plan) -> list[ValidationError]:
    """Why the plan cannot be approved now (empty when it can)."""
    problems: list[ValidationError] = []
    candidates = list(queries.plan_candidates(plan))
    if not candidates:
        problems.append(ValidationError(_("The plan has no candidates."), code="plan_empty"))
    steps = queries.step_numbers(plan.congress) if plan.procedure == Plan.Procedure.ELECTION else []
    for candidate in candidates:
        checks = queries.candidate_checks(candidate)
        failing = standards.failing(checks)
        if failing:
            problems.append(
                ValidationError(
                    failure_text(candidate.person.full_name, failing), code="hard_standard_failed"
                )
            )
        elif standards.unknown(checks):
            problems.append(
                ValidationError(
                    _("%(name)s cannot be checked against every hard standard: data is missing.")
                    % {"name": candidate.person.full_name},
                    code="hard_standard_unknown",
                )
            )
        missing = [n for n in steps if n not in queries.steps_passed(candidate)]
        if missing:
            problems.append(
                ValidationError(
                    _("%(name)s has not passed introduction step(s) %(steps)s.")
                    % {
                        "name": candidate.person.full_name,
                        "steps": ", ".join(str(n) for n in missing),
                    },
                    code="introduction_incomplete",
                )
            )
        problems.extend(_dossier_problems(candidate))
    for code, message in queries.blocking_flags(plan):
        problems.append(ValidationError(message, code=code))
    return problems


def _dossier_problems(candidate: PlanCandidate) -> list[ValidationError]:
    """Every dossier item the rulebook requires that is missing or not verified (Decision
    190-QĐ/TW): the higher level approves only a plan whose dossiers are complete."""
    problems = []
    name = candidate.person.full_name
    for row in queries.dossier_checklist(candidate, get_language() or "vi"):
        if row.state == "missing":
            problems.append(
                ValidationError(
                    _("%(name)s: the dossier lacks “%(item)s”.") % {"name": name, "item": row.name},
                    code="dossier_item_missing",
                )
            )
        elif row.state == "unverified":
            problems.append(
                ValidationError(
                    _("%(name)s: “%(item)s” in the dossier is not verified.")
                    % {"name": name, "item": row.name},
                    code="dossier_item_unverified",
                )
            )
    return problems


@action(system=True)
def plan_approve(*, actor: Any, plan: Plan) -> Plan:
    """The higher level approves the plan: four eyes (not whoever prepared or last changed
    it), every candidate meeting every hard standard, every introduction step passed, and no
    blocking flag raised by another app. There is no override."""
    plan = locked_plan(plan)
    require_higher(actor, plan.congress.unit)
    require_distinct(
        actor,
        plan.prepared_by,
        plan.last_changed_by,
        message=_("The plan must be approved by a different person from who prepared it."),
    )
    if plan.state != Plan.State.VETTING:
        raise ValidationError(
            _("Only a plan under vetting can be approved."), code="plan_not_under_vetting"
        )
    problems = approval_problems(plan)
    if problems:
        raise ValidationError(problems, code="plan_not_approvable")
    plan.state = Plan.State.APPROVED
    plan.approved_by = user_of(actor)
    plan.approved_at = timezone.now()
    plan.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        action="plan_approve",
        obj=plan,
        unit_path=plan.congress.unit.path,
        changes={"candidates": [c.person.member_code for c in queries.plan_candidates(plan)]},
    )
    return plan


@action(system=True)
def plan_reopen(*, actor: Any, plan: Plan, reason: str) -> Plan:
    """Re-open an approved plan for changes (back to drafting); it must be approved again."""
    plan = locked_plan(plan)
    require_plan_organizer(actor, plan)
    if plan.state != Plan.State.APPROVED:
        raise ValidationError(
            _("Only an approved plan can be re-opened."), code="plan_not_approved"
        )
    if not reason.strip():
        raise refusals(
            {"reason": _("Give a reason for re-opening the plan.")}, code="reason_required"
        )
    plan.state = Plan.State.DRAFTING
    plan.approved_by, plan.approved_at = None, None
    plan.last_changed_by = user_of(actor)
    plan.save(update_fields=["state", "approved_by", "approved_at", "last_changed_by"])
    audit.record(
        actor=actor,
        action="plan_reopen",
        obj=plan,
        unit_path=plan.congress.unit.path,
        changes={"reason": reason.strip()},
    )
    return plan

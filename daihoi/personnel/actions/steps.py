"""Results of the five-step introduction, per candidate and step."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daihoi.accounts.authority import action, user_of
from daihoi.core import audit
from daihoi.core.errors import refusals
from daihoi.personnel import procedure, queries
from daihoi.personnel.actions._base import (
    locked_plan,
    require_open,
    require_plan_organizer,
)
from daihoi.personnel.models import Plan, PlanCandidate, StepResult

_INPUT_MESSAGES = {
    "summoned_positive": ("summoned", gettext_lazy("At least one person must have been summoned.")),
    "present_range": (
        "present",
        gettext_lazy("Those present must be between 0 and those summoned."),
    ),
    "votes_range": ("votes", gettext_lazy("Votes in favour must be between 0 and those present.")),
}


@action(system=True)
def step_result_record(
    *, actor: Any, candidate: PlanCandidate, step: int, summoned: int, present: int, votes: int
) -> StepResult:
    """Enter a step's vote for a candidate. A nominee needs more than half of those summoned
    (and, at step 2, at least two thirds present); a candidate who fails leaves the plan.
    Re-election candidates go through each step before first-time candidates."""
    plan = locked_plan(candidate.plan)
    require_plan_organizer(actor, plan)
    require_open(plan)
    if plan.procedure != Plan.Procedure.ELECTION:
        raise ValidationError(
            _("This committee is appointed: the introduction steps do not apply."),
            code="appointment_procedure",
        )
    candidate = PlanCandidate.objects.select_related("person").get(pk=candidate.pk)
    if candidate.removed_at is not None:
        raise ValidationError(_("This candidate has left the plan."), code="candidate_removed")
    rules = queries.personnel_rules(plan.congress)
    numbers = queries.step_numbers(plan.congress)
    if step not in numbers:
        raise refusals({"step": _("There is no step %(n)s.") % {"n": step}}, code="unknown_step")
    done = {s.step: s for s in candidate.steps.all()}
    if step in done:
        raise refusals(
            {"step": _("Step %(n)s is already recorded.") % {"n": step}},
            code="step_already_recorded",
        )
    earlier = [n for n in numbers if n < step and not (n in done and done[n].passed)]
    if earlier:
        raise refusals(
            {"step": _("Step %(n)s comes first.") % {"n": earlier[0]}}, code="previous_step_missing"
        )
    if not candidate.reelection:
        waiting = PlanCandidate.objects.filter(
            plan=plan, reelection=True, removed_at__isnull=True
        ).exclude(steps__step=step)
        if waiting.exists():
            raise refusals(
                {"step": _("Re-election candidates go through step %(n)s first.") % {"n": step}},
                code="reelection_first",
            )
    try:
        outcome = procedure.evaluate_step(
            queries.step_rule(rules, step), summoned=summoned, present=present, votes=votes
        )
    except procedure.StepInputError as error:
        field, message = _INPUT_MESSAGES[error.code]
        raise refusals({field: str(message)}, code=error.code) from None
    result = StepResult.objects.create(
        candidate=candidate,
        step=step,
        summoned=summoned,
        present=present,
        votes=votes,
        passed=outcome.passed,
        recorded_by=user_of(actor),
    )
    if not outcome.passed:
        candidate.removed_at = timezone.now()
        candidate.removal_cause = PlanCandidate.Cause.FAILED_STEP
        candidate.removal_note = _("Step %(n)s: %(votes)s of %(summoned)s summoned") % {
            "n": step,
            "votes": votes,
            "summoned": summoned,
        }
        candidate.save(update_fields=["removed_at", "removal_cause", "removal_note"])
    audit.record(
        actor=actor,
        action="step_result_record",
        obj=result,
        unit_path=plan.congress.unit.path,
        changes={
            "person": candidate.person.member_code,
            "step": step,
            "summoned": summoned,
            "present": present,
            "votes": votes,
            "passed": outcome.passed,
        },
    )
    return result

"""Handling a case: the admissibility decision, assignment, steps, the deadline's extension,
the conclusion under four eyes, the hand-over to the new committee, and the higher level's
decision to proceed with a plan although a case is open."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import (
    SYSTEM,
    action,
    require_distinct,
    require_higher,
    require_role,
    require_signed_in,
    user_of,
)
from daihoi.cases import queries, rules
from daihoi.cases.actions._base import (
    INSPECTOR,
    check_attachment,
    locked,
    require_handler,
    require_state,
    text,
)
from daihoi.cases.models import Case, CaseStep
from daihoi.congresses.workflow import DONE, IN_SESSION
from daihoi.core import audit, clock
from daihoi.core.errors import refusal
from daihoi.core.inputs import require_date_between

S = Case.State
HELD = {IN_SESSION, *DONE}
OUTCOMES: dict[str, tuple[str, ...]] = {
    Case.Kind.COMPLAINT: (Case.Outcome.UPHELD, Case.Outcome.REJECTED),
    Case.Kind.DENUNCIATION: (
        Case.Outcome.FOUNDED,
        Case.Outcome.PARTLY_FOUNDED,
        Case.Outcome.UNFOUNDED,
    ),
}


def _audit(actor: Any, case: Case, name: str, **changes: Any) -> None:
    audit.record(actor=actor, action=name, obj=case, unit_path=case.unit.path, changes=changes)


@action(system=True)
def case_decide(
    *,
    actor: Any,
    case: Case,
    admissible: bool,
    ground: str = "",
    note: str = "",
    centrally_managed: bool = False,
    on: datetime.date | None = None,
) -> Case:
    """Decide whether a complaint or denunciation is handled. A case not handled is kept,
    with its ground, and counted; anonymous letters are never handled as denunciations."""
    case = locked(case)
    require_handler(actor, case)
    require_state(case, S.RECEIVED)
    if case.kind == Case.Kind.FEEDBACK:
        raise refusal(_("Feedback is considered, not decided on."), code="feedback_not_decided")
    day = on or queries.today()
    require_date_between(day, field="on", earliest=case.received_on, latest=queries.today())
    book = queries.complaint_rules(unit=case.unit, congress=case.congress)
    if admissible:
        if case.anonymous:
            raise refusal(
                _("An anonymous letter is not handled as a complaint or denunciation."),
                code="anonymous_not_admissible",
            )
        days, _extension = queries.resolution_days(
            Case(unit=case.unit, congress=case.congress, centrally_managed=centrally_managed)
        )
        case.state = S.ACCEPTED
        case.ground = ""
        case.centrally_managed = centrally_managed
        case.due_on = rules.resolution_due(accepted_on=day, days=days)
    else:
        if ground not in book.not_handled_grounds.value:
            raise refusal(
                _("Choose the ground on which the case is not handled."),
                code="unknown_ground",
                field="ground",
            )
        case.state = S.NOT_HANDLED
        case.ground = ground
        case.due_on = None
    case.decision_note = text(note, field="note", limit=500, required=False)
    case.decided_by = user_of(actor)
    case.decided_on = day
    case.save()
    _audit(
        actor,
        case,
        "case_decide",
        admissible=admissible,
        ground=case.ground,
        due_on=case.due_on.isoformat() if case.due_on else "",
        centrally_managed=centrally_managed,
    )
    return case


@action(system=True)
def case_assign(*, actor: Any, case: Case, inspector: Any) -> Case:
    """Give the case to an inspector of its unit, who verifies it."""
    case = locked(case)
    require_handler(actor, case)
    require_state(case, S.ACCEPTED, S.VERIFYING)
    if inspector is None or not queries.handles(inspector, case):
        raise refusal(
            _("The case can only be given to an inspector of its unit."),
            code="not_an_inspector",
            field="inspector",
        )
    case.assigned_to = inspector
    case.state = S.VERIFYING
    case.save(update_fields=["assigned_to", "state"])
    _audit(actor, case, "case_assign", inspector=inspector.get_username())
    return case


@action(system=True)
def case_step_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    on: datetime.date,
    note: str = "",
    attachment: Any = None,
) -> CaseStep:
    """Record a step of handling (verification, hearing the person concerned, a document)."""
    case = locked(case)
    require_handler(actor, case)
    require_state(case, S.ACCEPTED, S.VERIFYING, S.CONCLUDING)
    if kind not in CaseStep.Kind.values:
        raise refusal(_("Choose the step."), code="unknown_step", field="kind")
    require_date_between(on, field="on", earliest=case.received_on, latest=queries.today())
    check_attachment(attachment)
    step = CaseStep.objects.create(
        case=case,
        kind=kind,
        on=on,
        note=text(note, field="note", limit=5000, required=False),
        attachment=attachment or "",
        recorded_by=user_of(actor),
    )
    if case.state == S.ACCEPTED:
        case.state = S.VERIFYING
        case.save(update_fields=["state"])
    _audit(actor, case, "case_step_record", step=kind, on=on.isoformat(), attached=bool(attachment))
    return step


@action(system=True)
def case_extend(*, actor: Any, case: Case, reason: str) -> Case:
    """Extend the deadline once, by what the rulebook allows (e.g. 180 + 60 days)."""
    case = locked(case)
    require_handler(actor, case)
    require_state(case, S.ACCEPTED, S.VERIFYING, S.CONCLUDING)
    reason = text(reason, field="reason", limit=500)
    _days, extension = queries.resolution_days(case)
    if case.extension_days or not extension or case.due_on is None:
        raise refusal(_("This deadline cannot be extended (again)."), code="no_extension")
    case.extension_days = extension
    case.due_on = case.due_on + datetime.timedelta(days=extension)
    case.save(update_fields=["extension_days", "due_on"])
    _audit(
        actor, case, "case_extend", days=extension, due_on=case.due_on.isoformat(), reason=reason
    )
    return case


@action(system=True)
def case_conclusion_prepare(*, actor: Any, case: Case, outcome: str, conclusion: str) -> Case:
    """One inspector prepares the conclusion; it takes effect when a second approves it."""
    case = locked(case)
    require_handler(actor, case)
    require_state(case, S.ACCEPTED, S.VERIFYING)
    if outcome not in OUTCOMES.get(case.kind, ()):
        raise refusal(
            _("Choose an outcome for this kind of case."), code="unknown_outcome", field="outcome"
        )
    case.outcome = outcome
    case.conclusion = text(conclusion, field="conclusion", limit=20000)
    case.prepared_by = user_of(actor)
    case.prepared_at = clock.now()
    case.state = S.CONCLUDING
    case.save()
    _audit(actor, case, "case_conclusion_prepare", outcome=outcome)
    return case


@action()
def case_conclusion_approve(*, actor: Any, case: Case) -> Case:
    """A second inspector (or the inspection committee's chair) approves the conclusion. A
    founded denunciation takes the candidate off the plan, through personnel's action."""
    case = locked(case)
    require_handler(actor, case)
    require_distinct(
        actor,
        case.prepared_by,
        message=_("The conclusion must be approved by a different inspector from who prepared it."),
    )
    require_state(case, S.CONCLUDING)
    case.state = S.CONCLUDED
    case.approved_by = user_of(actor)
    case.concluded_on = queries.today()
    case.save(update_fields=["state", "approved_by", "concluded_on"])
    _audit(actor, case, "case_conclusion_approve", outcome=case.outcome)
    if case.outcome == Case.Outcome.FOUNDED and case.candidate_id is not None:
        _remove_candidate(case)
    return case


@action()
def case_conclusion_return(*, actor: Any, case: Case, reason: str) -> Case:
    """The second inspector sends a prepared conclusion back for more verification, with the
    reason (kept as a note in the case's steps); it has no effect until prepared again."""
    case = locked(case)
    require_handler(actor, case)
    require_distinct(
        actor,
        case.prepared_by,
        message=_("A conclusion is sent back by a different inspector from who prepared it."),
    )
    require_state(case, S.CONCLUDING)
    reason = text(reason, field="reason", limit=2000)
    CaseStep.objects.create(
        case=case,
        kind=CaseStep.Kind.NOTE,
        on=queries.today(),
        note=_("Conclusion sent back: %(reason)s") % {"reason": reason},
        recorded_by=user_of(actor),
    )
    returned = case.get_outcome_display()
    case.state = S.VERIFYING
    case.outcome = ""
    case.prepared_by = None
    case.prepared_at = None
    case.save(update_fields=["state", "outcome", "prepared_by", "prepared_at"])
    _audit(actor, case, "case_conclusion_return", outcome=returned, reason=reason)
    return case


def _remove_candidate(case: Case) -> None:
    from daihoi.personnel import actions as personnel

    candidate = case.candidate
    assert candidate is not None
    if candidate.removed_at is not None:
        return
    note = _("Case %(number)s concluded founded.") % {"number": case.pk}
    if candidate.plan.state == "approved":
        personnel.plan_reopen(actor=SYSTEM, plan=candidate.plan, reason=note)
        candidate.refresh_from_db()
    personnel.plan_candidate_remove(actor=SYSTEM, candidate=candidate, cause="complaint", note=note)


@action(system=True)
def case_hand_over(*, actor: Any, case: Case, note: str = "") -> Case:
    """A case that came inside the cut-off (or is still open when the congress convenes) is
    passed to the new term's committee."""
    case = locked(case)
    require_handler(actor, case)
    require_state(case, S.RECEIVED, S.ACCEPTED, S.VERIFYING)
    convened = case.congress is not None and case.congress.state in HELD
    if not (case.inside_cutoff or convened):
        raise refusal(
            _("Only a case received inside the cut-off is passed to the new committee."),
            code="not_inside_cutoff",
        )
    case.state = S.HANDED_OVER
    case.decision_note = text(note, field="note", limit=500, required=False) or case.decision_note
    case.save(update_fields=["state", "decision_note"])
    _audit(actor, case, "case_hand_over", note=case.decision_note)
    return case


@action(system=True)
def case_proceed(*, actor: Any, case: Case, reason: str) -> Case:
    """The higher level lets the plan be approved although this case is open, with a reason."""
    case = locked(case)
    if case.congress is None:
        require_role(actor, case.unit, INSPECTOR)  # makes the check before refusing
        raise refusal(_("This case concerns no congress."), code="no_congress")
    require_higher(actor, case.congress.unit)
    require_state(case, S.ACCEPTED, S.VERIFYING, S.CONCLUDING)
    case.proceed_reason = text(reason, field="reason", limit=500)
    case.proceed_by = user_of(actor)
    case.save(update_fields=["proceed_reason", "proceed_by"])
    _audit(actor, case, "case_proceed", reason=case.proceed_reason)
    return case


@action()
def case_read_record(*, actor: Any, case: Case) -> None:
    """Every read of a case's content is in the audit trail."""
    require_signed_in(actor)
    if not (queries.handles(actor, case) or queries.is_sender(actor, case)):
        raise refusal(_("You may not read this case."), code="not_a_reader")
    _audit(actor, case, "case_read")

"""Handling a case: the option chosen, the decision with four eyes, the payment."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_distinct, user_of
from daihoi.core import audit, clock
from daihoi.core.errors import field_errors
from daihoi.transitions import queries
from daihoi.transitions.actions._base import State, require_organizer
from daihoi.transitions.models import TransitionCase


def _require_state(case: TransitionCase, *states: str) -> None:
    if case.state not in states:
        raise ValidationError(
            _("Not possible while the case is %(state)s.") % {"state": case.get_state_display()},
            code="case_wrong_state",
        )


@action(system=True)
def case_choose_option(*, actor: Any, case: TransitionCase, option: str) -> TransitionCase:
    """Record the option the person chose, with the amounts as computed today."""
    require_organizer(actor, case)
    _require_state(case, State.OPEN, State.CHOSEN)
    if case.salary_basis <= 0:
        raise ValidationError(
            {"option": ValidationError(_("Enter the salary basis first."), code="no_salary_basis")}
        )
    by_code = {o.code: o for o in queries.case_options(case)}
    chosen = by_code.get(option)
    if chosen is None or not chosen.eligible:
        raise ValidationError(
            {
                "option": ValidationError(
                    _("This option is not open to this person."), code="option_not_eligible"
                )
            }
        )
    case.chosen_option = chosen.code
    case.chosen_amount = chosen.total
    case.chosen_items = chosen.as_dict()["items"]
    case.chosen_recorded_by = user_of(actor)
    case.chosen_on = clock.today()
    case.state = State.CHOSEN
    case.save()
    audit.record(
        actor=actor,
        action="transition_option_choose",
        obj=case,
        unit_path=case.unit.path,
        changes={"option": chosen.code, "total": chosen.total},
    )
    return case


@action()
def decision_prepare(
    *,
    actor: Any,
    case: TransitionCase,
    number: str,
    decided_on: datetime.date,
    issuing_body: str,
) -> TransitionCase:
    """The first pair of eyes: the decision's number, date and issuing body."""
    require_organizer(actor, case)
    _require_state(case, State.CHOSEN, State.PREPARED)
    errors: dict[str, ValidationError] = {}
    if not number.strip():
        errors["number"] = ValidationError(_("Give the decision's number."), code="required")
    if not issuing_body.strip():
        errors["issuing_body"] = ValidationError(_("Name the issuing body."), code="required")
    window = queries.decision_window(case)
    if window is not None and not window.holds(decided_on):
        errors["decided_on"] = ValidationError(
            _("The decision must fall between %(opens)s and %(closes)s.")
            % {"opens": window.opens.isoformat(), "closes": window.closes.isoformat()},
            code="decision_outside_window",
        )
    if errors:
        raise field_errors(errors)
    case.decision_number = number.strip()
    case.decision_date = decided_on
    case.decision_body = issuing_body.strip()
    case.decision_prepared_by = user_of(actor)
    case.decision_approved_by = None
    case.state = State.PREPARED
    case.save()
    audit.record(
        actor=actor,
        action="transition_decision_prepare",
        obj=case,
        unit_path=case.unit.path,
        changes={"number": case.decision_number, "date": decided_on, "body": case.decision_body},
    )
    return case


@action()
def decision_approve(*, actor: Any, case: TransitionCase) -> TransitionCase:
    """The second pair of eyes: a different authorized user approves the prepared decision."""
    require_organizer(actor, case)
    _require_state(case, State.PREPARED)
    require_distinct(
        actor,
        case.decision_prepared_by_id,
        message=_("A second organizer must approve the decision."),
    )
    case.decision_approved_by = actor
    case.decision_approved_at = timezone.now()
    case.state = State.DECIDED
    case.save()
    audit.record(
        actor=actor,
        action="transition_decision_approve",
        obj=case,
        unit_path=case.unit.path,
        changes={"number": case.decision_number, "prepared_by": case.decision_prepared_by_id},
    )
    return case


@action()
def payment_record(
    *, actor: Any, case: TransitionCase, amount: int, paid_on: datetime.date, reference: str
) -> TransitionCase:
    require_organizer(actor, case)
    _require_state(case, State.DECIDED)
    errors: dict[str, ValidationError] = {}
    if amount <= 0:
        errors["amount"] = ValidationError(
            _("Must be at least %(n)s.") % {"n": 1}, code="value_too_small"
        )
    if case.decision_date and paid_on < case.decision_date:
        errors["paid_on"] = ValidationError(
            _("The payment cannot precede the decision."), code="paid_before_decision"
        )
    if errors:
        raise field_errors(errors)
    case.paid_amount = amount
    case.paid_on = paid_on
    case.payment_ref = reference.strip()
    case.state = State.PAID
    case.save()
    audit.record(
        actor=actor,
        action="transition_payment_record",
        obj=case,
        unit_path=case.unit.path,
        changes={"amount": amount, "paid_on": paid_on, "reference": case.payment_ref},
    )
    return case

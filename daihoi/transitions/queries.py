"""Reads for transition cases, scoped to the organizer's subtree; the options as computed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from daihoi.accounts.authority import in_scope, unit_scope_q
from daihoi.accounts.models import Role
from daihoi.rulebooks import ages
from daihoi.rulebooks.loader import load_rulebook
from daihoi.rulebooks.schema import Rulebook
from daihoi.transitions import benefits
from daihoi.transitions.models import TransitionCase

ORGANIZER = [Role.ORGANIZER]


def cases_visible(user: Any) -> QuerySet[TransitionCase]:
    """Cases in the user's organizer subtrees: personal data, for the roles whose work needs it."""
    return (
        TransitionCase.objects.filter(unit_scope_q(user, roles=ORGANIZER, field="unit__path"))
        .select_related("person", "unit", "congress", "reorganization")
        .order_by("unit__path", "person__name_folded", "pk")
    )


def access_case_by_id(user: Any, case_id: int) -> TransitionCase:
    case = cases_visible(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def may_handle(user: Any, case: TransitionCase) -> bool:
    return in_scope(user, case.unit, roles=ORGANIZER)


def rulebook_for(case: TransitionCase) -> Rulebook:
    if case.congress_id is not None and case.congress is not None:
        return load_rulebook(case.congress.cycle.rulebook_id)
    return load_rulebook(settings.DAIHOI_DEFAULT_RULEBOOK)


def policy_for(case: TransitionCase) -> benefits.Policy:
    return benefits.policy_from(rulebook_for(case).transitions)


def months_to_retirement(case: TransitionCase) -> int:
    """Whole months from the date of leaving to the retirement date (`rulebooks.ages`)."""
    person = case.person
    return ages.months_of_working_time_left(
        gender=person.gender,  # type: ignore[arg-type]
        birth_date=person.birth_date,
        reference_date=case.left_on,
    )


def retirement_date(case: TransitionCase) -> datetime.date:
    return ages.retirement_date(case.person.gender, case.person.birth_date)  # type: ignore[arg-type]


def basis_of(case: TransitionCase) -> benefits.Basis:
    return benefits.Basis(
        monthly_salary=case.salary_basis,
        insured_months=case.insured_months,
        months_to_retirement=months_to_retirement(case),
        month_after_decision=case.month_after_decision,
        wishes_to_retire=case.wishes_to_retire,
        leadership_allowance=case.leadership_allowance,
        months_left_in_term=case.months_left_in_term,
    )


def case_options(case: TransitionCase) -> list[benefits.Option]:
    """Every option the case may choose and the amount under each, item by item."""
    return benefits.options_for(case.reason, basis_of(case), policy_for(case))


@dataclass(frozen=True)
class Window:
    """When the decision is due (Decree 177/2024): around the congress of the case."""

    opens: datetime.date
    closes: datetime.date
    source: str
    unverified: bool

    def holds(self, day: datetime.date) -> bool:
        return self.opens <= day <= self.closes


def decision_window(case: TransitionCase) -> Window | None:
    if case.reason != TransitionCase.Reason.NOT_REELECTED:
        return None
    rule = rulebook_for(case).transitions.decision_window
    day = case.left_on
    return Window(
        opens=ages.add_months(day, -rule.months_before_congress.value),
        closes=ages.add_months(day, rule.months_after_congress.value),
        source=rule.months_before_congress.source,
        unverified=rule.months_before_congress.unverified or rule.months_after_congress.unverified,
    )


def overdue(case: TransitionCase, today: datetime.date) -> bool:
    window = decision_window(case)
    return (
        window is not None
        and today > window.closes
        and case.state in (TransitionCase.State.OPEN, TransitionCase.State.CHOSEN)
    )


def finance_rows(cases: QuerySet[TransitionCase]) -> list[list[Any]]:
    """One row per decided or paid case, for the finance office."""
    rows = []
    for case in cases.filter(
        state__in=[TransitionCase.State.DECIDED, TransitionCase.State.PAID]
    ).select_related("decision_approved_by"):
        rows.append(
            [
                case.person.member_code,
                case.person.full_name,
                case.unit.code,
                case.reason,
                case.chosen_option,
                case.salary_basis,
                case.chosen_amount,
                case.decision_number,
                case.decision_date,
                case.decision_body,
                case.paid_amount,
                case.paid_on,
                case.payment_ref,
            ]
        )
    return rows

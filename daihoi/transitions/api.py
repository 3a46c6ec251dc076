"""API for transition cases: list, one case with its options, and its handling. Scoped: 404
outside the organizer's subtree."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from daihoi.transitions import actions, labels, queries

router = Router(tags=["transitions"])


class CaseOut(Schema):
    id: int
    member_code: str = Field(..., alias="person.member_code")
    full_name: str = Field(..., alias="person.full_name")
    unit_code: str = Field(..., alias="unit.code")
    reason: str
    body: str
    left_on: datetime.date
    state: str
    monthly_salary: int
    monthly_allowances: int
    insured_months: int
    chosen_option: str
    chosen_amount: int | None
    decision_number: str
    decision_date: datetime.date | None
    decision_body: str
    paid_amount: int | None
    paid_on: datetime.date | None


class ItemOut(Schema):
    code: str
    label: str
    formula: str
    amount: int
    source: str


class OptionOut(Schema):
    code: str
    label: str
    eligible: bool
    reason: str
    notes: list[str]
    source: str
    total: int
    items: list[ItemOut]


class CaseDetailOut(Schema):
    case: CaseOut
    months_to_retirement: int
    retirement_date: datetime.date
    options: list[OptionOut]


class BasisIn(Schema):
    monthly_salary: int = Field(..., ge=0)
    monthly_allowances: int = Field(0, ge=0)
    leadership_allowance: int = Field(0, ge=0)
    insured_months: int = Field(..., ge=0)
    months_left_in_term: int = Field(0, ge=0)
    month_after_decision: int = Field(1, ge=1)
    wishes_to_retire: bool = True


class ChoiceIn(Schema):
    option: str = Field(..., min_length=1, max_length=40)


class DecisionIn(Schema):
    number: str = Field(..., max_length=60)
    decided_on: datetime.date
    issuing_body: str = Field(..., max_length=200)


class PaymentIn(Schema):
    amount: int
    paid_on: datetime.date
    reference: str = Field("", max_length=80)


def _detail(case: Any) -> dict[str, Any]:
    return {
        "case": case,
        "months_to_retirement": queries.months_to_retirement(case),
        "retirement_date": queries.retirement_date(case),
        "options": labels.option_rows(queries.case_options(case)),
    }


@router.get("/transitions/cases", response=list[CaseOut])
def case_list(request: HttpRequest, state: str = "") -> Any:
    cases = queries.cases_visible(request.user)
    return cases.filter(state=state) if state else cases


@router.get("/transitions/cases/{case_id}", response=CaseDetailOut)
def case_get(request: HttpRequest, case_id: int) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.case_view_log(actor=request.user, case=case)
    return _detail(case)


@router.post("/transitions/cases/{case_id}/basis", response=CaseDetailOut)
def case_basis(request: HttpRequest, case_id: int, payload: BasisIn) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.case_set_basis(actor=request.user, case=case, **payload.dict())
    return _detail(case)


@router.post("/transitions/cases/{case_id}/choice", response=CaseDetailOut)
def case_choice(request: HttpRequest, case_id: int, payload: ChoiceIn) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.case_choose_option(actor=request.user, case=case, option=payload.option)
    return _detail(case)


@router.post("/transitions/cases/{case_id}/decision", response=CaseDetailOut)
def case_decision(request: HttpRequest, case_id: int, payload: DecisionIn) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.decision_prepare(actor=request.user, case=case, **payload.dict())
    return _detail(case)


@router.post("/transitions/cases/{case_id}/approval", response=CaseDetailOut)
def case_approval(request: HttpRequest, case_id: int) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.decision_approve(actor=request.user, case=case)
    return _detail(case)


@router.post("/transitions/cases/{case_id}/payment", response=CaseDetailOut)
def case_payment(request: HttpRequest, case_id: int, payload: PaymentIn) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.payment_record(actor=request.user, case=case, **payload.dict())
    return _detail(case)

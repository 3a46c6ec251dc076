"""Handling a case: basis, options, the choice, the decision with four eyes, the payment."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.congresses.models import Congress, Cycle
from daihoi.core.models import AuditEvent
from daihoi.transitions import actions, benefits, queries
from daihoi.transitions.models import TransitionCase
from daihoi.transitions.tests.conftest import make_case

pytestmark = pytest.mark.django_db

S = 15_356_250


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}  # type: ignore[misc]
    return {e.code for e in error.error_list}  # type: ignore[misc]


@pytest.fixture
def case(province: dict[str, Any]) -> TransitionCase:
    return make_case(province["g1"])


def _basis(actor: Any, case: TransitionCase) -> TransitionCase:
    return actions.case_set_basis(actor=actor, case=case, monthly_salary=S, insured_months=22 * 12)


def test_months_to_retirement_come_from_the_rulebook_ages(case: TransitionCase) -> None:
    from daihoi.rulebooks import ages

    expected = ages.months_of_working_time_left(
        gender="male", birth_date=case.person.birth_date, reference_date=case.left_on
    )
    assert queries.months_to_retirement(case) == expected > 0


def test_options_are_computed_from_the_entered_basis(
    case: TransitionCase, organizer_province: Any
) -> None:
    _basis(organizer_province, case)
    options = benefits.options_by_code(queries.case_options(case))
    months = queries.months_to_retirement(case)
    assert (
        options[benefits.EARLY_RETIREMENT_178].total
        == benefits.early_retirement_178(benefits.Basis(S, 22 * 12, months)).total
    )
    assert options[benefits.RESIGNATION_178].eligible


def test_the_choice_is_recorded_with_its_amounts(
    case: TransitionCase, organizer_province: Any
) -> None:
    _basis(organizer_province, case)
    actions.case_choose_option(actor=organizer_province, case=case, option=benefits.RESIGNATION_178)
    case.refresh_from_db()
    assert case.state == "chosen"
    assert case.chosen_amount == sum(i["amount"] for i in case.chosen_items)
    assert AuditEvent.objects.filter(action="transition_option_choose").exists()


def test_no_choice_before_the_salary_basis_is_entered(
    case: TransitionCase, organizer_province: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.case_choose_option(
            actor=organizer_province, case=case, option=benefits.RESIGNATION_178
        )
    assert _codes(error.value) == {"no_salary_basis"}


def test_an_option_the_person_is_not_eligible_for_is_refused(
    province: dict[str, Any], organizer_province: Any
) -> None:
    young = make_case(province["g1"], birth_date=datetime.date(1985, 1, 1))
    _basis(organizer_province, young)
    with pytest.raises(ValidationError) as error:
        actions.case_choose_option(
            actor=organizer_province, case=young, option=benefits.EARLY_RETIREMENT_178
        )
    assert _codes(error.value) == {"option_not_eligible"}


def test_the_decision_needs_a_second_organizer(
    case: TransitionCase, organizer_province: Any, province: dict[str, Any]
) -> None:
    second = testing.make_user(username="second", role=testing.ORGANIZER, unit=province["g1"])
    _basis(organizer_province, case)
    actions.case_choose_option(actor=organizer_province, case=case, option=benefits.RESIGNATION_178)
    actions.decision_prepare(
        actor=organizer_province,
        case=case,
        number="12-QĐ/TU",
        decided_on=datetime.date(2025, 7, 10),
        issuing_body="Ban Thường vụ Tỉnh ủy",
    )
    with pytest.raises(PermissionDenied):
        actions.decision_approve(actor=organizer_province, case=case)
    actions.decision_approve(actor=second, case=case)
    case.refresh_from_db()
    assert case.state == "decided" and case.decision_approved_by == second
    actions.payment_record(
        actor=second,
        case=case,
        amount=case.chosen_amount or 0,
        paid_on=datetime.date(2025, 7, 20),
        reference="UNC 001",
    )
    case.refresh_from_db()
    assert case.state == "paid" and case.paid_amount == case.chosen_amount


def test_a_user_outside_the_unit_may_not_approve(
    case: TransitionCase, organizer_province: Any, province: dict[str, Any]
) -> None:
    outsider = testing.make_user(role=testing.ORGANIZER, unit=province["d2"])
    _basis(organizer_province, case)
    actions.case_choose_option(actor=organizer_province, case=case, option=benefits.RESIGNATION_178)
    actions.decision_prepare(
        actor=organizer_province,
        case=case,
        number="1",
        decided_on=datetime.date(2025, 7, 1),
        issuing_body="BTV",
    )
    with pytest.raises(PermissionDenied):
        actions.decision_approve(actor=outsider, case=case)


def test_a_not_reelected_decision_must_fall_in_the_window(
    province: dict[str, Any], organizer_province: Any
) -> None:
    cycle = Cycle.objects.create(
        name="c",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    congress = Congress.objects.create(
        cycle=cycle, unit=province["g1"], congress_type="full", starts_on=datetime.date(2025, 5, 10)
    )
    case = make_case(
        province["g1"],
        reason="not_reelected",
        congress=congress,
        left_on=datetime.date(2025, 5, 10),
    )
    window = queries.decision_window(case)
    assert window is not None
    assert (window.opens, window.closes) == (datetime.date(2024, 5, 10), datetime.date(2025, 6, 10))
    _basis(organizer_province, case)
    option = next(o for o in queries.case_options(case) if o.eligible)
    actions.case_choose_option(actor=organizer_province, case=case, option=option.code)
    with pytest.raises(ValidationError) as error:
        actions.decision_prepare(
            actor=organizer_province,
            case=case,
            number="1",
            decided_on=datetime.date(2025, 6, 11),
            issuing_body="BTV",
        )
    assert _codes(error.value) == {"decision_outside_window"}
    assert queries.overdue(case, datetime.date(2025, 6, 11))
    actions.decision_prepare(
        actor=organizer_province,
        case=case,
        number="1",
        decided_on=datetime.date(2025, 6, 10),
        issuing_body="BTV",
    )


def test_a_new_basis_clears_the_choice_made_on_the_old_one(
    case: TransitionCase, organizer_province: Any
) -> None:
    _basis(organizer_province, case)
    actions.case_choose_option(actor=organizer_province, case=case, option=benefits.RESIGNATION_178)
    actions.case_set_basis(
        actor=organizer_province, case=case, monthly_salary=S + 1, insured_months=1
    )
    case.refresh_from_db()
    assert case.state == "open" and case.chosen_option == ""


def test_bad_basis_values_are_refused_field_by_field(
    case: TransitionCase, organizer_province: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.case_set_basis(
            actor=organizer_province, case=case, monthly_salary=0, insured_months=700
        )
    assert set(error.value.error_dict) == {"monthly_salary", "insured_months"}


def _xlsx(rows: list[list[Any]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_basis_import_is_all_or_nothing(case: TransitionCase, organizer_province: Any) -> None:
    header = ["member_code", "monthly_salary", "insured_months"]
    code = case.person.member_code
    with pytest.raises(ValidationError) as error:
        actions.cases_import_basis(
            actor=organizer_province,
            content=_xlsx([header, [code, S, 264], ["NOBODY", S, 1], [code, "lots", 1]]),
        )
    assert error.value.message_dict["file"] == [
        "row 3, column member_code: No open case.",
        "row 4, column monthly_salary: Enter a whole number.",
    ]
    case.refresh_from_db()
    assert case.monthly_salary == 0
    assert (
        actions.cases_import_basis(
            actor=organizer_province, content=_xlsx([header, [code, S, 264]])
        )
        == 1
    )
    case.refresh_from_db()
    assert (case.monthly_salary, case.insured_months) == (S, 264)


def test_basis_import_sees_only_the_actors_cases(
    case: TransitionCase, province: dict[str, Any]
) -> None:
    outsider = testing.make_user(role=testing.ORGANIZER, unit=province["d2"])
    header = ["member_code", "monthly_salary", "insured_months"]
    with pytest.raises(ValidationError):
        actions.cases_import_basis(
            actor=outsider, content=_xlsx([header, [case.person.member_code, S, 264]])
        )

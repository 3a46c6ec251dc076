"""Pages and API of transition cases: scoping (404 outside), the export, the notice."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from daihoi import testing
from daihoi.core.models import AuditEvent
from daihoi.transitions import actions, benefits
from daihoi.transitions.models import TransitionCase
from daihoi.transitions.tests.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(province: dict[str, Any]) -> TransitionCase:
    return make_case(province["g1"])


def test_case_page_compares_the_options_and_logs_the_view(
    client: Any, organizer_province: Any, case: TransitionCase
) -> None:
    actions.case_set_basis(
        actor=organizer_province, case=case, monthly_salary=15_356_250, insured_months=264
    )
    client.force_login(organizer_province)
    response = client.get(f"/transitions/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "option-early_retirement_178" in body and "option-resignation_178" in body
    assert AuditEvent.objects.filter(action="transition_case_view").count() == 1


def test_case_outside_the_subtree_is_404(client: Any, province: dict[str, Any], case: Any) -> None:
    client.force_login(testing.make_user(role=testing.ORGANIZER, unit=province["d2"]))
    assert client.get(f"/transitions/cases/{case.pk}/").status_code == 404
    assert client.get(f"/api/v1/transitions/cases/{case.pk}").status_code == 404
    assert client.get("/api/v1/transitions/cases").json() == []


def test_choosing_on_the_page_records_the_choice(
    client: Any, organizer_province: Any, case: TransitionCase
) -> None:
    client.force_login(organizer_province)
    url = f"/transitions/cases/{case.pk}/"
    bad = client.post(url, {"op": "basis", "monthly_salary": "x", "insured_months": "1"})
    assert bad.status_code == 400 and "Enter a whole number." in bad.content.decode()
    client.post(url, {"op": "basis", "monthly_salary": "15356250", "insured_months": "264"})
    client.post(url, {"op": "choose", "option": benefits.RESIGNATION_178})
    case.refresh_from_db()
    assert case.chosen_option == benefits.RESIGNATION_178


def test_api_runs_the_whole_case(
    client: Any, organizer_province: Any, province: dict[str, Any], case: TransitionCase
) -> None:
    second = testing.make_user(role=testing.ORGANIZER, unit=province["g1"])
    client.force_login(organizer_province)
    base = f"/api/v1/transitions/cases/{case.pk}"
    r = client.post(
        f"{base}/basis",
        {"monthly_salary": 15_356_250, "insured_months": 264},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert {o["code"] for o in r.json()["options"]} >= {"early_retirement_178", "resignation_178"}
    r = client.post(f"{base}/choice", {"option": "nonsense"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "option"
    client.post(f"{base}/choice", {"option": "resignation_178"}, content_type="application/json")
    client.post(
        f"{base}/decision",
        {"number": "7", "decided_on": "2025-07-02", "issuing_body": "BTV"},
        content_type="application/json",
    )
    assert client.post(f"{base}/approval").status_code == 403
    client.force_login(second)
    assert client.post(f"{base}/approval").json()["case"]["state"] == "decided"


def test_finance_export_lists_decided_cases(
    client: Any, organizer_province: Any, province: dict[str, Any], case: TransitionCase
) -> None:
    import datetime

    second = testing.make_user(role=testing.ORGANIZER, unit=province["g1"])
    actions.case_set_basis(
        actor=organizer_province, case=case, monthly_salary=10_000_000, insured_months=300
    )
    actions.case_choose_option(actor=organizer_province, case=case, option="resignation_178")
    actions.decision_prepare(
        actor=organizer_province,
        case=case,
        number="9",
        decided_on=datetime.date(2025, 7, 1),
        issuing_body="BTV",
    )
    actions.decision_approve(actor=second, case=case)
    client.force_login(organizer_province)
    response = client.get("/transitions/finance.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == case.person.member_code and rows[1][6] == case.chosen_amount


def test_notice_is_a_pdf_in_vietnamese(organizer_province: Any, case: TransitionCase) -> None:
    from daihoi.transitions import documents

    html = documents.notice_html(case)
    assert 'lang="vi"' in html
    pdf = documents.notice_pdf(case)
    assert pdf.startswith(b"%PDF")

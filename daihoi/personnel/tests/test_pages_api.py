"""Personnel pages and API through HTTP: scoped, 404 outside the readers, refusals shown."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from daihoi import testing
from daihoi.personnel.models import DossierView, Plan, PoolEntry
from daihoi.personnel.tests.conftest import Desk

TOO_OLD = datetime.date(1968, 4, 10)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def vetting(desk: Desk) -> Desk:
    good = desk.reelection()
    desk.pass_steps(good)
    bad = desk.first_time(born=TOO_OLD)
    desk.pass_steps(bad)
    from daihoi.personnel import actions

    actions.plan_submit(actor=desk.preparer, plan=desk.plan)
    return desk


def test_the_plan_page_shows_the_failing_reason_and_approval_is_refused(vetting: Desk) -> None:
    client = client_for(vetting.higher)
    page = client.get(f"/personnel/plans/{vetting.plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "04/1968" in body and "needs 60" in body
    response = client.post(
        f"/personnel/plans/{vetting.plan.pk}/", {"action": "approve"}, follow=True
    )
    assert response.status_code == 200
    vetting.plan.refresh_from_db()
    assert vetting.plan.state == Plan.State.VETTING


def test_pages_answer_for_organizers(vetting: Desk) -> None:
    client = client_for(vetting.preparer)
    candidate = vetting.plan.candidates.first()
    for url in (
        "/personnel/",
        f"/personnel/congresses/{vetting.congress.pk}/",
        f"/personnel/plans/{vetting.plan.pk}/",
        f"/personnel/candidates/{candidate.pk}/",
        f"/personnel/pool/{vetting.congress.unit.code}/",
    ):
        assert client.get(url).status_code == 200, url
    pool = client.get(f"/personnel/pool/{vetting.congress.unit.code}/").content.decode()
    assert f'/pick/people/?unit={vetting.congress.unit.code}&amp;name=code"' in pool
    assert '<input name="code" required>' not in pool  # picked by searching, not typed
    assert DossierView.objects.filter(candidate=candidate).count() == 1
    xlsx = client.get(f"/personnel/plans/{vetting.plan.pk}/plan.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3
    assert client.get(f"/personnel/pool/{vetting.congress.unit.code}/pool.xlsx").status_code == 200


def test_the_candidate_sheet_is_an_a4_pdf(vetting: Desk) -> None:
    candidate = vetting.plan.candidates.first()
    response = client_for(vetting.inspector).get(f"/personnel/candidates/{candidate.pk}/sheet.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    from weasyprint import HTML

    from daihoi.personnel.documents import candidate_sheet_html

    page = HTML(string=candidate_sheet_html(candidate)).render().pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (210, 297)


@pytest.mark.parametrize("who", ["outsider", "lower", "member"])
def test_plans_and_dossiers_are_404_outside_the_readers(vetting: Desk, who: str) -> None:
    unit = {"outsider": "d2", "lower": "g1", "member": "d1"}[who]
    role = "member" if who == "member" else "organizer"
    user = testing.make_user(username=f"u_{who}", role=role, unit=vetting.province[unit])
    client = client_for(user)
    candidate = vetting.plan.candidates.first()
    for url in (
        f"/personnel/plans/{vetting.plan.pk}/",
        f"/personnel/candidates/{candidate.pk}/",
        f"/personnel/candidates/{candidate.pk}/sheet.pdf",
        f"/api/v1/personnel/plans/{vetting.plan.pk}",
        f"/api/v1/personnel/candidates/{candidate.pk}/dossier",
    ):
        assert client.get(url).status_code == 404, url
    assert not DossierView.objects.exists()


def test_the_api_refuses_approval_with_field_code_and_message(vetting: Desk) -> None:
    client = client_for(vetting.higher)
    detail = client.get(f"/api/v1/personnel/plans/{vetting.plan.pk}").json()
    assert {c["result"] for c in detail["candidates"][1]["checks"]} >= {"fails"}
    response = client.post(f"/api/v1/personnel/plans/{vetting.plan.pk}/approve")
    assert response.status_code == 422
    assert "hard_standard_failed" in {d["code"] for d in response.json()["detail"]}


def test_the_api_refuses_citing_a_lead(vetting: Desk) -> None:
    from daihoi.personnel import actions

    candidate = vetting.plan.candidates.first()
    lead = actions.dossier_item_record(
        actor=vetting.preparer, candidate=candidate, provenance="social_network", summary="Post"
    )
    response = client_for(vetting.higher).post(
        f"/api/v1/personnel/candidates/{candidate.pk}/conclusions",
        {"text": "Fails", "cited": [lead.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "citation_not_allowed"


def test_a_pool_upload_enters_people_all_or_nothing(desk: Desk) -> None:
    person = desk.person()
    book = Workbook()
    sheet = book.active
    sheet.append(["member_code", "body", "entered_on"])
    sheet.append([person.member_code, "executive", "2024-05-01"])
    sheet.append(["MISSING", "executive", "2024-05-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "pool.xlsx"
    buffer.seek(0)
    client = client_for(desk.preparer)
    client.post(f"/personnel/pool/{desk.congress.unit.code}/", {"action": "import", "file": buffer})
    assert not PoolEntry.objects.exists()
    response = client.post(
        f"/personnel/pool/{desk.congress.unit.code}/",
        {"action": "import", "file": io.BytesIO(b"not a workbook")},
    )
    assert response.status_code == 302

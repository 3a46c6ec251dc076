"""The start page after login: each role finds its own work first."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from daihoi import testing
from daihoi.conduct.models import Delegate
from daihoi.congresses.models import Congress, Cycle
from daihoi.consultation.models import Draft
from daihoi.elections.models import Election

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.DAIHOI_TODAY = "2025-06-01"


@pytest.fixture
def congress(province: dict[str, Any]) -> Congress:
    cycle = Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    return Congress.objects.create(
        cycle=cycle, unit=province["g1"], congress_type="full", latest=datetime.date(2025, 6, 20)
    )


def _page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/start/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_logging_in_lands_on_the_start_page(organizer_d1: Any) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "org_d1", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and response["Location"] == "/start/"


def test_an_organizer_sees_the_congresses_due_soon(organizer_d1: Any, congress: Congress) -> None:
    html = _page(organizer_d1)
    assert 'id="organizer"' in html and congress.unit.name in html and "20/06/2025" in html


def test_a_delegate_sees_their_congress_its_documents_agenda_and_open_ballots(
    province: dict[str, Any], congress: Congress
) -> None:
    person = testing.make_person(unit=province["g1"])
    Delegate.objects.create(
        congress=congress, person=person, kind=Delegate.Kind.MEMBER, badge_code="TEST0-00001"
    )
    delegate = testing.make_user(username="delegate", person=person)
    Draft.objects.create(congress=congress, kind="political_report", title="Dự thảo báo cáo")
    election = Election.objects.create(
        congress=congress, body="executive", seats=3, mode="electronic", state="open"
    )
    html = _page(delegate)
    assert 'id="my-congress"' in html and "Dự thảo báo cáo" in html
    assert f"/elections/{election.pk}/vote/" in html
    assert 'id="organizer"' not in html and 'id="drafts"' not in html


def test_someone_with_no_role_gets_the_search_only(province: dict[str, Any]) -> None:
    html = _page(testing.make_user(username="nobody"))
    assert 'id="my-congress"' not in html and 'id="organizer"' not in html
    assert 'type="search"' in html

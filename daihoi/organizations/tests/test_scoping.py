"""A user outside a subtree never learns that an object in it exists: 404, not 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from daihoi import testing

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_d1(organizer_d1: Any) -> Client:
    client = Client()
    client.force_login(organizer_d1)
    return client


def test_organizer_sees_a_unit_of_their_district(client_d1: Client, province: Any) -> None:
    assert client_d1.get("/u/G1/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/u/G2/", "/u/D2/", "/u/P/", "/u/D2/members.csv", "/u/G2/units.xlsx", "/u/NOPE/"]
)
def test_unit_of_another_district_answers_404(client_d1: Client, province: Any, url: str) -> None:
    assert client_d1.get(url).status_code == 404


def test_person_of_another_district_answers_404(client_d1: Client, province: Any) -> None:
    mine = testing.make_person(unit=province["c1"])
    theirs = testing.make_person(unit=province["c2"])
    assert client_d1.get(f"/people/{mine.pk}/").status_code == 200
    assert client_d1.get(f"/people/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["G2", "G2/children", "G2/members", "P"])
def test_api_outside_subtree_answers_404(client_d1: Client, province: Any, path: str) -> None:
    assert client_d1.get(f"/api/v1/units/{path}").status_code == 404


def test_anonymous_is_sent_to_login(province: Any) -> None:
    response = Client().get("/u/G1/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get("/api/v1/units/G1").status_code == 401


def test_search_ignores_diacritics_and_stays_in_scope(client_d1: Client, province: Any) -> None:
    testing.make_person(unit=province["c1"], full_name="Nguyễn Văn An")
    testing.make_person(unit=province["c2"], full_name="Nguyễn Văn An Khang")
    for query in ["nguyen van an", "Nguyễn Văn An", "NGUYEN VAN AN"]:
        body = client_d1.get("/", {"q": query}).content.decode()
        assert body.count('class="person-hit"') == 1, query
        assert "Nguyễn Văn An" in body


def test_search_shows_thirty_people_by_name_and_says_when_more_match(
    client_d1: Client, province: Any
) -> None:
    for i in range(31):
        testing.make_person(unit=province["c1"], full_name=f"Trần Thị Hoa {30 - i:02d}")
    response = client_d1.get("/", {"q": "tran thi hoa"})
    hits = response.context["people_hits"]
    assert len(hits) == 30 and response.context["more_people"]
    assert [p.name_folded for p in hits] == sorted(p.name_folded for p in hits)
    exact = client_d1.get("/", {"q": "tran thi hoa 07"})
    assert len(exact.context["people_hits"]) == 1 and not exact.context["more_people"]


def test_unit_page_counts_members_of_the_unit_itself_and_its_subtree(
    client_d1: Client, province: Any
) -> None:
    testing.make_person(unit=province["g1"])  # directly in the grassroots unit
    testing.make_person(unit=province["c1"])
    testing.make_person(unit=province["c2"])  # another district: not under G1
    response = client_d1.get("/u/G1/")
    assert response.context["member_total"] == 2
    assert response.context["page"].paginator.count == 2
    assert [c.member_count for c in response.context["children"]] == [1]


def test_unit_page_lists_children_with_member_counts(client_d1: Client, province: Any) -> None:
    for _ in range(3):
        testing.make_person(unit=province["c1"])
    testing.make_person(unit=province["c1"], status="deceased")
    response = client_d1.get("/u/G1/")
    assert response.context["children"][0].member_count == 3
    assert response.context["member_total"] == 3


def test_people_list_is_paginated(client_d1: Client, province: Any, settings: Any) -> None:
    settings.DAIHOI_PAGE_SIZE = 2
    for _ in range(5):
        testing.make_person(unit=province["c1"])
    response = client_d1.get("/u/D1/", {"page": 3})
    assert response.context["page"].number == 3
    assert len(response.context["page"].object_list) == 1

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from daihoi import testing
from daihoi.accounts import actions

pytestmark = pytest.mark.django_db


def test_unit_detail_children_and_members_through_a_token(organizer_d1: Any, province: Any) -> None:
    for i in range(3):
        testing.make_person(unit=province["c1"], full_name=f"Trần Thị Hoa {i}")
    _token, key = actions.api_token_create(actor=organizer_d1, user=organizer_d1, name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    unit = client.get("/api/v1/units/D1").json()
    assert unit["code"] == "D1" and unit["member_count"] == 3 and unit["parent_code"] == "P"
    children = client.get("/api/v1/units/D1/children").json()
    assert [c["code"] for c in children] == ["G1"] and children[0]["member_count"] == 3
    page = client.get("/api/v1/units/D1/members", {"page_size": 2, "q": "tran thi"}).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert page["items"][0]["unit_code"] == "C1"


def test_bad_token_is_refused(province: Any) -> None:
    client = Client(headers={"Authorization": "Bearer nope"})
    assert client.get("/api/v1/units/D1").status_code == 401


def test_validation_errors_name_the_field(organizer_d1: Any, province: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    response = client.get("/api/v1/units/D1/members", {"page_size": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "page_size"


def test_openapi_schema_lists_the_unit_routes(organizer_d1: Any) -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/units/{code}/members" in schema["paths"]

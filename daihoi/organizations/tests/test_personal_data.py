"""Personal data (member records, their exports and the members API) is for the organizers and
inspectors of the subtree; a member sees their own record and the names of their cell."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from daihoi import testing


@pytest.fixture
def cell(province: dict[str, Any]) -> dict[str, Any]:
    me = testing.make_person(unit=province["c1"], full_name="Lê Thị Hoa")
    other = testing.make_person(unit=province["c1"], full_name="Trần Văn Bình", ethnicity="Tày")
    member = testing.make_user(username="hoa", role="member", unit=province["c1"], person=me)
    client = Client()
    client.force_login(member)
    return {"me": me, "other": other, "member": member, "client": client}


def test_a_plain_member_gets_404_on_member_exports_and_the_members_api(
    province: dict[str, Any], cell: dict[str, Any]
) -> None:
    client = cell["client"]
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/u/{province['c1'].code}/members.{fmt}").status_code == 404
    assert client.get(f"/api/v1/units/{province['c1'].code}/members").status_code == 404


def test_a_plain_member_sees_their_own_record_but_not_another_members(
    cell: dict[str, Any],
) -> None:
    client = cell["client"]
    assert client.get(f"/people/{cell['me'].pk}/").status_code == 200
    assert client.get(f"/people/{cell['other'].pk}/").status_code == 404


def test_a_plain_member_sees_the_names_of_their_cell_without_birth_dates(
    province: dict[str, Any], cell: dict[str, Any]
) -> None:
    page = cell["client"].get(f"/u/{province['c1'].code}/").content.decode()
    assert "Trần Văn Bình" in page and "Lê Thị Hoa" in page
    assert "1975" not in page  # the birth year column is for organizers
    assert f"/people/{cell['other'].pk}/" not in page
    assert "members.csv" not in page


def test_an_organizer_and_an_inspector_read_the_records_and_exports(
    province: dict[str, Any], cell: dict[str, Any], organizer_d1: Any
) -> None:
    inspector = testing.make_user(role="inspector", unit=province["d1"])
    for user in (organizer_d1, inspector):
        client = Client()
        client.force_login(user)
        code = province["c1"].code
        assert client.get(f"/u/{code}/members.csv").status_code == 200
        assert client.get(f"/api/v1/units/{code}/members").status_code == 200
        assert client.get(f"/people/{cell['other'].pk}/").status_code == 200
        assert "1975" in client.get(f"/u/{code}/").content.decode()

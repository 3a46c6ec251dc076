"""Journey: a district organizer browses their district and cannot reach another district."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from daihoi import testing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_district_organizer_browses_searches_and_is_kept_in_their_district(
    live_server: Any, page: Any, login: Any
) -> None:
    units = testing.make_province()
    testing.make_person(unit=units["c1"], full_name="Nguyễn Văn An")
    testing.make_person(unit=units["c1"], full_name="Trần Thị Bình")
    testing.make_person(unit=units["c2"], full_name="Nguyễn Văn An Khang")
    testing.make_user(username="org_d1", role=testing.ORGANIZER, unit=units["d1"])

    login("org_d1")  # lands on the start page; the organization tree is one click away
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=re.compile("Tổ chức|Organization"))).to_be_visible()
    page.get_by_role("link", name="Thành phố Hải Dương").click()
    expect(page.locator("h1")).to_contain_text("Thành phố Hải Dương")
    page.get_by_role("link", name="Đảng bộ phường Trần Phú").click()
    expect(page.locator("h1")).to_contain_text("Đảng bộ phường Trần Phú")
    expect(page.locator("table.people")).to_contain_text("Trần Thị Bình")

    for query in ("nguyen van an", "Nguyễn Văn An"):
        page.goto(f"{live_server.url}/")
        page.fill("input[name=q]", query)
        page.locator("main form.search button[type=submit]").click()
        hits = page.locator(".person-hit")
        expect(hits).to_have_count(1)
        expect(hits.first).to_contain_text("Nguyễn Văn An")

    # Another district is neither linked nor reachable by a typed URL.
    page.goto(f"{live_server.url}/u/D1/")
    expect(page.get_by_role("link", name="Huyện Kinh Môn")).to_have_count(0)
    response = page.goto(f"{live_server.url}/u/D2/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/u/G2/")
    assert response is not None and response.status == 404

"""Journey: a provincial organizer merges two communes from the pages, a second confirms, and
the new commune's congress is planned after its formation, citing the rule it follows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from daihoi import testing
from daihoi.congresses.models import Congress
from daihoi.congresses.testing import make_planned_cycle


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_two_organizers_merge_two_communes_and_the_new_congress_is_planned_ahead(
    live_server: Any, login: Any, page: Any
) -> None:
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    province = testing.make_province()
    testing.make_user(username="org_p", role=testing.ORGANIZER, unit=province["province"])
    testing.make_user(username="org_p2", role=testing.ORGANIZER, unit=province["province"])
    cycle = make_planned_cycle(province["province"])

    # The first organizer chooses the two communes with the search picker and prepares.
    login("org_p")
    page.goto(f"{live_server.url}/u/P/")
    page.click("a[href='/u/P/reorganize/']")
    page.wait_for_selector("form#choose")
    for query, code in (("hai duong", "D1"), ("kinh mon", "D2")):
        page.fill("form#choose input[name=q]", query)
        page.wait_for_selector(f"#unit-picks button[value={code}]")
        page.click(f"#unit-picks button[value={code}]")
        page.wait_for_selector(f"form#choose input[type=hidden][value={code}]", state="attached")
    page.fill("#new_code", "X12")
    page.fill("#new_name", "Đảng bộ xã Hợp Nhất")
    page.fill("#effective_date", "2025-07-01")
    page.click("#prepare")
    page.wait_for_selector("#preview")
    assert "Đảng bộ xã Hợp Nhất (X12)" in page.inner_text("#preview")
    assert page.locator("input[name=fingerprint]").count() == 0  # not by the same person
    prepared_url = page.url

    # A second organizer of the province confirms what the preview shows.
    page.context.clear_cookies()
    login("org_p2")
    page.goto(prepared_url)
    page.wait_for_selector("#preview")
    page.click("button[name=confirm]")
    page.wait_for_selector(".messages li.success")

    congress = Congress.objects.get(cycle=cycle, unit__code="X12")
    assert congress.earliest is not None and congress.latest is not None
    assert datetime.date(2025, 7, 1) <= congress.earliest <= congress.latest
    page.goto(f"{live_server.url}/congresses/c/{congress.pk}/")
    rules = page.inner_text("#rules")
    assert "31/08/2025" in rules or "8/31/2025" in rules
    assert "45-CT/TW" in rules
    page.click("#rules a[href*='formed_mid_cycle']")
    page.wait_for_selector("tr#rule-schedule-above_grassroots-formed_mid_cycle-0")

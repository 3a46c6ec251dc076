"""Journey: from the dashboard to a district congress held up by the cascade, exempted, convened."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions
from daihoi.congresses.models import Congress
from daihoi.congresses.testing import make_planned_cycle


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_organizer_reads_the_cascade_refusal_and_convenes_after_an_exemption(
    live_server: Any, login: Any, page: Any
) -> None:
    # The journey is about the refusal, not speed: allow a slow, shared machine.
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    province = testing.make_province()
    testing.make_user(username="org_p", role=testing.ORGANIZER, unit=province["province"])
    cycle = make_planned_cycle(province["province"])
    district = Congress.objects.get(cycle=cycle, unit__code="D1")
    for step in ("prepare", "approve"):
        district = actions.congress_transition(
            actor=SYSTEM, congress=district, transition=step, on=datetime.date(2025, 6, 2)
        )

    login("org_p")
    page.goto(f"{live_server.url}/congresses/")
    page.wait_for_selector("h1:has-text('Tỉnh Hải Dương')")
    page.click("section a:has-text('Thành phố Hải Dương')")  # drill into the district
    page.wait_for_selector("h1:has-text('Thành phố Hải Dương')")
    page.click("#own-congress")
    page.wait_for_selector("#state")

    page.fill("#on-convene", "2025-06-10")
    page.click("button[data-step=convene]")
    refusal = page.locator(".messages li.error").inner_text()
    # The interface speaks the browser's language (Vietnamese by default).
    assert any(
        text in refusal
        for text in (
            "1 trên 1 đại hội cấp dưới chưa kết thúc",
            "1 of 1 child congresses not concluded",
            "1 von 1 untergeordneten Parteitagen nicht abgeschlossen",
        )
    )
    assert "0 / 1" in page.locator("#children").inner_text()

    page.fill("#exempt-reason", "Chi bộ sáp nhập, cấp trên cho phép tổ chức trước")
    page.click("form[action$='/exempt/'] button[type=submit]")
    page.wait_for_selector(".messages li.success")

    page.fill("#on-convene", "2025-06-10")
    page.click("button[data-step=convene]")
    page.wait_for_selector(".messages li.success")
    assert Congress.objects.get(pk=district.pk).state == "in_session"

"""Journey: a member denounces a candidate; an inspector accepts it; the organizer of the
higher level sees the flag on the candidate and cannot approve the plan; one inspector
prepares "founded" and a second approves it; the candidate leaves the plan; the member sees
that their case was concluded."""

from __future__ import annotations

from typing import Any

import pytest

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.cases.models import Case
from daihoi.personnel import actions
from daihoi.personnel.tests.conftest import make_desk


def _as(page: Any, login: Any, username: str) -> Any:
    page.context.clear_cookies()
    return login(username)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_founded_denunciation_takes_the_candidate_off_the_plan(
    live_server: Any, page: Any, login: Any, settings: Any
) -> None:
    settings.DAIHOI_TODAY = "2025-06-10"  # inside the cut-off of the 14 July congress
    province = testing.make_province()
    desk = make_desk(province)
    candidate = desk.reelection(full_name="Trần Văn Bền")
    desk.pass_steps(candidate)
    other = desk.reelection(full_name="Lê Thị Vững")
    desk.pass_steps(other)
    actions.plan_submit(actor=desk.preparer, plan=desk.plan)
    testing.make_user(username="insp2_d1", role=Role.INSPECTOR, unit=province["d1"])
    writer = testing.make_person(unit=province["g1"], full_name="Hoàng Văn Viết")
    testing.make_user(username="member_g1", role=Role.MEMBER, unit=province["g1"], person=writer)
    code = candidate.person.member_code
    plan_url = f"{live_server.url}/personnel/plans/{desk.plan.pk}/"

    # The member sends a denunciation about the candidate.
    _as(page, login, "member_g1")
    page.goto(f"{live_server.url}/cases/new/")
    page.select_option("#kind", "denunciation")
    page.select_option("#congress", str(desk.congress.pk))
    page.fill("#person", code)
    page.fill("#subject", "Kê khai tài sản")
    page.fill("#content", "Đồng chí không kê khai một thửa đất.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/")

    # The inspector records it admissible.
    _as(page, login, "insp_d1")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "Hoàng Văn Viết" in page.locator(".sender").inner_text()
    page.click("form.decide-form button")
    page.wait_for_load_state()
    assert "accepted" in page.locator(".case-state").inner_text().lower()

    # The organizer of the province sees the flag and cannot approve the plan.
    _as(page, login, "org_p1")
    page.goto(plan_url)
    row = page.locator(f"tr.candidate[data-code='{code}']")
    assert "denunciation" in row.locator(".case-flag").inner_text()
    assert "Kê khai" not in page.content()
    page.click("form:has(input[value=approve]) button")
    page.wait_for_load_state()
    assert "inside the cut-off" in page.locator(".messages").inner_text()
    assert "vetting" in page.locator(".plan-state").inner_text().lower()

    # One inspector prepares "founded"; the same cannot approve it, a second one does.
    _as(page, login, "insp_d1")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    form = page.locator("form.prepare-form")
    form.locator("select[name=outcome]").select_option("founded")
    form.locator("textarea[name=conclusion]").fill("Có căn cứ: hồ sơ địa chính xác nhận.")
    form.locator("button").click()
    page.wait_for_load_state()
    page.click("form.approve-form button")
    page.wait_for_load_state()
    assert "different inspector" in page.locator(".messages").inner_text()
    _as(page, login, "insp2_d1")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("form.approve-form button")
    page.wait_for_load_state()
    assert "concluded" in page.locator(".case-state").inner_text().lower()

    # The candidate has left the plan.
    _as(page, login, "org_p1")
    page.goto(plan_url)
    assert page.locator(f"tr.candidate[data-code='{code}']").count() == 0
    assert "Trần Văn Bền" in page.content()  # listed under those who left the plan

    # The member sees their case concluded, and nobody else's.
    _as(page, login, "member_g1")
    page.goto(f"{live_server.url}/cases/mine/")
    mine = page.locator("tr.my-case")
    assert mine.count() == 1 and "founded" in mine.inner_text()
    assert "concluded" in mine.inner_text()

"""Journey: a provincial organizer opens a district's personnel plan, sees why a candidate
fails the working-time rule, is refused approval while he is on it, removes him and records
the remaining steps of another candidate; a second provincial organizer approves, and the
district's election takes the approved list as its slate."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from daihoi import testing
from daihoi.elections import actions as elections
from daihoi.personnel import actions
from daihoi.personnel.tests.conftest import make_desk


def _record_step(page: Any, code: str, step: int) -> None:
    row = page.locator(f"tr.candidate[data-code='{code}']")
    form = row.locator("form.step-form")
    form.locator("select[name=step]").select_option(str(step))
    form.locator("input[name=summoned]").fill("30")
    form.locator("input[name=present]").fill("22")
    form.locator("input[name=votes]").fill("18")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_plan_is_approved_only_without_the_failing_candidate_and_becomes_the_slate(
    live_server: Any, page: Any, login: Any
) -> None:
    desk = make_desk(testing.make_province())
    steady = desk.reelection(full_name="Trần Văn Bền")
    desk.pass_steps(steady)
    newcomer = desk.first_time(full_name="Lê Thị Mới")
    desk.pass_steps(newcomer, upto=1)
    old = desk.first_time(full_name="Phạm Văn Già", born=datetime.date(1968, 4, 10))
    desk.pass_steps(old)
    actions.plan_submit(actor=desk.preparer, plan=desk.plan)
    plan_url = f"{live_server.url}/personnel/plans/{desk.plan.pk}/"

    login("org_p1")
    page.goto(plan_url)
    failing = page.locator(f"tr.candidate[data-code='{old.person.member_code}']")
    assert "04/1968" in failing.inner_text() and "60" in failing.inner_text()
    page.click("form:has(input[value=approve]) button")
    assert "fails a hard standard" in page.locator(".messages").inner_text()
    assert "vetting" in page.locator(".plan-state").inner_text().lower()

    failing.locator("form.remove-form select[name=cause]").select_option("hard_standard")
    failing.locator("form.remove-form button").click()
    page.wait_for_load_state()
    assert page.locator(f"tr.candidate[data-code='{old.person.member_code}']").count() == 0
    for step in (2, 3, 4, 5):
        _record_step(page, newcomer.person.member_code, step)
    assert "passed" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    login("org_p2")
    page.goto(plan_url)
    page.click("form:has(input[value=approve]) button")
    page.wait_for_load_state()
    assert "approved" in page.locator(".plan-state").inner_text().lower()

    election = elections.election_create(
        actor=desk.preparer, congress=desk.congress, body="executive", seats=2, mode="paper"
    )
    page.goto(f"{live_server.url}/elections/{election.pk}/")
    slate = page.locator("main ol").first.inner_text()
    assert "Trần Văn Bền" in slate and "Lê Thị Mới" in slate and "Phạm Văn Già" not in slate

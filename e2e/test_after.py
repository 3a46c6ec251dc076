"""After the vote in the browser: an organizer compares a not-re-elected cadre's options and
records the choice and the decision, a second organizer approves it; the provincial targets
page shows its chart and how many targets are met."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses.models import Congress, Cycle
from daihoi.organizations.models import CommitteeSeat
from daihoi.targets import actions as target_actions
from daihoi.transitions import actions
from daihoi.transitions.models import TransitionCase


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.click("main button[type=submit]")


def _not_reelected_case(province: dict[str, Any]) -> TransitionCase:
    cycle = Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    congress = Congress.objects.create(
        cycle=cycle,
        unit=province["g1"],
        congress_type="full",
        starts_on=datetime.date(2025, 4, 3),
    )
    old = testing.make_person(
        unit=province["g1"], full_name="Trần Văn Bình", birth_date=datetime.date(1966, 2, 10)
    )
    new = testing.make_person(unit=province["g1"])
    for person, start in ((old, 2020), (new, 2025)):
        CommitteeSeat.objects.create(
            unit=province["g1"],
            person=person,
            body="executive",
            term_start=start,
            term_end=start + 5,
            source="elected",
        )
    (case,) = actions.cases_open_not_reelected(actor=SYSTEM, congress=congress, body="executive")
    return actions.case_set_basis(
        actor=SYSTEM, case=case, monthly_salary=15_356_250, insured_months=22 * 12
    )


def _targets(province: dict[str, Any]) -> None:
    for code, goal, figure in (("grdp_per_capita", "85", "86"), ("urbanization", "40", "31")):
        target = target_actions.target_create(
            actor=SYSTEM,
            unit=province["province"],
            term_start=2020,
            term_end=2025,
            values={
                "code": code,
                "indicator": code.replace("_", " "),
                "measure": "%",
                "baseline": "30",
                "baseline_year": 2020,
                "target_value": goal,
                "direction": "at_least",
                "basis": "end_value",
                "level": "socio_economic",
                "source": "Nghị quyết XVII",
            },
        )
        target_actions.figure_record(
            actor=SYSTEM,
            target=target,
            year=2024,
            value=figure,
            source="CTK",
            reported_on=datetime.date(2025, 1, 20),
        )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_organizers_handle_a_not_reelected_cadre_and_the_province_sees_its_targets(
    live_server: Any, page: Any, browser: Any
) -> None:
    province = testing.make_province()
    case = _not_reelected_case(province)
    _targets(province)
    testing.make_user(username="org_g1", role=testing.ORGANIZER, unit=province["g1"])
    testing.make_user(username="org_p", role=testing.ORGANIZER, unit=province["province"])

    _sign_in(page, live_server.url, "org_g1")
    page.goto(f"{live_server.url}/transitions/")
    page.click("text=Trần Văn Bình")
    expect(page.locator("h1")).to_have_text("Trần Văn Bình")
    options = page.locator("table.options tbody.option")
    expect(options.first).to_be_visible()
    assert options.count() >= 2  # the options are compared side by side
    eligible = page.locator("select[name=option] option")
    choice = eligible.first.get_attribute("value")
    page.select_option("select[name=option]", choice)
    page.click("form:has(input[name=op][value=choose]) button[type=submit]")
    expect(page.locator("#chosen")).to_contain_text("VND")
    page.fill("input[name=number]", "15-QĐ/ĐU")
    page.fill("input[name=decided_on]", "2025-04-20")
    page.fill("input[name=issuing_body]", "Ban Thường vụ Đảng ủy")
    page.click("form:has(input[name=op][value=prepare]) button[type=submit]")
    expect(page.locator("#decision")).to_contain_text("15-QĐ/ĐU")
    expect(page.locator("form:has(input[name=op][value=approve])")).to_have_count(0)

    second = browser.new_context()
    other = second.new_page()
    other.set_default_timeout(60_000)
    _sign_in(other, live_server.url, "org_p")
    other.goto(f"{live_server.url}/transitions/cases/{case.pk}/")
    other.click("form:has(input[name=op][value=approve]) button[type=submit]")
    expect(other.locator("#decision")).to_contain_text("org_p")
    case.refresh_from_db()
    assert case.state == "decided" and case.chosen_option == choice

    other.goto(f"{live_server.url}/targets/u/P/2020/")
    expect(other.locator("svg.target-chart").first).to_be_visible()
    expect(other.locator("line.target-line").first).to_be_attached()
    tally = other.locator("#tally")
    expect(tally).to_have_attribute("data-met", "1")
    expect(tally).to_have_attribute("data-total", "2")
    expect(tally).to_contain_text("1")
    second.close()

"""Congress day in the browser: the credentials board checks delegates in while the
attendance screen follows along by itself."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.conduct import actions
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.models import Congress, Cycle

WAIT = 15_000  # ms; the attendance screen polls every 2 s


def congress_with_delegates(n: int) -> tuple[Congress, list[Delegate]]:
    """A district congress with `n` delegates elected by its grassroots congress."""
    province = testing.make_province()
    cycle = Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    district = Congress.objects.create(cycle=cycle, unit=province["d1"], congress_type="full")
    grassroots = Congress.objects.create(cycle=cycle, unit=province["g1"], congress_type="full")
    people = [testing.make_person(unit=province["g1"]) for _ in range(n)]
    actions.roster_add_elected(
        actor=SYSTEM, congress=district, elected_by=grassroots, officials=people, alternates=[]
    )
    return district, list(Delegate.objects.filter(congress=district).order_by("id"))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_credentials_board_checks_a_delegate_in_and_the_attendance_screen_follows(
    live_server: Any, page: Any, login: Any
) -> None:
    page.set_default_timeout(60_000)  # a loaded CI machine; expectations still wait only as needed
    congress, delegates = congress_with_delegates(3)
    board = testing.make_user(username="credentials")
    BoardSeat.objects.create(congress=congress, user=board, board=BoardSeat.Board.CREDENTIALS)
    login("credentials")

    screen = page.context.new_page()
    screen.set_default_timeout(60_000)
    screen.goto(f"{live_server.url}/conduct/congresses/{congress.pk}/attendance/")
    expect(screen.locator("#present")).to_have_text("0", timeout=WAIT)
    expect(screen.locator("#convened")).to_have_text("3", timeout=WAIT)

    page.goto(f"{live_server.url}/conduct/congresses/{congress.pk}/check-in/")
    code = page.locator("#id_code")
    expect(code).to_be_focused(timeout=WAIT)
    # A scanner types the code and presses Enter; people type it in lower case.
    code.type(delegates[0].badge_code.lower().replace("-", ""))
    code.press("Enter")
    expect(page.locator(".check-in-result .badge.ok")).to_be_visible(timeout=WAIT)
    expect(page.locator(".check-in-result")).to_contain_text(
        delegates[0].person.full_name, timeout=WAIT
    )
    expect(code).to_have_value("", timeout=WAIT)

    # The same badge again: already checked in, nothing counted twice.
    code.fill(delegates[0].badge_code)
    code.press("Enter")
    expect(page.locator(".check-in-result .badge.warn")).to_be_visible(timeout=WAIT)
    expect(code).to_have_value("", timeout=WAIT)

    # An unknown code is refused clearly.
    code.fill("ZZZZZ-ZZZZZ")
    code.press("Enter")
    expect(page.locator(".check-in-result .badge.bad")).to_be_visible(timeout=WAIT)
    expect(page.locator(".check-in-result")).to_contain_text("ZZZZZ-ZZZZZ", timeout=WAIT)

    expect(screen.locator("#present")).to_have_text("1", timeout=WAIT)
    for line in delegates[1:]:
        code.fill(line.badge_code)
        code.press("Enter")
        expect(page.locator(".check-in-result")).to_contain_text(
            line.person.full_name, timeout=WAIT
        )
        expect(code).to_have_value("", timeout=WAIT)
    expect(screen.locator("#present")).to_have_text("3", timeout=WAIT)
    expect(screen.locator("#quorum .badge.ok")).to_be_visible(timeout=WAIT)

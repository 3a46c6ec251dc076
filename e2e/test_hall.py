"""Journey: the organizer makes accounts for the roster and prints their login letters; a
delegate logs in with the letter's QR code and votes; the projector shows the turnout of the
running poll, then the released result."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from daihoi import testing
from daihoi.elections import actions
from daihoi.elections.tests.conftest import make_hall, roster_line

CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_login_letter_to_ballot_to_projector(
    live_server: Any, page: Any, browser: Any, login: Any, tmp_path: Path
) -> None:
    province = testing.make_province()
    hall = make_hall(province, voters=0)
    hall.congress.latest = timezone.localdate()
    hall.congress.save(update_fields=["latest"])
    people = [testing.make_person(unit=province["g1"]) for _ in range(3)]
    for person in people:
        roster_line(hall.congress, person, checked_in=True)
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )

    # The organizer makes the accounts and prints the letters.
    login("org_g1")
    page.goto(f"{live_server.url}/conduct/congresses/{hall.congress.pk}/accounts/")
    page.click("#create-accounts")
    assert "3" in page.locator(".messages").inner_text()
    # The print button's form, posted in the organizer's session (a headless browser would
    # save the PDF as a download instead of showing it).
    form = page.locator("form", has=page.locator("#print-letters"))
    response = page.request.post(
        f"{live_server.url}{form.get_attribute('action')}",
        form={"csrfmiddlewaretoken": form.locator("[name=csrfmiddlewaretoken]").input_value()},
    )
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == 3
    letter = next(p for p in pages if people[0].full_name in p)
    code = CODE.search(letter)
    assert code is not None

    # The projector, open in the hall.
    projector = page.context.new_page()
    projector.goto(f"{live_server.url}/elections/congress/{hall.congress.pk}/projector/")
    projector.wait_for_selector(".turnout")
    assert "0" in projector.locator(".turnout").inner_text()

    # A delegate scans the QR code (its link carries the code) on their own phone.
    phone = browser.new_context().new_page()
    phone.set_default_timeout(60_000)
    phone.goto(f"{live_server.url}/conduct/login/?code={code.group(0)}")
    phone.click("main button[type=submit]")
    phone.wait_for_selector("#my-congress")
    phone.click(".ballot-link")
    phone.locator("input[name=struck]").first.check()
    phone.click("#cast")
    assert len(phone.locator("#receipt").inner_text()) == 19

    # The projector shows one ballot received of three entitled, never a partial result.
    projector.wait_for_function(
        "document.querySelector('.turnout') && document.querySelector('.turnout')"
        ".textContent.includes('1') && document.querySelector('.turnout').textContent"
        ".includes('3')"
    )
    assert projector.locator("table.result").count() == 0

    actions.election_close(actor=hall.counters[0], election=election)
    actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )
    actions.result_confirm(actor=hall.counters[0], election=election)
    actions.result_confirm(actor=hall.counters[1], election=election)
    projector.wait_for_selector("[data-state=released]", timeout=15000)
    assert projector.locator("table.result tr").count() == 3

    # The same code does not open a second session.
    again = browser.new_context().new_page()
    again.goto(f"{live_server.url}/conduct/login/?code={code.group(0)}")
    again.click("main button[type=submit]")
    assert again.locator(".errorlist").count() == 1

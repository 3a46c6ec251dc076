"""Journey: a delegate checks in, votes, gets a receipt and finds it on the bulletin board;
the counting board closes the poll and two members release; the projector shows the result."""

from __future__ import annotations

from typing import Any

import pytest

from daihoi import testing
from daihoi.elections import actions
from daihoi.elections.tests.conftest import make_hall


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_delegate_votes_and_the_projector_shows_the_released_result(
    live_server: Any, page: Any, login: Any
) -> None:
    hall = make_hall(testing.make_province(), voters=3)
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    login("voter0")
    page.goto(f"{live_server.url}/elections/{election.pk}/vote/")
    page.locator("input[name=struck]").first.check()
    page.click("#cast")
    code = page.locator("#receipt").inner_text()
    assert len(code) == 19
    page.goto(f"{live_server.url}/elections/{election.pk}/board/?code={code}")
    assert code in page.locator("#found").inner_text()

    projector = page.context.new_page()
    projector.goto(f"{live_server.url}/elections/congress/{hall.congress.pk}/projector/")
    projector.wait_for_selector(".hall-poll")  # the open poll's turnout, never its results

    actions.election_close(actor=hall.counters[0], election=election)
    actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )
    actions.result_confirm(actor=hall.counters[0], election=election)
    actions.result_confirm(actor=hall.counters[1], election=election)
    projector.wait_for_selector("[data-state=released]", timeout=15000)
    assert projector.locator("table.result tr").count() == 3

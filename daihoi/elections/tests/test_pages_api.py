"""Pages and API through HTTP: ballot, receipt, bulletin board, projector stream, minutes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from daihoi import testing
from daihoi.accounts.actions import api_token_create
from daihoi.elections import actions, live, queries
from daihoi.elections.models import Ballot, Election
from daihoi.elections.tests.conftest import token

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _open(hall: Any) -> Election:
    return actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )


def _release(hall: Any, election: Election) -> Election:
    actions.election_close(actor=hall.counters[0], election=election)
    actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )
    actions.result_confirm(actor=hall.counters[0], election=election)
    actions.result_confirm(actor=hall.counters[1], election=election)
    election.refresh_from_db()
    return election


def test_a_delegate_strikes_names_and_gets_a_receipt_found_on_the_board(hall: Any) -> None:
    election = _open(hall)
    client = _client(hall.voters[0])
    page = client.get(f"/elections/{election.pk}/vote/")
    assert page.status_code == 200
    form_token = page.context["form_token"]
    struck = queries.slate_ids(election)[2]
    response = client.post(
        f"/elections/{election.pk}/vote/", {"form_token": form_token, "struck": [struck]}
    )
    assert response.status_code == 302 and "/receipt/" in response["Location"]
    code = response["Location"].rstrip("/").rsplit("/", 1)[1]
    receipt = client.get(response["Location"])
    assert receipt.context["recorded"]
    board = client.get(f"/elections/{election.pk}/board/", {"code": code})
    assert board.context["found"] is True
    again = client.post(f"/elections/{election.pk}/vote/", {"form_token": form_token})
    assert again["Location"] == response["Location"]  # a resubmitted form: the same receipt
    assert not Ballot.objects.exists()  # sealed until two counting keys open it
    counter = _client(hall.counters[0])
    counter.post(f"/elections/{election.pk}/do/close/")
    page = counter.get(f"/elections/{election.pk}/")
    assert page.context["needs_keys"] and b'name="counting_key_2"' in page.content
    counter.post(f"/elections/{election.pk}/do/count/", {"counting_key_1": hall.counting_keys[0]})
    assert not Ballot.objects.exists()  # one key is not enough
    counter.post(
        f"/elections/{election.pk}/do/count/",
        {"counting_key_1": hall.counting_keys[0], "counting_key_2": hall.counting_keys[1]},
    )
    assert Ballot.objects.get().content == {"kept": sorted(queries.slate_ids(election)[:2])}


def test_a_counting_board_member_issues_their_counting_key_shown_once(hall: Any) -> None:
    hall.election(seats=2, candidates=3)  # the congress's elections are visible to its board
    url = f"/elections/congress/{hall.congress.pk}/counting-key/"
    client = _client(hall.counters[0])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["secret"]
    assert page["Cache-Control"] == "no-store"
    issued = client.post(url)
    secret = issued.context["secret"]
    assert secret.startswith("DK-") and secret.encode() in issued.content
    assert secret.encode() not in client.get(url).content  # shown only once
    assert _client(hall.voters[0]).get(url).status_code == 404
    assert _client(hall.organizer).get(url).status_code == 404


def test_election_pages_answer_404_outside_the_congress(
    hall: Any, province: dict[str, Any]
) -> None:
    election = _open(hall)
    stranger = testing.make_user(username="org_g2", role=testing.ORGANIZER, unit=province["g2"])
    client = _client(stranger)
    for url in ("", "vote/", "board/", "paper/"):
        assert client.get(f"/elections/{election.pk}/{url}").status_code == 404
    assert client.get(f"/api/v1/elections/{election.pk}").status_code == 404
    # a member of another unit, with a person but no roster line here, cannot cast either
    member = testing.make_user(
        username="member_g2", person=testing.make_person(unit=province["g2"])
    )
    body = json.dumps({"form_token": token(), "kept": queries.slate_ids(election)[:1]})
    for user in (stranger, member):
        cast = _client(user).post(
            f"/api/v1/elections/{election.pk}/ballots", body, content_type="application/json"
        )
        assert cast.status_code == 404


def test_api_cast_is_idempotent_with_the_form_token(hall: Any) -> None:
    election = _open(hall)
    client = _client(hall.voters[1])
    body = {"form_token": token(), "kept": queries.slate_ids(election)[:1]}
    url = f"/api/v1/elections/{election.pk}/ballots"
    first = client.post(url, json.dumps(body), content_type="application/json")
    second = client.post(url, json.dumps(body), content_type="application/json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["receipt"] == second.json()["receipt"]
    other = client.post(
        url,
        json.dumps({**body, "form_token": token()}),
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert other.status_code == 422
    assert "already voted" in other.json()["detail"][0]["message"]


def test_a_token_casts_without_csrf_and_a_session_needs_it(hall: Any) -> None:
    """Token clients are not browsers: no CSRF token; a session-cookie POST needs one."""
    election = _open(hall)
    url = f"/api/v1/elections/{election.pk}/ballots"
    kept = queries.slate_ids(election)[:1]
    for voter, scheme in ((hall.voters[0], "bearer"), (hall.voters[2], "header")):
        _token, key = api_token_create(actor=voter, user=voter, name="app")
        header = {"authorization": f"Bearer {key}"} if scheme == "bearer" else {"x-api-token": key}
        client = Client(enforce_csrf_checks=True, headers=header)
        body = json.dumps({"form_token": token(), "kept": kept})
        response = client.post(url, body, content_type="application/json")
        assert response.status_code in (200, 201), response.content
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hall.voters[1])
    body = json.dumps({"form_token": token(), "kept": kept})
    assert browser.post(url, body, content_type="application/json").status_code == 403
    assert not queries.has_voted(election, hall.lines[1])


def test_results_are_hidden_until_released(hall: Any) -> None:
    election = _open(hall)
    client = _client(hall.voters[0])
    assert client.get(f"/api/v1/elections/{election.pk}/results").status_code == 404
    _release(hall, election)
    data = client.get(f"/api/v1/elections/{election.pk}/results").json()
    assert data["state"] == "released" and data["result"]["entitled"] == 5


def test_the_projector_stream_sends_the_result_when_it_is_released(hall: Any) -> None:
    election = _open(hall)
    actions.ballot_cast(
        actor=hall.voters[0],
        election=election,
        form_token=token(),
        kept=queries.slate_ids(election)[:2],
    )
    before = queries.last_live_event_id()
    _release(hall, election)
    response = _client(hall.voters[0]).get(
        f"/elections/congress/{hall.congress.pk}/projector/stream/", HTTP_LAST_EVENT_ID=str(before)
    )
    assert response["Content-Type"] == "text/event-stream"
    first = next(iter(response.streaming_content)).decode()
    assert first.startswith("event: released")
    assert 'data-state="released"' in first
    response.close()


def test_the_hub_wakes_a_waiting_stream_on_a_new_event() -> None:
    hub = live.LiveHub(source=lambda after: [])
    hub.publish([(7, 1, "closed")])
    assert hub.wait(1, 6, timeout=0) == (7, "closed")
    assert hub.wait(1, 7, timeout=0) is None
    assert hub.wait(2, 0, timeout=0) is None


@pytest.mark.parametrize("language", ["vi", "en", "de"])
def test_minutes_pdf_in_each_language_shows_every_figure(hall: Any, language: str) -> None:
    from daihoi.elections import minutes

    election = _release(hall, _open(hall))
    html = minutes.minutes_html(election, language=language)
    for figure in ("5", str(election.result["threshold"])):
        assert figure in html
    response = _client(hall.counters[0]).get(
        f"/elections/{election.pk}/minutes.pdf", {"lang": language}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_casting_a_ballot_takes_a_bounded_number_of_queries(
    hall: Any, django_assert_max_num_queries: Any
) -> None:
    election = _open(hall)
    client = _client(hall.voters[2])
    url = f"/api/v1/elections/{election.pk}/ballots"
    body = json.dumps({"form_token": token(), "kept": queries.slate_ids(election)[:1]})
    with django_assert_max_num_queries(20):
        assert client.post(url, body, content_type="application/json").status_code == 201


def test_the_slate_and_nominations_pick_members_by_searching(hall: Any) -> None:
    election = hall.election(seats=2, candidates=3)
    page = _client(hall.organizer).get(f"/elections/{election.pk}/").content.decode()
    picker = f'/pick/people/?unit={election.congress.unit.code}&amp;name=code"'
    assert page.count(picker) == 2  # the prepared slate and the floor nomination
    assert '<input name="code" required>' not in page

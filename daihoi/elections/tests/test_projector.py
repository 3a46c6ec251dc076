"""The hall's projector: attendance and quorum, the current item and speaker with its clock,
a running poll's turnout (never a partial result), and a stream that tells the browser how
soon to reconnect."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from daihoi.accounts.authority import SYSTEM
from daihoi.conduct import actions as conduct_actions
from daihoi.conduct.models import SpeakerRequest
from daihoi.elections import actions, queries
from daihoi.elections import hall as hall_data
from daihoi.elections.tests.conftest import token

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_turnout_counts_ballots_received_of_those_entitled_and_no_votes(hall: Any) -> None:
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    for voter in hall.voters[:2]:
        actions.ballot_cast(
            actor=voter, election=election, form_token=token(), kept=queries.slate_ids(election)[:2]
        )
    state = hall_data.hall_state(hall.congress)
    assert [(t.received, t.entitled) for t in state.polls] == [(2, 5)]
    html = (
        _client(hall.organizer)
        .get(f"/elections/congress/{hall.congress.pk}/projector/hall/")
        .content.decode()
    )
    assert "2 of 5 ballots received" in html
    candidate_names = [c.person.full_name for c in queries.candidates(election)]
    assert not any(name in html for name in candidate_names)


def test_the_current_item_and_speaker_with_the_end_of_their_time(hall: Any) -> None:
    item = conduct_actions.agenda_item_add(
        actor=SYSTEM, congress=hall.congress, title="Thảo luận báo cáo chính trị", kind="discussion"
    )
    conduct_actions.agenda_item_edit(
        actor=SYSTEM, item=item, title=item.title, kind=item.kind, speaking_minutes=7
    )
    assert hall_data.hall_state(hall.congress).item is None  # not opened yet
    conduct_actions.agenda_item_open(actor=SYSTEM, item=item)
    request = conduct_actions.speaker_request_register(
        actor=hall.voters[0], agenda_item=item, topic=""
    )
    conduct_actions.speaker_request_set_status(
        actor=SYSTEM, request=request, status=SpeakerRequest.Status.SPEAKING
    )
    state = hall_data.hall_state(hall.congress)
    assert state.item is not None and state.item.pk == item.pk
    assert state.speaker is not None and state.speaker.minutes == 7
    request.refresh_from_db()
    assert request.started_at is not None
    assert state.speaker.ends_at_ms == int(request.started_at.timestamp() * 1000) + 7 * 60_000
    html = (
        _client(hall.organizer)
        .get(f"/elections/congress/{hall.congress.pk}/projector/hall/")
        .content.decode()
    )
    assert item.title in html and hall.voters[0].person.full_name in html


def test_the_projector_page_is_full_screen_without_navigation(hall: Any) -> None:
    html = (
        _client(hall.organizer)
        .get(f"/elections/congress/{hall.congress.pk}/projector/")
        .content.decode()
    )
    assert 'class="hall"' in html and "mainnav" not in html
    assert "projector.js" in html and "https://" not in html


def test_the_stream_tells_the_browser_to_reconnect_soon(hall: Any) -> None:
    response = _client(hall.organizer).get(
        f"/elections/congress/{hall.congress.pk}/projector/stream/"
    )
    first = next(iter(response.streaming_content)).decode()
    assert first.startswith("event: panel") and "\nretry: 2000\n" in first

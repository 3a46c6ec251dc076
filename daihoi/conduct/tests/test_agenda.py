from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.conduct import actions, queries
from daihoi.conduct.models import AgendaItem, SpeakerRequest
from daihoi.conduct.tests.factories import send_up
from daihoi.congresses.models import Congress

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(d1_congress: Congress) -> AgendaItem:
    actions.agenda_item_add(actor=SYSTEM, congress=d1_congress, title="Khai mạc", kind="procedure")
    return actions.agenda_item_add(
        actor=SYSTEM, congress=d1_congress, title="Thảo luận  báo cáo chính trị", kind="discussion"
    )


@pytest.fixture
def delegate_users(d1_congress: Congress, congresses: dict[str, Congress]) -> list[Any]:
    officials, _ = send_up(d1_congress, congresses["g1"], officials=3)
    return [testing.make_user(person=line.person) for line in officials]


@pytest.fixture
def presidium(d1_congress: Congress) -> Any:
    user = testing.make_user()
    d1_congress.board_seats.create(user=user, board="presidium")
    return user


def test_agenda_items_are_numbered_in_the_order_added(
    d1_congress: Congress, item: AgendaItem
) -> None:
    assert [(i.position, i.title) for i in queries.agenda(d1_congress)] == [
        (1, "Khai mạc"),
        (2, "Thảo luận báo cáo chính trị"),
    ]


def test_an_agenda_item_needs_a_title_and_a_known_kind(d1_congress: Congress) -> None:
    with pytest.raises(ValidationError):
        actions.agenda_item_add(actor=SYSTEM, congress=d1_congress, title="  ", kind="report")
    with pytest.raises(ValidationError):
        actions.agenda_item_add(actor=SYSTEM, congress=d1_congress, title="X", kind="party")


def test_speakers_are_listed_in_the_order_they_asked(
    item: AgendaItem, delegate_users: list[Any]
) -> None:
    for user in delegate_users:
        actions.speaker_request_register(actor=user, agenda_item=item, topic="")
    assert [r.delegate.person_id for r in queries.speakers(item)] == [
        u.person_id for u in delegate_users
    ]


def test_only_a_summoned_delegate_may_ask_to_speak_and_only_once(
    item: AgendaItem, delegate_users: list[Any]
) -> None:
    with pytest.raises(PermissionDenied):
        actions.speaker_request_register(actor=testing.make_user(), agenda_item=item, topic="")
    actions.speaker_request_register(actor=delegate_users[0], agenda_item=item, topic="Đất đai")
    with pytest.raises(ValidationError):
        actions.speaker_request_register(actor=delegate_users[0], agenda_item=item, topic="")


def test_the_presidium_moves_a_speaker_up_and_gives_the_floor(
    item: AgendaItem, delegate_users: list[Any], presidium: Any
) -> None:
    a, b, c = (
        actions.speaker_request_register(actor=u, agenda_item=item, topic="")
        for u in delegate_users
    )
    actions.speaker_request_move(actor=presidium, request=c, position=1)
    assert [r.pk for r in queries.speakers(item)] == [c.pk, a.pk, b.pk]

    actions.speaker_request_set_status(actor=presidium, request=a, status="speaking")
    assert [r.pk for r in queries.speakers(item)] == [a.pk, c.pk, b.pk]

    c.refresh_from_db()
    actions.speaker_request_set_status(actor=presidium, request=c, status="speaking")
    a.refresh_from_db()
    assert a.status == SpeakerRequest.Status.DONE  # one speaker at a time
    assert [r.pk for r in queries.speakers(item)] == [c.pk, b.pk, a.pk]


def test_a_delegate_cannot_reorder_but_may_withdraw_their_own_request(
    item: AgendaItem, delegate_users: list[Any]
) -> None:
    a, b = (
        actions.speaker_request_register(actor=u, agenda_item=item, topic="")
        for u in delegate_users[:2]
    )
    with pytest.raises(PermissionDenied):
        actions.speaker_request_move(actor=delegate_users[1], request=b, position=1)
    with pytest.raises(PermissionDenied):
        actions.speaker_request_set_status(actor=delegate_users[1], request=a, status="withdrawn")
    actions.speaker_request_set_status(actor=delegate_users[1], request=b, status="withdrawn")
    assert [r.status for r in queries.speakers(item)] == ["waiting", "withdrawn"]


def test_moving_outside_the_waiting_list_is_refused(
    item: AgendaItem, delegate_users: list[Any], presidium: Any
) -> None:
    a = actions.speaker_request_register(actor=delegate_users[0], agenda_item=item, topic="")
    with pytest.raises(ValidationError):
        actions.speaker_request_move(actor=presidium, request=a, position=2)
    actions.speaker_request_set_status(actor=presidium, request=a, status="done")
    a.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.speaker_request_move(actor=presidium, request=a, position=1)
    with pytest.raises(ValidationError):
        actions.speaker_request_set_status(actor=presidium, request=a, status="speaking")

"""Congress-day details halls need: editing and reordering the agenda, adding a delegate by
hand with a reason, and a confirmation after each action."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.conduct import actions, queries
from daihoi.conduct.models import AgendaItem, Delegate
from daihoi.congresses.models import Congress
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(d1_congress: Congress) -> list[AgendaItem]:
    return [
        actions.agenda_item_add(actor=SYSTEM, congress=d1_congress, title=t, kind="procedure")
        for t in ("Khai mạc", "Báo cáo chính trị", "Bầu cử")
    ]


def _titles(congress: Congress) -> list[str]:
    return [i.title for i in queries.agenda(congress)]


def test_an_item_moves_and_the_others_keep_their_order(
    d1_congress: Congress, items: list[AgendaItem]
) -> None:
    actions.agenda_item_move(actor=SYSTEM, item=items[2], position=1)
    assert _titles(d1_congress) == ["Bầu cử", "Khai mạc", "Báo cáo chính trị"]
    assert [i.position for i in queries.agenda(d1_congress)] == [1, 2, 3]
    with pytest.raises(ValidationError) as far:
        actions.agenda_item_move(actor=SYSTEM, item=items[0], position=4)
    assert far.value.error_dict["position"][0].code == "position_out_of_range"


def test_an_item_is_edited_with_its_speaking_time(items: list[AgendaItem]) -> None:
    actions.agenda_item_edit(
        actor=SYSTEM, item=items[1], title="Thảo luận", kind="discussion", speaking_minutes=10
    )
    items[1].refresh_from_db()
    assert (items[1].title, items[1].kind, items[1].speaking_minutes) == (
        "Thảo luận",
        "discussion",
        10,
    )
    with pytest.raises(ValidationError) as bad:
        actions.agenda_item_edit(
            actor=SYSTEM, item=items[1], title="x", kind="discussion", speaking_minutes=0
        )
    assert bad.value.error_dict["speaking_minutes"][0].code == "speaking_minutes"


def test_the_presidium_page_edits_reorders_and_confirms(
    organizer_d1: Any, d1_congress: Congress, items: list[AgendaItem]
) -> None:
    client = Client()
    client.force_login(organizer_d1)
    base = f"/conduct/congresses/{d1_congress.pk}/agenda/{items[0].pk}/manage/"
    moved = client.post(base, {"op": "move", "position": "3"}, follow=True)
    assert _titles(d1_congress)[-1] == "Khai mạc"
    assert "The agenda was reordered." in moved.content.decode()
    typo = client.post(
        base,
        {"op": "edit", "title": "Khai mạc", "kind": "procedure", "speaking_minutes": "x"},
        follow=True,
    )
    assert "Give a whole number." in typo.content.decode()
    opened = client.post(base, {"op": "open"}, follow=True)
    assert "The hall is now on this item." in opened.content.decode()
    assert queries.current_agenda_item(d1_congress) == items[0]


def test_a_delegate_may_not_reorder_the_agenda(
    d1_congress: Congress, items: list[AgendaItem]
) -> None:
    someone = testing.make_user(username="someone")
    with pytest.raises(PermissionDenied):
        actions.agenda_item_move(actor=someone, item=items[0], position=2)


def test_an_organizer_adds_a_member_by_hand_with_a_reason(
    province: dict[str, Any], organizer_d1: Any, d1_congress: Congress
) -> None:
    person = testing.make_person(unit=province["g1"])
    client = Client()
    client.force_login(organizer_d1)
    page = f"/conduct/congresses/{d1_congress.pk}/roster/add/"
    refused = client.post(page, {"member_code": person.member_code, "reason": " "}, follow=True)
    assert "Say why this person is added." in refused.content.decode()
    added = client.post(
        page, {"member_code": person.member_code, "reason": "Đại biểu khách mời"}, follow=True
    )
    assert "was added to the roster" in added.content.decode()
    line = Delegate.objects.get(congress=d1_congress, person=person)
    assert (line.kind, line.note) == (Delegate.Kind.APPOINTED, "Đại biểu khách mời")
    event = AuditEvent.objects.get(action="delegate_add_by_hand")
    assert event.changes["reason"] == "Đại biểu khách mời"
    with pytest.raises(ValidationError) as twice:
        actions.delegate_add_by_hand(
            actor=organizer_d1, congress=d1_congress, person=person, reason="again"
        )
    assert twice.value.error_dict["person"][0].code == "already_listed"


def test_a_member_outside_the_unit_cannot_be_added_by_code(
    province: dict[str, Any], organizer_d1: Any, d1_congress: Congress
) -> None:
    elsewhere = testing.make_person(unit=province["d2"])
    client = Client()
    client.force_login(organizer_d1)
    response = client.post(
        f"/conduct/congresses/{d1_congress.pk}/roster/add/",
        {"member_code": elsewhere.member_code, "reason": "x"},
        follow=True,
    )
    assert "No member with this code" in response.content.decode()
    assert not Delegate.objects.filter(person=elsewhere).exists()


def test_the_check_in_page_serves_the_camera_scanner_from_static_files(
    credentials_user: Any, d1_congress: Congress
) -> None:
    client = Client()
    client.force_login(credentials_user)
    html = client.get(f"/conduct/congresses/{d1_congress.pk}/check-in/").content.decode()
    assert "/static/conduct/vendor/html5-qrcode.min.js" in html
    assert "https://" not in html
    assert 'name="code"' in html  # typing the code still works


def test_the_add_by_hand_form_picks_a_member_of_the_unit_by_name(
    province: dict[str, Any], organizer_d1: Any, d1_congress: Congress
) -> None:
    mine = testing.make_person(unit=province["g1"], full_name="Nguyễn Thị Phượng")
    elsewhere = testing.make_person(unit=province["d2"], full_name="Nguyễn Thị Phương")
    client = Client()
    client.force_login(organizer_d1)
    roster = client.get(f"/conduct/congresses/{d1_congress.pk}/roster/").content.decode()
    assert f'hx-get="/conduct/congresses/{d1_congress.pk}/roster/pick/"' in roster
    picks = client.get(f"/conduct/congresses/{d1_congress.pk}/roster/pick/", {"q": "phuong"})
    html = picks.content.decode()
    assert f'name="member_code" value="{mine.member_code}"' in html
    assert elsewhere.member_code not in html
    none = client.get(f"/conduct/congresses/{d1_congress.pk}/roster/pick/", {"q": "zzz"})
    assert "No current member of this unit matches." in none.content.decode()


def test_the_member_picker_is_for_organizers_and_404_outside(
    province: dict[str, Any], d1_congress: Congress
) -> None:
    client = Client()
    client.force_login(testing.make_user(username="plain", unit=province["d1"]))
    url = f"/conduct/congresses/{d1_congress.pk}/roster/pick/"
    assert client.get(url, {"q": "a"}).status_code == 404
    client.force_login(
        testing.make_user(username="org_d2", role=testing.ORGANIZER, unit=province["d2"])
    )
    assert client.get(url, {"q": "a"}).status_code == 404

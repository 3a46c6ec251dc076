"""Four eyes that hold: who may sit on a congress's boards, and when they are frozen; a
concluded congress stays closed until the higher level reopens it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import RoleGrant
from daihoi.conduct import actions, queries
from daihoi.congresses import actions as congress_actions
from daihoi.congresses.models import Congress, CongressEvent
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _member_account(unit: Any, name: str) -> Any:
    return testing.make_user(person=testing.make_person(unit=unit, full_name=name))


def _set_state(congress: Congress, state: str) -> Congress:
    Congress.objects.filter(pk=congress.pk).update(state=state)
    congress.refresh_from_db()
    return congress


def test_a_seat_cannot_be_given_outside_the_congress_subtree(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any
) -> None:
    other_district = _member_account(province["d2"], "Ngô Văn Khác")
    no_person = testing.make_user(username="plain")
    for user in (other_district, no_person):
        with pytest.raises(ValidationError) as error:
            actions.board_seat_assign(
                actor=organizer_d1, congress=d1_congress, user=user, board="counting"
            )
        assert error.value.error_dict["user"][0].code == "seat_outside_subtree"


def test_an_organizer_cannot_seat_himself_or_another_organizer_on_the_counting_board(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any
) -> None:
    organizer_d1.person = testing.make_person(unit=province["d1"])
    organizer_d1.save()
    another = _member_account(province["g1"], "Đỗ Văn Tổ")
    RoleGrant.objects.create(user=another, role="organizer", unit=province["d1"])
    for user in (organizer_d1, another):
        with pytest.raises(ValidationError) as error:
            actions.board_seat_assign(
                actor=organizer_d1, congress=d1_congress, user=user, board="counting"
            )
        assert error.value.error_dict["user"][0].code == "organizer_on_counting_board"


def test_an_organizer_of_another_district_may_not_seat_anyone(
    province: dict[str, Any], d1_congress: Congress
) -> None:
    other = testing.make_user(role="organizer", unit=province["d2"])
    member = _member_account(province["d1"], "Hà Thị Một")
    with pytest.raises(PermissionDenied):
        actions.board_seat_assign(actor=other, congress=d1_congress, user=member, board="counting")


def test_seats_are_frozen_once_the_congress_convenes(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any, organizer_province: Any
) -> None:
    member = _member_account(province["d1"], "Lý Văn Đếm")
    _set_state(d1_congress, "in_session")
    with pytest.raises(PermissionDenied):
        actions.board_seat_assign(
            actor=organizer_d1, congress=d1_congress, user=member, board="counting"
        )
    with pytest.raises(ValidationError) as error:
        actions.board_seat_assign(
            actor=organizer_province, congress=d1_congress, user=member, board="counting"
        )
    assert error.value.error_dict["reason"][0].code == "reason_required"
    seat = actions.board_seat_assign(
        actor=organizer_province,
        congress=d1_congress,
        user=member,
        board="counting",
        reason="Thành viên ban kiểm phiếu bị ốm",
    )
    event = AuditEvent.objects.filter(action="board_seat_assign").latest("id")
    assert event.changes["reason"] == "Thành viên ban kiểm phiếu bị ốm"
    with pytest.raises(PermissionDenied):
        actions.board_seat_remove(actor=organizer_d1, seat=seat, reason="x")


@pytest.mark.parametrize(
    "write",
    [
        "check_in",
        "roster_build",
        "agenda_item_add",
        "board_seat_assign",
        "credentials_verify",
    ],
)
def test_every_congress_day_write_on_a_concluded_congress_is_refused_with_a_code(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any, write: str
) -> None:
    actions.roster_build(actor=SYSTEM, congress=d1_congress)
    member = _member_account(province["d1"], "Mai Văn Sau")
    _set_state(d1_congress, "concluded")
    calls = {
        "check_in": lambda: actions.delegate_check_in(
            actor=organizer_d1, congress=d1_congress, code="AAAAA-AAAAA"
        ),
        "roster_build": lambda: actions.roster_build(actor=organizer_d1, congress=d1_congress),
        "agenda_item_add": lambda: actions.agenda_item_add(
            actor=organizer_d1, congress=d1_congress, title="Bổ sung", kind="report"
        ),
        "board_seat_assign": lambda: actions.board_seat_assign(
            actor=organizer_d1, congress=d1_congress, user=member, board="presidium"
        ),
        "credentials_verify": lambda: actions.credentials_verify(
            actor=organizer_d1, congress=d1_congress
        ),
    }
    with pytest.raises(ValidationError) as error:
        calls[write]()
    assert error.value.code == "congress_closed"


def test_the_higher_level_reopens_a_concluded_congress_with_a_reason_and_it_is_audited(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any, organizer_province: Any
) -> None:
    _set_state(d1_congress, "concluded")
    with pytest.raises(PermissionDenied):
        congress_actions.congress_transition(
            actor=organizer_d1, congress=d1_congress, transition="reopen", reason="sửa biên bản"
        )
    with pytest.raises(ValidationError):
        congress_actions.congress_transition(
            actor=organizer_province, congress=d1_congress, transition="reopen", reason=""
        )
    congress_actions.congress_transition(
        actor=organizer_province,
        congress=d1_congress,
        transition="reopen",
        reason="Bổ sung biên bản kiểm phiếu",
    )
    d1_congress.refresh_from_db()
    assert d1_congress.state == "in_session"
    event = CongressEvent.objects.filter(congress=d1_congress, transition="reopen").get()
    assert event.reason == "Bổ sung biên bản kiểm phiếu"
    assert AuditEvent.objects.filter(action="congress_reopen").exists()
    actions.agenda_item_add(
        actor=organizer_d1, congress=d1_congress, title="Bổ sung", kind="report"
    )
    assert queries.agenda(d1_congress).filter(title="Bổ sung").exists()

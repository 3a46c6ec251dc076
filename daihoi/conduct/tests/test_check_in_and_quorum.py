from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.conduct import actions, queries
from daihoi.conduct.actions.checkin import check_in_message
from daihoi.conduct.models import Delegate
from daihoi.conduct.tests.factories import send_up
from daihoi.congresses.models import Congress
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_check_in_marks_presence_and_a_second_scan_says_when(
    d1_congress: Congress, congresses: dict[str, Congress], credentials_user: Any
) -> None:
    (official,), _ = send_up(d1_congress, congresses["g1"], officials=1)

    first = actions.delegate_check_in(
        actor=credentials_user, congress=d1_congress, code=official.badge_code.lower()
    )
    second = actions.delegate_check_in(
        actor=credentials_user, congress=d1_congress, code=official.badge_code.replace("-", "")
    )

    assert not first.already and second.already
    assert first.at == second.at
    assert "already checked in at" in check_in_message(second)
    assert queries.entitled_basis(d1_congress).present == 1


def test_an_unknown_badge_code_is_a_clear_error(
    d1_congress: Congress, credentials_user: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.delegate_check_in(actor=credentials_user, congress=d1_congress, code="ZZZZZ-ZZZZZ")
    assert "ZZZZZ-ZZZZZ" in error.value.message_dict["code"][0]
    assert not AuditEvent.objects.filter(action="delegate_check_in").exists()


def test_a_badge_of_another_congress_is_unknown_here(
    congresses: dict[str, Congress], credentials_user: Any
) -> None:
    (other,), _ = send_up(congresses["d2"], congresses["g2"], officials=1)
    with pytest.raises(ValidationError):
        actions.delegate_check_in(
            actor=credentials_user, congress=congresses["d1"], code=other.badge_code
        )


def test_not_summoned_replaced_and_standby_delegates_are_refused_with_the_reason(
    d1_congress: Congress, congresses: dict[str, Congress], credentials_user: Any
) -> None:
    (suspended, absent), (first, second) = send_up(
        d1_congress, congresses["g1"], officials=2, alternates=2
    )
    suspended.person.status = "suspended"
    suspended.person.save()
    actions.credentials_verify(actor=SYSTEM, congress=d1_congress)
    actions.delegate_mark_absent(actor=SYSTEM, delegate=absent)

    def refusal(line: Delegate) -> str:
        with pytest.raises(ValidationError) as error:
            actions.delegate_check_in(
                actor=credentials_user, congress=d1_congress, code=line.badge_code
            )
        return error.value.message_dict["code"][0]

    assert "not summoned" in refusal(suspended) and "suspended" in refusal(suspended)
    assert "replaced by " + first.person.full_name in refusal(absent)
    assert "standby" in refusal(second)
    assert queries.entitled_basis(d1_congress).present == 0


def test_an_official_marked_absent_without_alternate_who_arrives_is_present(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    (late,), _ = send_up(d1_congress, congresses["g1"], officials=1)
    actions.delegate_mark_absent(actor=SYSTEM, delegate=late)

    actions.delegate_check_in(actor=SYSTEM, congress=d1_congress, code=late.badge_code)

    basis = queries.entitled_basis(d1_congress)
    assert (basis.convened, basis.entitled, basis.present, basis.exclusions) == (1, 1, 1, [])


def test_only_the_credentials_board_or_an_organizer_checks_in(
    province: dict[str, Any], d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    (official,), _ = send_up(d1_congress, congresses["g1"], officials=1)
    presidium = testing.make_user()
    d1_congress.board_seats.create(user=presidium, board="presidium")
    with pytest.raises(PermissionDenied):
        actions.delegate_check_in(actor=presidium, congress=d1_congress, code=official.badge_code)
    organizer = testing.make_user(role="organizer", unit=province["province"])
    assert not actions.delegate_check_in(
        actor=organizer, congress=d1_congress, code=official.badge_code
    ).already


def test_quorum_needs_more_than_two_thirds_of_the_convened(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    officials, _ = send_up(d1_congress, congresses["g1"], officials=9)
    for line in officials[:6]:
        actions.delegate_check_in(actor=SYSTEM, congress=d1_congress, code=line.badge_code)

    at_two_thirds = queries.quorum(d1_congress)
    assert (at_two_thirds.present, at_two_thirds.convened) == (6, 9)
    assert not at_two_thirds.met  # exactly 2/3 is not more than 2/3
    assert at_two_thirds.needed == 7
    assert at_two_thirds.rule == "more than 2/3 of those convened"
    assert at_two_thirds.source == "Party Charter"

    actions.delegate_check_in(actor=SYSTEM, congress=d1_congress, code=officials[6].badge_code)
    assert queries.quorum(d1_congress).met


def test_quorum_counts_absent_officials_without_alternate_as_convened(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    officials, _ = send_up(d1_congress, congresses["g1"], officials=3)
    actions.delegate_mark_absent(actor=SYSTEM, delegate=officials[0])
    for line in officials[1:]:
        actions.delegate_check_in(actor=SYSTEM, congress=d1_congress, code=line.badge_code)

    q = queries.quorum(d1_congress)
    assert (q.present, q.convened, q.met) == (2, 3, False)  # 2/3 is not more than 2/3


def test_an_empty_roster_has_no_quorum(d1_congress: Congress) -> None:
    q = queries.quorum(d1_congress)
    assert (q.present, q.convened, q.met) == (0, 0, False)


def test_entitled_basis_numbers_for_the_elections(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    """11 convened, one suspended not summoned, one absent without alternate: 10 entitled."""
    officials, (alternate,) = send_up(d1_congress, congresses["g1"], officials=12, alternates=1)
    officials[0].person.status = "suspended"
    officials[0].person.save()
    actions.credentials_verify(actor=SYSTEM, congress=d1_congress)
    actions.delegate_mark_absent(actor=SYSTEM, delegate=officials[1])  # alternate steps in
    actions.delegate_mark_absent(actor=SYSTEM, delegate=officials[2])  # none left
    for line in [*officials[3:], alternate]:
        actions.delegate_check_in(actor=SYSTEM, congress=d1_congress, code=line.badge_code)

    basis = queries.entitled_basis(d1_congress)

    assert (basis.listed, basis.convened, basis.entitled, basis.present) == (12, 11, 10, 10)
    assert (basis.replaced, basis.standby) == (1, 0)
    assert {e.code: e.count for e in basis.exclusions} == {
        "not_summoned_suspended": 1,
        "absent_no_alternate": 1,
    }

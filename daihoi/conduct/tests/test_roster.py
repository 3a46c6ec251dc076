from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.conduct import actions, queries
from daihoi.conduct.badges import ALPHABET, normalize_badge_code
from daihoi.conduct.models import Delegate
from daihoi.conduct.tests.conftest import make_congress, seat
from daihoi.conduct.tests.factories import people, send_up
from daihoi.congresses.models import Congress
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

Status, Kind = Delegate.Status, Delegate.Kind


def test_roster_of_a_delegates_congress_is_its_sitting_executive_committee_ex_officio(
    province: dict[str, Any], d1_congress: Congress
) -> None:
    sitting = people(province["d1"], 3)
    for person in sitting:
        seat(province["d1"], person)
    seat(province["d1"], testing.make_person(unit=province["d1"]), ended_on="2024-01-01")
    seat(province["d1"], sitting[0], body="standing")  # a second seat is still one line
    people(province["d1"], 2)  # plain members are not on a delegates congress's roster

    change = actions.roster_build(actor=SYSTEM, congress=d1_congress)

    lines = list(queries.roster(d1_congress))
    assert {d.person_id for d in lines} == {p.pk for p in sitting}
    assert {d.kind for d in lines} == {Kind.EX_OFFICIO}
    assert len(change.added) == 3


def test_roster_build_is_idempotent(province: dict[str, Any], d1_congress: Congress) -> None:
    seat(province["d1"], testing.make_person(unit=province["d1"]))
    actions.roster_build(actor=SYSTEM, congress=d1_congress)
    codes = set(queries.roster(d1_congress).values_list("badge_code", flat=True))

    again = actions.roster_build(actor=SYSTEM, congress=d1_congress)

    assert again.added == []
    assert set(queries.roster(d1_congress).values_list("badge_code", flat=True)) == codes


def test_a_cell_congress_summons_every_current_member(
    province: dict[str, Any], congresses: dict[str, Congress]
) -> None:
    secretary = testing.make_person(unit=province["c1"])
    seat(province["c1"], secretary)
    members = people(province["c1"], 3)
    testing.make_person(unit=province["c1"], status="deceased")

    actions.roster_build(actor=SYSTEM, congress=congresses["c1"])

    kinds = {d.person_id: d.kind for d in queries.roster(congresses["c1"])}
    assert kinds == {secretary.pk: Kind.EX_OFFICIO, **{p.pk: Kind.MEMBER for p in members}}


def test_a_unit_with_no_units_below_meets_as_all_members(
    province: dict[str, Any], cycle: Any
) -> None:
    lone = testing.make_unit(parent=province["d1"], level="grassroots")
    congress = make_congress(lone, cycle)
    members = people(lone, 2)

    actions.roster_build(actor=SYSTEM, congress=congress)

    assert {d.person_id for d in queries.roster(congress)} == {p.pk for p in members}


@pytest.mark.parametrize("status", ["suspended", "prosecuted"])
def test_suspended_or_prosecuted_members_are_not_summoned(
    province: dict[str, Any], congresses: dict[str, Congress], status: str
) -> None:
    barred = testing.make_person(unit=province["c1"], status=status)
    fine = testing.make_person(unit=province["c1"])
    actions.roster_build(actor=SYSTEM, congress=congresses["c1"])

    report = actions.credentials_verify(actor=SYSTEM, congress=congresses["c1"])

    line = queries.roster(congresses["c1"]).get(person=barred)
    assert (line.status, line.reason) == (Status.NOT_SUMMONED, status)
    assert queries.roster(congresses["c1"]).get(person=fine).status == Status.SUMMONED
    assert [d.person_id for d in report.not_summoned] == [barred.pk]
    assert report.basis.convened == 1
    assert [(e.code, e.count) for e in report.basis.exclusions] == [(f"not_summoned_{status}", 1)]


def test_a_retired_member_is_summoned_as_an_ordinary_member(
    province: dict[str, Any], congresses: dict[str, Congress]
) -> None:
    retired = testing.make_person(unit=province["c1"], status="retired")
    actions.roster_build(actor=SYSTEM, congress=congresses["c1"])

    report = actions.credentials_verify(actor=SYSTEM, congress=congresses["c1"])

    assert queries.roster(congresses["c1"]).get(person=retired).status == Status.SUMMONED
    assert report.basis.entitled == report.basis.convened == 1
    assert report.basis.exclusions == []


@pytest.mark.parametrize("status", ["exempted", "temporarily_transferred"])
def test_exempted_and_temporarily_transferred_members_count_only_if_they_attend(
    province: dict[str, Any], congresses: dict[str, Congress], status: str
) -> None:
    # Guidance 01-HD/TW (2021) item 13.2: notified and summoned; in the total if they attend,
    # left out of the total used for election results if they do not.
    congress = congresses["c1"]
    comes = testing.make_person(unit=province["c1"], status=status)
    stays_away = testing.make_person(unit=province["c1"], status=status)
    ordinary = people(province["c1"], 2)
    actions.roster_build(actor=SYSTEM, congress=congress)
    lines = {d.person_id: d for d in queries.roster(congress)}
    assert {lines[p.pk].status for p in (comes, stays_away)} == {Status.SUMMONED}
    for person in (comes, *ordinary):
        actions.delegate_check_in(actor=SYSTEM, congress=congress, code=lines[person.pk].badge_code)

    basis = queries.entitled_basis(congress)

    assert basis.convened == 4
    assert basis.present == 3
    assert basis.entitled == 3  # the one who stayed away is left out; the one who came counts
    assert [(e.code, e.count) for e in basis.exclusions] == [
        ("exempted_or_transferred_not_attending", 1)
    ]


def test_credentials_verify_catches_a_suspension_after_the_roster_was_built(
    province: dict[str, Any], d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    (official,), _ = send_up(d1_congress, congresses["g1"], officials=1)
    official.person.status = "suspended"
    official.person.save()

    actions.credentials_verify(actor=SYSTEM, congress=d1_congress)

    official.refresh_from_db()
    assert (official.status, official.reason) == (Status.NOT_SUMMONED, "suspended")

    official.person.status = "active"
    official.person.save()
    actions.credentials_verify(actor=SYSTEM, congress=d1_congress)
    official.refresh_from_db()
    assert (official.status, official.reason) == (Status.SUMMONED, "")


def test_roster_add_elected_summons_officials_and_ranks_alternates_on_standby(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    officials, alternates = send_up(d1_congress, congresses["g1"], officials=2, alternates=2)

    assert [(d.kind, d.status, d.alternate_rank) for d in officials] == [
        (Kind.ELECTED, Status.SUMMONED, None)
    ] * 2
    assert [(d.kind, d.status, d.alternate_rank) for d in alternates] == [
        (Kind.ALTERNATE, Status.STANDBY, 1),
        (Kind.ALTERNATE, Status.STANDBY, 2),
    ]
    assert {d.elected_by_id for d in officials + alternates} == {congresses["g1"].pk}
    assert AuditEvent.objects.filter(action="roster_add_elected").count() == 1


def test_roster_add_elected_again_replaces_what_the_lower_congress_sent(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    send_up(d1_congress, congresses["g1"], officials=3, alternates=1)
    officials, _ = send_up(d1_congress, congresses["g1"], officials=1)

    assert list(queries.roster(d1_congress).values_list("person_id", flat=True)) == [
        officials[0].person_id
    ]


def test_roster_add_elected_refuses_a_congress_that_is_not_below(
    congresses: dict[str, Congress],
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.roster_add_elected(
            actor=SYSTEM,
            congress=congresses["d1"],
            elected_by=congresses["g2"],  # under D2
            officials=people(congresses["g2"].unit, 1),
            alternates=[],
        )
    assert "elected_by" in error.value.message_dict


def test_roster_add_elected_needs_an_organizer_over_the_lower_unit(
    province: dict[str, Any], congresses: dict[str, Congress]
) -> None:
    outsider = testing.make_user(role="organizer", unit=province["d2"])
    with pytest.raises(PermissionDenied):
        actions.roster_add_elected(
            actor=outsider,
            congress=congresses["d1"],
            elected_by=congresses["g1"],
            officials=people(province["g1"], 1),
            alternates=[],
        )


def test_a_person_already_ex_officio_is_not_listed_twice(
    province: dict[str, Any], d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    both = testing.make_person(unit=province["g1"])
    seat(province["d1"], both)
    actions.roster_build(actor=SYSTEM, congress=d1_congress)

    change = actions.roster_add_elected(
        actor=SYSTEM,
        congress=d1_congress,
        elected_by=congresses["g1"],
        officials=[both],
        alternates=[],
    )

    assert change.skipped == [both]
    assert queries.roster(d1_congress).get(person=both).kind == Kind.EX_OFFICIO


def test_absent_official_is_replaced_by_the_next_alternate_of_the_same_lower_congress(
    province: dict[str, Any], cycle: Any, d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    other = make_congress(testing.make_unit(parent=province["d1"], level="grassroots"), cycle)
    (official, _o2), (first, second) = send_up(
        d1_congress, congresses["g1"], officials=2, alternates=2
    )
    _others, (foreign_alternate,) = send_up(d1_congress, other, officials=1, alternates=1)
    # The other congress's alternate has the same rank 1 and an earlier id order: never taken.
    assert foreign_alternate.alternate_rank == first.alternate_rank == 1

    replacement = actions.delegate_mark_absent(actor=SYSTEM, delegate=official)

    assert replacement is not None and replacement.pk == first.pk
    official.refresh_from_db()
    first.refresh_from_db()
    assert official.status == Status.REPLACED
    assert (first.status, first.replaces_id) == (Status.SUMMONED, official.pk)
    foreign_alternate.refresh_from_db()
    assert foreign_alternate.status == Status.STANDBY

    second_absent = _o2
    assert actions.delegate_mark_absent(actor=SYSTEM, delegate=second_absent).pk == second.pk


def test_alternates_are_taken_in_rank_order_not_creation_order(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    (official,), (rank1, rank2) = send_up(d1_congress, congresses["g1"], officials=1, alternates=2)
    Delegate.objects.filter(pk=rank1.pk).update(alternate_rank=3)  # now the last in order

    assert actions.delegate_mark_absent(actor=SYSTEM, delegate=official).pk == rank2.pk


def test_a_suspended_alternate_is_skipped(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    (official,), (rank1, rank2) = send_up(d1_congress, congresses["g1"], officials=1, alternates=2)
    rank1.person.status = "suspended"
    rank1.person.save()
    actions.credentials_verify(actor=SYSTEM, congress=d1_congress)

    assert actions.delegate_mark_absent(actor=SYSTEM, delegate=official).pk == rank2.pk


def test_absent_official_with_no_alternate_left_is_excluded_from_the_entitled(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    (a, _b, _c), _ = send_up(d1_congress, congresses["g1"], officials=3)

    assert actions.delegate_mark_absent(actor=SYSTEM, delegate=a) is None

    a.refresh_from_db()
    assert a.status == Status.ABSENT
    basis = queries.entitled_basis(d1_congress)
    assert (basis.convened, basis.entitled) == (3, 2)
    assert [(e.code, e.count) for e in basis.exclusions] == [("absent_no_alternate", 1)]


def test_only_a_summoned_delegate_who_has_not_checked_in_can_be_marked_absent(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    (official,), (alternate,) = send_up(d1_congress, congresses["g1"], officials=1, alternates=1)
    with pytest.raises(ValidationError):
        actions.delegate_mark_absent(actor=SYSTEM, delegate=alternate)
    actions.delegate_check_in(actor=SYSTEM, congress=d1_congress, code=official.badge_code)
    with pytest.raises(ValidationError):
        actions.delegate_mark_absent(actor=SYSTEM, delegate=official)


def test_delegates_appoint_for_a_merged_unit_stands_in_for_its_election(
    province: dict[str, Any], cycle: Any, d1_congress: Congress
) -> None:
    merged = make_congress(
        testing.make_unit(parent=province["d1"], level="grassroots"),
        cycle,
        bodies=Congress.Bodies.APPOINTED,
    )
    officials, alternates = people(merged.unit, 2), people(merged.unit, 1)

    actions.delegates_appoint(
        actor=SYSTEM,
        congress=d1_congress,
        officials=officials,
        alternates=alternates,
        sent_by=merged,
    )

    lines = {d.person_id: d for d in queries.roster(d1_congress)}
    assert {lines[p.pk].kind for p in officials} == {Kind.APPOINTED}
    assert (lines[alternates[0].pk].status, lines[alternates[0].pk].alternate_rank) == (
        Status.STANDBY,
        1,
    )
    replacement = actions.delegate_mark_absent(actor=SYSTEM, delegate=lines[officials[0].pk])
    assert replacement is not None and replacement.person_id == alternates[0].pk


def test_delegates_cannot_be_appointed_for_a_congress_that_elects(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.delegates_appoint(
            actor=SYSTEM,
            congress=d1_congress,
            officials=people(congresses["g1"].unit, 1),
            sent_by=congresses["g1"],
        )
    assert "sent_by" in error.value.message_dict


def test_delegates_appointed_directly_have_no_alternates(
    province: dict[str, Any], d1_congress: Congress
) -> None:
    appointed = people(province["d1"], 1)
    actions.delegates_appoint(actor=SYSTEM, congress=d1_congress, officials=appointed)
    assert queries.roster(d1_congress).get().kind == Kind.APPOINTED
    with pytest.raises(ValidationError):
        actions.delegates_appoint(
            actor=SYSTEM,
            congress=d1_congress,
            officials=people(province["d1"], 1),
            alternates=people(province["d1"], 1),
        )


def test_badge_codes_are_ten_base32_characters_in_two_groups(
    d1_congress: Congress, congresses: dict[str, Congress]
) -> None:
    officials, _ = send_up(d1_congress, congresses["g1"], officials=5)
    codes = [d.badge_code for d in officials]
    assert len(set(codes)) == 5
    for code in codes:
        left, right = code.split("-")
        assert len(left) == len(right) == 5
        assert set(left + right) <= set(ALPHABET)


def test_typed_badge_codes_are_forgiving_of_case_separators_and_look_alikes() -> None:
    assert normalize_badge_code(" abcde fghjk ") == "ABCDE-FGHJK"
    assert normalize_badge_code("0O1IL-22222") == "00111-22222"
    assert normalize_badge_code("ABCDE-FGHJ") is None
    assert normalize_badge_code("ABCDE-FGHJU") is None


def test_board_seat_assign_needs_an_organizer(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any, credentials_user: Any
) -> None:
    user = testing.make_user(person=testing.make_person(unit=province["d1"]))
    with pytest.raises(PermissionDenied):
        actions.board_seat_assign(
            actor=credentials_user, congress=d1_congress, user=user, board="counting"
        )
    seat_ = actions.board_seat_assign(
        actor=organizer_d1, congress=d1_congress, user=user, board="counting"
    )
    assert queries.is_board_member(user, d1_congress, "counting")
    assert not queries.is_board_member(user, d1_congress, "presidium")
    assert (
        actions.board_seat_assign(
            actor=organizer_d1, congress=d1_congress, user=user, board="counting"
        )
        == seat_
    )
    with pytest.raises(ValidationError):
        actions.board_seat_assign(actor=organizer_d1, congress=d1_congress, user=user, board="x")

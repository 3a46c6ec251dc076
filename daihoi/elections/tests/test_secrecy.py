"""Ballot secrecy against a database reader: what links a voter to a counted ballot? Nothing.

The attacker reads every table and every system column (PostgreSQL's `xmin` and `ctid`,
SQLite's `rowid`), orders by every id and key, and joins on them. Today's joins found the
voter of each ballot through `xmin` (ballot, participation and audit event shared one
transaction); now a ballot is sealed until two counting keys open it, and the counted rows
are written shuffled in the count's own transaction.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from daihoi import testing
from daihoi.conduct.models import BoardSeat
from daihoi.core.models import AuditEvent
from daihoi.elections import actions, queries, sealing
from daihoi.elections.models import (
    Ballot,
    CountingKey,
    Election,
    KeyShare,
    Participation,
    Receipt,
    SealedBallot,
)
from daihoi.elections.tests.conftest import Hall, make_hall, token

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
VOTERS = 8


def _code(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    error = exc.value
    if hasattr(error, "error_dict"):
        return str(next(iter(error.error_dict.values()))[0].code)
    return str(error.error_list[0].code)


def _burst(hall: Hall) -> tuple[Election, list[tuple[int, dict[str, list[str]]]]]:
    """Every voter casts a ballot no other voter casts; returns (delegate, content) in order."""
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=3, candidates=4)
    )
    slate = queries.slate_ids(election)
    subsets = [list(c) for n in (1, 2, 3) for c in itertools.combinations(slate, n)]
    cast = []
    for voter, line, kept in zip(hall.voters, hall.lines, subsets, strict=False):
        actions.ballot_cast(actor=voter, election=election, form_token=token(), kept=kept)
        cast.append((line.pk, {"kept": sorted(kept)}))
    return election, cast


def _close_and_count(hall: Hall, election: Election) -> Election:
    actions.election_close(actor=hall.counters[0], election=election)
    return actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _contents(order_by: str, election: Election) -> list[Any]:
    rows = _rows(
        f"SELECT content FROM elections_ballot WHERE election_id = %s ORDER BY {order_by}",
        [election.pk],
    )
    return [Ballot._meta.get_field("content").from_db_value(r[0], None, connection) for r in rows]


def test_after_a_burst_and_the_count_no_order_or_system_column_links_a_ballot_to_its_voter(
    province: dict[str, Any],
) -> None:
    hall = make_hall(province, voters=VOTERS)
    election, cast = _burst(hall)
    _close_and_count(hall, election)
    voting_order = [content for _delegate, content in cast]
    assert sorted(map(str, _contents("id", election))) == sorted(map(str, voting_order))
    # Every order an attacker can read the counted table in is not the order of voting.
    physical = "ctid" if POSTGRES else "rowid"
    for order in (physical, "id", "shuffle_key"):
        assert _contents(order, election) != voting_order, order
    # Participation ids are random too: their order is not the order of voting.
    by_id = [
        d
        for (d,) in _rows(
            "SELECT delegate_id FROM elections_participation WHERE election_id = %s ORDER BY id",
            [election.pk],
        )
    ]
    assert by_id != [d for d, _c in cast]
    # Nothing sealed is left, nor any share of the election key.
    assert not SealedBallot.objects.filter(election=election).exists()
    assert not KeyShare.objects.filter(election=election).exists()
    # No column of the counted table is a time, a sequence or a link to anything but the election.
    columns = {f.column for f in Ballot._meta.concrete_fields}
    assert columns == {"id", "election_id", "content", "shuffle_key"}


@pytest.mark.skipif(not POSTGRES, reason="xmin is a PostgreSQL system column")
@pytest.mark.django_db(transaction=True)  # real commits: xmin as in production
def test_after_a_burst_and_the_count_xmin_joins_link_no_ballot_to_a_voter() -> None:
    hall = make_hall(testing.make_province(), voters=VOTERS)
    election, _cast = _burst(hall)
    # During the poll the join finds each sealed box's voter: a box nobody can open alone.
    during = _rows(
        "SELECT count(*) FROM elections_sealedballot s JOIN core_auditevent a "
        "ON s.xmin::text = a.xmin::text WHERE s.election_id = %s AND a.action = 'ballot_cast'",
        [election.pk],
    )
    assert during == [(VOTERS,)]
    _close_and_count(hall, election)
    join = (
        "FROM elections_ballot b JOIN {table} t ON b.xmin::text = t.xmin::text "
        "WHERE b.election_id = %s"
    )
    for table in ("elections_participation", "elections_receipt"):
        assert _rows("SELECT count(*) " + join.format(table=table), [election.pk]) == [(0,)]
    # Only the count's own event shares the counted rows' transaction; no voter's event does.
    events = _rows(
        "SELECT DISTINCT t.action " + join.format(table="core_auditevent"), [election.pk]
    )
    assert events in ([], [("election_count",)])
    # All counted ballots were written by one transaction: xmin tells them apart not at all.
    distinct = _rows(
        "SELECT count(DISTINCT xmin::text) FROM elections_ballot WHERE election_id = %s",
        [election.pk],
    )
    assert distinct == [(1,)]
    assert AuditEvent.objects.filter(action="ballot_cast").count() == VOTERS
    assert Participation.objects.filter(election=election).count() == VOTERS
    assert Receipt.objects.filter(election=election).count() == VOTERS


def test_the_count_refuses_one_counting_key(hall: Hall) -> None:
    election, _cast = _burst(hall)
    actions.election_close(actor=hall.counters[0], election=election)
    with pytest.raises(ValidationError) as exc:
        actions.election_count(
            actor=hall.counters[0], election=election, counting_keys=hall.counting_keys[:1]
        )
    assert _code(exc) == "count_needs_two_shares"
    with pytest.raises(ValidationError) as exc:
        actions.election_count(actor=hall.counters[0], election=election)
    assert _code(exc) == "count_needs_two_shares"
    assert not Ballot.objects.filter(election=election).exists()
    assert SealedBallot.objects.filter(election=election).count() == len(hall.voters)


def test_the_count_refuses_the_same_member_twice(hall: Hall) -> None:
    election, _cast = _burst(hall)
    actions.election_close(actor=hall.counters[0], election=election)
    twice = [hall.counting_keys[0], hall.counting_keys[0].lower().replace("-", " ")]
    with pytest.raises(ValidationError) as exc:
        actions.election_count(actor=hall.counters[0], election=election, counting_keys=twice)
    assert _code(exc) == "count_same_member_twice"
    assert not Ballot.objects.filter(election=election).exists()


def test_the_count_refuses_a_mistyped_key_and_a_key_without_a_share(hall: Hall) -> None:
    election, _cast = _burst(hall)
    actions.election_close(actor=hall.counters[0], election=election)
    first, second = hall.counting_keys
    mistyped = second[:-1] + ("A" if second[-1] != "A" else "B")
    with pytest.raises(ValidationError) as exc:
        actions.election_count(
            actor=hall.counters[0], election=election, counting_keys=[first, mistyped]
        )
    assert _code(exc) == "counting_key_malformed"
    stranger = sealing.counting_key_text(sealing.new_key_pair().private)
    with pytest.raises(ValidationError) as exc:
        actions.election_count(
            actor=hall.counters[0], election=election, counting_keys=[first, stranger]
        )
    assert _code(exc) == "counting_key_without_share"


def test_a_key_issued_after_the_poll_opened_holds_no_share_of_it(hall: Hall) -> None:
    election, _cast = _burst(hall)
    actions.election_close(actor=hall.counters[0], election=election)
    renewed = actions.counting_key_issue(actor=hall.counters[1], congress=hall.congress)
    with pytest.raises(ValidationError) as exc:
        actions.election_count(
            actor=hall.counters[0],
            election=election,
            counting_keys=[hall.counting_keys[0], renewed.secret],
        )
    assert _code(exc) == "counting_key_without_share"


def test_any_two_of_three_members_open_the_ballots(province: dict[str, Any]) -> None:
    hall = make_hall(province, voters=VOTERS)
    third = testing.make_user(username="count_c")
    BoardSeat.objects.create(congress=hall.congress, user=third, board=BoardSeat.Board.COUNTING)
    key = actions.counting_key_issue(actor=third, congress=hall.congress).secret
    election, cast = _burst(hall)
    assert KeyShare.objects.filter(election=election).count() == 3
    actions.election_close(actor=hall.counters[0], election=election)
    counted = actions.election_count(
        actor=third, election=election, counting_keys=[key, hall.counting_keys[1]]
    )
    assert counted.result["returned"] == len(cast)


def test_an_electronic_poll_does_not_open_until_two_members_hold_counting_keys(
    province: dict[str, Any],
) -> None:
    hall = make_hall(province)
    CountingKey.objects.filter(congress=hall.congress, holder=hall.counters[1]).delete()
    election = hall.election(seats=2, candidates=3)
    with pytest.raises(ValidationError) as exc:
        actions.election_open(actor=hall.organizer, election=election)
    assert _code(exc) == "counting_keys_too_few"
    paper = hall.election(seats=2, candidates=3, mode="paper")
    assert actions.election_open(actor=hall.organizer, election=paper).state == "open"


def test_only_a_counting_eye_issues_a_counting_key(hall: Hall) -> None:
    with pytest.raises(PermissionDenied):
        actions.counting_key_issue(actor=hall.organizer, congress=hall.congress)
    with pytest.raises(PermissionDenied):
        actions.counting_key_issue(actor=hall.voters[0], congress=hall.congress)
    with pytest.raises(ValidationError) as exc:
        actions.counting_key_issue(
            actor=hall.counters[0], congress=hall.congress, holder=hall.counters[1]
        )
    assert _code(exc) == "counting_key_not_yours"

"""Concurrent submissions on PostgreSQL: never two ballots for one voter, never a lost one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from daihoi import testing
from daihoi.elections import actions, queries
from daihoi.elections.models import Participation, Receipt, SealedBallot
from daihoi.elections.tests.conftest import make_hall, token

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serializes every writer; concurrent submissions need PostgreSQL",
    ),
]


def _race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run `jobs` in threads released together; return each result or raised exception."""
    barrier = threading.Barrier(len(jobs))
    out: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            out[i] = jobs[i]()
        except Exception as exc:  # recorded for the assertions
            out[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


def test_concurrent_double_submit_of_one_form_records_one_ballot_and_one_receipt() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    slate = queries.slate_ids(election)
    form = token()
    results = _race(
        [
            lambda: actions.ballot_cast(
                actor=hall.voters[0], election=election, form_token=form, kept=slate[:2]
            )
            for _ in range(6)
        ]
    )
    receipts = {r.receipt for r in results}
    assert len(receipts) == 1
    assert sum(not r.already_recorded for r in results) == 1
    assert SealedBallot.objects.filter(election=election).count() == 1
    assert Receipt.objects.filter(election=election).count() == 1


def test_concurrent_different_forms_of_one_voter_record_exactly_one_ballot() -> None:
    hall = make_hall(testing.make_province(), voters=2)
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    slate = queries.slate_ids(election)
    results = _race(
        [
            lambda: actions.ballot_cast(
                actor=hall.voters[0], election=election, form_token=token(), kept=slate[:1]
            )
            for _ in range(6)
        ]
    )
    assert sum(isinstance(r, actions.CastResult) for r in results) == 1
    assert all(
        isinstance(r, ValidationError) for r in results if not isinstance(r, actions.CastResult)
    )
    assert SealedBallot.objects.filter(election=election).count() == 1


def test_many_voters_at_once_lose_no_ballot() -> None:
    hall = make_hall(testing.make_province(), voters=12)
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    slate = queries.slate_ids(election)
    results = _race(
        [
            (
                lambda v=v: actions.ballot_cast(
                    actor=v, election=election, form_token=token(), kept=slate[:2]
                )
            )
            for v in hall.voters
        ]
    )
    assert all(isinstance(r, actions.CastResult) for r in results), results
    acknowledged = sorted(r.receipt for r in results)
    assert acknowledged == queries.bulletin(election).receipts
    assert SealedBallot.objects.filter(election=election).count() == 12
    assert Participation.objects.filter(election=election).count() == 12

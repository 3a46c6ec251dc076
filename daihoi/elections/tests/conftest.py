from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.models import Congress, Cycle
from daihoi.elections import actions
from daihoi.elections.models import Election

_badge = itertools.count(1)


@dataclass
class Hall:
    """A congress of `d1`'s grassroots unit G1 with a roster, a counting board and an organizer."""

    cycle: Cycle
    congress: Congress
    higher: Congress
    organizer: Any
    counters: list[Any]
    voters: list[Any] = field(default_factory=list)  # users with checked-in roster lines
    lines: list[Delegate] = field(default_factory=list)
    counting_keys: list[str] = field(default_factory=list)  # the counters' keys, in order

    def election(
        self, *, seats: int, candidates: int, mode: str = "electronic", **kw: Any
    ) -> Election:
        election = actions.election_create(
            actor=self.organizer,
            congress=self.congress,
            seats=seats,
            mode=mode,
            body=kw.pop("body", Election.Body.EXECUTIVE),
            **kw,
        )
        for _ in range(candidates):
            person = testing.make_person(unit=self.congress.unit)
            actions.candidate_add(actor=self.organizer, election=election, person=person)
        return election


def roster_line(congress: Congress, person: Any, *, checked_in: bool = True, **kw: Any) -> Delegate:
    return Delegate.objects.create(
        congress=congress,
        person=person,
        kind=kw.pop("kind", Delegate.Kind.MEMBER),
        badge_code=f"B{next(_badge):08d}{secrets.token_hex(2)}",
        checked_in_at=timezone.now() if checked_in else None,
        **kw,
    )


def make_hall(province: dict[str, Any], *, voters: int = 5, absent: int = 0) -> Hall:
    cycle = Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    congress = Congress.objects.create(cycle=cycle, unit=province["g1"], congress_type="full")
    higher = Congress.objects.create(cycle=cycle, unit=province["d1"], congress_type="full")
    organizer = testing.make_user(username="org_g1", role=Role.ORGANIZER, unit=province["g1"])
    counters = []
    for name in ("count_a", "count_b"):
        user = testing.make_user(username=name)
        BoardSeat.objects.create(congress=congress, user=user, board=BoardSeat.Board.COUNTING)
        counters.append(user)
    hall = Hall(
        cycle=cycle, congress=congress, higher=higher, organizer=organizer, counters=counters
    )
    for user in counters:
        issued = actions.counting_key_issue(actor=user, congress=congress)
        hall.counting_keys.append(issued.secret)
    for i in range(voters + absent):
        person = testing.make_person(unit=province["g1"])
        user = testing.make_user(username=f"voter{i}", person=person)
        line = roster_line(congress, person, checked_in=i < voters)
        hall.voters.append(user)
        hall.lines.append(line)
    return hall


@pytest.fixture
def hall(province: dict[str, Any]) -> Hall:
    return make_hall(province)


def token() -> str:
    return secrets.token_urlsafe(24)


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """Action-level tests read the English messages; pages pick the language themselves."""
    from django.utils import translation

    with translation.override("en"):
        yield

"""Roster data for tests: people sent up by lower congresses."""

from __future__ import annotations

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.conduct import actions
from daihoi.conduct.models import Delegate
from daihoi.congresses.models import Congress
from daihoi.organizations.models import Person


def people(unit: object, n: int, **extra: object) -> list[Person]:
    return [testing.make_person(unit=unit, **extra) for _ in range(n)]  # type: ignore[arg-type]


def send_up(
    higher: Congress, lower: Congress, *, officials: int, alternates: int = 0
) -> tuple[list[Delegate], list[Delegate]]:
    """`lower` elects `officials` delegates and `alternates` alternates to `higher`."""
    officials_ = people(lower.unit, officials)
    alternates_ = people(lower.unit, alternates)
    actions.roster_add_elected(
        actor=SYSTEM,
        congress=higher,
        elected_by=lower,
        officials=officials_,
        alternates=alternates_,
    )
    lines = {d.person_id: d for d in Delegate.objects.filter(congress=higher, elected_by=lower)}
    return [lines[p.pk] for p in officials_], [lines[p.pk] for p in alternates_]

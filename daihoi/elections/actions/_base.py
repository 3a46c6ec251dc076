"""Shared by the election actions: permission and state checks, locking."""

from __future__ import annotations

from django.utils.translation import gettext as _

from daihoi.accounts.authority import (
    Actor,
    require_organizer_or_seat,
    require_role,
    require_seat,
)
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress
from daihoi.core.errors import refusal
from daihoi.elections.live import notify
from daihoi.elections.models import (
    Election,
    LiveEvent,
)

COUNTING = "counting"  # conduct.BoardSeat.Board.COUNTING

# Permissions -----------------------------------------------------------------------------


def require_organizer(actor: Actor, congress: Congress) -> None:
    require_role(actor, congress.unit, [Role.ORGANIZER])


def require_counting_board(actor: Actor, congress: Congress) -> None:
    """Only seated counting-board members; organizers do not count (four eyes stay real)."""
    require_seat(actor, congress, COUNTING)


def require_board_or_organizer(actor: Actor, congress: Congress) -> None:
    require_organizer_or_seat(actor, congress, [COUNTING])


def require_state(election: Election, *states: str) -> None:
    if election.state not in states:
        labels = ", ".join(str(Election.State(s).label) for s in states)
        raise refusal(
            _("The election is %(state)s; this needs it to be: %(needed)s.")
            % {"state": election.get_state_display(), "needed": labels},
            code="election_wrong_state",
            field="state",
        )


def locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("congress__unit").get(pk=election.pk)


def live(election: Election, kind: str) -> None:
    event = LiveEvent.objects.create(congress_id=election.congress_id, election=election, kind=kind)
    # Wakes the streams of every process when this transaction commits (PostgreSQL).
    notify(event.pk, election.congress_id, kind)

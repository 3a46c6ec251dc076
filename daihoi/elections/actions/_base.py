"""Shared by the election actions: committee bodies, permission and state checks, locking."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role
from daihoi.accounts.queries import require_role
from daihoi.congresses.models import Congress
from daihoi.elections import queries
from daihoi.elections.models import (
    Election,
    LiveEvent,
)
from daihoi.organizations.models import CommitteeSeat

COMMITTEE_BODIES = {
    Election.Body.EXECUTIVE: CommitteeSeat.Body.EXECUTIVE,
    Election.Body.STANDING: CommitteeSeat.Body.STANDING,
    Election.Body.INSPECTION: CommitteeSeat.Body.INSPECTION,
    Election.Body.SECRETARY: CommitteeSeat.Body.SECRETARY,
    Election.Body.DEPUTY_SECRETARY: CommitteeSeat.Body.DEPUTY_SECRETARY,
}


# Permissions -----------------------------------------------------------------------------


def require_organizer(actor: Any, congress: Congress) -> None:
    require_role(actor, congress.unit, [Role.ORGANIZER])


def require_counting_board(actor: Any, congress: Congress) -> None:
    """Only seated counting-board members; organizers do not count (four eyes stay real)."""
    if actor is None:
        return
    if not queries.is_counting_board(actor, congress):
        raise PermissionDenied(_("Only members of the counting board may do this."))


def require_board_or_organizer(actor: Any, congress: Congress) -> None:
    if actor is None or queries.is_counting_board(actor, congress):
        return
    require_organizer(actor, congress)


def require_state(election: Election, *states: str) -> None:
    if election.state not in states:
        labels = ", ".join(str(Election.State(s).label) for s in states)
        raise ValidationError(
            {
                "state": _("The election is %(state)s; this needs it to be: %(needed)s.")
                % {"state": election.get_state_display(), "needed": labels}
            }
        )


def locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("congress__unit").get(pk=election.pk)


def live(election: Election, kind: str) -> None:
    LiveEvent.objects.create(congress_id=election.congress_id, election=election, kind=kind)

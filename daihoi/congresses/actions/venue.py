"""Where a congress sits: the venue its minutes and invitations name."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role
from daihoi.congresses.actions._base import ORGANIZER
from daihoi.congresses.gates import require_congress_open
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.core.errors import refusal

MAX_VENUE = 200


@action(system=True)
def congress_set_venue(*, actor: Any, congress: Congress, venue: str) -> Congress:
    """An organizer of the congress's unit records where it sits (empty clears it)."""
    require_role(actor, congress.unit, ORGANIZER)
    require_congress_open(congress)
    venue = " ".join(venue.split())
    if len(venue) > MAX_VENUE:
        raise refusal(
            _("The venue can be at most %(n)s characters long.") % {"n": MAX_VENUE},
            code="venue_too_long",
            field="venue",
        )
    previous = congress.venue
    congress.venue = venue
    congress.save(update_fields=["venue"])
    audit.record(
        actor=actor,
        action="congress_set_venue",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"venue": [previous, venue]},
    )
    return congress

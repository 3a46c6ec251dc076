"""What other apps' actions check against a congress's lifecycle before they write.

A concluded (or confirmed, or cancelled) congress is closed to every change: no check-in, no
roster or board change, no new election, no poll opened, no agenda change, no paper entry.
Only the higher level reopens it, with a reason (the `reopen` transition). Once a congress
convenes its board seats are frozen: changing them then needs the higher level and a reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daihoi.congresses import workflow
from daihoi.congresses.models import Congress

CLOSED = workflow.DONE | {workflow.CANCELLED}


def is_closed(congress: Congress) -> bool:
    return congress.state in CLOSED


def require_congress_open(congress: Congress) -> None:
    """Refuse any change to a congress that has concluded or was cancelled."""
    if congress.state in CLOSED:
        raise ValidationError(
            _(
                "This congress has concluded; nothing in it can change unless the higher level "
                "reopens it."
            )
            if congress.state in workflow.DONE
            else _("This congress was cancelled; nothing in it can change."),
            code="congress_closed",
        )


def seats_frozen(congress: Congress) -> bool:
    """Board seats are frozen once the congress convenes."""
    return congress.state == workflow.IN_SESSION

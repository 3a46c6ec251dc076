"""Check-in at the door: a badge code read or typed, with the reason when it is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action
from daihoi.conduct import queries
from daihoi.conduct.actions._base import Board, Status, require
from daihoi.conduct.models import Delegate
from daihoi.congresses.gates import require_congress_open
from daihoi.congresses.models import Congress
from daihoi.core import audit, clock
from daihoi.core.errors import refusal


@dataclass(frozen=True)
class CheckIn:
    delegate: Delegate
    already: bool  # checked in before; `delegate.checked_in_at` is the first time

    @property
    def at(self) -> datetime:
        assert self.delegate.checked_in_at is not None
        return self.delegate.checked_in_at


def _refusal(line: Delegate) -> str | None:
    if line.status == Status.NOT_SUMMONED:
        return _("%(name)s is not summoned: %(reason)s.") % {
            "name": line.person.full_name,
            "reason": line.get_reason_display() or _("no reason recorded"),
        }
    if line.status == Status.REPLACED:
        replacement = Delegate.objects.filter(replaces=line).select_related("person").first()
        return _("%(name)s was replaced by %(other)s.") % {
            "name": line.person.full_name,
            "other": replacement.person.full_name if replacement else "?",
        }
    if line.status == Status.STANDBY:
        return _("%(name)s is an alternate on standby and has not been called.") % {
            "name": line.person.full_name
        }
    return None


@action(system=True)
def delegate_check_in(*, actor: Any, congress: Congress, code: str) -> CheckIn:
    """Mark a delegate present by badge code. A second scan only reports the first time."""
    require(actor, congress, [Board.CREDENTIALS])
    require_congress_open(congress)
    found = queries.delegate_by_badge(congress, code)
    if found is None:
        raise refusal(
            _("No delegate of this congress has the badge code “%(code)s”.")
            % {"code": code.strip()[:40]},
            code="no_delegate_congress_badge",
            field="code",
        )
    line = Delegate.objects.select_for_update().select_related("person").get(pk=found.pk)
    refused = _refusal(line)
    if refused:
        raise refusal(refused, code="badge_not_admitted", field="code")
    already = line.checked_in_at is not None
    if not already:
        # An official marked absent without an alternate who arrives after all is present.
        line.status, line.reason = Status.SUMMONED, ""
        line.checked_in_at = clock.now()
        line.save(update_fields=["status", "reason", "checked_in_at"])
    audit.record(
        actor=actor,
        action="delegate_check_in",
        obj=line,
        unit_path=congress.unit.path,
        changes={"already": already},
    )
    return CheckIn(delegate=line, already=already)


def check_in_message(result: CheckIn) -> str:
    when = time_format(timezone.localtime(result.at), "H:i")
    name = result.delegate.person.full_name
    if result.already:
        return _("%(name)s: already checked in at %(time)s.") % {"name": name, "time": when}
    return _("%(name)s checked in at %(time)s.") % {"name": name, "time": when}

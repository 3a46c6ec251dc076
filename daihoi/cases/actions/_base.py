"""Shared helpers of the cases actions."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import require_role
from daihoi.accounts.models import Role
from daihoi.cases import queries
from daihoi.cases.models import Case
from daihoi.core.errors import refusal
from daihoi.core.text import nfc, strip_invisible

INSPECTOR = (Role.INSPECTOR,)
ORGANIZER = (Role.ORGANIZER,)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "congress__unit", "congress__cycle", "candidate__plan")
        .get(pk=case.pk)
    )


def require_handler(actor: Any, case: Case) -> None:
    """An inspector over the case's unit who is not the person it is about."""
    require_role(actor, case.unit, INSPECTOR)
    if not getattr(actor, "is_authenticated", False):
        return  # the system, where an action allows it
    if not queries.handles(actor, case):
        raise refusal(_("Only an inspector handling this case may do this."), code="not_handling")


def require_state(case: Case, *states: str, code: str = "case_wrong_state") -> None:
    if case.state not in states:
        raise refusal(
            _("This cannot be done to a case that is %(state)s.")
            % {"state": case.get_state_display()},
            code=code,
        )


def text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    """A cleaned text: one line in NFC, or (above 300 characters allowed) paragraphs kept."""
    raw = value or ""
    if limit > 300:
        cleaned = unicodedata.normalize("NFC", strip_invisible(raw)).strip()
    else:
        cleaned = nfc(raw)
    if required and not cleaned:
        raise refusal(_("This field is required."), code="required", field=field)
    if len(cleaned) > limit:
        raise refusal(_("At most %(n)s characters.") % {"n": limit}, code="too_long", field=field)
    return cleaned


def check_attachment(upload: Any) -> None:
    if upload is not None and getattr(upload, "size", 0) > MAX_ATTACHMENT_BYTES:
        raise refusal(
            _("An attachment may be at most 10 MB."), code="too_large", field="attachment"
        )

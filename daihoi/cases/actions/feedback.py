"""Feedback on congress preparation: the organizers reply (publishable) and consider it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role, user_of
from daihoi.cases.actions._base import ORGANIZER, locked, require_state, text
from daihoi.cases.models import Case
from daihoi.core import audit
from daihoi.core.errors import refusal


def _feedback(case: Case) -> None:
    if case.kind != Case.Kind.FEEDBACK:
        raise refusal(_("Only feedback is answered this way."), code="not_feedback")


@action(system=True)
def feedback_reply(*, actor: Any, case: Case, reply: str, publish: bool = False) -> Case:
    """An organizer of the unit answers feedback; a published reply is shown to everyone
    with the feedback's subject (never its sender)."""
    case = locked(case)
    require_role(actor, case.unit, ORGANIZER)
    _feedback(case)
    case.reply = text(reply, field="reply", limit=5000)
    case.reply_published = bool(publish)
    case.replied_by = user_of(actor)
    case.save(update_fields=["reply", "reply_published", "replied_by"])
    audit.record(
        actor=actor,
        action="feedback_reply",
        obj=case,
        unit_path=case.unit.path,
        changes={"published": case.reply_published},
    )
    return case


@action(system=True)
def feedback_consider(*, actor: Any, case: Case) -> Case:
    """Mark feedback as considered in the preparation of the congress."""
    case = locked(case)
    require_role(actor, case.unit, ORGANIZER)
    _feedback(case)
    require_state(case, Case.State.RECEIVED)
    case.state = Case.State.CONSIDERED
    case.save(update_fields=["state"])
    audit.record(actor=actor, action="feedback_consider", obj=case, unit_path=case.unit.path)
    return case

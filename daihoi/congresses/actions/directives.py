"""Directives, guidance and plans published to a subtree; acknowledgements; study sessions."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role
from daihoi.accounts.models import Role
from daihoi.congresses.actions._base import MAX_ATTACHMENT_BYTES, ORGANIZER, is_user
from daihoi.congresses.models import (
    ATTACHMENT_EXTENSIONS,
    Acknowledgement,
    Cycle,
    Directive,
    StudySession,
)
from daihoi.core import audit
from daihoi.core.errors import field_errors, refusal
from daihoi.core.text import nfc
from daihoi.organizations.models import CURRENT_STATUSES, Person, Unit


@action()
def directive_publish(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    number: str,
    issued_on: datetime.date,
    title: str,
    attachment: UploadedFile | None = None,
    cycle: Cycle | None = None,
) -> Directive:
    """A unit publishes a directive, guidance or plan to its subtree."""
    require_role(actor, unit, [Role.ORGANIZER, Role.DOCUMENT_EDITOR])
    number, title = nfc(number.strip()), nfc(title.strip())
    errors: dict[str, str] = {}
    if kind not in Directive.Kind.values:
        errors["kind"] = _("Choose directive, guidance or plan.")
    if not number:
        errors["number"] = _("Give the document's number, such as 45-CT/TW.")
    elif Directive.objects.filter(unit=unit, number=number).exists():
        errors["number"] = _("This unit has already published %(n)s.") % {"n": number}
    if not title:
        errors["title"] = _("Give the document's title.")
    if attachment is not None:
        ext = (attachment.name or "").rsplit(".", 1)[-1].lower()
        if ext not in ATTACHMENT_EXTENSIONS:
            errors["attachment"] = _("Attach a file of type %(types)s.") % {
                "types": ", ".join(ATTACHMENT_EXTENSIONS)
            }
        elif (attachment.size or 0) > MAX_ATTACHMENT_BYTES:
            errors["attachment"] = _("The file is larger than 10 MB.")
    if errors:
        raise field_errors(errors)
    directive = Directive(
        unit=unit,
        cycle=cycle,
        kind=kind,
        number=number,
        issued_on=issued_on,
        title=title,
        published_by=actor if is_user(actor) else None,
    )
    if attachment is not None:
        directive.attachment.save(attachment.name or "attachment", attachment, save=False)
    directive.save()
    audit.record(
        actor=actor,
        action="directive_publish",
        obj=directive,
        unit_path=unit.path,
        changes={"kind": kind, "number": number, "title": title, "file": directive.attachment.name},
    )
    return directive


@action()
def directive_acknowledge(*, actor: Any, directive: Directive, unit: Unit) -> Acknowledgement:
    """`unit` (in the directive's subtree) has received the directive. Idempotent."""
    require_role(actor, unit, ORGANIZER)
    if not unit.path.startswith(directive.unit.path) or unit.pk == directive.unit_id:
        raise refusal(
            _("This directive is not addressed to this unit."),
            code="directive_not_addressed_unit",
            field="unit",
        )
    ack, created = Acknowledgement.objects.get_or_create(
        directive=directive, unit=unit, defaults={"by": actor if is_user(actor) else None}
    )
    if created:
        audit.record(
            actor=actor,
            action="directive_acknowledge",
            obj=directive,
            unit_path=unit.path,
            changes={"unit": unit.code},
        )
    return ack


@action()
def study_session_record(
    *,
    actor: Any,
    directive: Directive,
    unit: Unit,
    held_on: datetime.date,
    attendee_ids: Sequence[int],
) -> StudySession:
    """A unit studied a directive; attendance lists its current members who came."""
    require_role(actor, unit, ORGANIZER)
    if not unit.path.startswith(directive.unit.path):
        raise refusal(
            _("This directive is not addressed to this unit."),
            code="directive_not_addressed_unit",
            field="unit",
        )
    members = set(
        Person.objects.filter(
            unit__path__startswith=unit.path, status__in=CURRENT_STATUSES, pk__in=list(attendee_ids)
        ).values_list("pk", flat=True)
    )
    strangers = sorted(set(attendee_ids) - members)
    if strangers:
        raise refusal(
            _("Not members of %(unit)s: %(ids)s")
            % {"unit": unit.code, "ids": ", ".join(map(str, strangers))},
            code="not_members_of_unit",
            field="attendees",
        )
    session = StudySession.objects.create(directive=directive, unit=unit, held_on=held_on)
    session.attendees.set(sorted(members))
    audit.record(
        actor=actor,
        action="study_session_record",
        obj=session,
        unit_path=unit.path,
        changes={"directive": directive.number, "held_on": held_on, "attendees": len(members)},
    )
    return session

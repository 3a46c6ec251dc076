"""Comments: a member's own, entered from meeting minutes or letters, in batches through the
API, and from the public; moderation (hide with a reason, restore)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from daihoi.accounts.authority import (
    SYSTEM,
    action,
    in_scope,
    require_role,
    require_signed_in,
    user_of,
)
from daihoi.accounts.models import Role
from daihoi.consultation.models import (
    Comment,
    Consultation,
    Paragraph,
)
from daihoi.consultation.queries import consultation_unit, may_comment
from daihoi.consultation.queries.access import MODERATOR
from daihoi.consultation.synthesis import normalize_comment
from daihoi.core import audit, clock
from daihoi.core.errors import field_errors, refusal
from daihoi.core.text import nfc
from daihoi.organizations.models import Unit

MAX_COMMENT_CHARS = 5000
MAX_BATCH = 1000
ENTRY_ROLES = [Role.DOCUMENT_EDITOR, Role.ORGANIZER]


@dataclass(frozen=True)
class CommentInput:
    """One comment as submitted. `paragraph` is an anchor ("p3") or None (general)."""

    text: str
    paragraph: str | None = None
    kind: str = Comment.Kind.COMMENT
    proposed_text: str = ""
    channel: str = Comment.Channel.ONLINE
    unit: str | None = None  # unit code, for comments entered from a meeting or a letter
    meeting_ref: str = ""
    meeting_date: datetime.date | None = None
    sender: str = ""  # who wrote the letter


class _Context:
    """What validating a batch needs, fetched once."""

    def __init__(self, consultation: Consultation, items: Sequence[CommentInput]) -> None:
        self.consultation = consultation
        self.now = clock.now()
        self.paragraphs = {
            p.anchor: p for p in Paragraph.objects.filter(version_id=consultation.draft_version_id)
        }
        codes = {item.unit for item in items if item.unit}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)} if codes else {}
        self.audience_path = consultation.audience_unit.path


def _check_open(consultation: Consultation, now: datetime.datetime) -> None:
    if now < consultation.opens_at:
        raise refusal(
            _("The consultation has not opened yet."),
            code="consultation_not_opened",
            field="consultation",
        )
    if now >= consultation.closes_at:
        raise refusal(
            _("The consultation is closed."), code="consultation_closed", field="consultation"
        )


def _build_comment(
    actor: Any, item: CommentInput, ctx: _Context, *, public: bool = False
) -> tuple[Comment | None, dict[str, str]]:
    """An unsaved comment, or the errors by field. Permission failures raise."""
    errors: dict[str, str] = {}
    text = nfc(item.text or "")
    proposed = nfc(item.proposed_text or "")
    if not text:
        errors["text"] = _("Write the comment.")
    elif len(text) > MAX_COMMENT_CHARS:
        errors["text"] = _("A comment has at most %(n)d characters.") % {"n": MAX_COMMENT_CHARS}
    paragraph = None
    if item.paragraph:
        paragraph = ctx.paragraphs.get(item.paragraph)
        if paragraph is None:
            errors["paragraph"] = _("The draft version has no paragraph %(anchor)s.") % {
                "anchor": item.paragraph
            }
    if item.kind not in Comment.Kind.values:
        errors["kind"] = _("Kind must be comment or amendment.")
    elif item.kind == Comment.Kind.AMENDMENT:
        if not item.paragraph:
            errors["paragraph"] = _("An amendment replaces a paragraph: name it.")
        if not proposed:
            errors["proposed_text"] = _("An amendment needs the proposed text.")
        elif len(proposed) > MAX_COMMENT_CHARS:
            errors["proposed_text"] = _("A comment has at most %(n)d characters.") % {
                "n": MAX_COMMENT_CHARS
            }
    if item.channel not in Comment.Channel.values:
        errors["channel"] = _("Channel must be online, meeting or letter.")
    unit: Unit | None = None
    author = None
    entered_by = None
    if public:
        pass
    elif item.channel == Comment.Channel.ONLINE:
        person = getattr(actor, "person", None)
        if person is None or not may_comment(actor, ctx.consultation):
            raise PermissionDenied(_("This consultation is not open to you."))
        if item.unit and item.unit != person.unit.code:
            errors["unit"] = _("An online comment speaks for the commenter's own unit.")
        unit, author = person.unit, actor
    elif item.channel in (Comment.Channel.MEETING, Comment.Channel.LETTER):
        entered_by = user_of(actor)
        if not item.unit:
            errors["unit"] = _("Name the unit the comment comes from.")
        else:
            unit = ctx.units.get(item.unit)
            if unit is None:
                errors["unit"] = _("No unit has the code %(code)s.") % {"code": item.unit}
            elif (
                ctx.consultation.audience != Consultation.Audience.PUBLIC
                and not unit.path.startswith(ctx.audience_path)
            ):
                errors["unit"] = _("Unit %(code)s is not in this consultation's audience.") % {
                    "code": item.unit
                }
            elif actor is not SYSTEM and not in_scope(actor, unit, roles=ENTRY_ROLES):
                raise PermissionDenied(_("You may not enter comments for this unit."))
        if item.channel == Comment.Channel.MEETING and not nfc(item.meeting_ref or ""):
            errors["meeting_ref"] = _("Name the meeting whose minutes hold the comment.")
    if errors:
        return None, errors
    return (
        Comment(
            consultation=ctx.consultation,
            paragraph=paragraph,
            kind=item.kind,
            text=text,
            search_text=normalize_comment(text),
            proposed_text=proposed,
            channel=Comment.Channel.ONLINE if public else item.channel,
            meeting_ref=nfc(item.meeting_ref or "")[:300],
            meeting_date=item.meeting_date,
            unit=unit,
            level=unit.level if unit else "",
            author=author,
            entered_by=entered_by,
            public_name=nfc(item.sender or "")[:120],
            created_at=ctx.now,
        ),
        {},
    )


@action()
def comment_submit(*, actor: Any, consultation: Consultation, item: CommentInput) -> Comment:
    """A member's own comment (online), or one entered from a meeting's minutes or a letter."""
    require_signed_in(actor)
    ctx = _Context(consultation, [item])
    _check_open(consultation, ctx.now)
    comment, errors = _build_comment(actor, item, ctx)
    if errors or comment is None:
        raise field_errors(errors)
    comment.save()
    audit.record(
        actor=actor,
        action="comment_submit",
        obj=comment,
        unit_path=comment.unit.path if comment.unit else "",
        changes={
            "consultation": consultation.pk,
            "paragraph": item.paragraph,
            "kind": comment.kind,
            "channel": comment.channel,
            "unit": comment.unit.code if comment.unit else None,
        },
    )
    return comment


@action(system=True)
def comments_ingest(
    *, actor: Any, consultation: Consultation, items: Sequence[CommentInput]
) -> list[Comment]:
    """A batch, all or nothing; errors are keyed `comments.<index>.<field>`."""
    require_signed_in(actor)  # each item is then checked against the actor's own rights
    if not items:
        raise refusal(
            _("Send at least one comment."), code="send_least_one_comment", field="comments"
        )
    if len(items) > MAX_BATCH:
        raise refusal(
            _("Send at most %(n)d comments per batch.") % {"n": MAX_BATCH},
            code="send_most_comments_per",
            field="comments",
        )
    ctx = _Context(consultation, items)
    _check_open(consultation, ctx.now)
    comments: list[Comment] = []
    errors: dict[str, str] = {}
    for index, item in enumerate(items):
        comment, item_errors = _build_comment(actor, item, ctx)
        for name, message in item_errors.items():
            errors[f"comments.{index}.{name}"] = message
        if comment is not None:
            comments.append(comment)
    if errors:
        raise field_errors(errors)
    created = Comment.objects.bulk_create(comments, batch_size=500)
    levels: dict[str, int] = {}
    for comment in created:
        levels[comment.level] = levels.get(comment.level, 0) + 1
    audit.record(
        actor=actor,
        action="comments_ingest",
        object_type="consultation.consultation",
        object_id=consultation.pk,
        unit_path=consultation_unit(consultation).path,
        changes={
            "count": len(created),
            "first_id": created[0].pk if created and created[0].pk else None,
            "last_id": created[-1].pk if created and created[-1].pk else None,
            "by_level": levels,
        },
    )
    return created


@action(public=True)
def comment_submit_public(
    *,
    consultation: Consultation,
    item: CommentInput,
    public_name: str = "",
    public_contact: str = "",
) -> Comment:
    """A comment from the public, without an account (the view checks rate and challenge)."""
    if consultation.audience != Consultation.Audience.PUBLIC:
        raise PermissionDenied(_("This consultation is not open to the public."))
    ctx = _Context(consultation, [item])
    _check_open(consultation, ctx.now)
    comment, errors = _build_comment(None, item, ctx, public=True)
    if errors or comment is None:
        raise field_errors(errors)
    comment.public_name = nfc(public_name)[:120]
    comment.public_contact = nfc(public_contact)[:200]
    comment.save()
    audit.record(
        actor=SYSTEM,
        action="comment_submit_public",
        obj=comment,
        unit_path=consultation_unit(consultation).path,
        changes={"consultation": consultation.pk, "paragraph": item.paragraph, "public": True},
    )
    return comment


# ---- moderation ---------------------------------------------------------------------------


@action()
def comment_hide(*, actor: Any, comment: Comment, reason: str) -> Comment:
    unit = consultation_unit(comment.consultation)
    require_role(actor, unit, MODERATOR)
    reason = nfc(reason)
    if not reason:
        raise refusal(
            _("Say why the comment is hidden."), code="say_why_comment_hidden", field="reason"
        )
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.hidden:
        raise refusal(
            _("The comment is already hidden."), code="comment_already_hidden", field="hidden"
        )
    comment.hidden, comment.hidden_reason, comment.moderation = True, reason[:300], None
    comment.save(update_fields=["hidden", "hidden_reason", "moderation"])
    audit.record(
        actor=actor,
        action="comment_hide",
        obj=comment,
        unit_path=unit.path,
        changes={"reason": comment.hidden_reason},
    )
    return comment


@action()
def comment_restore(*, actor: Any, comment: Comment) -> Comment:
    unit = consultation_unit(comment.consultation)
    require_role(actor, unit, MODERATOR)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.hidden:
        raise refusal(_("The comment is not hidden."), code="comment_not_hidden", field="hidden")
    previous = comment.hidden_reason
    comment.hidden, comment.hidden_reason, comment.moderation = False, "", None
    comment.save(update_fields=["hidden", "hidden_reason", "moderation"])
    audit.record(
        actor=actor,
        action="comment_restore",
        obj=comment,
        unit_path=unit.path,
        changes={"hidden_reason_was": previous},
    )
    return comment

"""Writes for drafts, consultations, comments, moderation, synthesis and dispositions.

One function per use case: keyword-only, permission-checked, atomic, audited once.
`actor=None` means the system (commands, the synthesis task).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role
from daihoi.accounts.queries import in_scope, require_role
from daihoi.congresses.models import Congress
from daihoi.consultation import drafting
from daihoi.consultation.models import (
    Comment,
    CommentGroup,
    Consultation,
    Disposition,
    Draft,
    DraftVersion,
    Paragraph,
    Section,
    SynthesisRun,
)
from daihoi.consultation.queries import EDITOR, MODERATOR, consultation_unit, may_comment
from daihoi.core import audit
from daihoi.core.text import nfc
from daihoi.organizations.models import Unit

MAX_COMMENT_CHARS = 5000
MAX_BATCH = 1000
ENTRY_ROLES = [Role.DOCUMENT_EDITOR, Role.ORGANIZER]


def _document_error(error: drafting.DocumentError) -> str:
    messages = {
        "empty": _("The document has no paragraphs."),
        "not_docx": _("The file is not a readable DOCX document."),
        "encoding": _("The file is not UTF-8 text."),
        "format": _("Choose Markdown, plain text or DOCX."),
    }
    return messages.get(error.code, str(error))


# ---- drafts -------------------------------------------------------------------------------


@transaction.atomic
def draft_create(*, actor: Any, congress: Congress, kind: str, title: str) -> Draft:
    require_role(actor, congress.unit, EDITOR)
    title = nfc(title)
    if not title:
        raise ValidationError({"title": _("A draft needs a title.")})
    if kind not in Draft.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of draft.")})
    draft = Draft.objects.create(
        congress=congress, kind=kind, title=title, created_by=actor if actor else None
    )
    audit.record(
        actor=actor,
        action="draft_create",
        obj=draft,
        unit_path=congress.unit.path,
        changes={"congress": congress.pk, "kind": kind, "title": title},
    )
    return draft


@transaction.atomic
def draft_version_import(
    *, actor: Any, draft: Draft, source_format: str, data: bytes | str, note: str = ""
) -> DraftVersion:
    """Import a new version; paragraphs similar to the previous version's keep their anchors."""
    unit = draft.congress.unit
    require_role(actor, unit, EDITOR)
    try:
        parsed = drafting.parse(source_format, data)
    except drafting.DocumentError as error:
        raise ValidationError({"source": _document_error(error)}) from error
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    previous = draft.versions.order_by("-number").first()
    old_paragraphs: list[tuple[str, str]] = []
    old_sections: list[tuple[str, str]] = []
    if previous is not None:
        old_paragraphs = list(previous.paragraphs.order_by("number").values_list("anchor", "text"))
        old_sections = list(previous.sections.order_by("number").values_list("anchor", "title"))

    def next_paragraph_anchor() -> str:
        draft.last_paragraph_anchor += 1
        return f"p{draft.last_paragraph_anchor}"

    def next_section_anchor() -> str:
        draft.last_section_anchor += 1
        return f"s{draft.last_section_anchor}"

    paragraph_anchors = drafting.match_anchors(
        old_paragraphs, parsed.paragraphs, new_anchor=next_paragraph_anchor
    )
    titled = [s.title for s in parsed.sections if s.title]
    section_anchors = iter(
        drafting.match_anchors(
            [(a, t) for a, t in old_sections if t], titled, new_anchor=next_section_anchor
        )
    )
    version = DraftVersion.objects.create(
        draft=draft,
        number=(previous.number + 1) if previous else 1,
        source_format=source_format,
        note=nfc(note),
        created_by=actor if actor else None,
    )
    anchors = iter(paragraph_anchors)
    number = 0
    paragraphs: list[Paragraph] = []
    for section_number, parsed_section in enumerate(parsed.sections, start=1):
        section = None
        if parsed_section.title:
            section = Section.objects.create(
                version=version,
                anchor=next(section_anchors),
                number=section_number,
                title=parsed_section.title[:500],
            )
        for text in parsed_section.paragraphs:
            number += 1
            paragraphs.append(
                Paragraph(
                    version=version, section=section, anchor=next(anchors), number=number, text=text
                )
            )
    Paragraph.objects.bulk_create(paragraphs)
    draft.save(update_fields=["last_paragraph_anchor", "last_section_anchor"])
    kept = len({a for a, _t in old_paragraphs} & set(paragraph_anchors))
    audit.record(
        actor=actor,
        action="draft_version_import",
        obj=version,
        unit_path=unit.path,
        changes={
            "draft": draft.pk,
            "number": version.number,
            "format": source_format,
            "paragraphs": len(paragraphs),
            "anchors_kept": kept,
        },
    )
    return version


# ---- consultations ------------------------------------------------------------------------


@transaction.atomic
def consultation_open(
    *,
    actor: Any,
    version: DraftVersion,
    audience: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    audience_unit: Unit | None = None,
) -> Consultation:
    unit = version.draft.congress.unit
    require_role(actor, unit, EDITOR)
    if audience not in Consultation.Audience.values:
        raise ValidationError({"audience": _("Choose who may comment.")})
    audience_unit = audience_unit or unit
    if not audience_unit.path.startswith(unit.path):
        raise ValidationError(
            {"audience_unit": _("The audience must be the draft's unit or a unit below it.")}
        )
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
    consultation = Consultation.objects.create(
        draft_version=version,
        audience=audience,
        audience_unit=audience_unit,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor if actor else None,
    )
    audit.record(
        actor=actor,
        action="consultation_open",
        obj=consultation,
        unit_path=unit.path,
        changes={
            "version": version.pk,
            "audience": audience,
            "audience_unit": audience_unit.code,
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
    )
    return consultation


# ---- comments -----------------------------------------------------------------------------


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
        self.now = timezone.now()
        self.paragraphs = {
            p.anchor: p for p in Paragraph.objects.filter(version_id=consultation.draft_version_id)
        }
        codes = {item.unit for item in items if item.unit}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)} if codes else {}
        self.audience_path = consultation.audience_unit.path


def _check_open(consultation: Consultation, now: datetime.datetime) -> None:
    if now < consultation.opens_at:
        raise ValidationError({"consultation": _("The consultation has not opened yet.")})
    if now >= consultation.closes_at:
        raise ValidationError({"consultation": _("The consultation is closed.")})


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
        entered_by = actor
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
            elif actor is not None and not in_scope(actor, unit, roles=ENTRY_ROLES):
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


@transaction.atomic
def comment_submit(*, actor: Any, consultation: Consultation, item: CommentInput) -> Comment:
    """A member's own comment (online), or one entered from a meeting's minutes or a letter."""
    ctx = _Context(consultation, [item])
    _check_open(consultation, ctx.now)
    comment, errors = _build_comment(actor, item, ctx)
    if errors or comment is None:
        raise ValidationError(errors)
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


@transaction.atomic
def comments_ingest(
    *, actor: Any, consultation: Consultation, items: Sequence[CommentInput]
) -> list[Comment]:
    """A batch, all or nothing; errors are keyed `comments.<index>.<field>`."""
    if not items:
        raise ValidationError({"comments": _("Send at least one comment.")})
    if len(items) > MAX_BATCH:
        raise ValidationError(
            {"comments": _("Send at most %(n)d comments per batch.") % {"n": MAX_BATCH}}
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
        raise ValidationError(errors)
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


@transaction.atomic
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
        raise ValidationError(errors)
    comment.public_name = nfc(public_name)[:120]
    comment.public_contact = nfc(public_contact)[:200]
    comment.save()
    audit.record(
        actor=None,
        action="comment_submit_public",
        obj=comment,
        unit_path=consultation_unit(consultation).path,
        changes={"consultation": consultation.pk, "paragraph": item.paragraph, "public": True},
    )
    return comment


# ---- moderation ---------------------------------------------------------------------------


@transaction.atomic
def comment_hide(*, actor: Any, comment: Comment, reason: str) -> Comment:
    unit = consultation_unit(comment.consultation)
    require_role(actor, unit, MODERATOR)
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the comment is hidden.")})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.hidden:
        raise ValidationError({"hidden": _("The comment is already hidden.")})
    comment.hidden, comment.hidden_reason = True, reason[:300]
    comment.save(update_fields=["hidden", "hidden_reason"])
    audit.record(
        actor=actor,
        action="comment_hide",
        obj=comment,
        unit_path=unit.path,
        changes={"reason": comment.hidden_reason},
    )
    return comment


@transaction.atomic
def comment_restore(*, actor: Any, comment: Comment) -> Comment:
    unit = consultation_unit(comment.consultation)
    require_role(actor, unit, MODERATOR)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.hidden:
        raise ValidationError({"hidden": _("The comment is not hidden.")})
    previous = comment.hidden_reason
    comment.hidden, comment.hidden_reason = False, ""
    comment.save(update_fields=["hidden", "hidden_reason"])
    audit.record(
        actor=actor,
        action="comment_restore",
        obj=comment,
        unit_path=unit.path,
        changes={"hidden_reason_was": previous},
    )
    return comment


# ---- synthesis ----------------------------------------------------------------------------


@transaction.atomic
def synthesis_start(*, actor: Any, consultation: Consultation) -> SynthesisRun:
    """Queue a synthesis run; the task starts after commit."""
    from daihoi.consultation.tasks import synthesize  # the task module imports these actions

    unit = consultation_unit(consultation)
    require_role(actor, unit, EDITOR)
    Consultation.objects.select_for_update().get(pk=consultation.pk)
    busy = consultation.synthesis_runs.filter(
        state__in=[SynthesisRun.State.QUEUED, SynthesisRun.State.RUNNING]
    ).exists()
    if busy:
        raise ValidationError({"consultation": _("A synthesis is already running.")})
    run = SynthesisRun.objects.create(consultation=consultation, requested_by=actor or None)
    audit.record(actor=actor, action="synthesis_start", obj=run, unit_path=unit.path, changes={})
    run_id = run.pk
    transaction.on_commit(lambda: synthesize.enqueue(run_id))
    return run


@dataclass(frozen=True)
class PlannedGroup:
    """A group computed by the synthesis core, ready to be written."""

    paragraph_id: int | None
    kind: str
    members: tuple[int, ...]
    representative: int
    representatives: tuple[int, ...]
    keywords: str = ""


@transaction.atomic
def synthesis_apply(
    *, actor: Any, run: SynthesisRun, groups: Sequence[PlannedGroup], topics: Sequence[PlannedGroup]
) -> SynthesisRun:
    """Replace the consultation's groups with a run's; dispositions of replaced groups pass to
    their comments, so that no editorial decision is lost."""
    consultation = run.consultation
    unit = consultation_unit(consultation)
    require_role(actor, unit, EDITOR)
    old_groups = CommentGroup.objects.filter(consultation=consultation)
    carried = 0
    for disposition in Disposition.objects.filter(group__in=old_groups).select_related("group"):
        undecided = Comment.objects.filter(group_id=disposition.group_id, disposition__isnull=True)
        new = [
            Disposition(
                comment_id=comment_id,
                status=disposition.status,
                version_number=disposition.version_number,
                reason=disposition.reason,
                decided_by_id=disposition.decided_by_id,
                decided_at=disposition.decided_at,
            )
            for comment_id in undecided.values_list("pk", flat=True)
        ]
        Disposition.objects.bulk_create(new, batch_size=1000)
        carried += len(new)
    Comment.objects.filter(consultation=consultation).exclude(
        group__isnull=True, topic__isnull=True
    ).update(group=None, topic=None)
    old_groups.delete()
    created = CommentGroup.objects.bulk_create(
        [
            CommentGroup(
                consultation=consultation,
                run=run,
                paragraph_id=g.paragraph_id,
                kind=g.kind,
                representative_id=g.representative,
                representatives=list(g.representatives),
                size=len(g.members),
                keywords=g.keywords[:300],
            )
            for g in [*groups, *topics]
        ],
        batch_size=1000,
    )
    field_of = {CommentGroup.Kind.TOPIC: "topic_id"}
    updates: dict[str, dict[int, int]] = {"group_id": {}, "topic_id": {}}
    for planned, group in zip([*groups, *topics], created, strict=True):
        target = updates[field_of.get(planned.kind, "group_id")]  # type: ignore[call-overload]
        for member in planned.members:
            target[member] = group.pk
    for column, assignment in updates.items():
        by_group: dict[int, list[int]] = {}
        for comment_id, group_id in assignment.items():
            by_group.setdefault(group_id, []).append(comment_id)
        for group_id, comment_ids in by_group.items():
            for start in range(0, len(comment_ids), 5000):
                Comment.objects.filter(pk__in=comment_ids[start : start + 5000]).update(
                    **{column: group_id}
                )
    run.group_count = len(groups)
    run.save(update_fields=["group_count"])
    audit.record(
        actor=actor,
        action="synthesis_apply",
        obj=run,
        unit_path=unit.path,
        changes={
            "groups": len(groups),
            "topics": len(topics),
            "comments": run.comment_count,
            "dispositions_carried": carried,
        },
    )
    return run


# ---- dispositions -------------------------------------------------------------------------


@transaction.atomic
def disposition_record(
    *,
    actor: Any,
    status: str,
    group: CommentGroup | None = None,
    comment: Comment | None = None,
    version_number: int | None = None,
    reason: str = "",
) -> Disposition:
    """Decide what was done with a group or one comment; deciding again replaces it."""
    if (group is None) == (comment is None):
        raise ValidationError({"target": _("Decide on a group or on one comment.")})
    consultation = group.consultation if group is not None else comment.consultation  # type: ignore[union-attr]
    unit = consultation_unit(consultation)
    require_role(actor, unit, EDITOR)
    reason = nfc(reason)
    errors: dict[str, str] = {}
    if status not in Disposition.Status.values:
        errors["status"] = _("Choose a disposition.")
    consulted = consultation.draft_version.number
    latest = consultation.draft_version.draft.versions.order_by("-number").values_list(
        "number", flat=True
    )[0]
    if status in (Disposition.Status.INCORPORATED, Disposition.Status.PARTLY):
        if version_number is None:
            errors["version_number"] = _("Say into which version it was incorporated.")
        elif not consulted < version_number <= latest + 1:
            errors["version_number"] = _(
                "The version must come after the consulted version %(v)d and at most be the "
                "next one (%(next)d)."
            ) % {"v": consulted, "next": latest + 1}
    else:
        version_number = None
    if status == Disposition.Status.NOT_TAKEN and not reason:
        errors["reason"] = _("Give the reason why it was not taken.")
    if errors:
        raise ValidationError(errors)
    target: dict[str, Any] = {"group": group} if group is not None else {"comment": comment}
    before = Disposition.objects.filter(**target).first()  # type: ignore[arg-type]
    disposition, _created = Disposition.objects.update_or_create(
        **target,  # type: ignore[arg-type]
        defaults={
            "status": status,
            "version_number": version_number,
            "reason": reason,
            "decided_by": actor if actor else None,
            "decided_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        action="disposition_record",
        obj=disposition,
        unit_path=unit.path,
        changes={
            "group": group.pk if group is not None else None,
            "comment": comment.pk if comment is not None else None,
            "status": status,
            "version_number": version_number,
            "reason": reason,
            "was": before.status if before else None,
        },
    )
    return disposition

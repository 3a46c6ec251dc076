"""Bulk moderation: hide or restore every comment of a group or of a search with one reason,
in one audited action that can be undone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role, user_of
from daihoi.consultation.models import Comment, CommentGroup, Consultation, ModerationBatch
from daihoi.consultation.queries import consultation_unit, search_comments
from daihoi.consultation.queries.access import MODERATOR
from daihoi.core import audit
from daihoi.core.text import nfc


def _refusal(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


@action()
def comments_moderate_bulk(
    *,
    actor: Any,
    consultation: Consultation,
    verb: str,
    reason: str,
    query: str = "",
    group: CommentGroup | None = None,
) -> ModerationBatch:
    """Hide (or restore) every visible (hidden) comment of `group`, or matching `query`, or
    both. One UPDATE whatever the number; the batch remembers which comments it changed."""
    unit = consultation_unit(consultation)
    require_role(actor, unit, MODERATOR)
    reason, query = nfc(reason), nfc(query)
    if verb not in ModerationBatch.Verb.values:
        raise _refusal("verb", _("Choose hide or restore."), "bad_verb")
    if not reason:
        raise _refusal("reason", _("Give the reason for this moderation."), "reason_required")
    if group is not None and group.consultation_id != consultation.pk:
        raise _refusal("group", _("The group is not in this consultation."), "foreign_group")
    if group is None and not query:
        raise _refusal(
            "query",
            _("Name a group or a search: a whole consultation is not moderated at once."),
            "scope_required",
        )
    hide = verb == ModerationBatch.Verb.HIDE
    batch = ModerationBatch.objects.create(
        consultation=consultation,
        verb=verb,
        reason=reason[:300],
        query=query[:200],
        group=group,
        decided_by=user_of(actor),
    )
    targets = (
        search_comments(consultation, query)
        if query
        else Comment.objects.filter(consultation=consultation)
    )
    if group is not None:
        field = "topic" if group.kind == CommentGroup.Kind.TOPIC else "group"
        targets = targets.filter(**{field: group})
    targets = targets.filter(hidden=not hide)
    changes: dict[str, Any] = {"hidden": hide, "moderation": batch}
    if hide:
        changes["hidden_reason"] = reason[:300]
    # a restored comment keeps its reason for hiding, so that undoing the restore hides it again
    batch.count = Comment.objects.filter(pk__in=targets.values("pk")).update(**changes)
    batch.save(update_fields=["count"])
    audit.record(
        actor=actor,
        action="comments_moderate_bulk",
        obj=batch,
        unit_path=unit.path,
        changes={
            "verb": verb,
            "reason": batch.reason,
            "query": batch.query,
            "group": group.pk if group is not None else None,
            "count": batch.count,
        },
    )
    return batch


@action()
def moderation_batch_undo(*, actor: Any, batch: ModerationBatch) -> ModerationBatch:
    """Flip back the comments the batch changed, except those moderated again since."""
    unit = consultation_unit(batch.consultation)
    require_role(actor, unit, MODERATOR)
    batch = ModerationBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.undone_at is not None:
        raise _refusal("batch", _("This moderation was already undone."), "already_undone")
    hid = batch.verb == ModerationBatch.Verb.HIDE
    changes: dict[str, Any] = {"hidden": not hid, "moderation": None}
    if hid:
        changes["hidden_reason"] = ""
    flipped = Comment.objects.filter(moderation=batch, hidden=hid).update(**changes)
    batch.undone_at = timezone.now()
    batch.undone_by = user_of(actor)
    batch.save(update_fields=["undone_at", "undone_by"])
    audit.record(
        actor=actor,
        action="moderation_batch_undo",
        obj=batch,
        unit_path=unit.path,
        changes={"verb": batch.verb, "count": flipped},
    )
    return batch

"""Synthesis runs and the editors' dispositions of groups and comments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role, user_of
from daihoi.consultation.models import (
    Comment,
    CommentGroup,
    Consultation,
    Disposition,
    SynthesisRun,
)
from daihoi.consultation.queries import consultation_unit
from daihoi.consultation.queries.access import EDITOR
from daihoi.consultation.synthesis.planning import PlannedGroup
from daihoi.core import audit, background
from daihoi.core.errors import field_errors, refusal
from daihoi.core.text import nfc

# the background task that runs a synthesis (registered by the app, `tasks.synthesize`)
SYNTHESIZE = "consultation.synthesize"


@action()
def synthesis_start(*, actor: Any, consultation: Consultation) -> SynthesisRun:
    """Queue a synthesis run; the task starts after commit."""
    unit = consultation_unit(consultation)
    require_role(actor, unit, EDITOR)
    Consultation.objects.select_for_update().get(pk=consultation.pk)
    busy = consultation.synthesis_runs.filter(
        state__in=[SynthesisRun.State.QUEUED, SynthesisRun.State.RUNNING]
    ).exists()
    if busy:
        raise refusal(
            _("A synthesis is already running."),
            code="synthesis_already_running",
            field="consultation",
        )
    run = SynthesisRun.objects.create(consultation=consultation, requested_by=user_of(actor))
    audit.record(actor=actor, action="synthesis_start", obj=run, unit_path=unit.path, changes={})
    background.enqueue_on_commit(SYNTHESIZE, run.pk)
    return run


@action(system=True)
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


@action()
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
        raise refusal(
            _("Decide on a group or on one comment."),
            code="decide_group_one_comment",
            field="target",
        )
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
        raise field_errors(errors)
    target: dict[str, Any] = {"group": group} if group is not None else {"comment": comment}
    before = Disposition.objects.filter(**target).first()  # type: ignore[arg-type]
    disposition, _created = Disposition.objects.update_or_create(
        **target,  # type: ignore[arg-type]
        defaults={
            "status": status,
            "version_number": version_number,
            "reason": reason,
            "decided_by": user_of(actor),
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

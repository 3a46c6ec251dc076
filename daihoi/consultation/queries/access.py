"""Reads for drafts, consultations and comments, scoped to the user.

Two kinds of access: *staff* (any role over the draft's unit subtree; editors and moderators
for synthesis and moderation) and *audience* (a member, delegate or anyone the consultation is
open to). Outside both, objects answer 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from daihoi.accounts.authority import congress_visible_q, in_scope, unit_scope_q
from daihoi.accounts.models import Role
from daihoi.conduct.models import Delegate
from daihoi.consultation.models import (
    Comment,
    CommentGroup,
    Consultation,
    Disposition,
    Draft,
    DraftVersion,
    Paragraph,
    SynthesisRun,
)
from daihoi.core import clock
from daihoi.organizations.models import Unit

EDITOR = [Role.DOCUMENT_EDITOR]
MODERATOR = [Role.MODERATOR]
EDITOR_OR_MODERATOR = [Role.DOCUMENT_EDITOR, Role.MODERATOR]


def ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
    step = Unit.steplen
    stop = len(path) + 1 if include_self else len(path)
    return [path[:end] for end in range(step, stop, step)]


def draft_unit(draft: Draft) -> Unit:
    return draft.congress.unit


def consultation_unit(consultation: Consultation) -> Unit:
    return consultation.draft_version.draft.congress.unit


# ---- drafts -------------------------------------------------------------------------------


def drafts_visible(user: Any) -> QuerySet[Draft]:
    """Drafts of congresses in the user's subtrees, and of the congresses they attend (a
    delegate reads their congress's documents)."""
    return (
        Draft.objects.filter(congress_visible_q(user, prefix="congress__"))
        .select_related("congress__unit", "congress__cycle")
        .order_by("congress__unit__path", "kind", "pk")
    )


def access_draft_by_id(user: Any, draft_id: int) -> Draft:
    draft = drafts_visible(user).filter(pk=draft_id).first()
    if draft is None:
        raise Http404
    return draft


def draft_versions(draft: Draft) -> QuerySet[DraftVersion]:
    return draft.versions.order_by("number")


def latest_version(draft: Draft) -> DraftVersion | None:
    return draft.versions.order_by("-number").first()


def version_paragraphs(version: DraftVersion) -> QuerySet[Paragraph]:
    return version.paragraphs.select_related("section").order_by("number")


# ---- consultations ------------------------------------------------------------------------


def audience_q(user: Any) -> Q:
    """Consultations whose audience includes `user` (open or not)."""
    q = Q(audience=Consultation.Audience.PUBLIC)
    person = getattr(user, "person", None) if user is not None else None
    if person is None or not user.is_authenticated:
        return q
    q |= Q(
        audience=Consultation.Audience.SUBTREE,
        audience_unit__path__in=ancestor_paths(person.unit.path),
    )
    for cycle_id, path in Delegate.objects.filter(
        person=person, status=Delegate.Status.SUMMONED
    ).values_list("congress__cycle_id", "congress__unit__path"):
        q |= Q(
            audience=Consultation.Audience.LOWER_DELEGATES,
            draft_version__draft__congress__cycle_id=cycle_id,
            audience_unit__path__in=ancestor_paths(path, include_self=False),
        )
    return q


def consultations_open_to(user: Any) -> QuerySet[Consultation]:
    now = clock.now()
    return (
        Consultation.objects.filter(audience_q(user), opens_at__lte=now, closes_at__gt=now)
        .select_related("draft_version__draft__congress__unit")
        .order_by("closes_at", "pk")
    )


def consultations_visible(user: Any) -> QuerySet[Consultation]:
    """Consultations a user manages (any role over the draft's unit)."""
    return Consultation.objects.filter(
        unit_scope_q(user, field="draft_version__draft__congress__unit__path")
    ).select_related("draft_version__draft__congress__unit", "audience_unit")


def access_consultation_by_id(
    user: Any, consultation_id: int, *, roles: Iterable[str] | None = None
) -> Consultation:
    """A consultation the user manages with one of `roles` (any role when None)."""
    found = (
        Consultation.objects.filter(pk=consultation_id)
        .select_related("draft_version__draft__congress__unit", "audience_unit")
        .first()
    )
    if found is None or not in_scope(user, consultation_unit(found), roles=roles):
        raise Http404
    return found


def may_comment(user: Any, consultation: Consultation) -> bool:
    """An authenticated user in the audience (public consultations: anyone)."""
    return Consultation.objects.filter(audience_q(user), pk=consultation.pk).exists()


def access_consultation_for_comment(user: Any, consultation_id: int) -> Consultation:
    """A consultation the user may read and comment on, or manages."""
    found = (
        Consultation.objects.filter(pk=consultation_id)
        .select_related("draft_version__draft__congress__unit", "audience_unit")
        .first()
    )
    if found is None:
        raise Http404
    if not (may_comment(user, found) or in_scope(user, consultation_unit(found))):
        raise Http404
    return found


def access_public_consultation(consultation_id: int) -> Consultation:
    found = (
        Consultation.objects.filter(pk=consultation_id, audience=Consultation.Audience.PUBLIC)
        .select_related("draft_version__draft__congress__unit")
        .first()
    )
    if found is None:
        raise Http404
    return found


def latest_run(consultation: Consultation) -> SynthesisRun | None:
    return consultation.synthesis_runs.order_by("-requested_at", "-pk").first()


def access_run_by_id(user: Any, run_id: int) -> SynthesisRun:
    run = SynthesisRun.objects.filter(pk=run_id).select_related("consultation").first()
    if run is None:
        raise Http404
    access_consultation_by_id(user, run.consultation_id, roles=EDITOR)
    return run


# ---- comments -----------------------------------------------------------------------------


def visible_comments(consultation: Consultation) -> QuerySet[Comment]:
    return Comment.objects.filter(consultation=consultation, hidden=False)


def handled_q() -> Q:
    return Q(Exists(Disposition.objects.filter(comment=OuterRef("pk")))) | Q(
        Exists(Disposition.objects.filter(group_id=OuterRef("group_id")))
    )


def unhandled_comments(consultation: Consultation) -> QuerySet[Comment]:
    return visible_comments(consultation).exclude(handled_q())


def access_comment_by_id(user: Any, comment_id: int, *, roles: Iterable[str]) -> Comment:
    comment = (
        Comment.objects.filter(pk=comment_id)
        .select_related("consultation__draft_version__draft__congress__unit")
        .first()
    )
    if comment is None or not in_scope(user, consultation_unit(comment.consultation), roles=roles):
        raise Http404
    return comment


def access_group_by_id(user: Any, group_id: int) -> CommentGroup:
    group = (
        CommentGroup.objects.filter(pk=group_id)
        .select_related("consultation__draft_version__draft__congress__unit")
        .first()
    )
    if group is None or not in_scope(user, consultation_unit(group.consultation), roles=EDITOR):
        raise Http404
    return group

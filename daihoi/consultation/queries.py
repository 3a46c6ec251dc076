"""Reads for drafts, consultations, comments and synthesis, scoped to the user.

Two kinds of access: *staff* (any role over the draft's unit subtree; editors and moderators
for synthesis and moderation) and *audience* (a member, delegate or anyone the consultation is
open to). Outside both, objects answer 404.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

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
from daihoi.organizations.models import Unit

EDITOR = [Role.DOCUMENT_EDITOR]
MODERATOR = [Role.MODERATOR]
EDITOR_OR_MODERATOR = [Role.DOCUMENT_EDITOR, Role.MODERATOR]


def _ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
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
        audience_unit__path__in=_ancestor_paths(person.unit.path),
    )
    for cycle_id, path in Delegate.objects.filter(
        person=person, status=Delegate.Status.SUMMONED
    ).values_list("congress__cycle_id", "congress__unit__path"):
        q |= Q(
            audience=Consultation.Audience.LOWER_DELEGATES,
            draft_version__draft__congress__cycle_id=cycle_id,
            audience_unit__path__in=_ancestor_paths(path, include_self=False),
        )
    return q


def consultations_open_to(user: Any) -> QuerySet[Consultation]:
    now = timezone.now()
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


def _handled_q() -> Q:
    return Q(Exists(Disposition.objects.filter(comment=OuterRef("pk")))) | Q(
        Exists(Disposition.objects.filter(group_id=OuterRef("group_id")))
    )


def unhandled_comments(consultation: Consultation) -> QuerySet[Comment]:
    return visible_comments(consultation).exclude(_handled_q())


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


def effective_disposition(comment: Comment) -> Disposition | None:
    """The comment's own disposition, else its group's."""
    own = getattr(comment, "disposition", None)
    if own is not None:
        return own
    if comment.group_id is not None and comment.group is not None:
        return getattr(comment.group, "disposition", None)
    return None


def my_comments(user: Any) -> QuerySet[Comment]:
    """The user's own comments, with what is needed to show their disposition."""
    return (
        Comment.objects.filter(author_id=user.pk)
        .select_related(
            "paragraph",
            "disposition",
            "group__disposition",
            "consultation__draft_version__draft",
        )
        .order_by("-created_at", "-pk")
    )


# ---- synthesis figures --------------------------------------------------------------------


@dataclass
class ParagraphFigures:
    paragraph: Paragraph | None
    comments: int = 0
    amendments: int = 0
    units: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    groups: int = 0
    topics: int = 0
    unhandled: int = 0


def paragraph_figures(consultation: Consultation) -> list[ParagraphFigures]:
    """Per paragraph (and None for general comments): counts, distinct units, by level,
    groups, unhandled. A fixed number of aggregate queries whatever the size."""
    paragraphs = list(version_paragraphs(consultation.draft_version))
    figures: dict[int | None, ParagraphFigures] = {p.pk: ParagraphFigures(p) for p in paragraphs}
    figures[None] = ParagraphFigures(None)
    comments = visible_comments(consultation)
    for row in comments.values("paragraph_id").annotate(
        n=Count("pk"),
        amendments=Count("pk", filter=Q(kind=Comment.Kind.AMENDMENT)),
        units=Count("unit_id", distinct=True),
    ):
        target = figures[row["paragraph_id"]]
        target.comments, target.amendments, target.units = (
            row["n"],
            row["amendments"],
            row["units"],
        )
    for row in comments.values("paragraph_id", "level").annotate(n=Count("pk")):
        figures[row["paragraph_id"]].by_level[row["level"] or "public"] = row["n"]
    for row in (
        CommentGroup.objects.filter(consultation=consultation)
        .values("paragraph_id")
        .annotate(
            groups=Count("pk", filter=~Q(kind=CommentGroup.Kind.TOPIC)),
            topics=Count("pk", filter=Q(kind=CommentGroup.Kind.TOPIC)),
        )
    ):
        figures[row["paragraph_id"]].groups = row["groups"]
        figures[row["paragraph_id"]].topics = row["topics"]
    for row in unhandled_comments(consultation).values("paragraph_id").annotate(n=Count("pk")):
        figures[row["paragraph_id"]].unhandled = row["n"]
    return [figures[p.pk] for p in paragraphs] + [figures[None]]


def consultation_totals(consultation: Consultation) -> dict[str, int]:
    comments = visible_comments(consultation)
    totals = comments.aggregate(
        comments=Count("pk"),
        units=Count("unit_id", distinct=True),
        amendments=Count("pk", filter=Q(kind=Comment.Kind.AMENDMENT)),
    )
    totals["unhandled"] = unhandled_comments(consultation).count()
    totals["hidden"] = Comment.objects.filter(consultation=consultation, hidden=True).count()
    return totals


def paragraph_groups(
    consultation: Consultation, paragraph: Paragraph | None, *, kind: str | None = None
) -> QuerySet[CommentGroup]:
    groups = CommentGroup.objects.filter(consultation=consultation, paragraph=paragraph)
    if kind == CommentGroup.Kind.TOPIC:
        groups = groups.filter(kind=CommentGroup.Kind.TOPIC)
    else:
        groups = groups.exclude(kind=CommentGroup.Kind.TOPIC)
    return groups.select_related("representative", "disposition").order_by("-size", "pk")


def ungrouped_comments(
    consultation: Consultation, paragraph: Paragraph | None
) -> QuerySet[Comment]:
    return (
        visible_comments(consultation)
        .filter(paragraph=paragraph, group__isnull=True)
        .select_related("unit", "disposition")
        .order_by("created_at", "pk")
    )


def comments_by_id(ids: Iterable[int]) -> dict[int, Comment]:
    return {c.pk: c for c in Comment.objects.filter(pk__in=list(ids)).select_related("unit")}


# ---- roll-up ------------------------------------------------------------------------------


@dataclass
class RollupRow:
    consultation: Consultation
    total: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    by_child: list[tuple[Unit, int]] = field(default_factory=list)
    own: int = 0
    unhandled: int = 0


def rollup(unit: Unit) -> list[RollupRow]:
    """Comments from `unit`'s subtree on the drafts of its own and every higher congress:
    per consultation, counted by level and by child unit (the unit's own comments apart)."""
    consultations = list(
        Consultation.objects.filter(
            draft_version__draft__congress__unit__path__in=_ancestor_paths(unit.path)
        )
        .select_related("draft_version__draft__congress__unit")
        .order_by("draft_version__draft__congress__unit__path", "pk")
    )
    rows = {c.pk: RollupRow(c) for c in consultations}
    comments = Comment.objects.filter(
        consultation_id__in=list(rows), hidden=False, unit__path__startswith=unit.path
    )
    for row in comments.values("consultation_id", "level").annotate(n=Count("pk")):
        rows[row["consultation_id"]].by_level[row["level"]] = row["n"]
        rows[row["consultation_id"]].total += row["n"]
    child_len = len(unit.path) + Unit.steplen
    per_child: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        comments.annotate(branch=Substr(F("unit__path"), 1, child_len))
        .values("consultation_id", "branch")
        .annotate(n=Count("pk"))
    ):
        if len(row["branch"]) < child_len:
            rows[row["consultation_id"]].own = row["n"]
        else:
            per_child[row["consultation_id"]][row["branch"]] = row["n"]
    children = {
        u.path: u for u in Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    }
    for consultation_id, counts in per_child.items():
        rows[consultation_id].by_child = sorted(
            ((children[path], n) for path, n in counts.items() if path in children),
            key=lambda pair: pair[0].path,
        )
    for row in comments.exclude(_handled_q()).values("consultation_id").annotate(n=Count("pk")):
        rows[row["consultation_id"]].unhandled = row["n"]
    return [rows[c.pk] for c in consultations]

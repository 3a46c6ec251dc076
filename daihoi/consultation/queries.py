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

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Value
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
    ModerationBatch,
    Paragraph,
    SynthesisRun,
)
from daihoi.consultation.synthesis import normalize_comment
from daihoi.core.text import fold
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


# ---- search and keyset pages -------------------------------------------------------------


class _WordsMatch(Func):
    """to_tsvector('simple', consultation_fold(text)) @@ to_tsquery('simple', terms): the
    expression the full-text index of migration 0003 holds."""

    template = "to_tsvector('simple'::regconfig, consultation_fold(%(expressions)s)"
    arg_joiner = ")) @@ to_tsquery('simple'::regconfig, "
    output_field = BooleanField()


class _PhraseMatch(Func):
    """consultation_fold(text) LIKE pattern, served by the trigram index of migration 0003."""

    template = "consultation_fold(%(expressions)s"
    arg_joiner = ") LIKE "
    output_field = BooleanField()


def _search_terms(query: str) -> tuple[list[str], str]:
    """(words, phrase): "a quoted phrase" is searched as it stands, other words each as the
    start of a word; both ignore case and diacritics."""
    query = query.strip()
    if len(query) >= 2 and query[0] == query[-1] == '"':
        return [], query[1:-1]
    return normalize_comment(query).split(), ""


def search_comments(consultation: Consultation, query: str) -> QuerySet[Comment]:
    """Comments of `consultation` (hidden ones too) matching `query`, ignoring diacritics.

    PostgreSQL: full-text search over unaccented text (`consultation_fold`, migration 0003)
    with prefix terms, and a trigram-indexed substring match for a quoted phrase. SQLite: the
    same over the folded `search_text` column.
    """
    comments = Comment.objects.filter(consultation=consultation)
    words, phrase = _search_terms(query)
    if not words and not phrase:
        return comments.none()
    if connection.vendor == "postgresql":
        if phrase:
            escaped = fold(phrase).replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            return comments.filter(_PhraseMatch(F("text"), Value(f"%{escaped}%")))
        terms = " & ".join(f"{word}:*" for word in words)
        return comments.filter(_WordsMatch(F("text"), Value(terms)))
    if phrase:
        return comments.filter(search_text__contains=normalize_comment(phrase))
    for word in words:
        comments = comments.filter(
            Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
        )
    return comments


@dataclass
class KeysetPage:
    """One page of a list read newest first by id, without counting the list: `after` is the
    id the page starts below (None: the first page), `next_after` the next page's (None: last)."""

    items: list[Any]
    after: int | None
    next_after: int | None


def keyset_page(rows: QuerySet[Any], *, after: int | None, size: int) -> KeysetPage:
    """Rows with an id below `after`, newest first: one indexed range read, no COUNT(*)."""
    if after is not None:
        rows = rows.filter(pk__lt=after)
    items = list(rows.order_by("-pk")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return KeysetPage(items, after, items[-1].pk if more and items else None)


def moderation_comments(
    consultation: Consultation,
    *,
    query: str = "",
    group: CommentGroup | None = None,
    hidden: bool | None = None,
) -> QuerySet[Comment]:
    comments = (
        search_comments(consultation, query)
        if query.strip()
        else Comment.objects.filter(consultation=consultation)
    )
    if group is not None:
        field = "topic" if group.kind == CommentGroup.Kind.TOPIC else "group"
        comments = comments.filter(**{field: group})
    if hidden is not None:
        comments = comments.filter(hidden=hidden)
    return comments.select_related("paragraph", "unit")


def moderation_batches(consultation: Consultation) -> QuerySet[ModerationBatch]:
    return consultation.moderation_batches.select_related("decided_by", "group")[:20]  # type: ignore[no-any-return]


def access_batch_by_id(user: Any, batch_id: int) -> ModerationBatch:
    batch = (
        ModerationBatch.objects.filter(pk=batch_id)
        .select_related("consultation__draft_version__draft__congress__unit")
        .first()
    )
    if batch is None or not in_scope(user, consultation_unit(batch.consultation), roles=MODERATOR):
        raise Http404
    return batch


def access_group_for_moderation(
    user: Any, consultation: Consultation, group_id: int
) -> CommentGroup:
    group = CommentGroup.objects.filter(pk=group_id, consultation=consultation).first()
    if group is None:
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


def topic_breakdown(
    groups: Iterable[CommentGroup], *, top_units: int = 5
) -> dict[int, tuple[dict[str, int], list[tuple[str, int]]]]:
    """Per group or topic: visible comments by level, and the units with most comments (name,
    count). Two aggregate queries whatever the number of groups."""
    found: dict[int, tuple[dict[str, int], list[tuple[str, int]]]] = {}
    by_field: dict[str, list[int]] = {"group_id": [], "topic_id": []}
    for group in groups:
        field = "topic_id" if group.kind == CommentGroup.Kind.TOPIC else "group_id"
        by_field[field].append(group.pk)
        found[group.pk] = ({}, [])
    for field, ids in by_field.items():
        if not ids:
            continue
        comments = Comment.objects.filter(**{f"{field}__in": ids}, hidden=False)
        for row in comments.values(field, "level").annotate(n=Count("pk")):
            found[row[field]][0][row["level"] or "public"] = row["n"]
        for row in (
            comments.values(field, "unit__name")
            .annotate(n=Count("pk"))
            .order_by(field, "-n", "unit__name")
        ):
            units = found[row[field]][1]
            if len(units) < top_units:
                units.append((row["unit__name"] or "", row["n"]))
    return found


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

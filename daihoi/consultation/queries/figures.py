"""Synthesis figures: per paragraph, per group and topic, and the roll-up over a subtree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr

from daihoi.consultation.models import (
    Comment,
    CommentGroup,
    Consultation,
    Paragraph,
)
from daihoi.consultation.queries.access import (
    ancestor_paths,
    handled_q,
    unhandled_comments,
    version_paragraphs,
    visible_comments,
)
from daihoi.organizations.models import Unit


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
            draft_version__draft__congress__unit__path__in=ancestor_paths(unit.path)
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
    for row in comments.exclude(handled_q()).values("consultation_id").annotate(n=Count("pk")):
        rows[row["consultation_id"]].unhandled = row["n"]
    return [rows[c.pk] for c in consultations]

"""Reads for moderation: comment search, keyset pages, batches, the author's own comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.http import Http404

from daihoi.accounts.authority import in_scope
from daihoi.consultation.models import (
    Comment,
    CommentGroup,
    Consultation,
    Disposition,
    ModerationBatch,
)
from daihoi.consultation.queries.access import MODERATOR, consultation_unit
from daihoi.consultation.synthesis import normalize_comment
from daihoi.core.text import fold


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

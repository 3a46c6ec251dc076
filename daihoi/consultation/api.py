"""Consultation API: comment ingestion (one or a batch) and synthesis figures, scoped."""

import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from daihoi.consultation import actions, queries
from daihoi.consultation.actions.comments import MAX_BATCH, MAX_COMMENT_CHARS
from daihoi.consultation.queries.access import EDITOR
from daihoi.core.ratelimit import api_client, hit

router = Router(tags=["consultation"])


def _count_ingest(request: HttpRequest) -> None:
    """Comment ingestion is limited per API token (per user for a session): a leaked or
    runaway token cannot flood a consultation."""
    limit = int(getattr(settings, "DAIHOI_API_COMMENT_CALLS_PER_HOUR", 600))
    if hit("api-comments", api_client(request), limit=limit):
        raise HttpError(
            429, _("Too many comment submissions with this token; try again in an hour.")
        )


class CommentIn(Schema):
    text: str = Field(max_length=MAX_COMMENT_CHARS * 2)
    paragraph: str | None = Field(None, description='paragraph anchor, e.g. "p3"; none = general')
    kind: Literal["comment", "amendment"] = "comment"
    proposed_text: str = ""
    channel: Literal["online", "meeting", "letter"] = "online"
    unit: str | None = Field(None, description="unit code (meeting or letter)")
    meeting_ref: str = ""
    meeting_date: datetime.date | None = None
    sender: str = ""


class CommentBatchIn(Schema):
    comments: list[CommentIn] = Field(min_length=1, max_length=MAX_BATCH)


class CommentOut(Schema):
    id: int
    paragraph: str | None
    unit: str | None
    level: str
    channel: str


class BatchOut(Schema):
    created: int
    first_id: int | None
    last_id: int | None


class ParagraphFiguresOut(Schema):
    paragraph: str | None
    number: int | None
    comments: int
    amendments: int
    units: int
    by_level: dict[str, int]
    groups: int
    topics: int
    unhandled: int


class SynthesisOut(Schema):
    consultation: int
    comments: int
    units: int
    amendments: int
    unhandled: int
    hidden: int
    run_state: str | None
    run_progress: int | None
    paragraphs: list[ParagraphFiguresOut]


def _item(data: CommentIn) -> actions.CommentInput:
    return actions.CommentInput(**data.dict())


@router.post("/consultations/{consultation_id}/comments", response={201: CommentOut})
def post_comment(request: HttpRequest, consultation_id: int, payload: CommentIn) -> Any:
    _count_ingest(request)
    consultation = queries.access_consultation_for_comment(request.user, consultation_id)
    comment = actions.comment_submit(
        actor=request.user, consultation=consultation, item=_item(payload)
    )
    return Status(
        201,
        {
            "id": comment.pk,
            "paragraph": payload.paragraph,
            "unit": comment.unit.code if comment.unit else None,
            "level": comment.level,
            "channel": comment.channel,
        },
    )


@router.post("/consultations/{consultation_id}/comments/batch", response={201: BatchOut})
def post_comments(request: HttpRequest, consultation_id: int, payload: CommentBatchIn) -> Any:
    """All or nothing; a bad item is reported as `comments.<index>.<field>`."""
    _count_ingest(request)
    consultation = queries.access_consultation_for_comment(request.user, consultation_id)
    created = actions.comments_ingest(
        actor=request.user,
        consultation=consultation,
        items=[_item(c) for c in payload.comments],
    )
    return Status(
        201,
        {
            "created": len(created),
            "first_id": created[0].pk if created else None,
            "last_id": created[-1].pk if created else None,
        },
    )


@router.get("/consultations/{consultation_id}/synthesis", response=SynthesisOut)
def get_synthesis(request: HttpRequest, consultation_id: int) -> Any:
    consultation = queries.access_consultation_by_id(request.user, consultation_id, roles=EDITOR)
    totals = queries.consultation_totals(consultation)
    run = queries.latest_run(consultation)
    return {
        "consultation": consultation.pk,
        **totals,
        "run_state": run.state if run else None,
        "run_progress": run.progress if run else None,
        "paragraphs": [
            {
                "paragraph": f.paragraph.anchor if f.paragraph else None,
                "number": f.paragraph.number if f.paragraph else None,
                "comments": f.comments,
                "amendments": f.amendments,
                "units": f.units,
                "by_level": f.by_level,
                "groups": f.groups,
                "topics": f.topics,
                "unhandled": f.unhandled,
            }
            for f in queries.paragraph_figures(consultation)
        ],
    }

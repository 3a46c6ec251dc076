"""Background synthesis of a consultation's comments, with progress the editors can watch."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from daihoi.accounts.authority import SYSTEM
from daihoi.consultation import synthesis
from daihoi.consultation.actions import PlannedGroup, synthesis_apply
from daihoi.consultation.models import CommentGroup, SynthesisRun
from daihoi.consultation.queries import visible_comments

logger = logging.getLogger(__name__)


def _progress(run: SynthesisRun, percent: int, step: str, **extra: object) -> None:
    """Progress is bookkeeping, written outside the final transaction so pollers see it."""
    SynthesisRun.objects.filter(pk=run.pk).update(progress=percent, step=step, **extra)


def plan_groups(
    comments: Sequence[tuple[int, str, int | None]],
) -> tuple[list[PlannedGroup], list[PlannedGroup]]:
    """Near-duplicate groups and topic clusters of (id, text, paragraph id) comments."""
    text_of = {comment_id: text for comment_id, text, _p in comments}
    core_groups = synthesis.group_near_duplicates(
        [(cid, text, str(pid) if pid is not None else None) for cid, text, pid in comments]
    )
    groups: list[PlannedGroup] = []
    grouped: set[int] = set()
    members_of_rep: dict[int, tuple[int, ...]] = {}
    for group in core_groups:
        normalized = {synthesis.normalize_comment(text_of[m]) for m in group.members}
        paragraph_id = int(group.paragraph) if group.paragraph is not None else None
        sample = [(m, text_of[m]) for m in group.members[:500]]
        groups.append(
            PlannedGroup(
                paragraph_id=paragraph_id,
                kind=CommentGroup.Kind.EXACT if len(normalized) == 1 else CommentGroup.Kind.NEAR,
                members=group.members,
                representative=group.representative,
                representatives=tuple(synthesis.representatives(sample, 3)),
            )
        )
        grouped.update(group.members)
        members_of_rep[group.representative] = group.members
    # topics over one comment per near-duplicate group plus every ungrouped comment
    stand_ins = [
        (cid, text, str(pid) if pid is not None else None)
        for cid, text, pid in comments
        if cid not in grouped or cid in members_of_rep
    ]
    topics: list[PlannedGroup] = []
    by_paragraph: defaultdict[str | None, int] = defaultdict(int)
    for _cid, _text, key in stand_ins:
        by_paragraph[key] += 1
    for topic in synthesis.cluster_topics(stand_ins):
        if by_paragraph[topic.paragraph] < 2:
            continue  # one comment is no topic
        members = tuple(sorted(m for rep in topic.members for m in members_of_rep.get(rep, (rep,))))
        topics.append(
            PlannedGroup(
                paragraph_id=int(topic.paragraph) if topic.paragraph is not None else None,
                kind=CommentGroup.Kind.TOPIC,
                members=members,
                representative=topic.central[0] if topic.central else topic.members[0],
                representatives=topic.central or (topic.members[0],),
                keywords=", ".join(topic.keywords),
            )
        )
    return groups, topics


def run_synthesis(run_id: int) -> None:
    run = SynthesisRun.objects.select_related("consultation").get(pk=run_id)
    if run.state not in (SynthesisRun.State.QUEUED, SynthesisRun.State.RUNNING):
        return  # already finished: a task delivered twice does nothing
    _progress(
        run, 5, "reading comments", state=SynthesisRun.State.RUNNING, started_at=timezone.now()
    )
    try:
        comments = list(
            visible_comments(run.consultation)
            .order_by("pk")
            .values_list("pk", "text", "paragraph_id")
        )
        _progress(run, 20, "grouping near-duplicates", comment_count=len(comments))
        groups, topics = plan_groups(comments)
        _progress(run, 80, "writing groups")
        run.comment_count = len(comments)
        synthesis_apply(actor=SYSTEM, run=run, groups=groups, topics=topics)
        _progress(run, 100, "done", state=SynthesisRun.State.DONE, finished_at=timezone.now())
    except Exception as error:
        logger.exception("synthesis run %s failed", run_id)
        _progress(
            run,
            F("progress"),  # type: ignore[arg-type]
            "failed",
            state=SynthesisRun.State.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        raise


@task()
def synthesize(run_id: int) -> None:
    run_synthesis(run_id)

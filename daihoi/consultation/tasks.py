"""Background synthesis of a consultation's comments, with progress the editors can watch.

The task reads the comments, plans the groups in the pure synthesis package and hands the
plan to the `synthesis_apply` action; `synthesis_start` queues it through `core.background`.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from daihoi.accounts.authority import SYSTEM
from daihoi.consultation.actions import synthesis_apply
from daihoi.consultation.models import SynthesisRun
from daihoi.consultation.queries import visible_comments
from daihoi.consultation.synthesis.planning import plan_groups

logger = logging.getLogger(__name__)


def _progress(run: SynthesisRun, percent: int, step: str, **extra: object) -> None:
    """Progress is bookkeeping, written outside the final transaction so pollers see it."""
    SynthesisRun.objects.filter(pk=run.pk).update(progress=percent, step=step, **extra)


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

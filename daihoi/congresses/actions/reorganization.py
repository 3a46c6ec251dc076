"""Re-planning pending congresses when units are merged, split or abolished."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.congresses import workflow
from daihoi.congresses.actions._base import apply_terms, is_user, plan_terms, rulebook
from daihoi.congresses.models import (
    Congress,
    CongressEvent,
    Cycle,
)
from daihoi.core import audit
from daihoi.organizations.models import Reorganization, Unit


@dataclass(frozen=True)
class ReplanStep:
    """One change a reorganization makes to a cycle's plan."""

    cycle_id: int
    unit_code: str
    step: str  # "cancel", "create" or "retype"
    successor_code: str = ""
    congress_type: str = ""
    earliest: str = ""  # the new window, ISO dates
    latest: str = ""


_collector: contextvars.ContextVar[list[ReplanStep] | None] = contextvars.ContextVar(
    "daihoi_replan_collector", default=None
)


class _DryRun(Exception):
    pass


def reorganization_preview(run: Callable[[], object]) -> list[ReplanStep]:
    """What re-planning a reorganization would do: runs `run` (a reorganizing action) and
    rolls it all back. It takes the same code path as applying, so the two cannot diverge."""
    steps: list[ReplanStep] = []
    token = _collector.set(steps)
    try:
        with transaction.atomic():
            run()
            raise _DryRun
    except _DryRun:
        pass
    finally:
        _collector.reset(token)
    return steps


def replan_after_reorganization(*, actor: Any, reorganization: Reorganization) -> None:
    """Listener for `hooks.on_reorganization`: re-plan the pending congresses it touches.

    Merged and newly formed units get the rulebook's type for merged units; pending
    congresses of units that closed are cancelled and linked to their successor's.
    """
    _replan_steps(actor=actor, reorganization=reorganization)


def _replan_steps(*, actor: Any, reorganization: Reorganization) -> list[ReplanStep]:
    """Re-plan after `reorganization` and return the steps taken."""
    links = list(reorganization.lineage.select_related("predecessor", "successor"))
    if reorganization.kind == Reorganization.Kind.RENAME or not links:
        return []
    new_units = reorganization.kind in (Reorganization.Kind.MERGE, Reorganization.Kind.SPLIT)
    predecessors = {link.predecessor_id for link in links}
    steps: list[ReplanStep] = []
    cycles = Cycle.objects.filter(congresses__unit_id__in=predecessors).distinct().order_by("pk")
    for cycle in cycles.select_related("root"):
        steps += _replan_cycle(
            actor=actor, cycle=cycle, reorganization=reorganization, links=links, merged=new_units
        )
    collected = _collector.get()
    if collected is not None:
        collected.extend(steps)
    return steps


def _replan_cycle(
    *, actor: Any, cycle: Cycle, reorganization: Reorganization, links: list[Any], merged: bool
) -> list[ReplanStep]:
    book = rulebook(cycle.rulebook_id)
    # The successors are formed (or re-formed by the merger) on the day it takes effect.
    formed_on = reorganization.effective_date if merged else None
    steps: list[ReplanStep] = []
    successors: dict[int, Congress | None] = {}
    for link in sorted(links, key=lambda lk: lk.successor.code):
        successor = Unit.objects.get(pk=link.successor_id)
        if link.successor_id in successors or not successor.path.startswith(cycle.root.path):
            continue
        congress = Congress.objects.filter(cycle=cycle, unit=successor).first()
        if congress is None and successor.is_active:
            congress = Congress(cycle=cycle, unit=successor, merged=merged, formed_on=formed_on)
            apply_terms(congress, plan_terms(book, successor, merged=merged, formed_on=formed_on))
            congress.save()
            steps.append(
                ReplanStep(
                    cycle.pk,
                    successor.code,
                    "create",
                    congress_type=congress.congress_type,
                    **_window(congress),
                )
            )
        elif congress is not None and merged and congress.state in workflow.PENDING:
            terms = plan_terms(book, successor, merged=True, formed_on=formed_on)
            if (
                not congress.merged
                or congress.congress_type != terms.congress_type
                or (congress.earliest, congress.latest) != (terms.earliest, terms.latest)
            ):
                congress.merged = True
                congress.formed_on = formed_on
                apply_terms(congress, terms)
                congress.save()
                steps.append(
                    ReplanStep(
                        cycle.pk,
                        successor.code,
                        "retype",
                        congress_type=congress.congress_type,
                        **_window(congress),
                    )
                )
        successors[link.successor_id] = congress
    for link in sorted(links, key=lambda lk: lk.predecessor.code):
        old = Congress.objects.filter(cycle=cycle, unit_id=link.predecessor_id).first()
        if old is None or old.successor_id is not None:
            continue
        old.successor = successors.get(link.successor_id)
        fields = ["successor"]
        if old.state in workflow.PENDING:
            before = old.state
            old.state = workflow.CANCELLED
            old.note = _("Cancelled by reorganization: %(d)s") % {"d": reorganization.description}
            fields += ["state", "note"]
            CongressEvent.objects.create(
                congress=old,
                transition="cancel",
                from_state=before,
                to_state=workflow.CANCELLED,
                on=reorganization.effective_date,
                reason=old.note,
                actor=actor if is_user(actor) else None,
            )
            steps.append(ReplanStep(cycle.pk, link.predecessor.code, "cancel", link.successor.code))
        old.save(update_fields=fields)
    if steps:
        audit.record(
            actor=actor,
            action="cycle_replan",
            obj=cycle,
            unit_path=cycle.root.path,
            changes={
                "reorganization": reorganization.pk,
                "steps": [asdict(s) for s in steps],
            },
        )
    return steps


def _window(congress: Congress) -> dict[str, str]:
    return {
        "earliest": congress.earliest.isoformat() if congress.earliest else "",
        "latest": congress.latest.isoformat() if congress.latest else "",
    }

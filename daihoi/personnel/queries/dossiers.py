"""Dossiers: who may see them, the checklist with due dates and verification, leads, views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from daihoi.accounts.authority import in_scope, people_scope_q
from daihoi.congresses.models import Congress
from daihoi.personnel import procedure
from daihoi.personnel.models import (
    DossierItem,
    DossierView,
    PlanCandidate,
)
from daihoi.personnel.queries._base import DOSSIER_ROLES
from daihoi.personnel.queries.checks import personnel_rules


def may_see_dossier(user: Any, congress: Congress) -> bool:
    """Organizers and inspectors of the congress's unit or of a level above it."""
    return in_scope(user, congress.unit, roles=DOSSIER_ROLES)


def access_candidate_by_id(user: Any, candidate_id: int) -> PlanCandidate:
    """A candidate and their dossier; 404 to everyone outside the dossier's readers."""
    candidate = (
        PlanCandidate.objects.filter(people_scope_q(user, field="plan__congress__unit__path"))
        .select_related("person__unit", "plan__congress__unit", "plan__congress__cycle")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None or not may_see_dossier(user, candidate.plan.congress):
        raise Http404("No such candidate")
    return candidate


def dossier_items(candidate: PlanCandidate) -> QuerySet[DossierItem]:
    return DossierItem.objects.filter(candidate=candidate).select_related("verified_by")


@dataclass(frozen=True)
class ChecklistRow:
    code: str
    name: str
    items: list[DossierItem]
    due_on: date | None

    @property
    def state(self) -> str:
        if any(i.citable for i in self.items):
            return "verified"
        if self.items:
            return "unverified"
        return "missing"


def dossier_due_date(congress: Congress) -> date | None:
    """15 working days (the rulebook's figure) before the congress opens, or before the
    earliest day of its window while no opening day is set."""
    opening = congress.starts_on or congress.earliest
    if opening is None:
        return None
    days = personnel_rules(congress).dossier.due_working_days_before_opening.value
    return procedure.working_days_before(opening, days)


def dossier_checklist(candidate: PlanCandidate, language: str = "en") -> list[ChecklistRow]:
    congress = candidate.plan.congress
    rules = personnel_rules(congress)
    items = list(dossier_items(candidate))
    due = dossier_due_date(congress)
    return [
        ChecklistRow(
            code=spec.value.code,
            name=spec.value.names.get(language),
            items=[i for i in items if i.kind == spec.value.code],
            due_on=due,
        )
        for spec in rules.dossier.items
    ]


def dossier_leads(candidate: PlanCandidate) -> list[DossierItem]:
    return [i for i in dossier_items(candidate) if i.is_lead]


def dossier_view_count(candidate: PlanCandidate) -> int:
    return DossierView.objects.filter(candidate=candidate).count()


def my_dossier_views(user: Any) -> list[tuple[PlanCandidate, int]]:
    """The subject of a dossier sees how often it was viewed, never by whom or the notes."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    candidates = PlanCandidate.objects.filter(person_id=person_id).select_related(
        "plan__congress__unit"
    )
    return [(c, dossier_view_count(c)) for c in candidates]

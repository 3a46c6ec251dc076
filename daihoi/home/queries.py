"""What each role finds first after logging in, each part read through its app's queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from daihoi.accounts.authority import scope_paths, unit_scope_q
from daihoi.accounts.models import Role
from daihoi.cases import queries as cases_queries
from daihoi.conduct.models import AgendaItem, Delegate
from daihoi.congresses import queries as congress_queries
from daihoi.congresses.models import Congress
from daihoi.consultation import queries as consultation_queries
from daihoi.consultation.models import Draft
from daihoi.elections.models import Election

CONCLUDED = "concluded"


@dataclass
class DelegateCongress:
    """A congress the user is on the roster of: its agenda, documents and open ballots."""

    line: Delegate
    congress: Congress
    agenda: list[AgendaItem]
    drafts: list[Draft]
    ballots: list[Election]


@dataclass
class Start:
    organizer_units: list[Any] = field(default_factory=list)
    due: list[Congress] = field(default_factory=list)
    overdue: list[Congress] = field(default_factory=list)
    attending: list[DelegateCongress] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    inspector: bool = False  # shown once the cases app exists
    cases_due: list[Any] = field(default_factory=list)
    cases_overdue: list[Any] = field(default_factory=list)
    opening_reports: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.organizer_units or self.attending or self.drafts or self.inspector)


def _attending(user: Any) -> list[DelegateCongress]:
    if getattr(user, "person_id", None) is None:
        return []
    lines = (
        Delegate.objects.filter(person_id=user.person_id)
        .exclude(congress__state=CONCLUDED)
        .exclude(status__in=[Delegate.Status.NOT_SUMMONED, Delegate.Status.REPLACED])
        .select_related("congress__unit", "congress__cycle")
        .order_by("-congress__starts_on", "-pk")[:5]
    )
    found = []
    for line in lines:
        congress = line.congress
        found.append(
            DelegateCongress(
                line=line,
                congress=congress,
                agenda=list(congress.agenda_items.order_by("position", "id")),
                drafts=list(consultation_queries.drafts_visible(user).filter(congress=congress)),
                ballots=list(
                    Election.objects.filter(congress=congress, state=Election.State.OPEN).order_by(
                        "body", "round_number", "pk"
                    )
                ),
            )
        )
    return found


def _editor_drafts(user: Any) -> QuerySet[Draft]:
    """Drafts of the congresses in the subtrees the user edits documents for."""
    if scope_paths(user, roles=[Role.DOCUMENT_EDITOR]) == []:
        return Draft.objects.none()
    editing = unit_scope_q(user, roles=[Role.DOCUMENT_EDITOR], field="congress__unit__path")
    return consultation_queries.drafts_visible(user).filter(editing)


def start_for(user: Any) -> Start:
    start = Start()
    organizer_paths = scope_paths(user, roles=[Role.ORGANIZER])
    if organizer_paths != []:
        start.organizer_units = congress_queries.units_granted(user, [Role.ORGANIZER])
        start.due, start.overdue = congress_queries.organizer_deadlines(
            organizer_paths, on=congress_queries.today(), within_days=30
        )
        start.due, start.overdue = start.due[:20], start.overdue[:20]
    start.attending = _attending(user)
    start.drafts = list(_editor_drafts(user)[:20])
    # Inspectors' cases live in the cases app; until it is installed there is nothing to show.
    start.inspector = (
        apps.is_installed("daihoi.cases") and scope_paths(user, roles=[Role.INSPECTOR]) != []
    )
    if start.inspector:
        start.cases_due, start.cases_overdue = cases_queries.due_and_overdue(
            user, on=congress_queries.today()
        )
    if organizer_paths != []:
        start.opening_reports = list(cases_queries.opening_reports_for(user)[:20])
    return start

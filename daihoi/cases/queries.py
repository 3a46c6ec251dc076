"""Reads of cases, each built on the visibility rules of `accounts.authority`.

Three circles of readers, and nobody else:

- **handling inspectors** (an inspector role over the case's unit): the content, the sender
  and the steps; they decide, handle, prepare and approve;
- **the sender**: their own case, its state and outcome;
- **organizers** of the unit's subtree: that a case exists, its kind, state and due date,
  never its content or sender (`CaseStub`).

The person a case is about is never a reader of it, even when they hold a role over it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from daihoi.accounts.authority import (
    active_grants,
    in_scope,
    is_system,
    sees_everything,
    unit_scope_q,
)
from daihoi.accounts.models import Role
from daihoi.cases import rules, workdays
from daihoi.cases.models import CalendarDay, Case, OpeningReport
from daihoi.congresses.models import Congress
from daihoi.congresses.queries import today
from daihoi.consultation import synthesis
from daihoi.organizations.models import Unit
from daihoi.rulebooks.loader import load_rulebook
from daihoi.rulebooks.schema import ComplaintRules

INSPECTOR = (Role.INSPECTOR,)
ORGANIZER = (Role.ORGANIZER,)
DUE_SOON_DAYS = 14
DEFAULT_RULEBOOK = "vn-cpv-2025"

__all__ = ["DUE_SOON_DAYS", "today"]


# Rules and calendar --------------------------------------------------------------------


def complaint_rules(*, unit: Unit, congress: Congress | None = None) -> ComplaintRules:
    """The rulebook of the congress concerned, else of the unit's latest cycle."""
    rulebook_id = congress.cycle.rulebook_id if congress is not None else None
    if rulebook_id is None:
        congress = (
            Congress.objects.filter(unit=unit)
            .select_related("cycle")
            .order_by("-cycle__term_start")
            .first()
        )
        rulebook_id = congress.cycle.rulebook_id if congress else DEFAULT_RULEBOOK
    return load_rulebook(rulebook_id).complaints


def calendar() -> workdays.Calendar:
    """The shipped calendar with the days edited in the app."""
    edits = [(d.day, d.working, d.name) for d in CalendarDay.objects.all()]
    return workdays.shipped_calendar().with_changes(edits)


def cutoff_working_days(book: ComplaintRules, congress: Congress) -> int | None:
    if book.cutoff is None:
        return None
    if congress.unit.level in book.cutoff.grassroots_levels.value:
        return book.cutoff.grassroots_working_days.value
    return book.cutoff.higher_working_days.value


def opening_of(congress: Congress) -> datetime.date | None:
    """The opening day, or the earliest day of its window while none is set."""
    return congress.starts_on or congress.earliest


def cutoff_of(congress: Congress, cal: workdays.Calendar | None = None) -> datetime.date | None:
    """The last date a case may be dated to be resolved before `congress` opens."""
    opening = opening_of(congress)
    if opening is None:
        return None
    book = complaint_rules(unit=congress.unit, congress=congress)
    days = cutoff_working_days(book, congress)
    if days is None:
        return None
    return rules.cutoff_date(cal or calendar(), opening, days)


def is_inside_cutoff(*, kind: str, congress: Congress | None, dated: datetime.date) -> bool:
    if congress is None or opening_of(congress) is None:
        return False
    book = complaint_rules(unit=congress.unit, congress=congress)
    if book.cutoff is None or kind not in book.cutoff.kinds.value:
        return False
    last = cutoff_of(congress)
    return last is not None and dated > last


def resolution_days(case: Case) -> tuple[int, int]:
    """(days, the extension the rules allow) for this case."""
    book = complaint_rules(unit=case.unit, congress=case.congress)
    if case.centrally_managed and book.deadlines is not None:
        return (
            book.deadlines.centrally_managed_days.value,
            book.deadlines.centrally_managed_extension_days.value,
        )
    days = book.resolution_days_by_level[case.unit.level].value
    extension = 0
    if book.deadlines is not None and case.unit.level in book.deadlines.extension_days_by_level:
        extension = book.deadlines.extension_days_by_level[case.unit.level].value
    return days, extension


# Who reads what ------------------------------------------------------------------------


def _is_about(user: Any, case: Case) -> bool:
    return case.person_id is not None and getattr(user, "person_id", None) == case.person_id


def inspector_paths(user: Any) -> list[str]:
    """Subtrees the user holds the inspector role on (an explicit grant: an administrator
    is not a reader of complaints)."""
    if user is None or is_system(user) or not user.is_authenticated:
        return []
    return [g.unit.path for g in active_grants(user, roles=INSPECTOR)]


def handles(user: Any, case: Case) -> bool:
    """A handling inspector (or approver) of `case`: content, sender and steps."""
    if _is_about(user, case):
        return False
    return any(case.unit.path.startswith(p) for p in inspector_paths(user))


def is_sender(user: Any, case: Case) -> bool:
    return bool(user.is_authenticated) and case.sender_user_id == user.pk


def may_see_sender(user: Any, case: Case) -> bool:
    return handles(user, case) or is_sender(user, case)


def may_see_stub(user: Any, case: Case) -> bool:
    """Organizers see that a case exists and its state; so do its readers."""
    if _is_about(user, case):
        return False
    if handles(user, case) or is_sender(user, case):
        return True
    return bool(
        Unit.objects.filter(pk=case.unit_id).filter(unit_scope_q(user, roles=ORGANIZER)).exists()
    )


def _inspector_q(user: Any) -> Q:
    paths = inspector_paths(user)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(unit__path__startswith=path)
    return q


def _not_about(user: Any) -> Q:
    person_id = getattr(user, "person_id", None)
    return ~Q(person_id=person_id) if person_id else Q()


def register(user: Any) -> QuerySet[Case]:
    """The cases an inspector handles (content readable)."""
    return (
        Case.objects.filter(_inspector_q(user))
        .filter(_not_about(user))
        .select_related("unit", "congress", "person", "assigned_to")
    )


def stubs_visible(user: Any) -> QuerySet[Case]:
    """Cases whose existence and state the user may see (organizers, inspectors)."""
    q = _inspector_q(user) | unit_scope_q(user, roles=ORGANIZER, field="unit__path")
    if sees_everything(user) and not is_system(user):
        q = Q()
    return Case.objects.filter(q).filter(_not_about(user)).select_related("unit", "congress")


def my_cases(user: Any) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(sender_user=user).select_related("unit", "congress")


def access_case_by_id(user: Any, case_id: int) -> Case:
    """The case for one of its readers (inspector or sender); 404 to anyone else."""
    case = (
        Case.objects.select_related("unit", "congress__cycle", "person", "candidate__plan")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not (handles(user, case) or is_sender(user, case)):
        raise Http404
    return case


def access_stub_by_id(user: Any, case_id: int) -> Case:
    case = Case.objects.select_related("unit", "congress").filter(pk=case_id).first()
    if case is None or not may_see_stub(user, case):
        raise Http404
    return case


def filter_register(
    cases: QuerySet[Case],
    *,
    kind: str = "",
    state: str = "",
    due: str = "",
    unit: str = "",
    congress: int | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Case]:
    day = on or today()
    if kind in Case.Kind.values:
        cases = cases.filter(kind=kind)
    if state in Case.State.values:
        cases = cases.filter(state=state)
    if due == "overdue":
        cases = cases.filter(state__in=Case.OPEN_STATES, due_on__lt=day)
    elif due == "soon":
        cases = cases.filter(
            state__in=Case.OPEN_STATES,
            due_on__gte=day,
            due_on__lte=day + datetime.timedelta(days=DUE_SOON_DAYS),
        )
    if unit:
        root = Unit.objects.filter(code=unit).first()
        cases = cases.filter(unit__path__startswith=root.path) if root else cases.none()
    if congress:
        cases = cases.filter(congress_id=congress)
    return cases


# Cases about candidates ----------------------------------------------------------------


def open_about_candidates(plan: Any) -> QuerySet[Case]:
    """Admissible, open complaints and denunciations about candidates still on `plan`."""
    return (
        Case.objects.filter(
            candidate__plan=plan,
            candidate__removed_at__isnull=True,
            state__in=[Case.State.ACCEPTED, Case.State.VERIFYING, Case.State.CONCLUDING],
        )
        .exclude(kind=Case.Kind.FEEDBACK)
        .select_related("candidate__person")
    )


def open_about_congress_candidates(congress: Congress) -> QuerySet[Case]:
    return (
        Case.objects.filter(candidate__plan__congress=congress)
        .exclude(kind=Case.Kind.FEEDBACK)
        .filter(state__in=[*Case.OPEN_STATES, Case.State.HANDED_OVER])
        .select_related("candidate__person", "unit")
    )


@dataclass(frozen=True)
class CongressLine:
    open: int
    overdue: int


def congress_line(congress: Congress, *, on: datetime.date | None = None) -> CongressLine:
    day = on or today()
    cases = Case.objects.filter(
        candidate__plan__congress=congress, state__in=Case.OPEN_STATES
    ).exclude(kind=Case.Kind.FEEDBACK)
    return CongressLine(open=cases.count(), overdue=cases.filter(due_on__lt=day).count())


def due_and_overdue(
    user: Any, *, on: datetime.date, within_days: int = DUE_SOON_DAYS
) -> tuple[list[Case], list[Case]]:
    """Open cases the user handles (inspector) or organizes (stubs): due soon, overdue."""
    cases = stubs_visible(user).filter(state__in=Case.OPEN_STATES, due_on__isnull=False)
    due = list(
        cases.filter(
            due_on__gte=on, due_on__lte=on + datetime.timedelta(days=within_days)
        ).order_by("due_on", "pk")[:50]
    )
    overdue = list(cases.filter(due_on__lt=on).order_by("due_on", "pk")[:50])
    return due, overdue


# Feedback ------------------------------------------------------------------------------


def feedback_visible(user: Any) -> QuerySet[Case]:
    """Feedback for organizers and inspectors of the unit's subtree (content included:
    feedback is an opinion about congress preparation, not about a person)."""
    q = unit_scope_q(user, roles=(Role.ORGANIZER, Role.INSPECTOR), field="unit__path")
    return Case.objects.filter(kind=Case.Kind.FEEDBACK).filter(q).select_related("unit", "congress")


def access_feedback_by_id(user: Any, case_id: int) -> Case:
    case = feedback_visible(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def published_replies(
    *, congress: Congress | None = None, unit: Unit | None = None
) -> QuerySet[Case]:
    cases = Case.objects.filter(kind=Case.Kind.FEEDBACK, reply_published=True)
    if congress is not None:
        cases = cases.filter(congress=congress)
    if unit is not None:
        cases = cases.filter(unit=unit)
    return cases.order_by("-received_on", "-pk")


def public_congresses() -> QuerySet[Congress]:
    """Congresses the public may send feedback about: not yet concluded."""
    return (
        Congress.objects.exclude(state__in=["concluded", "cancelled"])
        .select_related("unit", "cycle")
        .order_by("unit__path")
    )


def access_public_congress(congress_id: int) -> Congress:
    congress = public_congresses().filter(pk=congress_id).first()
    if congress is None:
        raise Http404
    return congress


def may_see_congress_cases(user: Any, congress: Congress) -> bool:
    """Organizers and inspectors of the congress's unit or above see its cases' stubs."""
    return in_scope(user, congress.unit, roles=(Role.ORGANIZER, Role.INSPECTOR))


def opening_report(congress: Congress) -> OpeningReport | None:
    return OpeningReport.objects.filter(congress=congress).first()


def opening_reports_for(user: Any) -> QuerySet[OpeningReport]:
    """Reports on the congresses below the user's organizer grants (the higher level)."""
    return (
        OpeningReport.objects.filter(
            unit_scope_q(user, roles=ORGANIZER, field="congress__unit__path")
        )
        .select_related("congress__unit")
        .order_by("-made_at")
    )


@dataclass(frozen=True)
class FeedbackGroup:
    topic: str
    representative: Case
    members: list[Case]

    @property
    def size(self) -> int:
        return len(self.members)


def feedback_groups(items: QuerySet[Case], *, limit: int = 5000) -> list[FeedbackGroup]:
    """Feedback grouped per topic by the consultation synthesis's near-duplicate grouping."""
    cases = {c.pk: c for c in items.order_by("pk")[:limit]}
    comments = [(pk, f"{c.subject}. {c.content}", c.topic) for pk, c in cases.items()]
    groups = synthesis.group_near_duplicates(comments, include_singletons=True)
    return [
        FeedbackGroup(
            topic=g.paragraph or "",
            representative=cases[g.representative],
            members=[cases[m] for m in g.members],
        )
        for g in groups
    ]


def feedback_counts(items: QuerySet[Case]) -> list[dict[str, Any]]:
    return list(
        items.order_by().values("topic", "state").annotate(n=Count("pk")).order_by("topic", "state")
    )

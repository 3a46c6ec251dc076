"""API for cases under /api/v1/cases/: the same queries and actions as the pages. A case's
content and sender are for its readers (handling inspectors, the sender); organizers get
stubs (kind, state, due date)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from daihoi.cases import actions, documents, exports, queries
from daihoi.cases.models import Case
from daihoi.congresses.models import Congress
from daihoi.core.errors import refusal
from daihoi.core.exports import xlsx_response
from daihoi.organizations.models import Person

router = Router(tags=["cases"])


class StubOut(Schema):
    id: int
    kind: str
    state: str
    unit_code: str
    congress_id: int | None
    due_on: datetime.date | None
    inside_cutoff: bool


class SenderOut(Schema):
    name: str
    address: str
    contact: str
    signers: int


class StepOut(Schema):
    kind: str
    on: datetime.date
    note: str


class CaseOut(StubOut):
    channel: str
    subject: str
    content: str
    topic: str
    person_code: str | None
    received_on: datetime.date
    postmark_on: datetime.date | None
    ground: str
    outcome: str
    concluded_on: datetime.date | None
    sender: SenderOut | None = Field(description="Only for the handling inspectors and the sender")
    steps: list[StepOut]


class CaseIn(Schema):
    kind: str = Field(..., max_length=14)
    congress_id: int
    subject: str = Field(..., max_length=200)
    content: str = Field(..., max_length=20000)
    person_code: str = Field("", max_length=40)
    topic: str = Field("", max_length=14)


class DecisionIn(Schema):
    admissible: bool
    ground: str = Field("", max_length=32)
    note: str = Field("", max_length=500)
    centrally_managed: bool = False


class ConclusionIn(Schema):
    outcome: str = Field(..., max_length=16)
    conclusion: str = Field(..., max_length=20000)


def _stub(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "kind": case.kind,
        "state": case.state,
        "unit_code": case.unit.code,
        "congress_id": case.congress_id,
        "due_on": case.due_on,
        "inside_cutoff": case.inside_cutoff,
    }


def _case(request: HttpRequest, case: Case) -> dict[str, Any]:
    handles = queries.handles(request.user, case)
    sender = None
    if queries.may_see_sender(request.user, case):
        sender = {
            "name": case.sender_name,
            "address": case.sender_address,
            "contact": case.sender_contact,
            "signers": case.signers,
        }
    return {
        **_stub(case),
        "channel": case.channel,
        "subject": case.subject,
        "content": case.content,
        "topic": case.topic,
        "person_code": case.person.member_code if case.person else None,
        "received_on": case.received_on,
        "postmark_on": case.postmark_on,
        "ground": case.ground,
        "outcome": case.outcome if case.state == Case.State.CONCLUDED else "",
        "concluded_on": case.concluded_on,
        "sender": sender,
        "steps": [{"kind": s.kind, "on": s.on, "note": s.note} for s in case.steps.all()]
        if handles
        else [],
    }


def _read(request: HttpRequest, case_id: int) -> Case:
    case = queries.access_case_by_id(request.user, case_id)
    actions.case_read_record(actor=request.user, case=case)
    return case


@router.get("/", response=list[StubOut])
def case_list(
    request: HttpRequest,
    kind: str = "",
    state: str = "",
    due: str = "",
    unit: str = "",
    congress: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Any:
    """Cases the user handles (inspectors) or organizes (stubs), with the register's filters."""
    cases = (
        queries.register(request.user)
        if queries.inspector_paths(request.user)
        else queries.stubs_visible(request.user)
    )
    cases = queries.filter_register(
        cases, kind=kind, state=state, due=due, unit=unit[:40], congress=congress
    )
    offset, limit = max(offset, 0), min(max(limit, 1), 200)
    return [_stub(c) for c in cases.order_by("-received_on", "-pk")[offset : offset + limit]]


@router.get("/mine", response=list[StubOut])
def case_mine(request: HttpRequest) -> Any:
    return [_stub(c) for c in queries.my_cases(request.user)[:200]]


@router.get("/register.xlsx", response={200: None})
def case_register_xlsx(request: HttpRequest) -> HttpResponse:
    """The case register as XLSX (the page's export)."""
    cases = queries.register(request.user)
    return xlsx_response(
        filename="cases", headers=exports.HEADERS, rows=exports.register_rows(cases), sheet="cases"
    )


@router.get("/congresses/{congress_id}", response=list[StubOut])
def congress_cases(request: HttpRequest, congress_id: int) -> Any:
    congress = Congress.objects.filter(pk=congress_id).select_related("unit").first()
    if congress is None or not queries.may_see_congress_cases(request.user, congress):
        raise Http404
    return [_stub(c) for c in queries.open_about_congress_candidates(congress)]


@router.get("/congresses/{congress_id}/report.pdf", response={200: None})
def congress_report_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = Congress.objects.filter(pk=congress_id).select_related("unit").first()
    if congress is None or not queries.may_see_congress_cases(request.user, congress):
        raise Http404
    report = queries.opening_report(congress)
    if report is None:
        raise Http404
    return HttpResponse(documents.opening_report_pdf(report), content_type="application/pdf")


class CalendarDayIn(Schema):
    day: datetime.date
    working: bool
    name: str = Field("", max_length=100)


class CalendarDayOut(Schema):
    day: datetime.date
    name: str


@router.get("/calendar/{year}", response=list[CalendarDayOut])
def calendar_holidays(request: HttpRequest, year: int) -> Any:
    """The days off of `year` in the working-day calendar (shipped, with the edits)."""
    cal = queries.calendar()
    if year not in cal.years:
        raise Http404
    return [
        {"day": day, "name": name} for day, name in sorted(cal.holidays.items()) if day.year == year
    ]


@router.post("/calendar", response=CalendarDayOut)
def calendar_day(request: HttpRequest, payload: CalendarDayIn) -> Any:
    """An administrator of the whole organization declares a day off or a day worked."""
    entry = actions.calendar_day_set(
        actor=request.user, day=payload.day, working=payload.working, name=payload.name
    )
    return {"day": entry.day, "name": entry.name}


@router.get("/{case_id}", response=CaseOut)
def case_get(request: HttpRequest, case_id: int) -> Any:
    """A case for its readers; the read is audited."""
    return _case(request, _read(request, case_id))


@router.post("/", response={201: CaseOut})
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    """A member sends a case about a congress from their account."""
    congress = queries.public_congresses().filter(pk=payload.congress_id).first()
    if congress is None:
        raise Http404
    person = None
    if payload.person_code:
        person = Person.objects.filter(
            member_code=payload.person_code, unit__path__startswith=congress.unit.path
        ).first()
        if person is None:
            raise refusal(
                _("No member with this code in the unit concerned."),
                code="unknown_person",
                field="person_code",
            )
    case = actions.case_submit(
        actor=request.user,
        item=actions.CaseInput(
            kind=payload.kind,
            unit=congress.unit,
            congress=congress,
            person=person,
            subject=payload.subject,
            content=payload.content,
            topic=payload.topic,
        ),
    )
    return 201, _case(request, case)


@router.post("/{case_id}/decision", response=CaseOut)
def case_decision(request: HttpRequest, case_id: int, payload: DecisionIn) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.case_decide(
        actor=request.user,
        case=case,
        admissible=payload.admissible,
        ground=payload.ground,
        note=payload.note,
        centrally_managed=payload.centrally_managed,
    )
    return _case(request, queries.access_case_by_id(request.user, case_id))


@router.post("/{case_id}/conclusion", response=CaseOut)
def case_conclusion(request: HttpRequest, case_id: int, payload: ConclusionIn) -> Any:
    case = queries.access_case_by_id(request.user, case_id)
    actions.case_conclusion_prepare(
        actor=request.user, case=case, outcome=payload.outcome, conclusion=payload.conclusion
    )
    return _case(request, queries.access_case_by_id(request.user, case_id))


@router.post("/{case_id}/approval", response=CaseOut)
def case_approval(request: HttpRequest, case_id: int) -> Any:
    """The second inspector approves the prepared conclusion (four eyes)."""
    case = queries.access_case_by_id(request.user, case_id)
    actions.case_conclusion_approve(actor=request.user, case=case)
    return _case(request, queries.access_case_by_id(request.user, case_id))

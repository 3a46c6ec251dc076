"""Pages of cases: the register, a case with its timeline, the intake forms (member,
inspector, public), the congress's cases for organizers and the higher level, feedback.

Every view is `@scoped` or `@public`; cases are fetched through `access_…` queries (404 to
anyone who may not read them) and every read of a case's content is audited.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from daihoi.accounts.authority import is_higher
from daihoi.accounts.models import User
from daihoi.cases import actions, documents, exports, queries
from daihoi.cases.models import GROUNDS, Case, CaseStep
from daihoi.congresses.models import Congress
from daihoi.consultation import guard
from daihoi.core.access import public, scoped
from daihoi.core.errors import error_text
from daihoi.core.exports import xlsx_response
from daihoi.organizations.models import Person, Unit
from daihoi.organizations.queries import units_visible

CHALLENGE_MESSAGES = {
    "expired": gettext_lazy("The form expired. Please answer the new question."),
    "invalid": gettext_lazy("The form was altered. Please answer the new question."),
    "too_fast": gettext_lazy("The form was sent too fast. Please take a moment and send it again."),
    "wrong": gettext_lazy("The answer to the question is not right."),
    "replayed": gettext_lazy("This form was already sent. Please answer the new question."),
}


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            {field: ValidationError(_("Enter a date like 2025-07-15."), code="not_a_date")}
        ) from None


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "kind": request.GET.get("kind", ""),
        "state": request.GET.get("state", ""),
        "due": request.GET.get("due", ""),
        "unit": request.GET.get("unit", "").strip()[:40],
        "congress": _int(request.GET.get("congress")),
    }


# Register ------------------------------------------------------------------------------


@scoped
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Inspectors: the register of the cases they handle. Organizers: that cases exist."""
    filters = _filters(request)
    inspector = bool(queries.inspector_paths(request.user))
    cases = queries.register(request.user) if inspector else queries.stubs_visible(request.user)
    cases = queries.filter_register(cases.exclude(kind=Case.Kind.FEEDBACK), **filters)
    page = Paginator(cases.order_by("-received_on", "-pk"), settings.DAIHOI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("q", None)  # the unit picker's search text
    context = {
        "page": page,
        "inspector": inspector,
        "filters": filters,
        "filter_unit": (
            units_visible(request.user).filter(code=filters["unit"]).only("name", "code").first()
            if filters["unit"]
            else None
        ),
        "query": query.urlencode(),
        "kinds": [c for c in Case.Kind.choices if c[0] != Case.Kind.FEEDBACK],
        "states": Case.State.choices,
        "today": queries.today(),
    }
    return render(request, "cases/index.html", context)


@scoped
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    cases = queries.filter_register(queries.register(request.user), **_filters(request))
    return xlsx_response(
        filename="cases", headers=exports.HEADERS, rows=exports.register_rows(cases), sheet="cases"
    )


# ------------------------------------------------------------------------------------
# One case ------------------------------------------------------------------------------


def timeline(case: Case) -> list[tuple[Any, str, str]]:
    events: list[tuple[Any, str, str]] = [
        (case.received_on, _("Received"), case.get_channel_display())
    ]
    if case.decided_on:
        label = _("Accepted") if case.state != Case.State.NOT_HANDLED else _("Not handled")
        events.append((case.decided_on, label, case.decision_note))
    for step in case.steps.all():
        events.append((step.on, step.get_kind_display(), step.note))
    if case.prepared_at:
        events.append(
            (case.prepared_at.date(), _("Conclusion prepared"), case.get_outcome_display())
        )
    if case.concluded_on:
        events.append((case.concluded_on, _("Conclusion approved"), case.get_outcome_display()))
    if case.state == Case.State.HANDED_OVER:
        events.append((None, _("Passed to the new committee"), case.decision_note))
    return events


def _handle(request: HttpRequest, case: Case) -> None:
    op = request.POST.get("op", "")
    user = request.user
    if op == "accept":
        actions.case_decide(
            actor=user,
            case=case,
            admissible=True,
            centrally_managed=request.POST.get("centrally_managed") == "on",
            note=request.POST.get("note", ""),
        )
    elif op == "reject":
        actions.case_decide(
            actor=user,
            case=case,
            admissible=False,
            ground=request.POST.get("ground", ""),
            note=request.POST.get("note", ""),
        )
    elif op == "assign":
        inspector = User.objects.filter(pk=_int(request.POST.get("inspector")) or 0).first()
        actions.case_assign(actor=user, case=case, inspector=inspector)
    elif op == "step":
        actions.case_step_record(
            actor=user,
            case=case,
            kind=request.POST.get("kind", ""),
            on=_date(request.POST.get("on", ""), "on"),
            note=request.POST.get("note", ""),
            attachment=request.FILES.get("attachment"),
        )
    elif op == "extend":
        actions.case_extend(actor=user, case=case, reason=request.POST.get("reason", ""))
    elif op == "prepare":
        actions.case_conclusion_prepare(
            actor=user,
            case=case,
            outcome=request.POST.get("outcome", ""),
            conclusion=request.POST.get("conclusion", ""),
        )
    elif op == "approve":
        actions.case_conclusion_approve(actor=user, case=case)
    elif op == "hand_over":
        actions.case_hand_over(actor=user, case=case, note=request.POST.get("note", ""))
    else:
        raise ValidationError(_("Unknown operation."), code="unknown_operation")


@scoped
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.access_case_by_id(request.user, case_id)
    handles = queries.handles(request.user, case)
    status = 200
    if request.method == "POST":
        if not handles:
            raise Http404
        try:
            _handle(request, case)
        except ValidationError as error:
            messages.error(request, error_text(error))
            status = 400
        except PermissionDenied as error:
            messages.error(request, str(error))
            status = 403
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:case", case_id=case.pk)
        case = queries.access_case_by_id(request.user, case_id)
    actions.case_read_record(actor=request.user, case=case)
    book = queries.complaint_rules(unit=case.unit, congress=case.congress)
    context = {
        "case": case,
        "handles": handles,
        "may_see_sender": queries.may_see_sender(request.user, case),
        "timeline": timeline(case),
        "steps": case.steps.all(),
        "grounds": [(g, GROUNDS.get(g, g)) for g in book.not_handled_grounds.value],
        "outcomes": [(o, Case.Outcome(o).label) for o in actions.OUTCOMES.get(case.kind, ())],
        "step_kinds": CaseStep.Kind.choices,
        "inspectors": [
            u
            for u in User.objects.filter(
                is_active=True, grants__role="inspector", grants__revoked_at__isnull=True
            ).distinct()[:200]
            if queries.handles(u, case)
        ]
        if handles
        else [],
        "today": queries.today(),
    }
    return render(request, "cases/case.html", context, status=status)


# Intake --------------------------------------------------------------------------------


def _person_in(congress: Congress | None, unit: Unit, code: str) -> Person | None:
    code = code.strip()
    if not code:
        return None
    root = congress.unit if congress is not None else unit
    person = Person.objects.filter(member_code=code, unit__path__startswith=root.path).first()
    if person is None:
        raise ValidationError(
            {
                "person": ValidationError(
                    _("No member with this code in the unit concerned."), code="unknown_person"
                )
            }
        )
    return person


def _person_quiet(congress: Congress, code: str) -> Person | None:
    """The public form links a member code silently: it never tells whether one exists."""
    code = code.strip()[:40]
    if not code:
        return None
    return Person.objects.filter(
        member_code=code, unit__path__startswith=congress.unit.path
    ).first()


def _member_congresses(user: Any) -> list[Congress]:
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    cases = queries.public_congresses()
    if person is None:
        return list(cases[:100])
    paths = [person.unit.path[:i] for i in range(4, len(person.unit.path) + 1, 4)]
    return list(cases.filter(unit__path__in=paths))


@scoped
def submit(request: HttpRequest) -> HttpResponse:
    """A member sends a complaint, a denunciation or feedback about a congress."""
    congresses = _member_congresses(request.user)
    context: dict[str, Any] = {
        "congresses": congresses,
        "kinds": Case.Kind.choices,
        "topics": Case.Topic.choices,
    }
    status = 200
    if request.method == "POST":
        congress = next((c for c in congresses if c.pk == _int(request.POST.get("congress"))), None)
        try:
            if congress is None:
                raise ValidationError(
                    {"congress": ValidationError(_("Choose a congress."), code="required")}
                )
            item = actions.CaseInput(
                kind=request.POST.get("kind", ""),
                unit=congress.unit,
                congress=congress,
                person=_person_in(congress, congress.unit, request.POST.get("person", "")),
                subject=request.POST.get("subject", ""),
                content=request.POST.get("content", ""),
                topic=request.POST.get("topic", ""),
            )
            case = actions.case_submit(actor=request.user, item=item)
        except ValidationError as error:
            context["form_error"] = error_text(error)
            context["posted"] = request.POST
            status = 400
        else:
            messages.success(request, _("Your case was received."))
            return redirect("cases:case", case_id=case.pk)
    return render(request, "cases/submit.html", context, status=status)


@scoped
def record(request: HttpRequest) -> HttpResponse:
    """An inspector records a letter (with its postmark) or a visit."""
    paths = queries.inspector_paths(request.user)
    if not paths:
        raise Http404
    context: dict[str, Any] = {"kinds": Case.Kind.choices, "topics": Case.Topic.choices}
    status = 200
    if request.method == "POST":
        code = request.POST.get("unit", "").strip()
        unit = Unit.objects.filter(code=code).first()
        try:
            if unit is None or not any(unit.path.startswith(p) for p in paths):
                raise ValidationError(
                    {"unit": ValidationError(_("Choose a unit you inspect."), code="unknown_unit")}
                )
            congress = (
                Congress.objects.filter(
                    pk=_int(request.POST.get("congress")) or 0, unit__path__in=_ancestors(unit)
                ).first()
                if request.POST.get("congress")
                else None
            )
            postmark = request.POST.get("postmark_on", "").strip()
            case = actions.case_record(
                actor=request.user,
                item=actions.CaseInput(
                    kind=request.POST.get("kind", ""),
                    unit=unit,
                    congress=congress,
                    person=_person_in(congress, unit, request.POST.get("person", "")),
                    subject=request.POST.get("subject", ""),
                    content=request.POST.get("content", ""),
                    topic=request.POST.get("topic", ""),
                ),
                channel=request.POST.get("channel", ""),
                sender=actions.Sender(
                    name=request.POST.get("sender_name", ""),
                    address=request.POST.get("sender_address", ""),
                    contact=request.POST.get("sender_contact", ""),
                    signers=_int(request.POST.get("signers")) or 1,
                ),
                received_on=_date(request.POST.get("received_on", ""), "received_on"),
                postmark_on=_date(postmark, "postmark_on") if postmark else None,
            )
        except ValidationError as error:
            context["form_error"] = error_text(error)
            context["posted"] = request.POST
            status = 400
        else:
            messages.success(request, _("The case was recorded."))
            return redirect("cases:case", case_id=case.pk)
    return render(request, "cases/record.html", context, status=status)


def _ancestors(unit: Unit) -> list[str]:
    return [unit.path[:i] for i in range(4, len(unit.path) + 1, 4)]


@scoped
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.my_cases(request.user), settings.DAIHOI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/mine.html", {"page": page})


@public
def public_form(request: HttpRequest, congress_id: int) -> HttpResponse:
    """Feedback, complaints and denunciations from the public, without an account."""
    congress = queries.access_public_congress(congress_id)
    context: dict[str, Any] = {
        "congress": congress,
        "kinds": Case.Kind.choices,
        "topics": Case.Topic.choices,
        "replies": queries.published_replies(congress=congress)[:50],
    }
    status = 200
    if request.method == "POST":
        if guard.rate_limited(request, scope=f"cases{congress.pk}"):
            context["challenge"] = guard.issue_challenge()
            context["form_error"] = _(
                "Too many submissions from your address in the last hour. Please try again later."
            )
            return render(request, "cases/public.html", context, status=429)
        problem = guard.check_challenge(
            token=request.POST.get("challenge", ""),
            answer=request.POST.get("answer", ""),
            honeypot=request.POST.get(guard.HONEYPOT, ""),
        )
        if problem == "honeypot":
            return render(request, "cases/public_thanks.html", context)
        if problem is not None:
            context["form_error"] = CHALLENGE_MESSAGES[problem]
            status = 400
        else:
            code = request.POST.get("person", "").strip()[:40]
            person = _person_quiet(congress, code)
            content = request.POST.get("content", "")
            if code and person is None and content.strip():
                content = f"{content}\n\n[{code}]"  # for the inspector to link
            try:
                actions.case_submit_public(
                    item=actions.CaseInput(
                        kind=request.POST.get("kind", ""),
                        unit=congress.unit,
                        congress=congress,
                        subject=request.POST.get("subject", ""),
                        content=content,
                        topic=request.POST.get("topic", ""),
                        person=person,
                    ),
                    sender=actions.Sender(
                        name=request.POST.get("name", ""),
                        address=request.POST.get("address", ""),
                        contact=request.POST.get("contact", ""),
                    ),
                )
            except ValidationError as error:
                context["form_error"] = error_text(error)
                status = 400
            else:
                return render(request, "cases/public_thanks.html", context)
        context["posted"] = request.POST
    context["challenge"] = guard.issue_challenge()
    return render(request, "cases/public.html", context, status=status)


# A congress's cases: organizers and the higher level ----------------------------------


def _congress(request: HttpRequest, congress_id: int) -> Congress:
    congress = Congress.objects.select_related("unit", "cycle").filter(pk=congress_id).first()
    if congress is None or not (queries.may_see_congress_cases(request.user, congress)):
        raise Http404
    return congress


@scoped
def congress_cases(request: HttpRequest, congress_id: int) -> HttpResponse:
    """That cases exist about the congress's candidates, their state and due dates; the
    higher level records here that it proceeds with the plan although one is open."""
    congress = _congress(request, congress_id)
    higher = is_higher(request.user, congress.unit)
    status = 200
    if request.method == "POST":
        if not higher:
            raise Http404
        case = (
            queries.open_about_congress_candidates(congress)
            .filter(pk=_int(request.POST.get("case")) or 0)
            .first()
        )
        if case is None:
            raise Http404
        try:
            actions.case_proceed(
                actor=request.user, case=case, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            status = 400
        else:
            messages.success(request, _("Recorded: the plan may proceed."))
            return redirect("cases:congress", congress_id=congress.pk)
    context = {
        "congress": congress,
        "cases": queries.open_about_congress_candidates(congress),
        "line": queries.congress_line(congress),
        "higher": higher,
        "report": queries.opening_report(congress),
        "today": queries.today(),
    }
    return render(request, "cases/congress.html", context, status=status)


@scoped
@require_GET
def opening_report_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = _congress(request, congress_id)
    report = queries.opening_report(congress)
    if report is None:
        raise Http404
    response = HttpResponse(documents.opening_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cases-{congress.unit.code}.pdf"'
    return response


# Feedback ------------------------------------------------------------------------------


@scoped
@require_GET
def feedback(request: HttpRequest) -> HttpResponse:
    """Feedback grouped by topic and near-duplicate text, counted."""
    items = queries.feedback_visible(request.user)
    congress_id = _int(request.GET.get("congress"))
    if congress_id:
        items = items.filter(congress_id=congress_id)
    topic = request.GET.get("topic", "")
    if topic in Case.Topic.values:
        items = items.filter(topic=topic)
    context = {
        "groups": queries.feedback_groups(items),
        "counts": [
            {
                "topic": Case.Topic(r["topic"]).label if r["topic"] in Case.Topic.values else "",
                "state": Case.State(r["state"]).label,
                "n": r["n"],
            }
            for r in queries.feedback_counts(items)
        ],
        "topics": Case.Topic.choices,
        "topic": topic,
    }
    return render(request, "cases/feedback.html", context)


@scoped
def feedback_item(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.access_feedback_by_id(request.user, case_id)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("op") == "consider":
                actions.feedback_consider(actor=request.user, case=case)
            else:
                actions.feedback_reply(
                    actor=request.user,
                    case=case,
                    reply=request.POST.get("reply", ""),
                    publish=request.POST.get("publish") == "on",
                )
        except ValidationError as error:
            messages.error(request, error_text(error))
            status = 400
        except PermissionDenied as error:
            messages.error(request, str(error))
            status = 403
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:feedback_item", case_id=case.pk)
    return render(request, "cases/feedback_item.html", {"case": case}, status=status)

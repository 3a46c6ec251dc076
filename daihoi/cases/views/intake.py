"""The intake forms: a member's case, an inspector's letter or visit, the public form;
the sender's own cases."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from daihoi.cases import actions, queries
from daihoi.cases.models import Case
from daihoi.cases.views._base import _date, _int
from daihoi.congresses.models import Congress
from daihoi.consultation import guard
from daihoi.core.access import public, scoped
from daihoi.core.errors import error_text
from daihoi.organizations.models import Person, Unit

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
    context: dict[str, Any] = {
        "kinds": Case.Kind.choices,
        "topics": Case.Topic.choices,
        # The person concerned is picked among the members of the subtree the inspector covers.
        "person_pick_unit": Unit.objects.filter(path=min(paths, key=len)).first(),
    }
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
        screening = guard.screen(
            request,
            scope=f"cases{congress.pk}",
            too_many=_(
                "Too many submissions from your address in the last hour. Please try again later."
            ),
        )
        if screening.honeypot:
            return render(request, "cases/public_thanks.html", context)
        if not screening.passed:
            context["form_error"] = screening.message
            status = screening.status
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

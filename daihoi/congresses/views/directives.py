"""Directives: the list, one directive with its acknowledgements and study sessions, its
attachment, and the attendee picker of a study session."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from daihoi.accounts.authority import unit_scope_q
from daihoi.accounts.models import Role
from daihoi.congresses import actions, queries
from daihoi.congresses.models import Directive
from daihoi.congresses.views._base import _date
from daihoi.core.access import scoped
from daihoi.core.errors import error_messages
from daihoi.organizations.queries import access_unit_by_code


@scoped
def directive_list(request: HttpRequest) -> HttpResponse:
    directives = queries.directives_for(request.user)
    page = Paginator(directives, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    publish_units = queries.units_granted(request.user, [Role.ORGANIZER, Role.DOCUMENT_EDITOR])
    if request.method == "POST":
        unit = access_unit_by_code(request.user, request.POST.get("unit_code", ""))
        try:
            directive = actions.directive_publish(
                actor=request.user,
                unit=unit,
                kind=request.POST.get("kind", ""),
                number=request.POST.get("number", ""),
                issued_on=_date(request.POST.get("issued_on")) or queries.today(),
                title=request.POST.get("title", ""),
                attachment=request.FILES.get("attachment"),
            )
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("congresses:directives")
        messages.success(request, _("Published %(n)s.") % {"n": directive.number})
        return redirect("congresses:directive", directive_id=directive.pk)
    return render(
        request,
        "congresses/directives.html",
        {"page": page, "publish_units": publish_units, "kinds": Directive.Kind.choices},
    )


@scoped
def directive_attachment(request: HttpRequest, directive_id: int) -> HttpResponseBase:
    """The directive's attached file, to those who may see the directive (404 otherwise);
    files are never served from a public media folder."""
    directive = queries.access_directive_by_id(request.user, directive_id)
    if not directive.attachment:
        raise Http404("No attached file")
    name = directive.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(directive.attachment.open("rb"), as_attachment=True, filename=name)


@scoped
def directive_detail(request: HttpRequest, directive_id: int) -> HttpResponse:
    directive = queries.access_directive_by_id(request.user, directive_id)
    if request.method == "POST":
        unit = access_unit_by_code(request.user, request.POST.get("unit_code", ""))
        try:
            if request.POST.get("step") == "study":
                codes = request.POST.get("attendees", "").split()
                found = queries.people_by_member_code(unit, codes)
                unknown = [c for c in codes if c not in found]
                if unknown:
                    raise ValidationError(
                        {
                            "attendees": _("Not members of %(unit)s: %(codes)s")
                            % {"unit": unit.name, "codes": ", ".join(unknown)}
                        }
                    )
                picked = {int(i) for i in request.POST.getlist("attendee") if i.isdigit()}
                ids = sorted(set(found.values()) | picked)
                actions.study_session_record(
                    actor=request.user,
                    directive=directive,
                    unit=unit,
                    held_on=_date(request.POST.get("held_on")) or queries.today(),
                    attendee_ids=ids,
                )
                messages.success(request, _("Study session recorded."))
            else:
                actions.directive_acknowledge(actor=request.user, directive=directive, unit=unit)
                messages.success(request, _("Acknowledged."))
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect("congresses:directive", directive_id=directive.pk)
    mine = queries.my_units_for_directive(request.user, directive)
    code = request.GET.get("unit", "").strip()
    within = access_unit_by_code(request.user, code) if code else directive.unit
    pending = Paginator(
        queries.directive_pending_units(directive, within=within).filter(
            unit_scope_q(request.user)
        ),
        50,
    )
    return render(
        request,
        "congresses/directive.html",
        {
            "directive": directive,
            "mine": mine,
            "within": within,
            "pending": pending.get_page(request.GET.get("page")),
            "acks": directive.acknowledgements.select_related("unit", "by").order_by("unit__path"),
            "sessions": directive.sessions.select_related("unit").order_by("-held_on"),
        },
    )


@scoped
def pick_attendees(request: HttpRequest, directive_id: int) -> HttpResponse:
    """The HTMX attendee picker of a study session: current members of the user's unit
    (`?unit=`, which they organize) by name or member code, as checkboxes."""
    directive = queries.access_directive_by_id(request.user, directive_id)
    unit = access_unit_by_code(request.user, request.GET.get("unit", ""), roles=[Role.ORGANIZER])
    if not unit.path.startswith(directive.unit.path):
        raise Http404("Not addressed to this unit")
    people = queries.pick_members(unit, query=request.GET.get("q", ""))
    return render(
        request,
        "congresses/_pick_attendees.html",
        {"people": people, "query": request.GET.get("q", "")},
    )

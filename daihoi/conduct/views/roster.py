"""The congress hub, the roster and the delegate's own page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daihoi.conduct import actions, documents, queries
from daihoi.conduct.models import Delegate
from daihoi.conduct.views._base import require_duty, user_duties
from daihoi.congresses.queries import pick_members
from daihoi.core.access import scoped
from daihoi.core.errors import error_text
from daihoi.organizations.queries import members_in_subtree


@scoped
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    congresses = queries.congresses_visible(request.user).order_by("-cycle_id", "unit__path")
    page = Paginator(congresses, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conduct/index.html", {"page": page})


@scoped
@require_GET
def congress_detail(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    basis = queries.entitled_basis(congress)
    context = {
        "congress": congress,
        "duties": user_duties(request, congress),
        "basis": basis,
        "quorum": queries.quorum(congress, basis=basis),
        "me": queries.delegate_for_user(request.user, congress),
    }
    return render(request, "conduct/congress.html", context)


@scoped
@require_GET
def roster(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    status = request.GET.get("status", "")
    if status not in Delegate.Status.values:
        status = ""
    lines = queries.roster_ordered(congress, status=status or None)
    page = Paginator(lines, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "congress": congress,
        "duties": user_duties(request, congress),
        "page": page,
        "status": status,
        "statuses": Delegate.Status.choices,
        "basis": queries.entitled_basis(congress),
    }
    return render(request, "conduct/roster.html", context)


@scoped
@require_POST
def roster_build(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    change = actions.roster_build(actor=request.user, congress=congress)
    messages.success(request, _("%(n)s people added to the roster.") % {"n": len(change.added)})
    return redirect("conduct:roster", congress.pk)


@scoped
@require_GET
def roster_pick(request: HttpRequest, congress_id: int) -> HttpResponse:
    """The HTMX member picker of the add-by-hand form: current members of the congress's
    unit, by name or member code (organizers only)."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, None)
    query = request.GET.get("q", "")
    people = pick_members(congress.unit, query=query)
    return render(request, "conduct/_pick_member.html", {"people": people, "query": query})


@scoped
@require_POST
def delegate_add(request: HttpRequest, congress_id: int) -> HttpResponse:
    """An organizer adds a member of the unit by member code, with the reason (audited)."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, None)
    code = request.POST.get("member_code", "").strip()
    person = members_in_subtree(congress.unit).filter(member_code=code).first() if code else None
    if person is None:
        messages.error(
            request, _("No member with this code in %(unit)s.") % {"unit": congress.unit}
        )
        return redirect("conduct:roster", congress.pk)
    try:
        line = actions.delegate_add_by_hand(
            actor=request.user,
            congress=congress,
            person=person,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("%(name)s was added to the roster.") % {"name": line.person.full_name}
        )
    return redirect("conduct:roster", congress.pk)


@scoped
@require_POST
def delegate_absent(request: HttpRequest, congress_id: int, delegate_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    line = queries.access_delegate_by_id(request.user, congress, delegate_id)
    try:
        alternate = actions.delegate_mark_absent(actor=request.user, delegate=line)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if alternate is None:
            messages.warning(
                request,
                _("%(name)s is absent; no alternate is left to replace them.")
                % {"name": line.person.full_name},
            )
        else:
            messages.success(
                request,
                _("%(name)s is absent and replaced by %(other)s.")
                % {"name": line.person.full_name, "other": alternate.person.full_name},
            )
    return redirect("conduct:roster", congress.pk)


@scoped
@require_GET
def delegate_page(request: HttpRequest, congress_id: int) -> HttpResponse:
    """The delegate's own page: their badge and the agenda to ask to speak on."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    me = queries.delegate_for_user(request.user, congress)
    if me is None:
        raise PermissionDenied(_("You are not on the roster of this congress."))
    context = {
        "congress": congress,
        "me": me,
        "qr": documents.badge_qr(me.badge_code),
        "items": queries.agenda(congress),
    }
    return render(request, "conduct/delegate.html", context)

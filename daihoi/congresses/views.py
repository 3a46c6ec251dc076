"""Pages of the congress cycle: dashboard, congress, plan, rulebook migration, directives.

Every view is scoped; writes go through `actions`, reads through `queries`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.accounts.authority import in_scope, unit_scope_q
from daihoi.accounts.models import Role
from daihoi.congresses import actions, planning, queries, workflow
from daihoi.congresses.actions.lifecycle import state_label, transition_label
from daihoi.congresses.gates import CLOSED
from daihoi.congresses.models import Congress, Cycle, Directive
from daihoi.congresses.queries._base import OPEN_STATES
from daihoi.core.access import scoped
from daihoi.core.documents import render_pdf
from daihoi.core.errors import error_messages, flash_errors
from daihoi.core.exports import pdf_response, xlsx_response
from daihoi.organizations.models import Unit
from daihoi.organizations.queries import access_unit_by_code, unit_ancestors, unit_parent
from daihoi.rulebooks.loader import RulebookError, available_rulebooks, load_rulebook


def _date(value: str | None, default: datetime.date | None = None) -> datetime.date | None:
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return default


def _subtree_unit(request: HttpRequest, cycle: Cycle) -> Unit:
    code = request.GET.get("unit", "").strip()
    if not code:
        return queries.default_unit(request.user, cycle)
    unit = access_unit_by_code(request.user, code)
    if not unit.path.startswith(cycle.root.path):
        raise Http404("Unit not in this cycle")
    return unit


def can_decide_for(user: Any, unit: Unit) -> bool:
    """Whether `user` acts as the higher level of `unit`."""
    parent = unit_parent(unit)
    if parent is None:
        return in_scope(user, unit, roles=[Role.ADMIN])
    return in_scope(user, parent, roles=[Role.ORGANIZER])


def _crumbs(request: HttpRequest, cycle: Cycle, unit: Unit) -> list[Unit]:
    return [
        a
        for a in unit_ancestors(unit)
        if a.path.startswith(cycle.root.path) and in_scope(request.user, a)
    ]


@scoped
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = list(queries.cycles_visible(request.user))
    if len(cycles) == 1:
        return redirect("congresses:dashboard", cycle_id=cycles[0].pk)
    return render(request, "congresses/cycles.html", {"cycles": cycles})


@scoped
def dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    on = _date(request.GET.get("on"), queries.today())
    board = queries.dashboard(cycle, unit, on=on)
    return render(
        request,
        "congresses/dashboard.html",
        {
            "cycle": cycle,
            "unit": unit,
            "board": board,
            "crumbs": _crumbs(request, cycle, unit),
            "state_labels": {s: state_label(s) for s in workflow.STATES},
            "own": queries.congress_for_unit(cycle, unit),
        },
    )


EXPORT_HEADERS = [
    "unit_code",
    "unit_name",
    "level",
    "type",
    "bodies",
    "pilot",
    "state",
    "earliest",
    "latest",
    "postponed_until",
    "starts_on",
    "concluded_on",
    "overdue",
]


@scoped
def dashboard_export(request: HttpRequest, cycle_id: int, fmt: str) -> HttpResponseBase:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    on = _date(request.GET.get("on"), queries.today())
    assert on is not None
    if fmt == "pdf":
        board = queries.dashboard(cycle, unit, on=on)
        html = render_to_string(
            "congresses/dashboard_pdf.html",
            {
                "cycle": cycle,
                "unit": unit,
                "board": board,
                "state_labels": {s: state_label(s) for s in workflow.STATES},
            },
            request=request,
        )
        pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
        return pdf_response(pdf, f"progress-{unit.code}.pdf", inline=False)
    rows = (
        [
            c.unit.code,
            c.unit.name,
            c.unit.level,
            c.congress_type,
            c.bodies,
            "yes" if c.pilot else "",
            c.state,
            c.earliest,
            c.latest,
            c.extended_latest,
            c.starts_on,
            c.concluded_on,
            "yes"
            if c.due and c.due < on and c.state in OPEN_STATES  # type: ignore[attr-defined]
            else "",
        ]
        for c in queries.congress_list(cycle=cycle, unit=unit).iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=f"congresses-{unit.code}", headers=EXPORT_HEADERS, rows=rows, sheet="congresses"
    )


@scoped
def congress_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    on = _date(request.GET.get("on"), queries.today())
    state = request.GET.get("state", "")
    level = request.GET.get("level", "")
    overdue = request.GET.get("overdue") == "1"
    pilot = {"1": True, "0": False}.get(request.GET.get("pilot", ""))
    congresses = queries.congress_list(
        cycle=cycle, unit=unit, level=level, state=state, overdue=overdue, pilot=pilot, on=on
    )
    page = Paginator(congresses, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "congresses/list.html",
        {
            "cycle": cycle,
            "unit": unit,
            "page": page,
            "state": state,
            "level": level,
            "overdue": overdue,
            "states": [(s, state_label(s)) for s in workflow.STATES],
            "state_labels": {s: state_label(s) for s in workflow.STATES},
            "query": request.GET.urlencode(),
        },
    )


@scoped
def congress_detail(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_in_scope(request.user, congress_id)
    on = queries.today()
    children = queries.children_of_congress(congress)
    may_unit = in_scope(request.user, congress.unit, roles=[Role.ORGANIZER])
    may_higher = can_decide_for(request.user, congress.unit)
    steps = []
    for t in workflow.transitions_from(congress.state):
        allowed = may_higher if t.authority == "higher" else may_unit
        steps.append(
            {
                "code": t.code,
                "label": transition_label(t.code),
                "allowed": allowed,
                "authority": t.authority,
                "needs_reason": t.code in ("postpone", "cancel"),
                "needs_new_latest": t.code == "postpone",
            }
        )
    exemption = getattr(congress, "exemption", None) if hasattr(congress, "exemption") else None
    return render(
        request,
        "congresses/congress.html",
        {
            "congress": congress,
            "cycle": congress.cycle,
            "children": children,
            "steps": steps,
            "may_exempt": may_higher and congress.state in workflow.PENDING,
            "may_unit": may_unit,
            "closed_states": CLOSED,
            "exemption": exemption,
            "events": congress.events.select_related("actor"),
            "state_label": state_label(congress.state),
            "on": on,
            "crumbs": _crumbs(request, congress.cycle, congress.unit),
            "predecessors": congress.predecessors.select_related("unit"),
            "window_rule": _window_rule(congress),
        },
    )


def _window_rule(congress: Congress) -> str:
    """The rulebook path of the rule that set the congress's window."""
    try:
        book = load_rulebook(congress.cycle.rulebook_id)
        return planning.window_for(book, congress.unit.level, formed_on=congress.formed_on).rule
    except (KeyError, RulebookError):
        return ""


@require_POST
@scoped
def congress_step(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_in_scope(request.user, congress_id)
    transition = request.POST.get("transition", "")
    try:
        actions.congress_transition(
            actor=request.user,
            congress=congress,
            transition=transition,
            on=_date(request.POST.get("on")),
            reason=request.POST.get("reason", ""),
            new_latest=_date(request.POST.get("new_latest")),
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, _("Refused: %(m)s") % {"m": message})
    else:
        messages.success(
            request,
            _("Done: %(t)s.") % {"t": transition_label(transition)},
        )
    return redirect("congresses:congress", congress_id=congress.pk)


@require_POST
@scoped
def congress_exempt(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_in_scope(request.user, congress_id)
    try:
        actions.congress_exempt_from_cascade(
            actor=request.user, congress=congress, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Exemption recorded."))
    return redirect("congresses:congress", congress_id=congress.pk)


@require_POST
@scoped
def congress_venue(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_in_scope(request.user, congress_id)
    try:
        actions.congress_set_venue(
            actor=request.user, congress=congress, venue=request.POST.get("venue", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Venue saved."))
    return redirect("congresses:congress", congress_id=congress.pk)


@scoped
def plan(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    if request.method == "POST":
        step = request.POST.get("step")
        target = access_unit_by_code(request.user, request.POST.get("unit_code", ""))
        try:
            if step == "submit":
                actions.plan_submit(actor=request.user, cycle=cycle, unit=target)
            elif step == "approve":
                actions.plan_approve(
                    actor=request.user,
                    cycle=cycle,
                    unit=target,
                    fingerprint=request.POST.get("fingerprint", ""),
                    remarks=request.POST.get("remarks", ""),
                )
                messages.success(request, _("The plan is approved."))
            elif step == "generate":
                n = actions.cycle_generate_plan(actor=request.user, cycle=cycle)
                messages.success(request, _("%(n)s congresses planned.") % {"n": n})
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect(reverse("congresses:plan", args=[cycle.pk]) + f"?unit={unit.code}")
    approvals = list(queries.plan_approvals(cycle, unit))
    review = None
    for a in approvals:
        a.current = queries.approval_is_current(a)  # type: ignore[attr-defined]
        a.may_approve = (  # type: ignore[attr-defined]
            not a.current  # type: ignore[attr-defined]
            and a.prepared_by_id != request.user.pk
            and can_decide_for(request.user, a.unit)
        )
        if a.unit.code == request.GET.get("review"):
            rows, fingerprint = queries.plan_review(cycle, a.unit)
            review = {"approval": a, "rows": rows, "fingerprint": fingerprint}
    return render(
        request,
        "congresses/plan.html",
        {
            "cycle": cycle,
            "unit": unit,
            "approvals": approvals,
            "review": review,
            "covered": queries.plan_approved_for(cycle, unit),
            "may_submit": in_scope(request.user, unit, roles=[Role.ORGANIZER])
            and not any(a.unit_id == unit.pk for a in approvals),
        },
    )


@scoped
def migration(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    if not in_scope(request.user, cycle.root, roles=[Role.ORGANIZER]):
        raise Http404("No such cycle")
    books = [b for b in available_rulebooks() if b.id != cycle.rulebook_id]
    target = request.POST.get("to") or request.GET.get("to") or (books[-1].id if books else "")
    if request.method == "POST":
        try:
            done = actions.cycle_migrate_rulebook(
                actor=request.user,
                cycle=cycle,
                rulebook_id=target,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect(reverse("congresses:migration", args=[cycle.pk]) + f"?to={target}")
        messages.success(
            request,
            _("The cycle now follows %(id)s; %(n)s congresses were re-planned.")
            % {"id": target, "n": len(done.changes)},
        )
        return redirect("congresses:dashboard", cycle_id=cycle.pk)
    preview = None
    if target:
        try:
            preview = queries.cycle_migration_preview(cycle, target)
        except Exception as error:  # an unknown or broken rulebook file
            messages.error(request, str(error))
    units = {}
    if preview:
        ids = [c.congress_id for c in preview.changes]
        units = {c.pk: c.unit for c in Congress.objects.filter(pk__in=ids).select_related("unit")}
    return render(
        request,
        "congresses/migration.html",
        {"cycle": cycle, "books": books, "target": target, "preview": preview, "units": units},
    )


# Directives -------------------------------------------------------------------------------


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
def pick_congress(request: HttpRequest) -> HttpResponse:
    """The HTMX congress picker: congresses in the user's subtrees, by unit name or code,
    labelled with the unit, its level and the window (`name=` is the form field's name,
    `role=` keeps the congresses where the user holds that role)."""
    query = request.GET.get("q", "")
    role = request.GET.get("role", "")  # only congresses where the user holds this role
    roles = [role] if role in Role.values else None
    found, total = queries.pick_congresses(request.user, query=query, roles=roles)
    field = request.GET.get("name", "congress")
    if not field.isidentifier():
        field = "congress"
    return render(
        request,
        "congresses/_pick_congress.html",
        {
            "found": found,
            "total": total,
            "query": query,
            "field": field,
            "required": "optional" not in request.GET,  # a filter or an optional field
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

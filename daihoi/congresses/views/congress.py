"""One congress: its page, its steps through the workflow, exemption and venue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.accounts.authority import in_scope
from daihoi.accounts.models import Role
from daihoi.congresses import actions, planning, queries, workflow
from daihoi.congresses.actions.lifecycle import state_label, transition_label
from daihoi.congresses.gates import CLOSED
from daihoi.congresses.models import Congress
from daihoi.congresses.views._base import _crumbs, _date, can_decide_for
from daihoi.core.access import scoped
from daihoi.core.errors import attempt, error_messages
from daihoi.rulebooks.loader import RulebookError, load_rulebook


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
    attempt(
        request,
        lambda: actions.congress_exempt_from_cascade(
            actor=request.user, congress=congress, reason=request.POST.get("reason", "")
        ),
        success=_("Exemption recorded."),
    )
    return redirect("congresses:congress", congress_id=congress.pk)


@require_POST
@scoped
def congress_venue(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_in_scope(request.user, congress_id)
    attempt(
        request,
        lambda: actions.congress_set_venue(
            actor=request.user, congress=congress, venue=request.POST.get("venue", "")
        ),
        success=_("Venue saved."),
    )
    return redirect("congresses:congress", congress_id=congress.pk)

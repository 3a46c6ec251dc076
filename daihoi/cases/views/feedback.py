"""Feedback: the inspectors' list, grouped near-duplicates, reply and consideration."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from daihoi.cases import actions, queries
from daihoi.cases.models import Case
from daihoi.cases.views._base import _int
from daihoi.core.access import scoped
from daihoi.core.errors import attempt

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

        def save() -> None:
            if request.POST.get("op") == "consider":
                actions.feedback_consider(actor=request.user, case=case)
            else:
                actions.feedback_reply(
                    actor=request.user,
                    case=case,
                    reply=request.POST.get("reply", ""),
                    publish=request.POST.get("publish") == "on",
                )

        status = attempt(request, save, success=_("Saved."))
        if status == 200:
            return redirect("cases:feedback_item", case_id=case.pk)
    return render(request, "cases/feedback_item.html", {"case": case}, status=status)

"""The start page: what each role works on, first thing after logging in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from daihoi.core.access import scoped
from daihoi.home import queries


@scoped
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Organizers: their congresses and deadlines; delegates: their congress (agenda,
    documents, ballots); editors: their drafts. Everyone: search the organization."""
    context = {"start": queries.start_for(request.user)}
    return render(request, "home/start.html", context)

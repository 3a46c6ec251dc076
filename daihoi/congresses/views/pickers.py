"""The congress picker (HTMX): congresses in the user's subtrees, searchable, labelled."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from daihoi.accounts.models import Role
from daihoi.congresses import queries
from daihoi.core.access import scoped


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

"""The congress-day boards: seats given, searched and removed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from daihoi.conduct import actions, queries
from daihoi.conduct.views._base import Board, require_duty
from daihoi.congresses.gates import seats_frozen
from daihoi.core.access import scoped
from daihoi.core.errors import error_text


@scoped
@require_http_methods(["GET", "POST"])
def boards(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, None)
    if request.method == "POST":
        if "remove" in request.POST:
            seat_id = request.POST.get("remove", "")
            seats = queries.board_seats(congress)
            seat = seats.filter(pk=int(seat_id)).first() if seat_id.isdigit() else None
            if seat is not None:
                try:
                    actions.board_seat_remove(
                        actor=request.user, seat=seat, reason=request.POST.get("reason", "")
                    )
                except ValidationError as error:
                    messages.error(request, error_text(error))
                else:
                    messages.success(request, _("The seat was removed."))
            return redirect("conduct:boards", congress.pk)
        picked = request.POST.get("user", "")
        # Only people who may sit here can be picked: nothing is said about other accounts.
        user = (
            queries.seat_candidates(congress).filter(pk=int(picked)).first()
            if picked.isdigit()
            else None
        )
        if user is None:
            messages.error(request, _("Pick a delegate or a member of this unit from the search."))
        else:
            try:
                actions.board_seat_assign(
                    actor=request.user,
                    congress=congress,
                    user=user,
                    board=request.POST.get("board", ""),
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                name = user.person.full_name if user.person else user.get_username()
                messages.success(request, _("%(u)s has a seat now.") % {"u": name})
        return redirect("conduct:boards", congress.pk)
    query = request.GET.get("q", "").strip()
    context = {
        "congress": congress,
        "seats": queries.board_seats(congress),
        "boards": Board.choices,
        "query": query,
        "candidates": list(queries.seat_candidates(congress, query)[:20]) if query else [],
        "frozen": seats_frozen(congress),
    }
    if getattr(request, "htmx", False) and request.GET.get("picker"):
        return render(request, "conduct/_seat_candidates.html", context)
    return render(request, "conduct/boards.html", context)

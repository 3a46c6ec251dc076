"""The agenda and its speakers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daihoi.conduct import actions, queries
from daihoi.conduct.models import AgendaItem, Delegate, SpeakerRequest
from daihoi.conduct.views._base import user_duties
from daihoi.congresses.models import Congress
from daihoi.core.access import scoped
from daihoi.core.errors import error_text


@scoped
@require_http_methods(["GET", "POST"])
def agenda(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    duties = user_duties(request, congress)
    if request.method == "POST":
        try:
            actions.agenda_item_add(
                actor=request.user,
                congress=congress,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", AgendaItem.Kind.DISCUSSION),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The item was added to the agenda."))
        return redirect("conduct:agenda", congress.pk)
    context = {
        "congress": congress,
        "duties": duties,
        "items": queries.agenda(congress),
        "kinds": AgendaItem.Kind.choices,
    }
    return render(request, "conduct/agenda.html", context)


@scoped
@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, congress_id: int, item_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    item = queries.access_agenda_item(congress, item_id)
    me = queries.delegate_for_user(request.user, congress)
    if request.method == "POST":
        try:
            _speaker_post(request, item)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if not getattr(request, "htmx", False):  # the list itself shows the change
                messages.success(request, _("Done."))
        if getattr(request, "htmx", False):
            return _speakers_partial(request, congress, item, me)
        return redirect("conduct:agenda_item", congress.pk, item.pk)
    if getattr(request, "htmx", False):
        return _speakers_partial(request, congress, item, me)
    context = {
        "congress": congress,
        "item": item,
        "me": me,
        "duties": user_duties(request, congress),
        "speakers": queries.speakers(item),
        "kinds": AgendaItem.Kind.choices,
    }
    return render(request, "conduct/agenda_item.html", context)


@scoped
@require_POST
def agenda_item_manage(request: HttpRequest, congress_id: int, item_id: int) -> HttpResponse:
    """The presidium edits an item, moves it in the agenda, or opens it in the hall."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    item = queries.access_agenda_item(congress, item_id)
    op = request.POST.get("op", "")
    try:
        if op == "edit":
            actions.agenda_item_edit(
                actor=request.user,
                item=item,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                speaking_minutes=_number(
                    request.POST.get("speaking_minutes", ""), "speaking_minutes"
                ),
            )
            messages.success(request, _("The agenda item was saved."))
        elif op == "move":
            position = _number(request.POST.get("position", ""), "position")
            actions.agenda_item_move(actor=request.user, item=item, position=position)
            messages.success(request, _("The agenda was reordered."))
            return redirect("conduct:agenda", congress.pk)
        elif op == "open":
            actions.agenda_item_open(actor=request.user, item=item)
            messages.success(request, _("The hall is now on this item."))
        else:
            raise ValidationError({"op": ValidationError(_("Unknown operation."), code="op")})
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("conduct:agenda_item", congress.pk, item.pk)


def _number(raw: str, field: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValidationError(
            {field: ValidationError(_("Give a whole number."), code="not_a_number")}
        ) from None


def _speakers_partial(
    request: HttpRequest, congress: Congress, item: AgendaItem, me: Delegate | None
) -> HttpResponse:
    context = {
        "congress": congress,
        "item": item,
        "me": me,
        "duties": user_duties(request, congress),
        "speakers": queries.speakers(item),
    }
    return render(request, "conduct/_speakers.html", context)


def _speaker_post(request: HttpRequest, item: AgendaItem) -> None:
    op = request.POST.get("op", "")
    if op == "register":
        actions.speaker_request_register(
            actor=request.user, agenda_item=item, topic=request.POST.get("topic", "")
        )
        return
    try:
        request_id = int(request.POST.get("request", ""))
    except ValueError:
        raise ValidationError({"request": _("Choose a request.")}) from None
    speaker = queries.access_speaker_request(item, request_id)
    if op == "move":
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            raise ValidationError({"position": _("Give a place in the list.")}) from None
        actions.speaker_request_move(actor=request.user, request=speaker, position=position)
    elif op in SpeakerRequest.Status.values:
        actions.speaker_request_set_status(actor=request.user, request=speaker, status=op)
    else:
        raise ValidationError({"op": _("Unknown operation.")})

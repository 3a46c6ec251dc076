"""The agenda and the speakers' list the presidium runs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import SYSTEM, action, require_signed_in
from daihoi.conduct import queries
from daihoi.conduct.actions._base import Board, Status, require
from daihoi.conduct.models import AgendaItem, SpeakerRequest
from daihoi.congresses.gates import require_congress_open
from daihoi.congresses.models import Congress
from daihoi.core import audit, clock
from daihoi.core.errors import refusal


@action(system=True)
def agenda_item_add(*, actor: Any, congress: Congress, title: str, kind: str) -> AgendaItem:
    """Append an item to the agenda. The presidium or an organizer."""
    require(actor, congress, [Board.PRESIDIUM])
    require_congress_open(congress)
    title = _title(title)
    _check_kind(kind)
    last = congress.agenda_items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(congress=congress, position=last + 1, title=title, kind=kind)
    audit.record(
        actor=actor,
        action="agenda_item_add",
        obj=item,
        unit_path=congress.unit.path,
        changes={"title": title, "kind": kind, "position": item.position},
    )
    return item


def _check_kind(kind: str) -> None:
    if kind not in AgendaItem.Kind.values:
        raise refusal(
            _("Unknown kind “%(kind)s”.") % {"kind": kind},
            code="kind",
            field="kind",
        )


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise refusal(
            _("Give the agenda item a title."),
            code="title_missing",
            field="title",
        )
    if len(title) > 200:
        raise refusal(
            _("At most 200 characters."),
            code="title_too_long",
            field="title",
        )
    return title


@action(system=True)
def agenda_item_edit(
    *, actor: Any, item: AgendaItem, title: str, kind: str, speaking_minutes: int
) -> AgendaItem:
    """Change an item's title, kind and the speaking time each speaker has on it."""
    congress = item.congress
    require(actor, congress, [Board.PRESIDIUM])
    require_congress_open(congress)
    title = _title(title)
    _check_kind(kind)
    if not 1 <= speaking_minutes <= 120:
        raise refusal(
            _("Give a speaking time between 1 and 120 minutes."),
            code="speaking_minutes",
            field="speaking_minutes",
        )
    before = {"title": item.title, "kind": item.kind, "speaking_minutes": item.speaking_minutes}
    item.title, item.kind, item.speaking_minutes = title, kind, speaking_minutes
    item.save(update_fields=["title", "kind", "speaking_minutes"])
    audit.record(
        actor=actor,
        action="agenda_item_edit",
        obj=item,
        unit_path=congress.unit.path,
        changes={"before": before, "title": title, "kind": kind, "minutes": speaking_minutes},
    )
    return item


@action(system=True)
def agenda_item_move(*, actor: Any, item: AgendaItem, position: int) -> None:
    """Move an item to `position` (1 = first); the others keep their order."""
    congress = item.congress
    require(actor, congress, [Board.PRESIDIUM])
    require_congress_open(congress)
    items = list(congress.agenda_items.select_for_update().order_by("position", "id"))
    if not 1 <= position <= len(items):
        raise refusal(
            _("Choose a place between 1 and %(n)s.") % {"n": len(items)},
            code="position_out_of_range",
            field="position",
        )
    ids = [i.pk for i in items]
    moved = items.pop(ids.index(item.pk))
    items.insert(position - 1, moved)
    for number, each in enumerate(items, start=1):
        each.position = number
    AgendaItem.objects.bulk_update(items, ["position"])
    audit.record(
        actor=actor,
        action="agenda_item_move",
        obj=item,
        unit_path=congress.unit.path,
        changes={"position": position},
    )


@action(system=True)
def agenda_item_open(*, actor: Any, item: AgendaItem) -> AgendaItem:
    """The hall moves to this item: the projector shows it as the current one."""
    congress = item.congress
    require(actor, congress, [Board.PRESIDIUM])
    require_congress_open(congress)
    item.opened_at = clock.now()
    item.save(update_fields=["opened_at"])
    audit.record(
        actor=actor,
        action="agenda_item_open",
        obj=item,
        unit_path=congress.unit.path,
        changes={"title": item.title},
    )
    return item


@action()
def speaker_request_register(*, actor: Any, agenda_item: AgendaItem, topic: str) -> SpeakerRequest:
    """A delegate asks to speak on an item; they join the end of the waiting list."""
    require_signed_in(actor)
    require_congress_open(agenda_item.congress)
    congress = agenda_item.congress
    line = queries.delegate_for_user(actor, congress)
    if line is None or line.status != Status.SUMMONED:
        raise PermissionDenied("Only a summoned delegate of this congress may ask to speak.")
    topic = " ".join(topic.split())
    if len(topic) > 200:
        raise refusal(_("At most 200 characters."), code="too_long", field="topic")
    active = agenda_item.speaker_requests.filter(
        delegate=line,
        status__in=[SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING],
    )
    if active.exists():
        raise refusal(
            _("You are already on the list for this item."),
            code="you_already_list_item",
            field="topic",
        )
    last = agenda_item.speaker_requests.aggregate(m=Max("position"))["m"] or 0
    request = SpeakerRequest.objects.create(
        agenda_item=agenda_item,
        delegate=line,
        topic=topic,
        requested_at=timezone.now(),
        position=last + 1,
    )
    audit.record(
        actor=actor,
        action="speaker_request_register",
        obj=request,
        unit_path=congress.unit.path,
        changes={"agenda_item": agenda_item.pk, "topic": topic},
    )
    return request


@action()
def speaker_request_move(*, actor: Any, request: SpeakerRequest, position: int) -> None:
    """The presidium moves a waiting request to `position` (1 = next) of the waiting list."""
    item = request.agenda_item
    require(actor, item.congress, [Board.PRESIDIUM])
    require_congress_open(item.congress)
    waiting = list(
        item.speaker_requests.select_for_update()
        .filter(status=SpeakerRequest.Status.WAITING)
        .order_by("position", "id")
    )
    ids = [r.pk for r in waiting]
    if request.pk not in ids:
        raise refusal(
            _("Only a waiting request can be moved."),
            code="only_waiting_request_can",
            field="position",
        )
    if not 1 <= position <= len(waiting):
        raise refusal(
            _("Choose a place between 1 and %(n)s.") % {"n": len(waiting)},
            code="choose_place_between",
            field="position",
        )
    moved = waiting.pop(ids.index(request.pk))
    waiting.insert(position - 1, moved)
    slots = sorted(r.position for r in waiting)  # keep the places among the others
    for slot, r in zip(slots, waiting, strict=True):
        r.position = slot
    SpeakerRequest.objects.bulk_update(waiting, ["position"])
    audit.record(
        actor=actor,
        action="speaker_request_move",
        obj=request,
        unit_path=item.congress.unit.path,
        changes={"position": position},
    )


@action(system=True)
def speaker_request_set_status(*, actor: Any, request: SpeakerRequest, status: str) -> None:
    """The presidium gives the floor, marks a speech done or withdraws a request; the
    delegate may withdraw their own waiting request."""
    item = request.agenda_item
    congress = item.congress
    require_congress_open(congress)
    own = (
        actor is not SYSTEM
        and getattr(actor, "person_id", None) is not None
        and request.delegate.person_id == actor.person_id
    )
    if own and status == SpeakerRequest.Status.WITHDRAWN:
        require_signed_in(actor)
    else:
        require(actor, congress, [Board.PRESIDIUM])
    allowed = {
        SpeakerRequest.Status.WAITING: {
            SpeakerRequest.Status.SPEAKING,
            SpeakerRequest.Status.WITHDRAWN,
            SpeakerRequest.Status.DONE,
        },
        SpeakerRequest.Status.SPEAKING: {SpeakerRequest.Status.DONE},
    }
    if status not in allowed.get(SpeakerRequest.Status(request.status), set()):
        raise refusal(
            _("A request that is “%(from)s” cannot become “%(to)s”.")
            % {"from": request.get_status_display(), "to": status},
            code="request_cannot_become",
            field="status",
        )
    if status == SpeakerRequest.Status.SPEAKING:
        # One speaker at a time: whoever holds the floor is done.
        item.speaker_requests.filter(status=SpeakerRequest.Status.SPEAKING).update(
            status=SpeakerRequest.Status.DONE
        )
    previous = request.status
    request.status = status
    fields = ["status"]
    if status == SpeakerRequest.Status.SPEAKING:
        request.started_at = timezone.now()  # the projector's speaking-time clock
        fields.append("started_at")
    request.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="speaker_request_set_status",
        obj=request,
        unit_path=congress.unit.path,
        changes={"from": previous, "to": status},
    )

"""Writes for the congress day. Each action checks permission, runs atomically and is audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role
from daihoi.accounts.queries import require_role
from daihoi.conduct import queries
from daihoi.conduct.badges import new_badge_code
from daihoi.conduct.models import AgendaItem, BoardSeat, Delegate, SpeakerRequest
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.organizations.models import CURRENT_STATUSES, CommitteeSeat, Person
from daihoi.rulebooks.loader import load_rulebook

Board = BoardSeat.Board
Status = Delegate.Status
Kind = Delegate.Kind


def _require(actor: Any, congress: Congress, boards: Iterable[str] = ()) -> None:
    """A seat on one of `boards` at this congress, or an organizer over its unit."""
    if actor is None:
        return
    if any(queries.is_board_member(actor, congress, board) for board in boards):
        return
    require_role(actor, congress.unit, [Role.ORGANIZER])


def _new_codes(count: int) -> list[str]:
    """`count` badge codes not yet in use (a clash of 50 random bits is rare, but checked)."""
    codes: set[str] = set()
    while len(codes) < count:
        batch = {new_badge_code() for _ in range(count - len(codes))}
        taken = set(
            Delegate.objects.filter(badge_code__in=batch).values_list("badge_code", flat=True)
        )
        codes |= batch - taken
    return sorted(codes)


def _not_summoned_statuses(congress: Congress) -> set[str]:
    """Person statuses that keep a member away: the rulebook's, plus those no longer members."""
    rulebook = load_rulebook(congress.cycle.rulebook_id)
    ruled = set(rulebook.complaints.not_summoned.value)  # Regulation 22-QĐ/TW
    no_longer_members = {s for s in Person.Status.values if s not in CURRENT_STATUSES}
    return ruled | no_longer_members


def _apply_person_status(congress: Congress, lines: Iterable[Delegate]) -> list[Delegate]:
    """Mark lines of people who may not be summoned; restore those who may again.

    Returns the lines whose status changed (already saved).
    """
    barred = _not_summoned_statuses(congress)
    person_reasons = set(Delegate.Reason.values) - {Delegate.Reason.ABSENT}
    changed: list[Delegate] = []
    for line in lines:
        person_status = line.person.status
        if person_status in barred and line.status != Status.NOT_SUMMONED:
            if line.status == Status.REPLACED:
                continue  # already off the roster; its alternate stands
            line.status, line.reason = Status.NOT_SUMMONED, person_status
            changed.append(line)
        elif (
            person_status not in barred
            and line.status == Status.NOT_SUMMONED
            and line.reason in person_reasons
        ):
            standby = line.kind == Kind.ALTERNATE and line.replaces_id is None
            line.status, line.reason = (Status.STANDBY if standby else Status.SUMMONED), ""
            changed.append(line)
    if changed:
        Delegate.objects.bulk_update(changed, ["status", "reason"])
    return changed


@dataclass
class RosterChange:
    added: list[Delegate] = field(default_factory=list)
    removed: int = 0
    skipped: list[Person] = field(default_factory=list)  # already on the roster otherwise


def _add_lines(congress: Congress, specs: Sequence[tuple[Person, dict[str, Any]]]) -> RosterChange:
    """Create roster lines for people not yet on it; people already listed are skipped."""
    listed = set(
        Delegate.objects.filter(congress=congress, person__in=[p for p, _ in specs]).values_list(
            "person_id", flat=True
        )
    )
    change = RosterChange()
    fresh = [(p, extra) for p, extra in specs if p.pk not in listed]
    change.skipped = [p for p, _ in specs if p.pk in listed]
    codes = _new_codes(len(fresh))
    lines = [
        Delegate(congress=congress, person=person, badge_code=code, **extra)
        for (person, extra), code in zip(fresh, codes, strict=True)
    ]
    Delegate.objects.bulk_create(lines)
    change.added = list(
        Delegate.objects.filter(congress=congress, badge_code__in=codes).select_related("person")
    )
    _apply_person_status(congress, change.added)
    return change


@transaction.atomic
def roster_build(*, actor: Any, congress: Congress) -> RosterChange:
    """Ex officio (the unit's sitting executive committee) and, at congresses of all members,
    every current member. Idempotent: people already listed are left as they are."""
    _require(actor, congress)
    seats = (
        CommitteeSeat.objects.filter(
            unit=congress.unit, body=CommitteeSeat.Body.EXECUTIVE, ended_on__isnull=True
        )
        .select_related("person")
        .order_by("person__name_folded", "person_id")
    )
    specs: list[tuple[Person, dict[str, Any]]] = []
    seen: set[int] = set()
    for seat in seats:
        if seat.person_id not in seen and seat.person.status in CURRENT_STATUSES:
            seen.add(seat.person_id)
            specs.append((seat.person, {"kind": Kind.EX_OFFICIO}))
    all_members = queries.is_all_members_congress(congress)
    if all_members:
        members = Person.objects.filter(
            unit__path__startswith=congress.unit.path, status__in=CURRENT_STATUSES
        ).order_by("name_folded", "id")
        specs += [(p, {"kind": Kind.MEMBER}) for p in members if p.pk not in seen]
    change = _add_lines(congress, specs)
    audit.record(
        actor=actor,
        action="roster_build",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"added": len(change.added), "all_members": all_members},
    )
    return change


def _check_sender(congress: Congress, sender: Congress, field_name: str) -> None:
    if sender.cycle_id != congress.cycle_id:
        raise ValidationError({field_name: _("The lower congress belongs to another cycle.")})
    unit, lower = congress.unit, sender.unit
    if not (lower.path.startswith(unit.path) and lower.depth > unit.depth):
        raise ValidationError(
            {field_name: _("%(lower)s is not below %(unit)s.") % {"lower": lower, "unit": unit}}
        )


def _check_people(officials: Sequence[Person], alternates: Sequence[Person]) -> None:
    if not officials:
        raise ValidationError({"officials": _("Name at least one delegate.")})
    ids = [p.pk for p in [*officials, *alternates]]
    if len(set(ids)) != len(ids):
        raise ValidationError({"alternates": _("A person is listed more than once.")})


def _replace_sent(congress: Congress, sender: Congress) -> int:
    """Remove the lines a lower congress sent before, unless one has checked in already."""
    previous = Delegate.objects.filter(congress=congress, elected_by=sender)
    if previous.filter(checked_in_at__isnull=False).exists():
        raise ValidationError(
            {"elected_by": _("Delegates sent by this congress have checked in already.")}
        )
    removed, _detail = previous.delete()
    return removed


def _sent_specs(
    sender: Congress, kind: str, officials: Sequence[Person], alternates: Sequence[Person]
) -> list[tuple[Person, dict[str, Any]]]:
    specs: list[tuple[Person, dict[str, Any]]] = [
        (p, {"kind": kind, "status": Status.SUMMONED, "elected_by": sender}) for p in officials
    ]
    specs += [
        (
            p,
            {
                "kind": Kind.ALTERNATE,
                "status": Status.STANDBY,
                "elected_by": sender,
                "alternate_rank": rank,
            },
        )
        for rank, p in enumerate(alternates, start=1)
    ]
    return specs


@transaction.atomic
def roster_add_elected(
    *,
    actor: Any,
    congress: Congress,
    elected_by: Congress,
    officials: list[Person],
    alternates: list[Person],
) -> RosterChange:
    """Put the delegates a lower congress elected on the higher congress's roster.

    Officials are summoned as `elected`; alternates wait on standby, ranked in the given
    order. Calling it again for the same lower congress replaces what it sent before.
    Allowed to organizers over the lower unit (which includes those over the higher one).
    """
    if actor is not None:
        require_role(actor, elected_by.unit, [Role.ORGANIZER])
    _check_sender(congress, elected_by, "elected_by")
    _check_people(officials, alternates)
    removed = _replace_sent(congress, elected_by)
    change = _add_lines(congress, _sent_specs(elected_by, Kind.ELECTED, officials, alternates))
    change.removed = removed
    audit.record(
        actor=actor,
        action="roster_add_elected",
        obj=congress,
        unit_path=congress.unit.path,
        changes={
            "elected_by": elected_by.pk,
            "officials": [p.pk for p in officials],
            "alternates": [p.pk for p in alternates],
            "skipped": [p.pk for p in change.skipped],
            "removed": removed,
        },
    )
    return change


@transaction.atomic
def delegates_appoint(
    *,
    actor: Any,
    congress: Congress,
    officials: list[Person],
    alternates: Sequence[Person] = (),
    sent_by: Congress | None = None,
) -> RosterChange:
    """The higher level appoints delegates to its own congress.

    With `sent_by` (a lower congress whose bodies are appointed, e.g. a merged unit) they
    stand for that congress, alternates included, exactly as if it had elected them.
    Without it they are appointed directly and cannot have alternates.
    """
    _require(actor, congress)
    removed = 0
    if sent_by is None:
        if alternates:
            raise ValidationError(
                {"alternates": _("Alternates stand for a lower congress: name the congress.")}
            )
        _check_people(officials, [])
        specs = [(p, {"kind": Kind.APPOINTED}) for p in officials]
    else:
        _check_sender(congress, sent_by, "sent_by")
        if sent_by.bodies != Congress.Bodies.APPOINTED:
            raise ValidationError(
                {"sent_by": _("That congress elects its delegates; they cannot be appointed.")}
            )
        _check_people(officials, alternates)
        removed = _replace_sent(congress, sent_by)
        specs = _sent_specs(sent_by, Kind.APPOINTED, officials, alternates)
    change = _add_lines(congress, specs)
    change.removed = removed
    audit.record(
        actor=actor,
        action="delegates_appoint",
        obj=congress,
        unit_path=congress.unit.path,
        changes={
            "sent_by": sent_by.pk if sent_by else None,
            "officials": [p.pk for p in officials],
            "alternates": [p.pk for p in alternates],
            "skipped": [p.pk for p in change.skipped],
            "removed": removed,
        },
    )
    return change


@transaction.atomic
def credentials_verify(*, actor: Any, congress: Congress) -> queries.CredentialsReport:
    """Check every line against the rulebook: suspended, prosecuted or retired members (and
    those no longer members) are not summoned; people restored to good standing are again."""
    _require(actor, congress, [Board.CREDENTIALS])
    lines = Delegate.objects.filter(congress=congress).select_related("person")
    changed = _apply_person_status(congress, lines)
    audit.record(
        actor=actor,
        action="credentials_verify",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"changed": {line.pk: [line.status, line.reason] for line in changed}},
    )
    return queries.credentials_report(congress)


@transaction.atomic
def delegate_mark_absent(*, actor: Any, delegate: Delegate) -> Delegate | None:
    """An absent official is replaced by the next alternate on standby sent by the same
    lower congress (lowest rank). Returns that alternate, or None if there is none."""
    congress = delegate.congress
    _require(actor, congress, [Board.CREDENTIALS])
    line = Delegate.objects.select_for_update().get(pk=delegate.pk)
    if line.status != Status.SUMMONED:
        raise ValidationError(
            {
                "delegate": _("Only a summoned delegate can be marked absent (this one: %(s)s).")
                % {"s": line.get_status_display()}
            }
        )
    if line.checked_in_at is not None:
        raise ValidationError({"delegate": _("This delegate has checked in.")})
    alternate = None
    if line.elected_by_id is not None:
        alternate = (
            Delegate.objects.select_for_update()
            .filter(
                congress=congress,
                elected_by_id=line.elected_by_id,
                kind=Kind.ALTERNATE,
                status=Status.STANDBY,
            )
            .order_by("alternate_rank", "id")
            .first()
        )
    if alternate is None:
        line.status, line.reason = Status.ABSENT, Delegate.Reason.ABSENT
        line.save(update_fields=["status", "reason"])
    else:
        line.status, line.reason = Status.REPLACED, Delegate.Reason.ABSENT
        line.save(update_fields=["status", "reason"])
        alternate.status, alternate.replaces = Status.SUMMONED, line
        alternate.save(update_fields=["status", "replaces"])
    audit.record(
        actor=actor,
        action="delegate_mark_absent",
        obj=line,
        unit_path=congress.unit.path,
        changes={"status": line.status, "replaced_by": alternate.pk if alternate else None},
    )
    delegate.refresh_from_db()
    return alternate


@dataclass(frozen=True)
class CheckIn:
    delegate: Delegate
    already: bool  # checked in before; `delegate.checked_in_at` is the first time

    @property
    def at(self) -> datetime:
        assert self.delegate.checked_in_at is not None
        return self.delegate.checked_in_at


def _refusal(line: Delegate) -> str | None:
    if line.status == Status.NOT_SUMMONED:
        return _("%(name)s is not summoned: %(reason)s.") % {
            "name": line.person.full_name,
            "reason": line.get_reason_display() or _("no reason recorded"),
        }
    if line.status == Status.REPLACED:
        replacement = Delegate.objects.filter(replaces=line).select_related("person").first()
        return _("%(name)s was replaced by %(other)s.") % {
            "name": line.person.full_name,
            "other": replacement.person.full_name if replacement else "?",
        }
    if line.status == Status.STANDBY:
        return _("%(name)s is an alternate on standby and has not been called.") % {
            "name": line.person.full_name
        }
    return None


@transaction.atomic
def delegate_check_in(*, actor: Any, congress: Congress, code: str) -> CheckIn:
    """Mark a delegate present by badge code. A second scan only reports the first time."""
    _require(actor, congress, [Board.CREDENTIALS])
    found = queries.delegate_by_badge(congress, code)
    if found is None:
        raise ValidationError(
            {
                "code": _("No delegate of this congress has the badge code “%(code)s”.")
                % {"code": code.strip()[:40]}
            }
        )
    line = Delegate.objects.select_for_update().select_related("person").get(pk=found.pk)
    refusal = _refusal(line)
    if refusal:
        raise ValidationError({"code": refusal})
    already = line.checked_in_at is not None
    if not already:
        # An official marked absent without an alternate who arrives after all is present.
        line.status, line.reason = Status.SUMMONED, ""
        line.checked_in_at = timezone.now()
        line.save(update_fields=["status", "reason", "checked_in_at"])
    audit.record(
        actor=actor,
        action="delegate_check_in",
        obj=line,
        unit_path=congress.unit.path,
        changes={"already": already},
    )
    return CheckIn(delegate=line, already=already)


def check_in_message(result: CheckIn) -> str:
    when = time_format(timezone.localtime(result.at), "H:i")
    name = result.delegate.person.full_name
    if result.already:
        return _("%(name)s: already checked in at %(time)s.") % {"name": name, "time": when}
    return _("%(name)s checked in at %(time)s.") % {"name": name, "time": when}


@transaction.atomic
def board_seat_assign(*, actor: Any, congress: Congress, user: Any, board: str) -> BoardSeat:
    """Seat `user` on a board of this congress (idempotent). Organizers only."""
    _require(actor, congress)
    if board not in Board.values:
        raise ValidationError({"board": _("Unknown board “%(board)s”.") % {"board": board}})
    seat, created = BoardSeat.objects.get_or_create(congress=congress, user=user, board=board)
    audit.record(
        actor=actor,
        action="board_seat_assign",
        obj=seat,
        unit_path=congress.unit.path,
        changes={"user": user.pk, "board": board, "created": created},
    )
    return seat


@transaction.atomic
def board_seat_remove(*, actor: Any, seat: BoardSeat) -> None:
    congress = seat.congress
    _require(actor, congress)
    audit.record(
        actor=actor,
        action="board_seat_remove",
        obj=seat,
        unit_path=congress.unit.path,
        changes={"user": seat.user_id, "board": seat.board},
    )
    seat.delete()


# Agenda and speakers -------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, actor: Any, congress: Congress, title: str, kind: str) -> AgendaItem:
    """Append an item to the agenda. The presidium or an organizer."""
    _require(actor, congress, [Board.PRESIDIUM])
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the agenda item a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("At most 200 characters.")})
    if kind not in AgendaItem.Kind.values:
        raise ValidationError({"kind": _("Unknown kind “%(kind)s”.") % {"kind": kind}})
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


@transaction.atomic
def speaker_request_register(*, actor: Any, agenda_item: AgendaItem, topic: str) -> SpeakerRequest:
    """A delegate asks to speak on an item; they join the end of the waiting list."""
    congress = agenda_item.congress
    line = queries.delegate_for_user(actor, congress) if actor is not None else None
    if line is None or line.status != Status.SUMMONED:
        raise PermissionDenied("Only a summoned delegate of this congress may ask to speak.")
    topic = " ".join(topic.split())
    if len(topic) > 200:
        raise ValidationError({"topic": _("At most 200 characters.")})
    active = agenda_item.speaker_requests.filter(
        delegate=line,
        status__in=[SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING],
    )
    if active.exists():
        raise ValidationError({"topic": _("You are already on the list for this item.")})
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


@transaction.atomic
def speaker_request_move(*, actor: Any, request: SpeakerRequest, position: int) -> None:
    """The presidium moves a waiting request to `position` (1 = next) of the waiting list."""
    item = request.agenda_item
    _require(actor, item.congress, [Board.PRESIDIUM])
    waiting = list(
        item.speaker_requests.select_for_update()
        .filter(status=SpeakerRequest.Status.WAITING)
        .order_by("position", "id")
    )
    ids = [r.pk for r in waiting]
    if request.pk not in ids:
        raise ValidationError({"position": _("Only a waiting request can be moved.")})
    if not 1 <= position <= len(waiting):
        raise ValidationError(
            {"position": _("Choose a place between 1 and %(n)s.") % {"n": len(waiting)}}
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


@transaction.atomic
def speaker_request_set_status(*, actor: Any, request: SpeakerRequest, status: str) -> None:
    """The presidium gives the floor, marks a speech done or withdraws a request; the
    delegate may withdraw their own waiting request."""
    item = request.agenda_item
    congress = item.congress
    own = (
        actor is not None
        and getattr(actor, "person_id", None) is not None
        and request.delegate.person_id == actor.person_id
    )
    if not (own and status == SpeakerRequest.Status.WITHDRAWN):
        _require(actor, congress, [Board.PRESIDIUM])
    allowed = {
        SpeakerRequest.Status.WAITING: {
            SpeakerRequest.Status.SPEAKING,
            SpeakerRequest.Status.WITHDRAWN,
            SpeakerRequest.Status.DONE,
        },
        SpeakerRequest.Status.SPEAKING: {SpeakerRequest.Status.DONE},
    }
    if status not in allowed.get(SpeakerRequest.Status(request.status), set()):
        raise ValidationError(
            {
                "status": _("A request that is “%(from)s” cannot become “%(to)s”.")
                % {"from": request.get_status_display(), "to": status}
            }
        )
    if status == SpeakerRequest.Status.SPEAKING:
        # One speaker at a time: whoever holds the floor is done.
        item.speaker_requests.filter(status=SpeakerRequest.Status.SPEAKING).update(
            status=SpeakerRequest.Status.DONE
        )
    previous = request.status
    request.status = status
    request.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="speaker_request_set_status",
        obj=request,
        unit_path=congress.unit.path,
        changes={"from": previous, "to": status},
    )

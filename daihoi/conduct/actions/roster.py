"""The roster: building it, delegates sent up by lower congresses, appointed delegates,
the credentials check, absences replaced by alternates, and the congress's boards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, is_organizer_of, require_higher, require_role
from daihoi.accounts.models import Role
from daihoi.conduct import queries
from daihoi.conduct.actions._base import Board, Kind, Status, require
from daihoi.conduct.badges import new_badge_code
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.gates import require_congress_open, seats_frozen
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.core.errors import field_errors, refusal
from daihoi.organizations.models import CURRENT_STATUSES, CommitteeSeat, Person
from daihoi.organizations.queries import people_order
from daihoi.rulebooks.loader import load_rulebook


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


@action(system=True)
def roster_build(*, actor: Any, congress: Congress) -> RosterChange:
    """Ex officio (the unit's sitting executive committee) and, at congresses of all members,
    every current member. Idempotent: people already listed are left as they are."""
    require(actor, congress)
    require_congress_open(congress)
    seats = (
        CommitteeSeat.objects.filter(
            unit=congress.unit, body=CommitteeSeat.Body.EXECUTIVE, ended_on__isnull=True
        )
        .select_related("person")
        .order_by(*people_order("person__"))
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
        ).order_by(*people_order())
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


@action(system=True)
def delegate_add_by_hand(
    *, actor: Any, congress: Congress, person: Person, reason: str
) -> Delegate:
    """An organizer puts a person on the roster outside the rules' lists, saying why."""
    require_role(actor, congress.unit, [Role.ORGANIZER])
    reason = " ".join(reason.split())
    if not reason:
        raise refusal(
            _("Say why this person is added."),
            code="reason_missing",
            field="reason",
        )
    if len(reason) > 300:
        raise refusal(
            _("At most 300 characters."),
            code="reason_too_long",
            field="reason",
        )
    require_congress_open(congress)
    if person.status not in CURRENT_STATUSES:
        raise refusal(
            _("This person is not a current member."),
            code="not_member",
            field="person",
        )
    change = _add_lines(congress, [(person, {"kind": Kind.APPOINTED, "note": reason})])
    if not change.added:
        raise refusal(
            _("%(name)s is on the roster already.") % {"name": person.full_name},
            code="already_listed",
            field="person",
        )
    line = change.added[0]
    audit.record(
        actor=actor,
        action="delegate_add_by_hand",
        obj=line,
        unit_path=congress.unit.path,
        changes={"person": person.member_code, "reason": reason},
    )
    return line


def _check_sender(congress: Congress, sender: Congress, field_name: str) -> None:
    if sender.cycle_id != congress.cycle_id:
        raise field_errors({field_name: _("The lower congress belongs to another cycle.")})
    unit, lower = congress.unit, sender.unit
    if not (lower.path.startswith(unit.path) and lower.depth > unit.depth):
        raise field_errors(
            {field_name: _("%(lower)s is not below %(unit)s.") % {"lower": lower, "unit": unit}}
        )


def _check_people(officials: Sequence[Person], alternates: Sequence[Person]) -> None:
    if not officials:
        raise refusal(
            _("Name at least one delegate."), code="name_least_one_delegate", field="officials"
        )
    ids = [p.pk for p in [*officials, *alternates]]
    if len(set(ids)) != len(ids):
        raise refusal(
            _("A person is listed more than once."),
            code="person_listed_more_once",
            field="alternates",
        )


def _replace_sent(congress: Congress, sender: Congress) -> int:
    """Remove the lines a lower congress sent before, unless one has checked in already."""
    previous = Delegate.objects.filter(congress=congress, elected_by=sender)
    if previous.filter(checked_in_at__isnull=False).exists():
        raise refusal(
            _("Delegates sent by this congress have checked in already."),
            code="delegates_sent_congress_checked",
            field="elected_by",
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


def _record_sent(
    *,
    actor: Any,
    action: str,
    congress: Congress,
    sender: dict[str, int | None],
    officials: Sequence[Person],
    alternates: Sequence[Person],
    change: RosterChange,
) -> None:
    """The audit event of delegates added for a lower congress (elected or appointed)."""
    audit.record(
        actor=actor,
        action=action,
        obj=congress,
        unit_path=congress.unit.path,
        changes={
            **sender,
            "officials": [p.pk for p in officials],
            "alternates": [p.pk for p in alternates],
            "skipped": [p.pk for p in change.skipped],
            "removed": change.removed,
        },
    )


@action(system=True)
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
    require_role(actor, elected_by.unit, [Role.ORGANIZER])
    require_congress_open(congress)
    _check_sender(congress, elected_by, "elected_by")
    _check_people(officials, alternates)
    removed = _replace_sent(congress, elected_by)
    change = _add_lines(congress, _sent_specs(elected_by, Kind.ELECTED, officials, alternates))
    change.removed = removed
    _record_sent(
        actor=actor,
        action="roster_add_elected",
        congress=congress,
        sender={"elected_by": elected_by.pk},
        officials=officials,
        alternates=alternates,
        change=change,
    )
    return change


@action(system=True)
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
    require(actor, congress)
    require_congress_open(congress)
    removed = 0
    if sent_by is None:
        if alternates:
            raise refusal(
                _("Alternates stand for a lower congress: name the congress."),
                code="alternates_stand_lower_congress",
                field="alternates",
            )
        _check_people(officials, [])
        specs = [(p, {"kind": Kind.APPOINTED}) for p in officials]
    else:
        _check_sender(congress, sent_by, "sent_by")
        if sent_by.bodies != Congress.Bodies.APPOINTED:
            raise refusal(
                _("That congress elects its delegates; they cannot be appointed."),
                code="congress_elects_delegates_they",
                field="sent_by",
            )
        _check_people(officials, alternates)
        removed = _replace_sent(congress, sent_by)
        specs = _sent_specs(sent_by, Kind.APPOINTED, officials, alternates)
    change = _add_lines(congress, specs)
    change.removed = removed
    _record_sent(
        actor=actor,
        action="delegates_appoint",
        congress=congress,
        sender={"sent_by": sent_by.pk if sent_by else None},
        officials=officials,
        alternates=alternates,
        change=change,
    )
    return change


@action(system=True)
def credentials_verify(*, actor: Any, congress: Congress) -> queries.CredentialsReport:
    """Check every line against the rulebook: suspended, prosecuted or retired members (and
    those no longer members) are not summoned; people restored to good standing are again."""
    require(actor, congress, [Board.CREDENTIALS])
    require_congress_open(congress)
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


@action(system=True)
def delegate_mark_absent(*, actor: Any, delegate: Delegate) -> Delegate | None:
    """An absent official is replaced by the next alternate on standby sent by the same
    lower congress (lowest rank). Returns that alternate, or None if there is none."""
    congress = delegate.congress
    require(actor, congress, [Board.CREDENTIALS])
    require_congress_open(delegate.congress)
    line = Delegate.objects.select_for_update().get(pk=delegate.pk)
    if line.status != Status.SUMMONED:
        raise refusal(
            _("Only a summoned delegate can be marked absent (this one: %(s)s).")
            % {"s": line.get_status_display()},
            code="only_summoned_delegate_can",
            field="delegate",
        )
    if line.checked_in_at is not None:
        raise refusal(
            _("This delegate has checked in."), code="delegate_checked_in", field="delegate"
        )
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


def _require_board_change(actor: Any, congress: Congress, reason: str) -> str:
    """The congress's organizers set its boards before it convenes; once it has convened the
    seats are frozen and only the higher level changes them, with a reason."""
    reason = " ".join(reason.split())
    if seats_frozen(congress):
        require_higher(actor, congress.unit)
        if not reason:
            raise refusal(
                _("The congress has convened: say why the boards change."),
                code="reason_required",
                field="reason",
            )
    else:
        require_role(actor, congress.unit, [Role.ORGANIZER])
    require_congress_open(congress)
    return reason


@action(system=True)
def board_seat_assign(
    *, actor: Any, congress: Congress, user: Any, board: str, reason: str = ""
) -> BoardSeat:
    """Seat `user` on a board of this congress (idempotent).

    Only a delegate of this congress or a current member of its unit's subtree may sit on its
    boards, and nobody who organizes the congress sits on its counting board (four eyes).
    """
    reason = _require_board_change(actor, congress, reason)
    if board not in Board.values:
        raise refusal(
            _("Unknown board “%(board)s”.") % {"board": board}, code="unknown_board", field="board"
        )
    if not queries.seat_candidates(congress).filter(pk=user.pk).exists():
        raise refusal(
            _("Only a delegate of this congress or a member of its unit may sit on it."),
            code="seat_outside_subtree",
            field="user",
        )
    if board == Board.COUNTING and is_organizer_of(user, congress):
        raise refusal(
            _("An organizer of this congress may not sit on its counting board."),
            code="organizer_on_counting_board",
            field="user",
        )
    seat, created = BoardSeat.objects.get_or_create(congress=congress, user=user, board=board)
    audit.record(
        actor=actor,
        action="board_seat_assign",
        obj=seat,
        unit_path=congress.unit.path,
        changes={"user": user.pk, "board": board, "created": created, "reason": reason},
    )
    return seat


@action()
def board_seat_remove(*, actor: Any, seat: BoardSeat, reason: str = "") -> None:
    congress = seat.congress
    reason = _require_board_change(actor, congress, reason)
    audit.record(
        actor=actor,
        action="board_seat_remove",
        obj=seat,
        unit_path=congress.unit.path,
        changes={"user": seat.user_id, "board": seat.board, "reason": reason},
    )
    seat.delete()

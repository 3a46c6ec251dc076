"""Reads for the congress day: the roster, the entitled basis, quorum, boards and agenda."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from daihoi.accounts.authority import has_seat, in_scope
from daihoi.accounts.models import Role, User
from daihoi.conduct.badges import is_all_members_level, normalize_badge_code
from daihoi.conduct.models import (
    AgendaItem,
    BoardSeat,
    Delegate,
    DelegateLogin,
    SpeakerRequest,
)
from daihoi.congresses.models import Congress

# The one visibility rule for congresses, re-exported for the congress-day pages.
from daihoi.congresses.queries import access_congress_by_id, congresses_visible  # noqa: F401
from daihoi.core.text import fold
from daihoi.organizations.models import CURRENT_STATUSES, Unit
from daihoi.organizations.queries import people_order
from daihoi.rulebooks.loader import load_rulebook

# Congress ------------------------------------------------------------------------------


def is_board_member(user: Any, congress: Congress, board: str) -> bool:
    return has_seat(user, congress, [board])


def is_organizer(user: Any, congress: Congress) -> bool:
    return in_scope(user, congress.unit, roles=[Role.ORGANIZER])


def may_act_as(user: Any, congress: Congress, board: str) -> bool:
    """A seat on `board` at this congress, or an organizer over its unit."""
    return is_board_member(user, congress, board) or is_organizer(user, congress)


def board_seats(congress: Congress) -> QuerySet[BoardSeat]:
    return congress.board_seats.select_related("user", "user__person").order_by(
        "board", *people_order("user__person__"), "user__username"
    )


def seat_candidates(congress: Congress, query: str = "") -> QuerySet[User]:
    """Accounts that may sit on this congress's boards: its delegates and the current members
    of its unit's subtree, matching `query` (a name, diacritics ignored) when given."""
    people = Q(
        person__unit__path__startswith=congress.unit.path,
        person__status__in=CURRENT_STATUSES,
    ) | Q(person__in=Delegate.objects.filter(congress=congress).values("person_id"))
    users = User.objects.filter(people, is_active=True, person__isnull=False)
    if query.strip():
        users = users.filter(person__name_folded__contains=fold(query))
    return users.select_related("person", "person__unit").order_by(*people_order("person__"))


def user_boards(user: Any, congress: Congress) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return set(
        BoardSeat.objects.filter(congress=congress, user_id=user.pk).values_list("board", flat=True)
    )


# Roster --------------------------------------------------------------------------------


def roster(congress: Congress, *, status: str | None = None) -> QuerySet[Delegate]:
    """Every roster line, officials before alternates, in a stable order."""
    lines = Delegate.objects.filter(congress=congress)
    if status:
        lines = lines.filter(status=status)
    return lines.select_related("person", "person__unit", "elected_by__unit", "replaces__person")


def roster_ordered(congress: Congress, *, status: str | None = None) -> QuerySet[Delegate]:
    return roster(congress, status=status).order_by(
        "kind", "elected_by__unit__path", "alternate_rank", *people_order("person__")
    )


def delegate_by_badge(congress: Congress, code: str) -> Delegate | None:
    """The roster line with this badge code, however it was typed; None if none."""
    normalized = normalize_badge_code(code)
    if normalized is None:
        return None
    return roster(congress).filter(badge_code=normalized).first()


def delegate_for_user(user: Any, congress: Congress) -> Delegate | None:
    """The user's own roster line at this congress (`User.person == Delegate.person`)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return roster(congress).filter(person_id=person_id).first()


def access_delegate_by_id(user: Any, congress: Congress, delegate_id: int) -> Delegate:
    line = roster(congress).filter(pk=delegate_id).first()
    if line is None:
        raise Http404("No such delegate")
    return line


def is_all_members_congress(congress: Congress) -> bool:
    """Cells and units without units below meet as all members (see `badges`)."""
    rulebook = load_rulebook(congress.cycle.rulebook_id)
    lowest = max(rulebook.levels, key=lambda level: level.rank).code
    unit = congress.unit
    has_sub_units = Unit.objects.filter(
        path__startswith=unit.path, depth=unit.depth + 1, active_until__isnull=True
    ).exists()
    return is_all_members_level(unit.level, lowest_level=lowest, has_sub_units=has_sub_units)


# Entitled basis and quorum -------------------------------------------------------------


@dataclass(frozen=True)
class Exclusion:
    """A category left out. `from_convened`: subtracted from those convened to give the
    entitled (absent officials unreplaced, delegates no longer in good standing); the lines
    never summoned are listed for the record but were never convened."""

    code: str
    label: str
    count: int
    from_convened: bool = True


@dataclass(frozen=True)
class EntitledBasis:
    """The counts elections need. `entitled` = `convened` minus absent officials unreplaced.

    - listed: roster lines that are not alternates on standby and were not replaced;
    - convened: of those, the ones summoned (after replacements, incl. absent ones);
    - entitled: convened minus absent officials with no alternate to replace them and minus
      summoned delegates who have since left good standing (suspended, prosecuted, ...) and
      minus members exempted from party work or temporarily transferred who do not attend
      (they are summoned, and count only if present: Guidance 01-HD/TW 13.2);
    - present: convened lines checked in.
    """

    listed: int
    convened: int
    entitled: int
    present: int
    standby: int
    replaced: int
    exclusions: list[Exclusion] = field(default_factory=list)


# Person statuses in good standing for an election's total (Guidance 01-HD/TW 13.2).
GOOD_STANDING = ("active", "retired")


def _status_counts(congress: Congress) -> dict[tuple[str, str], int]:
    if_attending = list(
        load_rulebook(congress.cycle.rulebook_id).complaints.counted_if_attending.value
    )
    rows = (
        Delegate.objects.filter(congress=congress)
        .values("status", "reason")
        .annotate(
            n=Count("id"),
            present=Count("id", filter=Q(checked_in_at__isnull=False)),
            lapsed=Count("id", filter=~Q(person__status__in=[*GOOD_STANDING, *if_attending])),
            away=Count(
                "id",
                filter=Q(person__status__in=if_attending, checked_in_at__isnull=True),
            ),
        )
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        counts[(row["status"], row["reason"])] = row["n"]
        for extra in ("present", "lapsed", "away"):
            key = (extra, row["status"])
            counts[key] = counts.get(key, 0) + row[extra]
    return counts


def entitled_basis(congress: Congress) -> EntitledBasis:
    """Convened, exclusions with labels, entitled and present, in one aggregate query."""
    counts = _status_counts(congress)

    def total(status: str) -> int:
        return sum(n for (s, _r), n in counts.items() if s == status)

    summoned, absent = total(Delegate.Status.SUMMONED), total(Delegate.Status.ABSENT)
    not_summoned = total(Delegate.Status.NOT_SUMMONED)
    exclusions = [
        Exclusion(
            code=f"not_summoned_{reason}",
            label=_("not summoned: %(reason)s") % {"reason": Delegate.Reason(reason).label},
            count=n,
            from_convened=False,
        )
        for (s, reason), n in sorted(counts.items())
        if s == Delegate.Status.NOT_SUMMONED and n
    ]
    if absent:
        exclusions.append(
            Exclusion(code="absent_no_alternate", label=_("absent, no alternate"), count=absent)
        )
    lapsed = counts.get(("lapsed", Delegate.Status.SUMMONED), 0)
    if lapsed:
        exclusions.append(
            Exclusion(
                code="not_in_good_standing", label=_("no longer in good standing"), count=lapsed
            )
        )
    away = counts.get(("away", Delegate.Status.SUMMONED), 0)
    if away:
        exclusions.append(
            Exclusion(
                code="exempted_or_transferred_not_attending",
                label=_("exempted from party work or temporarily transferred, not attending"),
                count=away,
            )
        )
    convened = summoned + absent
    return EntitledBasis(
        listed=convened + not_summoned,
        convened=convened,
        entitled=summoned - lapsed - away,
        present=counts.get(("present", Delegate.Status.SUMMONED), 0),
        standby=total(Delegate.Status.STANDBY),
        replaced=total(Delegate.Status.REPLACED),
        exclusions=exclusions,
    )


@dataclass(frozen=True)
class Quorum:
    met: bool
    present: int
    convened: int
    needed: int  # the smallest number present that meets the rule
    rule: str  # e.g. "more than 2/3 of convened"
    source: str
    unverified: bool


def quorum(congress: Congress, *, basis: EntitledBasis | None = None) -> Quorum:
    """Whether enough delegates are present, by the cycle's rulebook rule."""
    basis = basis or entitled_basis(congress)
    cited = load_rulebook(congress.cycle.rulebook_id).election.quorum
    rule = cited.value
    bases = {
        "convened": basis.convened,
        "entitled": basis.entitled,
        "present": basis.present,
        "votes_cast": basis.present,
    }
    base = bases[rule.base]
    needed = next((n for n in range(base + 1) if rule.is_met(n, base)), base + 1)
    values = {"n": rule.numerator, "d": rule.denominator, "base": _base_label(rule.base)}
    if rule.strict:
        text = _("more than %(n)s/%(d)s of those %(base)s") % values
    else:
        text = _("at least %(n)s/%(d)s of those %(base)s") % values
    return Quorum(
        met=base > 0 and rule.is_met(basis.present, base),
        present=basis.present,
        convened=basis.convened,
        needed=needed,
        rule=text,
        source=cited.source,
        unverified=cited.unverified,
    )


def _base_label(base: str) -> str:
    labels = {
        "convened": _("convened"),
        "entitled": _("entitled"),
        "present": _("present"),
        "votes_cast": _("voting"),
    }
    return labels.get(base, base)


@dataclass(frozen=True)
class CredentialsReport:
    congress: Congress
    basis: EntitledBasis
    quorum: Quorum
    by_kind: list[tuple[str, int]]
    not_summoned: list[Delegate]
    absent: list[Delegate]
    replacements: list[Delegate]  # alternates who replace an official (`.replaces`)


def credentials_report(congress: Congress) -> CredentialsReport:
    """What the credentials board reports to the congress."""
    basis = entitled_basis(congress)
    kinds = dict(
        Delegate.objects.filter(congress=congress)
        .exclude(status__in=[Delegate.Status.STANDBY, Delegate.Status.REPLACED])
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    by_kind = [(str(label), kinds.get(code, 0)) for code, label in Delegate.Kind.choices]
    lines = roster_ordered(congress)
    return CredentialsReport(
        congress=congress,
        basis=basis,
        quorum=quorum(congress, basis=basis),
        by_kind=by_kind,
        not_summoned=list(lines.filter(status=Delegate.Status.NOT_SUMMONED)),
        absent=list(lines.filter(status__in=[Delegate.Status.ABSENT, Delegate.Status.REPLACED])),
        replacements=list(lines.filter(replaces__isnull=False)),
    )


# Agenda --------------------------------------------------------------------------------


def agenda(congress: Congress) -> QuerySet[AgendaItem]:
    return congress.agenda_items.annotate(
        waiting=Count(
            "speaker_requests", filter=Q(speaker_requests__status=SpeakerRequest.Status.WAITING)
        )
    ).order_by("position", "id")


def access_agenda_item(congress: Congress, item_id: int) -> AgendaItem:
    item = congress.agenda_items.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such agenda item")
    return item


def speakers(item: AgendaItem) -> list[SpeakerRequest]:
    """The list the presidium sees: who speaks now, then the waiting in order, then the rest."""
    rank = {
        SpeakerRequest.Status.SPEAKING: 0,
        SpeakerRequest.Status.WAITING: 1,
        SpeakerRequest.Status.DONE: 2,
        SpeakerRequest.Status.WITHDRAWN: 3,
    }
    requests = item.speaker_requests.select_related("delegate__person", "delegate__person__unit")
    return sorted(requests, key=lambda r: (rank[SpeakerRequest.Status(r.status)], r.position))


def access_speaker_request(item: AgendaItem, request_id: int) -> SpeakerRequest:
    request = item.speaker_requests.select_related("delegate").filter(pk=request_id).first()
    if request is None:
        raise Http404("No such speaker request")
    return request


def current_agenda_item(congress: Congress) -> AgendaItem | None:
    """The item the hall is on: the one the presidium opened last."""
    return (
        congress.agenda_items.filter(opened_at__isnull=False).order_by("-opened_at", "-pk").first()
    )


def current_speaker(item: AgendaItem) -> SpeakerRequest | None:
    return (
        item.speaker_requests.filter(status=SpeakerRequest.Status.SPEAKING)
        .select_related("delegate__person")
        .first()
    )


def delegate_logins(congress: Congress) -> QuerySet[DelegateLogin]:
    return DelegateLogin.objects.filter(delegate__congress=congress).select_related(
        "delegate__person", "user"
    )

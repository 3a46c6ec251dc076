"""Demo step: the pilot grassroots congress of 3 April 2025 as a finished congress day.

The roster holds the sitting executive committee (ex officio) and the delegates the pilot
cells sent, with one alternate each; credentials are checked, a few delegates stay away (one
replaced by an alternate, one marked absent), everyone else checks in. The agenda has its
items and two speeches. The new executive committee and the delegates to the district
congress are elected on paper: `kiemphieu1` enters the totals, `kiemphieu2` confirms, both
release, and the upward flow seats the committee and fills the district congress's roster.
Every write goes through the conduct and elections actions. Idempotent: a congress that
already has an election, or the counting logins' seats, is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.db import transaction

from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import User
from daihoi.conduct import actions as conduct
from daihoi.conduct import queries as conduct_queries
from daihoi.conduct.models import AgendaItem, BoardSeat, Delegate, SpeakerRequest
from daihoi.congresses import actions as congresses
from daihoi.congresses import workflow
from daihoi.congresses.models import Congress, Cycle
from daihoi.core import clock
from daihoi.demo.cycle import CYCLE_NAME, PILOT_DAY
from daihoi.demo.province import ROOT_CODE
from daihoi.demo.users import COUNTING_BOARD, LOGINS
from daihoi.elections import actions as elections
from daihoi.elections import counting
from daihoi.elections import queries as election_queries
from daihoi.elections.models import Election
from daihoi.organizations.models import CommitteeSeat, Person, Unit
from daihoi.personnel import queries as personnel

SEED = 2025_04_03
DELEGATE_SHARE = 3  # a cell sends one delegate for every three members
EXECUTIVE_SEATS = 9  # when the ending term's committee is not known
DISTRICT_DELEGATES = (5, 1)  # delegates to the district congress and their alternates
AGENDA = (
    ("Khai mạc; bầu Đoàn Chủ tịch, Đoàn Thư ký và Ban Thẩm tra tư cách đại biểu", "procedure"),
    ("Báo cáo chính trị của Ban Chấp hành nhiệm kỳ 2020–2025", "report"),
    ("Thảo luận văn kiện Đại hội", "discussion"),
    ("Bầu Ban Chấp hành nhiệm kỳ 2025–2030", "election"),
    ("Bầu đại biểu dự Đại hội Đảng bộ thành phố", "election"),
    ("Thông qua Nghị quyết Đại hội", "resolution"),
)
SPEECHES = (
    "Phát triển kinh tế đô thị và chỉnh trang khu dân cư",
    "Công tác phát triển đảng viên trong thanh niên",
)


def _pilot_congress(root: Unit) -> Congress | None:
    """The first grassroots organization of the first district, as `cycle` marks pilots."""
    cycle = Cycle.objects.filter(root=root, name=CYCLE_NAME).first()
    unit = (
        Unit.objects.filter(
            path__startswith=root.path, level="grassroots", active_until__isnull=True
        )
        .order_by("path")
        .first()
    )
    if cycle is None or unit is None:
        return None
    return (
        Congress.objects.select_related("unit", "cycle")
        .filter(cycle=cycle, unit=unit, state__in=[workflow.APPROVED, workflow.CONCLUDED])
        .first()
    )


def _send_cell_delegates(rng: random.Random, congress: Congress, first: set[int]) -> None:
    """Each pilot cell sends a third of its members (demo logins first) and one alternate."""
    unit = congress.unit
    listed = set(Delegate.objects.filter(congress=congress).values_list("person_id", flat=True))
    cells = Unit.objects.filter(
        path__startswith=unit.path, depth=unit.depth + 1, active_until__isnull=True
    ).order_by("path")
    for cell in cells:
        sender = Congress.objects.filter(cycle=congress.cycle, unit=cell).first()
        people = [
            p
            for p in Person.objects.filter(unit=cell, status="active").order_by("id")
            if p.pk not in listed
        ]
        if sender is None or not people:
            continue
        rng.shuffle(people)
        people.sort(key=lambda p: p.pk not in first)  # stable: demo logins stay in front
        officials = max(1, len(people) // DELEGATE_SHARE)
        alternates = 1 if len(people) > officials else 0
        conduct.roster_add_elected(
            actor=SYSTEM,
            congress=congress,
            elected_by=sender,
            officials=people[:officials],
            alternates=people[officials : officials + alternates],
        )


def _absences(rng: random.Random, congress: Congress, keep: set[int]) -> set[int]:
    """One delegate replaced by an alternate, an ex officio member marked absent, and a few
    who simply stay away. Returns the person ids of those who stay away."""
    summoned = list(
        Delegate.objects.filter(congress=congress, status=Delegate.Status.SUMMONED)
        .exclude(person_id__in=keep)
        .order_by("id")
    )
    with_alternate = set(
        Delegate.objects.filter(congress=congress, status=Delegate.Status.STANDBY).values_list(
            "elected_by_id", flat=True
        )
    )
    replaced = [d for d in summoned if d.elected_by_id in with_alternate]
    ex_officio = [d for d in summoned if d.kind == Delegate.Kind.EX_OFFICIO]
    marked = [rng.choice(pool) for pool in (replaced, ex_officio) if len(pool) > 1]
    for line in marked:
        conduct.delegate_mark_absent(actor=SYSTEM, delegate=line)
    rest = [d for d in summoned if d not in marked]
    away = rng.sample(rest, len(summoned) // 30) if len(rest) > 3 else []
    return {d.person_id for d in [*marked, *away]}


def _agenda(congress: Congress, speakers: Sequence[User]) -> None:
    items = [
        conduct.agenda_item_add(actor=SYSTEM, congress=congress, title=title, kind=kind)
        for title, kind in AGENDA
    ]
    discussion = next(i for i in items if i.kind == AgendaItem.Kind.DISCUSSION)
    for user, topic in zip(speakers, SPEECHES, strict=False):
        request = conduct.speaker_request_register(actor=user, agenda_item=discussion, topic=topic)
        conduct.speaker_request_set_status(
            actor=SYSTEM, request=request, status=SpeakerRequest.Status.DONE
        )


def _totals(
    rng: random.Random,
    *,
    slate: list[str],
    seats: int,
    alternates: int,
    valid: int,
    entitled: int,
) -> dict[str, int]:
    """Votes per candidate that a strike-out count could give: every ballot keeps at most
    `seats + alternates` names, the last candidates fall below half, the elected stay above
    it, and the alternates come out below the delegates, in a clear order among themselves."""
    extra = len(slate) - seats - alternates
    losers = rng.sample(slate, extra)
    elected = [c for c in slate if c not in losers]
    ranked = rng.sample(elected, alternates)
    cap = max(0, valid - (entitled // 2 + 1))  # strikes an elected candidate can take
    # Alternates take the most strikes, one more for each rank; delegates stay below them.
    struck = {c: cap - alternates + 1 + rank for rank, c in enumerate(ranked)}
    first_seats = [c for c in elected if c not in struck]
    below = max(0, cap - alternates)
    votes = {c: max(0, valid // 2 - 1 - i) for i, c in enumerate(losers)}
    # Ballots keeping exactly every seat's name strike `extra` names each.
    needed = valid * extra - sum(valid - n for n in votes.values()) - sum(struck.values())
    for loser in sorted(losers, key=votes.__getitem__, reverse=True):
        while needed > seats * below and votes[loser] > 0:
            votes[loser] -= 1
            needed -= 1
    struck |= dict.fromkeys(first_seats, 0)
    for _ in range(max(0, needed)):
        open_ = [c for c in first_seats if struck[c] < below] or first_seats
        struck[rng.choice(open_)] += 1
    return votes | {c: valid - n for c, n in struck.items()}


def _elect(
    rng: random.Random,
    *,
    congress: Congress,
    counters: Sequence[User],
    body: str,
    seats: int,
    alternate_seats: int,
    people: Sequence[Person],
    present: int,
) -> Election:
    """A paper election from slate to release, the counting board's four eyes included."""
    election = elections.election_create(
        actor=SYSTEM,
        congress=congress,
        body=body,
        seats=seats,
        alternate_seats=alternate_seats,
        mode=Election.Mode.PAPER,
    )
    for person in sorted(people, key=lambda p: (p.name_folded, p.pk)):
        elections.candidate_add(actor=SYSTEM, election=election, person=person)
    elections.election_open(actor=SYSTEM, election=election)
    election = elections.election_close(actor=SYSTEM, election=election)
    not_returned = 1 if present >= 20 else 0
    returned = present - not_returned
    invalid = 1 if returned >= 20 else 0
    slate = election_queries.slate_ids(election)
    first, second = counters
    elections.paper_tally_enter(
        actor=first,
        election=election,
        method="totals",
        issued=present,
        returned=returned,
        not_returned=not_returned,
        valid=returned - invalid,
        invalid=invalid,
        invalid_by_reason={"all_names_struck": invalid},
        totals=_totals(
            rng,
            slate=slate,
            seats=seats,
            alternates=alternate_seats,
            valid=returned - invalid,
            entitled=election.entitled or 0,
        ),
    )
    elections.paper_tally_confirm(actor=second, election=election)
    election = elections.election_count(actor=first, election=election)
    elections.result_confirm(actor=first, election=election)
    elections.result_confirm(actor=second, election=election)
    election.refresh_from_db()
    return election


def _slate_size(seats: int) -> int:
    """The smallest slate the convening committee may prepare for `seats` seats."""
    return counting.slate_surplus_range(seats=seats, stage=counting.SlateStage.PREPARED).minimum


def _seats_for(target: int, available: int) -> int:
    seats = target
    while seats > 1 and _slate_size(seats) > available:
        seats -= 1
    return seats if _slate_size(seats) <= available else 0


def build(*, root: Unit | None = None, stdout: object = None) -> bool:
    """Hold the pilot congress day; False when it cannot be held (no pilot or no logins)."""
    root = root or Unit.objects.filter(code=ROOT_CODE).first()
    congress = _pilot_congress(root) if root else None
    counters = list(User.objects.filter(username__in=COUNTING_BOARD).order_by("username"))
    if congress is None or len(counters) != len(COUNTING_BOARD):
        _say(stdout, "No pilot congress or counting logins; no congress day built.")
        return False
    seated = BoardSeat.objects.filter(congress=congress, user__in=counters)
    if seated.exists() or Election.objects.filter(congress=congress).exists():
        _say(stdout, "The pilot congress day exists; not building it again.")
        return True
    with clock.pinned(PILOT_DAY):  # check-in, agenda and release times fall on the day held
        return _hold(congress, counters, stdout)


def _hold(congress: Congress, counters: list[User], stdout: object) -> bool:
    rng = random.Random(SEED)
    logins = User.objects.filter(
        username__in=[login.username for login in LOGINS], person__isnull=False
    )
    login_people = {u.person_id for u in logins if u.person_id is not None}
    counter_people = {u.person_id for u in counters if u.person_id is not None}
    with transaction.atomic():
        for user in counters:  # boards are seated before the congress convenes
            conduct.board_seat_assign(
                actor=SYSTEM, congress=congress, user=user, board=BoardSeat.Board.COUNTING
            )
            # Their counting keys let an electronic poll open and be counted in the demo;
            # shown once here, as the page shows a member theirs.
            key = elections.counting_key_issue(actor=SYSTEM, congress=congress, holder=user)
            _say(stdout, f"Counting key of {user.username}: {key.secret}")
        congresses.congress_set_venue(
            actor=SYSTEM, congress=congress, venue="Hội trường Đảng ủy phường, số 1 đường Trần Phú"
        )
        if congress.state == workflow.APPROVED:
            congress = congresses.congress_transition(
                actor=SYSTEM, congress=congress, transition="convene", on=PILOT_DAY
            )
        conduct.roster_build(actor=SYSTEM, congress=congress)
        _send_cell_delegates(rng, congress, login_people)
        conduct.credentials_verify(actor=SYSTEM, congress=congress)
        away = _absences(rng, congress, keep=login_people)
        lines = list(
            Delegate.objects.filter(congress=congress, status=Delegate.Status.SUMMONED)
            .exclude(person_id__in=away)
            .select_related("person")
            .order_by("id")
        )
        for line in lines:
            conduct.delegate_check_in(actor=SYSTEM, congress=congress, code=line.badge_code)
        present = {d.person_id for d in lines}
        _agenda(congress, [u for u in counters if u.person_id in present])

        pool = [
            d for d in lines if d.person_id not in counter_people and d.person.status == "active"
        ]
        incumbents = [d.person for d in pool if d.kind == Delegate.Kind.EX_OFFICIO]
        newcomers = [d.person for d in pool if d.kind != Delegate.Kind.EX_OFFICIO]
        rng.shuffle(incumbents)
        rng.shuffle(newcomers)
        # Two incumbents step down; the rest stand again beside newcomers from the cells.
        nominees = incumbents[2:] + newcomers if len(incumbents) > 2 else incumbents + newcomers
        # Only those who meet the hard standards can stand (personnel's checks).
        nominees = [
            p
            for p in nominees
            if not personnel.hard_standard_failures(p, congress, Election.Body.EXECUTIVE)
        ]
        ending = CommitteeSeat.objects.filter(
            unit=congress.unit, body=CommitteeSeat.Body.EXECUTIVE, ended_on__isnull=True
        ).count()
        seats = _seats_for(ending or EXECUTIVE_SEATS, len(nominees))
        if seats == 0:
            _say(stdout, "The pilot congress has too few delegates for an election.")
            return False
        executive = _elect(
            rng,
            congress=congress,
            counters=counters,
            body=Election.Body.EXECUTIVE,
            seats=seats,
            alternate_seats=0,
            people=nominees[: _slate_size(seats)],
            present=len(lines),
        )
        delegates, alternates = DISTRICT_DELEGATES
        total = _seats_for(delegates + alternates, len(pool))
        sent = None
        if total >= 2:
            alternates = min(alternates, total - 1)
            people = [d.person for d in pool]
            rng.shuffle(people)
            sent = _elect(
                rng,
                congress=congress,
                counters=counters,
                body=Election.Body.DELEGATES,
                seats=total - alternates,
                alternate_seats=alternates,
                people=people[: _slate_size(total)],
                present=len(lines),
            )
        congresses.congress_transition(
            actor=SYSTEM, congress=congress, transition="conclude", on=PILOT_DAY
        )
    basis = conduct_queries.entitled_basis(congress)
    elected = executive.outcome.elected if executive.outcome else ()
    summary = (
        f"Held the congress day of {congress.unit.name}: {basis.convened} delegates convened, "
        f"{basis.entitled} entitled, {basis.present} present; {len(elected)} members of the "
        "executive committee elected on paper"
    )
    if sent is not None:
        sent_result = sent.outcome
        delegates = len(sent_result.delegates) if sent_result else 0
        chosen = len(sent_result.alternates) if sent_result else 0
        summary += (
            f", {delegates} delegates and {chosen} "
            f"{'alternate' if chosen == 1 else 'alternates'} sent to the district congress"
        )
    _say(stdout, summary + ".")
    return True


def _say(stdout: object, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")  # type: ignore[attr-defined]

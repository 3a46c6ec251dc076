"""Demo personnel preparation: the provincial congress's executive-committee plan under
vetting, and a district congress's plan approved by the province.

The provincial plan shows each rule at work: a first-time candidate who fails the
working-time rule (the plan cannot be approved while he is on it, and the page gives the
figures), one whose health certificate is missing (due 15 working days before the congress),
one whose only adverse information is a social-network post (recorded as a lead, never
citable), and a structure gauge with women below target. Everything goes through actions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import User
from daihoi.congresses.models import Congress, Cycle
from daihoi.demo.cycle import CYCLE_NAME
from daihoi.demo.province import ROOT_CODE
from daihoi.organizations.models import CommitteeSeat, Person, Unit
from daihoi.personnel import actions, queries, standards
from daihoi.personnel.models import Plan, PlanCandidate

D = datetime.date
BODY = "executive"
PASS = {"summoned": 50, "present": 46, "votes": 41}
DISTRICT_CODE = f"{ROOT_CODE}-KM"
APPROVER = "tinh"


def _meets(person: Person, congress: Congress, *, reelection: bool) -> bool:
    checks = queries.evaluate_person(person, congress, BODY, reelection=reelection)
    return not standards.failing(checks) and not standards.unknown(checks)


def _working_time_only_fails(person: Person, congress: Congress) -> bool:
    checks = queries.evaluate_person(person, congress, BODY, reelection=False)
    failing = standards.failing(checks)
    return [c.code for c in failing] == [standards.Code.WORKING_TIME] and not standards.unknown(
        checks
    )


def _people(unit: Unit, **filters: object) -> QuerySet[Person]:
    return (
        Person.objects.filter(unit__path__startswith=unit.path, status="active", **filters)
        .select_related("unit")
        .order_by("member_code")
    )


def _incumbents(congress: Congress, n: int, *, gender: str) -> list[Person]:
    seated = CommitteeSeat.objects.filter(
        unit=congress.unit, body=BODY, term_end=congress.cycle.term_start
    ).values("person_id")
    found = []
    for person in _people(congress.unit, pk__in=seated, gender=gender):
        if _meets(person, congress, reelection=True):
            found.append(person)
        if len(found) == n:
            break
    return found


def _newcomers(congress: Congress, n: int, exclude: set[int], **filters: object) -> list[Person]:
    found = []
    seated = CommitteeSeat.objects.filter(unit=congress.unit, body=BODY).values("person_id")
    for person in _people(congress.unit, **filters).exclude(pk__in=seated).exclude(pk__in=exclude):
        if _meets(person, congress, reelection=False):
            found.append(person)
        if len(found) == n:
            break
    return found


def _dossier(candidate: PlanCandidate, *, skip: Iterable[str] = ()) -> None:
    rules = queries.personnel_rules(candidate.plan.congress)
    for n, spec in enumerate(rules.dossier.items, 1):
        if spec.value.code in skip:
            continue
        item = actions.dossier_item_record(
            actor=SYSTEM,
            candidate=candidate,
            provenance="authority",
            kind=spec.value.code,
            summary=spec.value.names.vi,
            authority="Ban Tổ chức Tỉnh ủy" if n % 2 else "Cấp ủy cơ sở nơi công tác",
            number=f"{100 + n}-{candidate.person.member_code[-4:]}/HS",
            issued_on=D(2025, 7, 1) + datetime.timedelta(days=n),
        )
        actions.dossier_item_verify(actor=SYSTEM, item=item, against="Bản gốc lưu hồ sơ cán bộ")


def _plan(
    congress: Congress, *, seats: int, incumbents: list[Person], newcomers: list[Person]
) -> tuple[Plan, list[PlanCandidate]]:
    plan = actions.plan_create(actor=SYSTEM, congress=congress, body=BODY, seats=seats)
    candidates = [actions.plan_candidate_add(actor=SYSTEM, plan=plan, person=p) for p in incumbents]
    for person in newcomers:
        actions.pool_entry_add(
            actor=SYSTEM,
            unit=congress.unit,
            cycle=congress.cycle,
            person=person,
            body=BODY,
            entered_on=D(2023, 6, 1),
        )
        candidates.append(actions.plan_candidate_add(actor=SYSTEM, plan=plan, person=person))
    for candidate in candidates:  # re-election candidates first at every step
        for step in queries.step_numbers(congress):
            actions.step_result_record(actor=SYSTEM, candidate=candidate, step=step, **PASS)
    return plan, candidates


def _provincial(cycle: Cycle, root: Unit) -> None:
    congress = Congress.objects.select_related("unit", "cycle").get(cycle=cycle, unit=root)
    incumbents = _incumbents(congress, 3, gender="male")
    newcomers = _newcomers(congress, 2, {p.pk for p in incumbents}, gender="male")
    failing = next(
        (
            p
            for p in _people(root, gender="male", birth_date__year__in=(1966, 1967, 1968))
            .exclude(pk__in=[x.pk for x in incumbents + newcomers])
            .exclude(committee_seats__unit=root)
            if _working_time_only_fails(p, congress)
        ),
        None,
    )
    plan, candidates = _plan(
        congress,
        seats=5,
        incumbents=incumbents,
        newcomers=newcomers + ([failing] if failing else []),
    )
    by_person = {c.person_id: c for c in candidates}
    for candidate in candidates[: len(incumbents)]:
        _dossier(candidate)
    if newcomers:
        _dossier(by_person[newcomers[0].pk], skip=["health_certificate"])
    if len(newcomers) > 1:
        posted = by_person[newcomers[1].pk]
        _dossier(posted)
        actions.dossier_item_record(
            actor=SYSTEM,
            candidate=posted,
            provenance="social_network",
            summary="Bài đăng trên mạng xã hội, không rõ tác giả, nêu ý kiến về đồng chí",
        )
        conclusion_on = [i for i in queries.dossier_items(posted) if i.citable][:2]
        actions.vetting_conclusion_record(
            actor=SYSTEM,
            candidate=posted,
            text="Đủ tiêu chuẩn chính trị theo kết luận của cấp ủy có thẩm quyền.",
            cited=conclusion_on,
        )
    if failing:
        _dossier(by_person[failing.pk])
    actions.plan_submit(actor=SYSTEM, plan=plan)


def _district(cycle: Cycle) -> None:
    unit = Unit.objects.filter(code=DISTRICT_CODE).first()
    congress = (
        Congress.objects.select_related("unit", "cycle").filter(cycle=cycle, unit=unit).first()
    )
    approver = User.objects.filter(username=APPROVER).first()
    if congress is None or approver is None:
        return
    incumbents = _incumbents(congress, 2, gender="male") + _incumbents(congress, 1, gender="female")
    newcomers = _newcomers(congress, 1, {p.pk for p in incumbents}, gender="female")
    plan, candidates = _plan(congress, seats=3, incumbents=incumbents, newcomers=newcomers)
    for candidate in candidates:
        _dossier(candidate)
    actions.plan_submit(actor=SYSTEM, plan=plan)
    actions.plan_approve(actor=approver, plan=plan)


def build(*, root: Unit | None = None, stdout: object = None) -> None:
    root = root or Unit.objects.filter(code=ROOT_CODE).first()
    cycle = Cycle.objects.filter(root=root, name=CYCLE_NAME).first() if root else None
    if root is None or cycle is None:
        return
    if Plan.objects.filter(congress__cycle=cycle).exists():
        _say(stdout, "The personnel plans exist; not building them again.")
        return
    with transaction.atomic():
        _provincial(cycle, root)
        _district(cycle)
    _say(stdout, "Personnel: the provincial plan under vetting, a district plan approved.")


def _say(stdout: object, text: str) -> None:
    write = getattr(stdout, "write", None)
    if write is not None:
        write(text + "\n")

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress, Cycle
from daihoi.organizations.models import CommitteeSeat, Person, Unit
from daihoi.personnel import actions, queries
from daihoi.personnel.models import Plan, PlanCandidate


@dataclass
class Desk:
    """The district D1's congress (above grassroots, reference 06/2025) with its executive
    committee plan; D1's organizer prepares it, the province's organizers approve it."""

    province: dict[str, Any]
    cycle: Cycle
    congress: Congress
    plan: Plan
    preparer: Any
    higher: Any
    higher2: Any
    inspector: Any

    def person(self, *, born: datetime.date = datetime.date(1975, 5, 1), **kw: Any) -> Person:
        kw.setdefault("education", "university")
        kw.setdefault("political_theory", "advanced")
        return testing.make_person(unit=kw.pop("unit", self.province["g1"]), birth_date=born, **kw)

    def first_time(self, *, dossier: bool = True, **kw: Any) -> PlanCandidate:
        person = self.person(**kw)
        actions.pool_entry_add(
            actor=SYSTEM,
            unit=self.congress.unit,
            cycle=self.cycle,
            person=person,
            body="executive",
            entered_on=datetime.date(2024, 1, 1),
        )
        candidate = actions.plan_candidate_add(actor=self.preparer, plan=self.plan, person=person)
        return self.complete_dossier(candidate) if dossier else candidate

    def reelection(self, *, dossier: bool = True, **kw: Any) -> PlanCandidate:
        person = self.person(**kw)
        CommitteeSeat.objects.create(
            unit=self.congress.unit,
            person=person,
            body="executive",
            term_start=2020,
            term_end=2025,
            source="elected",
        )
        candidate = actions.plan_candidate_add(actor=self.preparer, plan=self.plan, person=person)
        return self.complete_dossier(candidate) if dossier else candidate

    def complete_dossier(
        self,
        candidate: PlanCandidate,
        *,
        skip: tuple[str, ...] = (),
        recorder: Any = None,
        verifier: Any = None,
    ) -> PlanCandidate:
        """Every item the rulebook lists (but those in `skip`), from a competent authority,
        recorded by the preparer and verified by the higher level unless told otherwise."""
        for spec in queries.personnel_rules(self.congress).dossier.items:
            if spec.value.code in skip:
                continue
            item = actions.dossier_item_record(
                actor=recorder or self.preparer,
                candidate=candidate,
                provenance="authority",
                kind=spec.value.code,
                summary=spec.value.names.en,
                authority="District committee",
                number=f"{spec.value.code}-{candidate.pk}",
                issued_on=datetime.date(2025, 6, 1),
            )
            actions.dossier_item_verify(
                actor=verifier or self.higher, item=item, against="the original"
            )
        return candidate

    def pass_steps(self, candidate: PlanCandidate, *, upto: int = 5, actor: Any = None) -> None:
        for step in range(1, upto + 1):
            actions.step_result_record(
                actor=actor or self.preparer,
                candidate=candidate,
                step=step,
                summoned=30,
                present=25,
                votes=20,
            )


def make_desk(province: dict[str, Any]) -> Desk:
    Unit.objects.filter(pk=province["d1"].pk).update(kind="above_grassroots")
    province["d1"].refresh_from_db()
    cycle = Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    congress = Congress.objects.create(
        cycle=cycle, unit=province["d1"], congress_type="full", starts_on=datetime.date(2025, 7, 14)
    )
    preparer = testing.make_user(username="org_d1", role=Role.ORGANIZER, unit=province["d1"])
    higher = testing.make_user(username="org_p1", role=Role.ORGANIZER, unit=province["province"])
    higher2 = testing.make_user(username="org_p2", role=Role.ORGANIZER, unit=province["province"])
    inspector = testing.make_user(username="insp_d1", role=Role.INSPECTOR, unit=province["d1"])
    plan = actions.plan_create(actor=preparer, congress=congress, body="executive", seats=3)
    return Desk(province, cycle, congress, plan, preparer, higher, higher2, inspector)


@pytest.fixture
def desk(province: dict[str, Any]) -> Desk:
    return make_desk(province)

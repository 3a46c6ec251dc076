from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.cases import actions
from daihoi.cases.models import Case
from daihoi.personnel.models import PlanCandidate
from daihoi.personnel.tests.conftest import Desk, make_desk

# The district D1's congress opens Monday 14 July 2025 (above grassroots: 30 working days,
# so the cut-off is Monday 2 June). The cycle is looked at on 10 June: inside the cut-off.
TODAY = "2025-06-10"
CUTOFF = datetime.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def _english_on_10_june(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    settings.DAIHOI_TODAY = TODAY
    with translation.override("en"):
        yield settings


@dataclass
class Office:
    """D1's inspection office: two inspectors, a member who writes, and the plan's desk."""

    desk: Desk
    inspector: Any
    inspector2: Any
    member: Any
    candidate: PlanCandidate

    def denounce(self, **kw: Any) -> Case:
        item = actions.CaseInput(
            kind=kw.pop("kind", "denunciation"),
            unit=kw.pop("unit", self.desk.congress.unit),
            subject=kw.pop("subject", "Land bought with public money"),
            content=kw.pop("content", "He bought a plot of land in 2023 with the ward's funds."),
            person=kw.pop("person", self.candidate.person),
            congress=kw.pop("congress", self.desk.congress),
            topic=kw.pop("topic", ""),
        )
        return actions.case_submit(actor=kw.pop("actor", self.member), item=item)

    def letter(
        self,
        *,
        name: str = "Trần Văn Bình",
        received: datetime.date = datetime.date(2025, 6, 5),
        postmark: datetime.date | None = datetime.date(2025, 5, 30),
        signers: int = 1,
        kind: str = "denunciation",
    ) -> Case:
        return actions.case_record(
            actor=self.inspector,
            item=actions.CaseInput(
                kind=kind,
                unit=self.desk.congress.unit,
                subject="A letter",
                content="The candidate falsified his degree.",
                person=self.candidate.person,
                congress=self.desk.congress,
            ),
            channel="letter",
            sender=actions.Sender(
                name=name, address="12 Trần Phú" if name else "", signers=signers
            ),
            received_on=received,
            postmark_on=postmark,
        )

    def accept(self, case: Case, **kw: Any) -> Case:
        return actions.case_decide(actor=self.inspector, case=case, admissible=True, **kw)


def make_office(province: dict[str, Any]) -> Office:
    desk = make_desk(province)
    inspector2 = testing.make_user(username="insp2_d1", role=Role.INSPECTOR, unit=province["d1"])
    person = testing.make_person(unit=province["g1"], full_name="Lê Thị Hoa")
    member = testing.make_user(
        username="member_g1", role=Role.MEMBER, unit=province["g1"], person=person
    )
    return Office(desk, desk.inspector, inspector2, member, desk.reelection())


@pytest.fixture
def office(province: dict[str, Any]) -> Office:
    return make_office(province)


def codes(error: Any) -> set[str | None]:
    if hasattr(error, "error_dict"):
        return {e.code for errs in error.error_dict.values() for e in errs}
    return {e.code for e in error.error_list}

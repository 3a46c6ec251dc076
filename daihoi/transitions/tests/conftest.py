from __future__ import annotations

import datetime
from typing import Any

import pytest

from daihoi import testing
from daihoi.elections.tests.conftest import hall  # noqa: F401 (a fixture shared with elections)
from daihoi.organizations.models import CommitteeSeat, Person, Unit
from daihoi.transitions.models import TransitionCase


def seat(
    unit: Unit, person: Person, *, body: str = "executive", term_end: int = 2025
) -> CommitteeSeat:
    return CommitteeSeat.objects.create(
        unit=unit, person=person, body=body, term_start=2020, term_end=term_end, source="imported"
    )


def make_case(unit: Unit, **extra: Any) -> TransitionCase:
    person = testing.make_person(
        unit=unit, birth_date=extra.pop("birth_date", datetime.date(1966, 6, 15))
    )
    return TransitionCase.objects.create(
        person=person,
        unit=unit,
        reason=extra.pop("reason", TransitionCase.Reason.SURPLUS),
        left_on=extra.pop("left_on", datetime.date(2025, 7, 1)),
        **extra,
    )


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    return settings

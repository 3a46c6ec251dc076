from __future__ import annotations

from typing import Any

import pytest

from daihoi import testing
from daihoi.congresses.models import Congress, Cycle
from daihoi.organizations.models import CommitteeSeat, Person, Unit


def make_congress(unit: Unit, cycle: Cycle, **extra: Any) -> Congress:
    return Congress.objects.create(cycle=cycle, unit=unit, congress_type="full", **extra)


def seat(unit: Unit, person: Person, **extra: Any) -> CommitteeSeat:
    return CommitteeSeat.objects.create(
        unit=unit,
        person=person,
        body=extra.pop("body", CommitteeSeat.Body.EXECUTIVE),
        term_start=2020,
        term_end=2025,
        source=CommitteeSeat.Source.ELECTED,
        **extra,
    )


@pytest.fixture
def cycle(province: dict[str, Any]) -> Cycle:
    return Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )


@pytest.fixture
def congresses(province: dict[str, Any], cycle: Cycle) -> dict[str, Congress]:
    """A congress for every unit of the small province."""
    return {key: make_congress(unit, cycle) for key, unit in province.items()}


@pytest.fixture
def d1_congress(congresses: dict[str, Congress]) -> Congress:
    return congresses["d1"]


@pytest.fixture
def credentials_user(d1_congress: Congress) -> Any:
    from daihoi.conduct.models import BoardSeat

    user = testing.make_user(username="cred")
    BoardSeat.objects.create(congress=d1_congress, user=user, board=BoardSeat.Board.CREDENTIALS)
    return user


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """Messages are asserted in English; the catalogs are checked separately."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

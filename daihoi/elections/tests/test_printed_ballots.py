"""Printed ballots carry the slate in the rulebook's order and nothing that tells them apart."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from daihoi import testing
from daihoi.elections import actions, ballots_print
from daihoi.elections.models import Election
from daihoi.elections.tests.conftest import Hall
from daihoi.rulebooks.loader import load_rulebook

pytestmark = pytest.mark.django_db

# Added in this order (the slate's positions); the ballot sorts by given name, then family
# name, then middle name, then birth date: Anh < Ánh < Ân < Dũng < Đức < Đức (older first).
SLATE = [
    ("Trần Quốc Đức", datetime.date(1975, 3, 1)),
    ("Nguyễn Văn Ân", datetime.date(1970, 1, 1)),
    ("Lê Thị Ánh", datetime.date(1980, 1, 1)),
    ("Trần Quốc Đức", datetime.date(1968, 3, 1)),
    ("Phạm Minh Dũng", datetime.date(1972, 1, 1)),
    ("Hoàng Thị Anh", datetime.date(1979, 1, 1)),
]
BALLOT_ORDER = [
    "Hoàng Thị Anh",
    "Lê Thị Ánh",
    "Nguyễn Văn Ân",
    "Phạm Minh Dũng",
    "Trần Quốc Đức",
    "Trần Quốc Đức",
]


def election_with_slate(hall: Hall, *, seats: int) -> Election:
    election = actions.election_create(
        actor=hall.organizer,
        congress=hall.congress,
        seats=seats,
        mode="paper",
        body=Election.Body.EXECUTIVE,
    )
    for full_name, birth in SLATE:
        person = testing.make_person(unit=hall.congress.unit, full_name=full_name, birth_date=birth)
        actions.candidate_add(actor=hall.organizer, election=election, person=person)
    return election


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def numbered_names(text: str) -> list[str]:
    """The names of the ballot's numbered rows (below its header row), in their printed order."""
    table = re.split(r"^(?:STT|No\.|Nr\.) .*$", text, maxsplit=1, flags=re.MULTILINE)[1]
    rows = re.findall(r"^\s*(\d+)\s+(.+?)\s*$", table, flags=re.MULTILINE)
    assert [int(n) for n, _name in rows] == list(range(1, len(rows) + 1))
    return [name for _n, name in rows]


def test_the_vietnamese_rulebooks_order_ballot_names_by_given_name() -> None:
    order = load_rulebook("vn-cpv-2025").election.ballot_name_order
    assert order.value == ("given", "family", "middle", "birth_date")


def test_a_ballot_with_surplus_lists_the_slate_in_rulebook_order_to_strike_out(
    hall: Hall,
) -> None:
    election = election_with_slate(hall, seats=5)
    pages, text = pdf_text(ballots_print.ballot_pdf(election, language="vi"))
    assert pages == 1
    assert numbered_names(text) == BALLOT_ORDER
    assert "PHIẾU BẦU" in text
    assert "gạch" in text.lower()  # the strike-out instruction
    assert "Đồng ý" not in text
    assert "Dấu của Ban kiểm phiếu" in text
    assert "Bầu 5 đồng chí" in text


def test_a_ballot_without_surplus_has_agree_and_disagree_columns(hall: Hall) -> None:
    election = election_with_slate(hall, seats=6)
    _pages, text = pdf_text(ballots_print.ballot_pdf(election, language="vi"))
    assert numbered_names(text.replace("Không đồng ý", "").replace("Đồng ý", "")) == BALLOT_ORDER
    assert "Đồng ý" in text and "Không đồng ý" in text
    assert "gạch" not in text.lower()


def test_no_two_ballots_differ_and_none_carries_a_serial(hall: Hall) -> None:
    election = election_with_slate(hall, seats=5)
    first = pdf_text(ballots_print.ballot_pdf(election, language="vi"))[1]
    second = pdf_text(ballots_print.ballot_pdf(election, language="vi"))[1]
    assert first == second
    figures = set(re.findall(r"\d+", first))
    # row numbers, the seats and the term's years; no election, candidate or ballot number
    assert figures <= {"1", "2", "3", "4", "5", "6", "2025", "2030"}


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_ballot_prints_in_english_and_german(hall: Hall, language: str) -> None:
    election = election_with_slate(hall, seats=5)
    _pages, text = pdf_text(ballots_print.ballot_pdf(election, language=language))
    assert numbered_names(text) == BALLOT_ORDER
    assert {"en": "BALLOT", "de": "STIMMZETTEL"}[language] in text


def test_organizers_and_the_counting_board_print_ballots_and_others_get_404(
    hall: Hall, province: dict[str, Any]
) -> None:
    election = election_with_slate(hall, seats=5)
    url = f"/elections/{election.pk}/ballot.pdf"
    for user in (hall.organizer, hall.counters[0]):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    delegate = Client()
    delegate.force_login(hall.voters[0])
    assert delegate.get(url).status_code == 404
    stranger = Client()
    stranger.force_login(testing.make_user(role=testing.ORGANIZER, unit=province["d2"]))
    assert stranger.get(url).status_code == 404
    organizer = Client()
    organizer.force_login(hall.organizer)
    assert organizer.get(url + "?lang=xx").status_code == 404
    assert (
        f"/elections/{election.pk}/ballot.pdf"
        in organizer.get(f"/elections/{election.pk}/").content.decode()
    )

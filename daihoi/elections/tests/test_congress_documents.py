"""The congress's documents carry the figures of the credentials report and the elections."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from daihoi import testing
from daihoi.conduct import queries as conduct_queries
from daihoi.conduct.models import AgendaItem, BoardSeat
from daihoi.elections import actions, congress_documents, queries
from daihoi.elections.models import Election
from daihoi.elections.tests.conftest import Hall, make_hall, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(province: dict[str, Any]) -> tuple[Hall, Election]:
    """A congress of 7 convened (5 present, 2 absent) that elected 2 of 3 candidates."""
    hall = make_hall(province, voters=5, absent=2)
    chair = testing.make_user(
        username="chair", person=testing.make_person(unit=province["g1"], full_name="Đặng Văn Chủ")
    )
    BoardSeat.objects.create(congress=hall.congress, user=chair, board=BoardSeat.Board.PRESIDIUM)
    for position, title in enumerate(["Khai mạc", "Báo cáo chính trị", "Bầu cử"], start=1):
        AgendaItem.objects.create(congress=hall.congress, position=position, title=title)
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    slate = queries.slate_ids(election)
    for voter, kept in zip(hall.voters[:5], [[0, 1], [0, 1], [0, 2], [0, 1], [1, 2]], strict=True):
        actions.ballot_cast(
            actor=voter, election=election, form_token=token(), kept=[slate[i] for i in kept]
        )
    actions.election_close(actor=hall.counters[0], election=election)
    actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )
    actions.result_confirm(actor=hall.counters[0], election=election)
    actions.result_confirm(actor=hall.counters[1], election=election)
    election.refresh_from_db()
    return hall, election


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_minutes_carry_the_credentials_reports_and_the_elections_figures(
    held: tuple[Hall, Election],
) -> None:
    hall, election = held
    report = conduct_queries.credentials_report(hall.congress)
    context = congress_documents.minutes_context(hall.congress)
    assert dict(context["attendance_figures"])["Convened"] == report.basis.convened == 7
    assert dict(context["attendance_figures"])["Present"] == report.basis.present == 5
    assert dict(context["attendance_figures"])["Entitled"] == report.basis.entitled
    [minutes_election] = context["elections"]
    figures = dict(minutes_election["figures"])
    result = election.result or {}
    assert figures["Entitled to vote"] == result["entitled"] == election.entitled
    assert figures["Ballots returned"] == result["returned"] == 5
    assert figures["Valid ballots"] == result["valid"]
    assert [(r["name"], r["votes"]) for r in minutes_election["rows"]] == [
        (queries.persons_by_candidate(election, [c])[0].full_name, v) for c, v in result["votes"]
    ]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_printed_minutes_show_every_figure(held: tuple[Hall, Election], fmt: str) -> None:
    hall, election = held
    render = congress_documents.document_pdf if fmt == "pdf" else congress_documents.document_docx
    text = (pdf_text if fmt == "pdf" else docx_text)(
        render("minutes", hall.congress, language="vi")
    )
    basis = conduct_queries.credentials_report(hall.congress).basis
    result = election.result or {}
    assert "BIÊN BẢN ĐẠI HỘI" in text.upper()
    assert "Đặng Văn Chủ" in text  # the presidium
    assert "Báo cáo chính trị" in text  # the agenda
    for label, value in [
        ("triệu tập", basis.convened),
        ("Có mặt", basis.present),
        ("Vắng mặt", basis.convened - basis.present),
        ("Số phiếu thu vào", result["returned"]),
        ("Số phiếu hợp lệ", result["valid"]),
        ("Số phiếu cần để trúng cử", result["threshold"]),
    ]:
        assert re.search(rf"{label}\s*{value}\b", text), (label, value)
    for person in queries.persons_by_candidate(election, [c for c, _v in result["votes"]]):
        assert person.full_name in text
    assert re.search(r"ngày \d\d tháng \d+ năm \d{4}", text)
    assert "Đoàn Chủ tịch" in text  # the signature block


def test_the_attendance_list_names_everyone_and_how_they_attended(
    held: tuple[Hall, Election],
) -> None:
    hall, _election = held
    lines = congress_documents.attendance_lines(hall.congress)
    assert len(lines) == 7
    assert sorted(line.attendance for line in lines).count("present") == 5
    text = pdf_text(congress_documents.document_pdf("attendance", hall.congress, language="vi"))
    assert text.count("Có mặt") + text.count("có mặt") >= 5
    flowing = " ".join(text.split())  # a long name may wrap inside its cell
    assert all(line.name in flowing for line in lines)


def test_the_elected_bodies_list_the_winners(held: tuple[Hall, Election]) -> None:
    hall, election = held
    [body] = congress_documents.elected_bodies(hall.congress)
    winners = queries.persons_by_candidate(election, (election.result or {})["elected"])
    assert sorted(body.members) == sorted(p.full_name for p in winners)
    text = docx_text(congress_documents.document_docx("elected", hall.congress, language="vi"))
    assert all(p.full_name in text for p in winners)


def test_the_xlsx_exports_hold_the_roster_attendance_and_results(
    held: tuple[Hall, Election],
) -> None:
    hall, election = held

    def rows(document: str) -> list[tuple[Any, ...]]:
        data = congress_documents.document_xlsx(document, hall.congress, language="vi")
        sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        return [tuple(r) for r in sheet.iter_rows(values_only=True)]

    assert len(rows("roster")) == 1 + len(list(conduct_queries.roster_ordered(hall.congress)))
    assert len(rows("attendance")) == 1 + 7
    results = rows("results")
    assert [(r[2], r[3]) for r in results[1:]] == [
        (queries.persons_by_candidate(election, [c])[0].full_name, v)
        for c, v in (election.result or {})["votes"]
    ]


def test_the_documents_page_is_for_organizers_and_boards_only(
    held: tuple[Hall, Election], province: dict[str, Any]
) -> None:
    hall, _election = held
    url = f"/elections/congress/{hall.congress.pk}/documents/"
    organizer = Client()
    organizer.force_login(hall.organizer)
    page = organizer.get(url)
    assert page.status_code == 200
    for document, formats in congress_documents.DOCUMENTS.items():
        for fmt in formats:
            link = f"{url}{document}.{fmt}"
            assert link in page.content.decode()
            assert organizer.get(link + "?lang=vi").status_code == 200
    assert organizer.get(f"{url}roster.pdf").status_code == 404
    assert organizer.get(f"{url}nothing.pdf").status_code == 404
    counter = Client()
    counter.force_login(hall.counters[0])
    assert counter.get(f"{url}minutes.pdf").status_code == 200
    delegate = Client()
    delegate.force_login(hall.voters[0])
    assert delegate.get(url).status_code == 404
    stranger = Client()
    stranger.force_login(testing.make_user(role=testing.ORGANIZER, unit=province["d2"]))
    assert stranger.get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_minutes_name_the_venue_the_organizer_recorded(
    held: tuple[Hall, Election], fmt: str
) -> None:
    hall, _election = held
    render = congress_documents.document_pdf if fmt == "pdf" else congress_documents.document_docx
    blank = (pdf_text if fmt == "pdf" else docx_text)(
        render("minutes", hall.congress, language="vi")
    )
    assert "Hội trường Tỉnh ủy" not in blank
    hall.congress.venue = "Hội trường Tỉnh ủy, 1 Trần Hưng Đạo"
    hall.congress.save(update_fields=["venue"])
    text = (pdf_text if fmt == "pdf" else docx_text)(
        render("minutes", hall.congress, language="vi")
    )
    assert re.search(r"Địa điểm[^:]*:\s*Hội trường Tỉnh ủy, 1 Trần Hưng Đạo", text)


def test_the_documents_are_dated_the_day_the_congress_sat(held: tuple[Hall, Election]) -> None:
    hall, _election = held
    hall.congress.starts_on = datetime.date(2025, 4, 3)
    hall.congress.concluded_on = datetime.date(2025, 4, 4)
    hall.congress.save(update_fields=["starts_on", "concluded_on"])
    for document in ("minutes", "attendance", "elected"):
        text = pdf_text(congress_documents.document_pdf(document, hall.congress, language="vi"))
        assert "ngày 04 tháng 4 năm 2025" in text, document

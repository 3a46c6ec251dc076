"""The congress's own documents: its minutes (biên bản đại hội), the attendance list and the
list of the newly elected bodies, as PDF and DOCX; roster, attendance and results as XLSX.

One context per document feeds both formats, and every figure comes from where the pages
take it: attendance from conduct's credentials report, each election's figures from its
stored result (`minutes.minutes_context`), so the minutes cannot disagree with either.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daihoi.conduct import queries as conduct_queries
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.models import Congress
from daihoi.core import clock, documents
from daihoi.core.exports import xlsx_bytes
from daihoi.elections import minutes, queries
from daihoi.elections.models import Election
from daihoi.elections.outcome import ElectionResult
from daihoi.organizations.models import Person
from daihoi.organizations.queries import person_sort_key

DOCUMENTS = {  # document -> formats it is offered in
    "minutes": ("pdf", "docx"),
    "attendance": ("pdf", "docx", "xlsx"),
    "elected": ("pdf", "docx"),
    "roster": ("xlsx",),
    "results": ("xlsx",),
}


def document_rows() -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, document, formats) for the documents page."""
    labels = {
        "minutes": _("Minutes of the congress"),
        "attendance": _("Attendance list"),
        "elected": _("The newly elected bodies"),
        "roster": _("Roster"),
        "results": _("Election results"),
    }
    return [(labels[doc], doc, formats) for doc, formats in DOCUMENTS.items()]


# --- what the documents say ----------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    number: int
    name: str
    unit: str
    kind: str
    attendance: str  # present / absent (reason) / replaced by … / not summoned (reason)


def _seat_name(seat: BoardSeat) -> str:
    person = getattr(seat.user, "person", None)
    return person.full_name if person is not None else seat.user.get_username()


def boards(congress: Congress) -> dict[str, list[str]]:
    """Names on each board: presidium, credentials board, counting board."""
    names: dict[str, list[str]] = {code: [] for code in BoardSeat.Board.values}
    for seat in conduct_queries.board_seats(congress):
        names[seat.board].append(_seat_name(seat))
    return names


def attendance_lines(congress: Congress) -> list[AttendanceLine]:
    """Every roster line but alternates left on standby, with how the person attended."""
    lines = list(conduct_queries.roster_ordered(congress).exclude(status=Delegate.Status.STANDBY))
    replaced_by = {
        line.replaces_id: line for line in lines if getattr(line, "replaces_id", None) is not None
    }
    rows = []
    for number, line in enumerate(lines, start=1):
        if line.status == Delegate.Status.SUMMONED:
            attendance = _("present") if line.checked_in_at else _("absent")
        elif line.status == Delegate.Status.REPLACED:
            substitute = replaced_by.get(line.pk)
            attendance = (
                _("absent, replaced by %(name)s") % {"name": substitute.person.full_name}
                if substitute is not None
                else str(line.get_status_display())
            )
        elif line.status == Delegate.Status.ABSENT:
            attendance = _("absent (%(reason)s)") % {
                "reason": line.get_reason_display() or _("no reason given")
            }
        else:
            attendance = _("not summoned (%(reason)s)") % {
                "reason": line.get_reason_display() or _("no reason given")
            }
        rows.append(
            AttendanceLine(
                number=number,
                name=line.person.full_name,
                unit=line.person.unit.name,
                kind=str(line.get_kind_display()),
                attendance=attendance,
            )
        )
    return rows


@dataclass(frozen=True)
class ElectedBody:
    label: str
    members: list[str]
    alternates: list[str]  # delegates to the higher congress only, in their order
    source: str  # "elected" or the appointing decision


def elected_bodies(congress: Congress) -> list[ElectedBody]:
    """The new bodies: everyone elected in the released rounds, or appointed, body by body."""
    released = list(queries.released_elections(congress).order_by("body", "round_number"))
    by_body: dict[str, tuple[list[Person], list[Person]]] = {}
    for election in released:
        result = election.outcome
        if result is None:
            continue
        members, alternates = by_body.setdefault(election.body, ([], []))
        members += queries.persons_by_candidate(election, list(result.chosen))
        alternates += queries.persons_by_candidate(election, list(result.alternates))
    labels = dict(Election.Body.choices)
    bodies = [
        ElectedBody(
            label=str(labels[body]),
            members=[p.full_name for p in sorted(members, key=person_sort_key)],
            alternates=[p.full_name for p in alternates],
            source=_("elected by the congress"),
        )
        for body, (members, alternates) in by_body.items()
    ]
    for appointment in queries.appointments(congress):
        bodies.append(
            ElectedBody(
                label=str(labels[appointment.body]),
                members=[
                    p.full_name for p in sorted(appointment.members.all(), key=person_sort_key)
                ],
                alternates=[],
                source=_("appointed by decision %(ref)s") % {"ref": appointment.decision_ref},
            )
        )
    return bodies


def _event_time(congress: Congress, to_state: str) -> Any:
    event = congress.events.filter(to_state=to_state).order_by("at").first()
    return event.at if event is not None else None


def document_day(congress: Congress) -> datetime.date:
    """The date a congress's documents carry: the day it concluded (or opened), else today."""
    return congress.concluded_on or congress.starts_on or clock.today()


def minutes_context(congress: Congress) -> dict[str, Any]:
    """Everything the congress minutes show, in the active language."""
    report = conduct_queries.credentials_report(congress)
    return {
        "congress": congress,
        "report": report,
        "boards": boards(congress),
        "agenda": list(conduct_queries.agenda(congress)),
        "opened_at": _event_time(congress, "in_session"),
        "closed_at": _event_time(congress, "concluded"),
        "elections": [
            {**minutes.minutes_context(election), "figures": election_figures(election.outcome)}
            for election in queries.released_elections(congress).order_by("body", "round_number")
        ],
        "bodies": elected_bodies(congress),
        "attendance_figures": attendance_figures(report),
        "today": document_day(congress),
    }


# --- rendering ------------------------------------------------------------------------------


def _context(document: str, congress: Congress) -> dict[str, Any]:
    if document == "minutes":
        return minutes_context(congress)
    if document == "attendance":
        return {
            "congress": congress,
            "report": conduct_queries.credentials_report(congress),
            "lines": attendance_lines(congress),
            "attendance_figures": attendance_figures(conduct_queries.credentials_report(congress)),
            "today": document_day(congress),
        }
    return {
        "congress": congress,
        "bodies": elected_bodies(congress),
        "today": document_day(congress),
    }


def document_pdf(document: str, congress: Congress, *, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            f"elections/pdf/congress_{document}.html",
            {**_context(document, congress), "language": language},
        )
    return documents.render_pdf(html)


def document_docx(document: str, congress: Congress, *, language: str) -> bytes:
    with translation.override(language):
        context = _context(document, congress)
        doc = documents.docx_document()
        _heading(doc, congress, context["today"])
        {"minutes": _minutes_docx, "attendance": _attendance_docx, "elected": _elected_docx}[
            document
        ](doc, context)
        return documents.docx_bytes(doc)


def _heading(doc: Any, congress: Congress, today: Any) -> None:
    doc.add_paragraph(congress.unit.name.upper())
    doc.add_paragraph(documents.document_date(today)).alignment = 2  # right


def _table(doc: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = documents.figure(value) if isinstance(value, int) else str(value)


def _minutes_docx(doc: Any, c: dict[str, Any]) -> None:
    congress, report = c["congress"], c["report"]
    doc.add_heading(_("Minutes of the congress"), level=1)
    doc.add_paragraph(
        _("Congress of %(unit)s, term %(term)s")
        % {"unit": congress.unit.name, "term": congress.cycle.name}
    )
    venue = c["congress"].venue or "............................................"
    doc.add_paragraph(f"{_('Place of the congress')}: {venue}")
    doc.add_paragraph(
        f"{_('Opened')}: {_when(c['opened_at'])} · {_('Closed')}: {_when(c['closed_at'])}"
    )
    doc.add_heading(_("Presidium"), level=2)
    doc.add_paragraph(", ".join(c["boards"]["presidium"]) or "—")
    doc.add_heading(_("Attendance"), level=2)
    _table(doc, [_("Figure"), _("Number")], attendance_figures(report))
    doc.add_heading(_("Agenda"), level=2)
    for item in c["agenda"]:
        doc.add_paragraph(f"{item.position}. {item.title}")
    doc.add_heading(_("Elections"), level=2)
    for e in c["elections"]:
        election = e["election"]
        doc.add_paragraph(_election_title(election))
        _table(doc, [_("Figure"), _("Number")], election_figures(e["result"]))
        _table(
            doc,
            [_("Candidate"), _("Votes"), _("Outcome")],
            [(r["name"], r["votes"], r["outcome"]) for r in e["rows"]],
        )
    _signatures_docx(doc)


def _attendance_docx(doc: Any, c: dict[str, Any]) -> None:
    doc.add_heading(_("Attendance list"), level=1)
    _table(doc, [_("Figure"), _("Number")], attendance_figures(c["report"]))
    doc.add_paragraph("")
    _table(
        doc,
        [_("No."), _("Full name"), _("Unit"), _("Kind"), _("Attendance")],
        [(str(ln.number), ln.name, ln.unit, ln.kind, ln.attendance) for ln in c["lines"]],
    )


def _elected_docx(doc: Any, c: dict[str, Any]) -> None:
    doc.add_heading(_("The newly elected bodies"), level=1)
    for body in c["bodies"]:
        doc.add_heading(f"{body.label} ({body.source})", level=2)
        for number, name in enumerate(body.members, start=1):
            doc.add_paragraph(f"{number}. {name}")
        if body.alternates:
            doc.add_paragraph(_("Alternates, in their order:"))
            for number, name in enumerate(body.alternates, start=1):
                doc.add_paragraph(f"{number}. {name}")


def _signatures_docx(doc: Any) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = _("The secretariat")
    table.rows[0].cells[1].text = _("On behalf of the presidium")
    table.rows[1].cells[0].text = _("(signature, full name)")
    table.rows[1].cells[1].text = _("(signature, full name)")


def _when(moment: Any) -> str:
    if moment is None:
        return "..............."
    local = timezone.localtime(moment)
    return f"{local:%H:%M}, {documents.document_date(local)}"


def _election_title(election: Election) -> str:
    return _("%(body)s, round %(n)s") % {
        "body": election.get_body_display(),
        "n": election.round_number,
    }


def attendance_figures(report: Any) -> list[tuple[str, int]]:
    basis = report.basis
    return [
        (_("Convened"), basis.convened),
        (_("Entitled"), basis.entitled),
        (_("Present"), basis.present),
        (_("Absent"), basis.convened - basis.present),
        (_("Replaced by alternates"), basis.replaced),
    ]


def election_figures(result: ElectionResult | None) -> list[tuple[str, int]]:
    if result is None:
        return []
    keys = [
        ("entitled", _("Entitled to vote")),
        ("issued", _("Ballots issued")),
        ("returned", _("Ballots returned")),
        ("not_returned", _("Ballots not returned")),
        ("valid", _("Valid ballots")),
        ("invalid", _("Invalid ballots")),
        ("threshold", _("Votes needed to be elected")),
    ]
    return [(label, getattr(result, key)) for key, label in keys]


# --- spreadsheets ----------------------------------------------------------------------------


def roster_xlsx(congress: Congress) -> bytes:
    headers = [
        _("No."),
        _("Member code"),
        _("Full name"),
        _("Unit"),
        _("Kind"),
        _("Status"),
        _("Alternate rank"),
        _("Badge code"),
    ]
    rows = (
        [
            n,
            d.person.member_code,
            d.person.full_name,
            d.person.unit.name,
            d.get_kind_display(),
            d.get_status_display(),
            d.alternate_rank or "",
            d.badge_code,
        ]
        for n, d in enumerate(conduct_queries.roster_ordered(congress), start=1)
    )
    return xlsx_bytes(sheets=[(_("Roster"), headers, rows)])


def attendance_xlsx(congress: Congress) -> bytes:
    headers = [_("No."), _("Full name"), _("Unit"), _("Kind"), _("Attendance")]
    rows = (
        [ln.number, ln.name, ln.unit, ln.kind, ln.attendance] for ln in attendance_lines(congress)
    )
    return xlsx_bytes(sheets=[(_("Attendance"), headers, rows)])


def results_xlsx(congress: Congress) -> bytes:
    headers = [_("Body"), _("Round"), _("Candidate"), _("Votes"), _("Outcome")]
    rows = []
    figures_rows = []
    for election in queries.released_elections(congress).order_by("body", "round_number"):
        e = minutes.minutes_context(election)
        for row in e["rows"]:
            rows.append(
                [
                    election.get_body_display(),
                    election.round_number,
                    row["name"],
                    row["votes"],
                    row["outcome"],
                ]
            )
        for label, value in election_figures(e["result"]):
            figures_rows.append([election.get_body_display(), election.round_number, label, value])
    return xlsx_bytes(
        sheets=[
            (_("Results"), headers, rows),
            (_("Figures"), [_("Body"), _("Round"), _("Figure"), _("Number")], figures_rows),
        ]
    )


SPREADSHEETS = {"roster": roster_xlsx, "attendance": attendance_xlsx, "results": results_xlsx}


def document_xlsx(document: str, congress: Congress, *, language: str) -> bytes:
    with translation.override(language):
        return SPREADSHEETS[document](congress)

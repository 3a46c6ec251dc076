"""What cases do to other apps, through `core.hooks` (they never import cases):

- `plan_flags`: an open admissible case about a candidate, inside the cut-off, blocks the
  plan's approval unless the higher level recorded that it proceeds (`case_proceed`);
- `candidate_note`: the line on the candidate in the plan (kind, state, due date; never the
  content: personnel may cite only the conclusion);
- `congress_line`: "3 cases concerning candidates open, 1 overdue" on the congress page;
- `digest_section`: cases due within 14 days and overdue, in the daily digest;
- `report_on_convening`: when a congress convenes, its candidates' unconcluded cases are
  reported to the higher level (an `OpeningReport`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daihoi.cases import queries
from daihoi.cases.models import Case, OpeningReport
from daihoi.core import audit


def plan_flags(*, plan: Any) -> list[tuple[str, str]]:
    flags = []
    for case in queries.open_about_candidates(plan).filter(inside_cutoff=True, proceed_reason=""):
        flags.append(
            (
                "case_open_about_candidate",
                _(
                    "A %(kind)s about %(name)s is open (%(state)s) and came inside the "
                    "cut-off: the higher level may approve only if it records that it proceeds."
                )
                % {
                    "kind": case.get_kind_display(),
                    "name": case.candidate.person.full_name if case.candidate else "",
                    "state": case.get_state_display(),
                },
            )
        )
    return flags


def candidate_note(*, candidate: Any) -> list[str]:
    notes = []
    cases = Case.objects.filter(candidate=candidate).exclude(kind=Case.Kind.FEEDBACK)
    for case in cases.exclude(state__in=[Case.State.RECEIVED, Case.State.NOT_HANDLED]):
        if case.is_open:
            due = date_format(case.due_on, "SHORT_DATE_FORMAT") if case.due_on else "—"
            note = _("%(kind)s %(state)s, due %(due)s") % {
                "kind": case.get_kind_display(),
                "state": case.get_state_display(),
                "due": due,
            }
            if case.proceed_reason:
                note += " · " + _("the higher level proceeds")
        elif case.state == Case.State.CONCLUDED:
            note = _("%(kind)s concluded: %(outcome)s") % {
                "kind": case.get_kind_display(),
                "outcome": case.get_outcome_display(),
            }
        else:
            note = _("%(kind)s %(state)s") % {
                "kind": case.get_kind_display(),
                "state": case.get_state_display(),
            }
        notes.append(note)
    return notes


def congress_line(*, congress: Any, user: Any) -> list[tuple[str, str]]:
    if not queries.may_see_congress_cases(user, congress):
        return []
    line = queries.congress_line(congress)
    lines: list[tuple[str, str]] = []
    if line.open:
        text = ngettext(
            "%(open)s case concerning candidates open, %(overdue)s overdue",
            "%(open)s cases concerning candidates open, %(overdue)s overdue",
            line.open,
        ) % {"open": line.open, "overdue": line.overdue}
        lines.append((text, reverse("cases:congress", args=[congress.pk])))
    report = OpeningReport.objects.filter(congress=congress).first()
    if report is not None and report.cases.exists():
        lines.append(
            (
                _("Report on cases open at the opening (PDF)"),
                reverse("cases:opening_report_pdf", args=[congress.pk]),
            )
        )
    return lines


def digest_section(*, user: Any, on: Any) -> list[str]:
    due, overdue = queries.due_and_overdue(user, on=on)
    if not due and not overdue:
        return []
    lines = [
        _(
            "Cases (complaints and denunciations): %(due)s due within %(days)s days, "
            "%(overdue)s overdue"
        )
        % {"due": len(due), "days": queries.DUE_SOON_DAYS, "overdue": len(overdue)}
    ]
    for case in overdue + due:
        lines.append(
            f"- {case.get_kind_display()} {case.pk} · {case.unit.name} · "
            f"{case.get_state_display()} · {case.due_on.isoformat() if case.due_on else ''}"
        )
    return ["\n".join(lines)]


def report_on_convening(*, actor: Any, congress: Any, transition: str) -> None:
    """When a congress convenes, report its candidates' unconcluded cases to the higher level."""
    if transition != "convene":
        return
    cases = list(queries.open_about_congress_candidates(congress))
    if not cases:
        return
    report, _created = OpeningReport.objects.get_or_create(congress=congress)
    report.cases.add(*cases)
    audit.record(
        actor=actor,
        action="cases_report_on_convening",
        obj=report,
        unit_path=congress.unit.path,
        changes={"cases": [c.pk for c in cases]},
    )

"""Opening cases (from the elections' upward flow and from reorganizations) and their basis."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_area
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress
from daihoi.core import audit, clock
from daihoi.core.errors import field_errors
from daihoi.core.sheets import NotASpreadsheet, xlsx_rows
from daihoi.elections import queries as election_queries
from daihoi.organizations.models import CommitteeSeat, Person, Reorganization, Unit, UnitLineage
from daihoi.transitions.actions._base import State, require_organizer
from daihoi.transitions.models import TransitionCase

Reason = TransitionCase.Reason


def _congress_day(congress: Congress) -> datetime.date:
    return congress.starts_on or congress.concluded_on or clock.today()


@transaction.atomic
def cases_open_not_reelected(*, actor: Any, congress: Congress, body: str) -> list[TransitionCase]:
    """Listener of `core.hooks.on_committee_seated`: a case for every incumbent of `body` who
    has no seat in it for the new term. Runs again safely: existing cases are kept."""
    day = _congress_day(congress)
    existing = set(
        TransitionCase.objects.filter(congress=congress, reason=Reason.NOT_REELECTED).values_list(
            "person_id", flat=True
        )
    )
    created: list[TransitionCase] = []
    for incumbent in election_queries.incumbents_not_reelected(congress):
        if incumbent.body != body or incumbent.person.pk in existing:
            continue
        existing.add(incumbent.person.pk)
        created.append(
            TransitionCase.objects.create(
                person=incumbent.person,
                unit=congress.unit,
                reason=Reason.NOT_REELECTED,
                body=body,
                congress=congress,
                left_on=day,
            )
        )
    if created:
        audit.record(
            actor=actor,
            action="transition_cases_open",
            obj=congress,
            unit_path=congress.unit.path,
            changes={
                "reason": Reason.NOT_REELECTED,
                "body": body,
                "persons": [c.person.member_code for c in created],
            },
        )
    return created


@transaction.atomic
def cases_open_after_reorganization(
    *, actor: Any, reorganization: Reorganization
) -> list[TransitionCase]:
    """Listener of `core.hooks.on_reorganization`: the sitting committee members of every unit
    the reorganization closed lose their post; those without a seat in the successor unit are
    surplus and get a case."""
    links = UnitLineage.objects.filter(reorganization=reorganization).select_related(
        "predecessor", "successor"
    )
    created: list[TransitionCase] = []
    for link in links:
        closed = Unit.objects.get(pk=link.predecessor_id)
        if closed.active_until is None:  # a rename or a unit that lives on
            continue
        kept = set(
            CommitteeSeat.objects.filter(unit=link.successor, ended_on__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        seats = (
            CommitteeSeat.objects.filter(unit=closed, ended_on__isnull=True)
            .exclude(person_id__in=kept)
            .order_by("person_id", "body")
        )
        people: dict[int, CommitteeSeat] = {}
        for seat in seats:
            people.setdefault(seat.person_id, seat)
        already = set(
            TransitionCase.objects.filter(
                reorganization=reorganization, person_id__in=list(people)
            ).values_list("person_id", flat=True)
        )
        for person_id, seat in people.items():
            if person_id in already:
                continue
            created.append(
                TransitionCase.objects.create(
                    person=Person.objects.get(pk=person_id),
                    unit=closed,
                    reason=Reason.SURPLUS,
                    body=seat.body,
                    reorganization=reorganization,
                    left_on=reorganization.effective_date,
                    months_left_in_term=max(
                        0, (seat.term_end - reorganization.effective_date.year) * 12
                    ),
                )
            )
    if created:
        audit.record(
            actor=actor,
            action="transition_cases_open",
            obj=reorganization,
            unit_path=created[0].unit.path,
            changes={
                "reason": Reason.SURPLUS,
                "persons": [c.person.member_code for c in created],
            },
        )
    return created


def _positive(errors: dict[str, ValidationError], name: str, value: int, low: int = 0) -> None:
    if value < low:
        errors[name] = ValidationError(
            _("Must be at least %(n)s.") % {"n": low}, code="value_too_small"
        )


@action(system=True)
def case_set_basis(
    *,
    actor: Any,
    case: TransitionCase,
    monthly_salary: int,
    monthly_allowances: int = 0,
    leadership_allowance: int = 0,
    insured_months: int,
    months_left_in_term: int = 0,
    month_after_decision: int = 1,
    wishes_to_retire: bool = True,
) -> TransitionCase:
    """Enter the salary basis the amounts are computed from; a choice made on the old basis is
    cleared, since its amounts no longer hold."""
    require_organizer(actor, case)
    if case.state not in (State.OPEN, State.CHOSEN):
        raise ValidationError(
            _("The decision is prepared; the basis can no longer change."), code="case_locked"
        )
    errors: dict[str, ValidationError] = {}
    _positive(errors, "monthly_salary", monthly_salary, 1)
    _positive(errors, "monthly_allowances", monthly_allowances)
    _positive(errors, "leadership_allowance", leadership_allowance)
    _positive(errors, "insured_months", insured_months)
    _positive(errors, "months_left_in_term", months_left_in_term)
    _positive(errors, "month_after_decision", month_after_decision, 1)
    if insured_months > 50 * 12:
        errors["insured_months"] = ValidationError(
            _("More than 50 insured years is not plausible."), code="insured_months_implausible"
        )
    if errors:
        raise field_errors(errors)
    before = {
        "monthly_salary": case.monthly_salary,
        "insured_months": case.insured_months,
        "chosen_option": case.chosen_option,
    }
    case.monthly_salary = monthly_salary
    case.monthly_allowances = monthly_allowances
    case.leadership_allowance = leadership_allowance
    case.insured_months = insured_months
    case.months_left_in_term = months_left_in_term
    case.month_after_decision = month_after_decision
    case.wishes_to_retire = wishes_to_retire
    case.chosen_option, case.chosen_amount, case.chosen_items = "", None, []
    case.chosen_recorded_by, case.chosen_on = None, None
    case.state = State.OPEN
    case.save()
    audit.record(
        actor=actor,
        action="transition_case_set_basis",
        obj=case,
        unit_path=case.unit.path,
        changes={
            "before": before,
            "monthly_salary": monthly_salary,
            "monthly_allowances": monthly_allowances,
            "leadership_allowance": leadership_allowance,
            "insured_months": insured_months,
            "months_left_in_term": months_left_in_term,
            "month_after_decision": month_after_decision,
            "wishes_to_retire": wishes_to_retire,
        },
    )
    return case


@action()
def case_view_log(*, actor: Any, case: TransitionCase) -> None:
    """Every view of a case is logged: it holds personal data."""
    require_organizer(actor, case)
    audit.record(actor=actor, action="transition_case_view", obj=case, unit_path=case.unit.path)


BASIS_COLUMNS = (
    "member_code",
    "monthly_salary",
    "monthly_allowances",
    "leadership_allowance",
    "insured_months",
    "months_left_in_term",
)


@action(system=True)
def cases_import_basis(*, actor: Any, content: bytes) -> int:
    """Salary bases from an XLSX sheet (`BASIS_COLUMNS`, one row per open case by member code).
    Every row is checked first; one bad cell refuses the whole file, naming row and column."""
    area = require_area(actor, [Role.ORGANIZER])
    try:
        rows = xlsx_rows(content)
    except NotASpreadsheet as error:
        raise ValidationError(
            {"file": ValidationError(_("This is not an XLSX file."), code="not_xlsx")}
        ) from error
    header = [str(h or "").strip() for h in (rows[0] if rows else ())]
    missing = [c for c in BASIS_COLUMNS if c not in header and c in BASIS_COLUMNS[:2]]
    if not rows or missing:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
                    code="missing_columns",
                )
            }
        )
    open_cases = {
        c.person.member_code: c
        for c in TransitionCase.objects.filter(state__in=[State.OPEN, State.CHOSEN]).select_related(
            "person", "unit"
        )
        if area is None or any(c.unit.path.startswith(p) for p in area)
    }
    problems: list[str] = []
    updates: list[tuple[TransitionCase, dict[str, int]]] = []
    for number, row in enumerate(rows[1:], start=2):
        values = {name: row[i] if i < len(row) else None for i, name in enumerate(header)}
        if all(v in (None, "") for v in values.values()):
            continue
        code = str(values.get("member_code") or "").strip()
        case = open_cases.get(code)
        if case is None:
            problems.append(
                _("row %(row)s, column %(column)s: %(message)s")
                % {"row": number, "column": "member_code", "message": _("No open case.")}
            )
            continue
        numbers: dict[str, int] = {}
        for column in BASIS_COLUMNS[1:]:
            raw = values.get(column)
            try:
                value = int(str(raw).replace(",", "").strip()) if raw not in (None, "") else 0
            except ValueError:
                value = -1
            if value < 0 or (column == "monthly_salary" and value == 0):
                problems.append(
                    _("row %(row)s, column %(column)s: %(message)s")
                    % {"row": number, "column": column, "message": _("Enter a whole number.")}
                )
            numbers[column] = value
        updates.append((case, numbers))
    if problems:
        raise ValidationError({"file": [ValidationError(p, code="invalid_row") for p in problems]})
    for case, numbers in updates:
        case_set_basis(
            actor=actor,
            case=case,
            monthly_salary=numbers["monthly_salary"],
            monthly_allowances=numbers["monthly_allowances"],
            leadership_allowance=numbers["leadership_allowance"],
            insured_months=numbers["insured_months"],
            months_left_in_term=numbers["months_left_in_term"],
            month_after_decision=case.month_after_decision,
            wishes_to_retire=case.wishes_to_retire,
        )
    audit.record(
        actor=actor,
        action="transition_cases_import_basis",
        object_type="transitions.transitioncase",
        changes={"members": [c.person.member_code for c, _n in updates]},
    )
    return len(updates)

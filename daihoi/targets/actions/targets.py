"""Targets of a term's resolution: entered, edited, imported (all or nothing), figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role, user_of
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.core.errors import field_errors, refusal
from daihoi.core.sheets import NotASpreadsheet, xlsx_rows
from daihoi.organizations.models import Unit
from daihoi.targets.models import Target, TargetFigure

FIELDS = (
    "code",
    "indicator",
    "measure",
    "baseline",
    "baseline_year",
    "target_value",
    "direction",
    "basis",
    "level",
    "source",
)
CONCLUDED = "concluded"


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def clean_target(values: dict[str, Any], *, term_start: int, term_end: int) -> dict[str, Any]:
    """Checked and typed target fields; raises ValidationError with one entry per bad field."""
    errors: dict[str, ValidationError] = {}
    out: dict[str, Any] = {}
    for name in ("code", "indicator", "measure", "source"):
        text = str(values.get(name) or "").strip()
        if not text:
            errors[name] = refusal(_("This field is required."), code="required")
        out[name] = text
    code = out["code"]
    if code and not code.replace("_", "").replace("-", "").isalnum():
        errors["code"] = refusal(_("Use letters, digits, - and _ only."), code="invalid_code")
    for name in ("baseline", "target_value"):
        number = _decimal(values.get(name, ""))
        if number is None:
            errors[name] = refusal(_("Enter a number."), code="not_a_number")
        out[name] = number
    try:
        year = int(str(values.get("baseline_year", "")).strip())
    except ValueError:
        errors["baseline_year"] = refusal(_("Enter a year."), code="not_a_year")
        year = 0
    if year and not 1900 <= year <= term_end:
        errors["baseline_year"] = refusal(
            _("The baseline year must be before the term ends (%(end)s).") % {"end": term_end},
            code="baseline_after_term",
        )
    out["baseline_year"] = year
    for name, choices in (
        ("direction", Target.Direction.values),
        ("basis", Target.Basis.values),
        ("level", Target.Level.values),
    ):
        value = str(values.get(name) or (Target.Basis.END_VALUE if name == "basis" else "")).strip()
        if value not in choices:
            errors[name] = refusal(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)},
                code="invalid_choice",
            )
        out[name] = value
    if term_end < term_start:
        errors["term_end"] = refusal(_("The term ends before it starts."), code="term_reversed")
    if errors:
        raise field_errors(errors)
    return out


def _term_for(congress: Congress | None, term_start: int, term_end: int) -> tuple[int, int]:
    if congress is None:
        return term_start, term_end
    if congress.state != CONCLUDED:
        raise ValidationError(
            _("The new term's targets are entered once the congress has concluded."),
            code="congress_not_concluded",
        )
    return congress.cycle.term_start, congress.cycle.term_end


@action(system=True)
def target_create(
    *,
    actor: Any,
    unit: Unit,
    term_start: int,
    term_end: int,
    congress: Congress | None = None,
    values: dict[str, Any],
) -> Target:
    """A target of `unit`'s resolution for the term (for a concluded congress: its new term)."""
    require_role(actor, unit, [Role.ORGANIZER])
    term_start, term_end = _term_for(congress, term_start, term_end)
    fields = clean_target(values, term_start=term_start, term_end=term_end)
    if Target.objects.filter(unit=unit, term_start=term_start, code=fields["code"]).exists():
        raise refusal(
            _("This indicator already has a target for the term."), code="duplicate", field="code"
        )
    target = Target.objects.create(
        unit=unit, term_start=term_start, term_end=term_end, congress=congress, **fields
    )
    audit.record(
        actor=actor,
        action="target_create",
        obj=target,
        unit_path=unit.path,
        changes={"term": [term_start, term_end], **fields},
    )
    return target


@action(system=True)
def target_update(*, actor: Any, target: Target, values: dict[str, Any]) -> Target:
    require_role(actor, target.unit, [Role.ORGANIZER])
    merged = {name: getattr(target, name) for name in FIELDS} | values
    fields = clean_target(merged, term_start=target.term_start, term_end=target.term_end)
    clash = Target.objects.filter(
        unit=target.unit, term_start=target.term_start, code=fields["code"]
    ).exclude(pk=target.pk)
    if clash.exists():
        raise refusal(
            _("This indicator already has a target for the term."), code="duplicate", field="code"
        )
    before = {name: getattr(target, name) for name in FIELDS}
    for name, value in fields.items():
        setattr(target, name, value)
    target.save()
    audit.record(
        actor=actor,
        action="target_update",
        obj=target,
        unit_path=target.unit.path,
        changes={k: [before[k], v] for k, v in fields.items() if before[k] != v},
    )
    return target


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    try:
        return xlsx_rows(content)
    except NotASpreadsheet as error:
        raise refusal(_("This is not an XLSX file."), code="not_xlsx", field="file") from error


@action(system=True)
def targets_import(
    *,
    actor: Any,
    unit: Unit,
    term_start: int,
    term_end: int,
    congress: Congress | None = None,
    content: bytes,
) -> list[Target]:
    """Targets from an XLSX sheet whose first row names the columns (`FIELDS`). Every row is
    checked first; one bad cell refuses the whole file, naming each row and column."""
    require_role(actor, unit, [Role.ORGANIZER])
    term_start, term_end = _term_for(congress, term_start, term_end)
    rows = _rows(content)
    if not rows:
        raise refusal(_("The sheet is empty."), code="empty_file", field="file")
    header = [str(h or "").strip() for h in rows[0]]
    missing = [f for f in FIELDS if f not in header and f != "basis"]
    if missing:
        raise ValidationError(
            {
                "file": refusal(
                    _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
                    code="missing_columns",
                )
            }
        )
    problems: list[ImportProblem] = []
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    existing = set(
        Target.objects.filter(unit=unit, term_start=term_start).values_list("code", flat=True)
    )
    for number, row in enumerate(rows[1:], start=2):
        if all(cell in (None, "") for cell in row):
            continue
        values = {name: row[i] if i < len(row) else None for i, name in enumerate(header)}
        try:
            fields = clean_target(values, term_start=term_start, term_end=term_end)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                problems.extend(ImportProblem(number, column, m) for m in messages)
            continue
        if fields["code"] in seen or fields["code"] in existing:
            problems.append(ImportProblem(number, "code", _("This indicator appears twice.")))
        seen.add(fields["code"])
        cleaned.append(fields)
    if problems:
        raise ValidationError({"file": [refusal(str(p), code="invalid_row") for p in problems]})
    if not cleaned:
        raise refusal(_("The sheet has no targets."), code="empty_file", field="file")
    created = Target.objects.bulk_create(
        [
            Target(unit=unit, term_start=term_start, term_end=term_end, congress=congress, **f)
            for f in cleaned
        ]
    )
    audit.record(
        actor=actor,
        action="targets_import",
        obj=unit,
        unit_path=unit.path,
        changes={"term": [term_start, term_end], "codes": [f["code"] for f in cleaned]},
    )
    return created


@action(system=True)
def figure_record(
    *,
    actor: Any,
    target: Target,
    year: int,
    value: Any,
    source: str,
    reported_on: datetime.date,
    midterm: bool = False,
) -> TargetFigure:
    """A yearly figure (or the mid-term review's); recording the same year again corrects it."""
    require_role(actor, target.unit, [Role.ORGANIZER])
    errors: dict[str, ValidationError] = {}
    number = _decimal(value)
    if number is None:
        errors["value"] = refusal(_("Enter a number."), code="not_a_number")
    if not target.baseline_year <= year <= target.term_end:
        errors["year"] = refusal(
            _("The year must lie between %(start)s and %(end)s.")
            % {"start": target.baseline_year, "end": target.term_end},
            code="year_outside_term",
        )
    if not source.strip():
        errors["source"] = refusal(_("Cite where the figure comes from."), code="required")
    if errors:
        raise field_errors(errors)
    figure, created = TargetFigure.objects.update_or_create(
        target=target,
        year=year,
        midterm=midterm,
        defaults={
            "value": number,
            "source": source.strip(),
            "reported_on": reported_on,
            "recorded_by": user_of(actor),
        },
    )
    audit.record(
        actor=actor,
        action="target_figure_record",
        obj=figure,
        unit_path=target.unit.path,
        changes={
            "target": target.code,
            "year": year,
            "value": number,
            "midterm": midterm,
            "corrected": not created,
        },
    )
    return figure

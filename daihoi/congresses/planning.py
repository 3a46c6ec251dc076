"""What the rulebook says a unit's congress should be, and the difference to what is planned.

Pure Python, no Django import. The same diff serves the preview and the apply of a rulebook
migration, so what the organizer was shown is exactly what is written.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal

from daihoi.rulebooks.schema import Rulebook


@dataclass(frozen=True)
class PlanTerms:
    """The rulebook's terms for one congress: its type and its window."""

    congress_type: str
    contents: tuple[int, ...]
    bodies: str
    earliest: datetime.date | None
    latest: datetime.date | None
    max_duration_days: Decimal | None


def terms_for(book: Rulebook, level: str, *, merged: bool = False) -> PlanTerms:
    congress_type = book.congress_type_for(level, merged=merged)
    schedule = book.schedule_for(level)
    return PlanTerms(
        congress_type=congress_type.code,
        contents=tuple(int(c) for c in congress_type.contents.value),
        bodies=congress_type.bodies.value,
        earliest=schedule.earliest.value,
        latest=schedule.latest.value,
        max_duration_days=(
            Decimal(schedule.max_duration_days.value) if schedule.max_duration_days else None
        ),
    )


FIELDS = ("congress_type", "contents", "bodies", "earliest", "latest", "max_duration_days")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class CongressChange:
    """One congress whose terms change: which fields, from what, to what."""

    congress_id: int
    unit_code: str
    level: str
    changes: tuple[FieldChange, ...]

    def new_terms(self) -> dict[str, object]:
        return {c.field: c.new for c in self.changes}


def diff_terms(current: PlanTerms, target: PlanTerms) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, getattr(current, name), getattr(target, name))
        for name in FIELDS
        if getattr(current, name) != getattr(target, name)
    )


@dataclass(frozen=True)
class PlannedCongress:
    congress_id: int
    unit_code: str
    level: str
    merged: bool
    terms: PlanTerms


def diff_plan(planned: Iterable[PlannedCongress], book: Rulebook) -> list[CongressChange]:
    """Every planned congress whose terms under `book` differ from its current terms."""
    out: list[CongressChange] = []
    for item in planned:
        changes = diff_terms(item.terms, terms_for(book, item.level, merged=item.merged))
        if changes:
            out.append(CongressChange(item.congress_id, item.unit_code, item.level, changes))
    return out


@dataclass(frozen=True)
class RuleChange:
    path: str
    old: object
    new: object


def diff_rules(old: Rulebook, new: Rulebook) -> list[RuleChange]:
    """Cited rule values that differ between two rulebooks, by dotted path."""
    before: Mapping[str, object] = {p: c.value for p, c in old.cited_values()}
    after: Mapping[str, object] = {p: c.value for p, c in new.cited_values()}
    return [
        RuleChange(path, before.get(path), after.get(path))
        for path in sorted(set(before) | set(after))
        if before.get(path) != after.get(path)
    ]


def fingerprint(rulebook_id: str, changes: Iterable[CongressChange]) -> str:
    """A short digest of a preview; apply refuses when the plan no longer matches it."""
    payload = [rulebook_id, [asdict(c) for c in changes]]
    blob = json.dumps(payload, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]

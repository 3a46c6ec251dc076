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

from daihoi.rulebooks import ages
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


@dataclass(frozen=True)
class Window:
    """A congress's window and the rule it comes from (a dotted rulebook path)."""

    earliest: datetime.date
    latest: datetime.date
    rule: str


def window_for(book: Rulebook, level: str, *, formed_on: datetime.date | None = None) -> Window:
    """The window of a congress at `level` whose unit was formed on `formed_on`.

    A unit that exists before its level's window opens keeps the level's window. One formed
    later gets the window the rulebook gives units formed in that period; a window never
    opens before the unit exists nor closes before it opens.
    """
    schedule = book.schedule_for(level)
    ordinary = Window(schedule.earliest.value, schedule.latest.value, f"schedule.{level}")
    if formed_on is None or formed_on <= ordinary.earliest:
        return ordinary
    for index, cited in enumerate(schedule.formed_mid_cycle):
        rule = cited.value
        if not rule.covers(formed_on):
            continue
        if rule.latest is not None:
            latest = rule.latest
        else:
            latest = ages.add_months(formed_on, rule.months_after_formation or 0)
        path = f"schedule.{level}.formed_mid_cycle[{index}]"
        return Window(formed_on, max(latest, formed_on), path)
    if formed_on <= ordinary.latest:
        return Window(formed_on, ordinary.latest, ordinary.rule)
    # Not foreseen by the rulebook: a window as long as the level's, from the formation.
    return Window(formed_on, formed_on + (ordinary.latest - ordinary.earliest), ordinary.rule)


def terms_for(
    book: Rulebook, level: str, *, merged: bool = False, formed_on: datetime.date | None = None
) -> PlanTerms:
    congress_type = book.congress_type_for(level, merged=merged)
    schedule = book.schedule_for(level)
    window = window_for(book, level, formed_on=formed_on)
    return PlanTerms(
        congress_type=congress_type.code,
        contents=tuple(int(c) for c in congress_type.contents.value),
        bodies=congress_type.bodies.value,
        earliest=window.earliest,
        latest=window.latest,
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
    formed_on: datetime.date | None = None


def diff_plan(planned: Iterable[PlannedCongress], book: Rulebook) -> list[CongressChange]:
    """Every planned congress whose terms under `book` differ from its current terms."""
    out: list[CongressChange] = []
    for item in planned:
        changes = diff_terms(
            item.terms, terms_for(book, item.level, merged=item.merged, formed_on=item.formed_on)
        )
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

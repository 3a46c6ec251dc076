"""Levels, congress types and contents, the schedule of each level, windows for units formed
mid-cycle."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from daihoi.rulebooks.schema._base import Cited, Code, Frozen, Names


class CongressContent(IntEnum):
    """The four contents of a congress."""

    REVIEW_AND_TARGETS = 1
    COMMENT_ON_DRAFTS = 2
    ELECT_COMMITTEE = 3
    ELECT_DELEGATES = 4


class Level(Frozen):
    """A level of the unit tree; `rank` grows from the top (0) downwards."""

    code: Code
    names: Names
    parents: tuple[Code, ...] = ()
    rank: int = Field(ge=0)


class CongressType(Frozen):
    code: Code
    names: Names
    contents: Cited[tuple[CongressContent, ...]]
    bodies: Cited[Literal["elected", "appointed"]]
    # Contents the higher level may approve in addition, e.g. electing the committee.
    may_add_contents: Cited[tuple[CongressContent, ...]] | None = None

    @field_validator("contents", "may_add_contents")
    @classmethod
    def _contents_are_distinct(
        cls, cited: Cited[tuple[CongressContent, ...]] | None
    ) -> Cited[tuple[CongressContent, ...]] | None:
        if cited is not None and len(set(cited.value)) != len(cited.value):
            raise ValueError("contents must not repeat")
        return cited

    def includes(self, content: CongressContent) -> bool:
        return content in self.contents.value


class TypeAssignment(Frozen):
    """Which congress type a unit holds."""

    default: Cited[Code]
    by_level: dict[Code, Cited[Code]] = {}
    merged: Cited[Code] | None = None  # merged, consolidated or newly formed units


class FormedUnitWindow(Frozen):
    """The window of a unit of the level formed mid-cycle, between `formed_from` and
    `formed_until` (open if None): a fixed last day, or so many months after its formation."""

    formed_from: date
    formed_until: date | None = None
    latest: date | None = None
    months_after_formation: int | None = Field(default=None, ge=1, le=24)

    @model_validator(mode="after")
    def _one_deadline(self) -> FormedUnitWindow:
        if (self.latest is None) == (self.months_after_formation is None):
            raise ValueError("give either latest or months_after_formation")
        if self.latest is not None and self.formed_until is None:
            raise ValueError("a fixed latest date needs formed_until")
        if self.formed_until is not None and self.formed_until < self.formed_from:
            raise ValueError("formed_until is before formed_from")
        if self.latest is not None and self.formed_until and self.latest < self.formed_until:
            raise ValueError("latest is before formed_until: a unit formed then has no window")
        return self

    def covers(self, day: date) -> bool:
        return self.formed_from <= day and (self.formed_until is None or day <= self.formed_until)


class LevelSchedule(Frozen):
    earliest: Cited[date]
    latest: Cited[date]
    max_duration_days: Cited[Decimal] | None = None
    pilots_first: Cited[bool]
    age_reference_date: Cited[date] | None = None
    # A different reference date for some kinds of unit at this level, e.g. new communes.
    age_reference_by_unit_kind: dict[Code, Cited[date]] = {}
    # Units formed mid-cycle (merged, split, newly founded): their own windows, by formation.
    formed_mid_cycle: tuple[Cited[FormedUnitWindow], ...] = ()

    @property
    def window(self) -> tuple[date, date]:
        return (self.earliest.value, self.latest.value)

    def contains(self, day: date) -> bool:
        return self.earliest.value <= day <= self.latest.value

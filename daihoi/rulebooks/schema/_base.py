"""The building blocks of a rulebook: cited values, names in three languages, durations, codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from daihoi.core.text import nfc
from daihoi.rulebooks import ages

T = TypeVar("T")


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


RulebookId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]


Text = Annotated[str, AfterValidator(nfc), StringConstraints(min_length=1)]


Percent = Annotated[Decimal, Field(ge=0, le=100)]


Gender = ages.Gender


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Cited(Frozen, Generic[T]):
    """A rule value with the legal source it comes from."""

    value: T
    source: Text
    unverified: bool = False

    def __str__(self) -> str:
        flag = ", unverified" if self.unverified else ""
        return f"{self.value} ({self.source}{flag})"


class Names(Frozen):
    vi: Text
    en: Text
    de: Text

    def get(self, language: str) -> str:
        """The name in `language` ("vi", "en", "de"), falling back to English."""
        return str(getattr(self, language[:2].lower(), self.en))


class Duration(Frozen):
    years: int = Field(ge=0)
    months: int = Field(default=0, ge=0, le=11)

    def to_years_months(self) -> ages.YearsMonths:
        return ages.YearsMonths.of(self.years, self.months)

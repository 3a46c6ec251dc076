"""The shared input layer: what no value may be, checked once for every request and write.

- `HostileInputMiddleware` (in `core.middleware`) refuses, with a 400 and a clear message, a
  NUL character anywhere in the path, the query string, form fields or a JSON body, and
  integers no database column holds.
- `guard_model_values` runs before every save of a daihoi model (connected in
  `CoreConfig.ready`): text longer than its column, a NUL, an integer outside its column's
  range, or a date outside `PLAUSIBLE_DATES` raise a `ValidationError` with a stable code, so
  PostgreSQL never raises and pages and the API show a field error.
- `require_date_between` is the date-bounds check actions call for tighter ranges (a birth
  date, a congress inside its cycle).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

NUL = "\x00"
# Query-string and JSON integers beyond a 4-byte column are refused: no count, page, seat
# number or id of daihoi goes near it.
MAX_INT = 2**31 - 1
# No date of the congress cycle lies outside these.
PLAUSIBLE_DATES = (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
BIRTH_DATES = (datetime.date(1900, 1, 1), None)  # None: today


def nul_message() -> str:
    return _("The text contains a NUL character (\\0), which is not allowed.")


def int_message() -> str:
    return _("The number is too large: at most %(max)d.") % {"max": MAX_INT}


def require_date_between(
    value: datetime.date | None,
    *,
    field: str,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
    code: str = "date_out_of_range",
) -> None:
    """Raise a field error unless `earliest <= value <= latest` (defaults: plausible dates)."""
    if value is None:
        return
    low = earliest or PLAUSIBLE_DATES[0]
    high = latest or PLAUSIBLE_DATES[1]
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not low <= day <= high:
        raise ValidationError(
            {
                field: ValidationError(
                    _("The date must lie between %(low)s and %(high)s.")
                    % {"low": low.isoformat(), "high": high.isoformat()},
                    code=code,
                )
            }
        )


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check(instance: models.Model, field: models.Field) -> None:  # type: ignore[type-arg]
    value = getattr(instance, field.attname, None)
    if value is None:
        return
    name = field.name
    if isinstance(value, str):
        if NUL in value:
            raise _field_error(name, nul_message(), "nul_byte")
        limit = getattr(field, "max_length", None)
        if limit and len(value) > limit:
            raise _field_error(
                name,
                _("%(field)s has at most %(n)d characters (this one has %(len)d).")
                % {"field": field.verbose_name, "n": limit, "len": len(value)},
                "too_long",
            )
    elif isinstance(field, models.IntegerField) and isinstance(value, int):
        # The portable ranges (PostgreSQL's), so SQLite refuses what PostgreSQL would.
        low, high = BaseDatabaseOperations.integer_field_ranges.get(
            field.get_internal_type(), (None, None)
        )
        if (low is not None and value < low) or (high is not None and value > high):
            raise _field_error(
                name,
                _("%(field)s must lie between %(low)s and %(high)s.")
                % {"field": field.verbose_name, "low": low, "high": high},
                "out_of_range",
            )
    elif isinstance(field, models.DateField) and isinstance(value, datetime.date):
        require_date_between(value, field=name)


def guard_model_values(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save: every concrete field of a daihoi model holds a value its column takes."""
    if kwargs.get("raw") or not sender.__module__.startswith("daihoi."):
        return
    for field in sender._meta.concrete_fields:
        if field.primary_key or isinstance(field, models.ForeignKey):
            continue
        _check(instance, field)


def walk_json(value: Any) -> str | None:
    """The problem code of a parsed JSON value (``nul_byte``, ``int_range``), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return "nul_byte"
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if abs(item) > MAX_INT:
                return "int_range"
        elif isinstance(item, dict):
            for key, inner in item.items():
                if NUL in str(key):
                    return "nul_byte"
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
    return None


def int_out_of_range(text: str) -> bool:
    """True for a whole-number literal (as a query string carries it) beyond `MAX_INT`."""
    digits = text.strip()
    if digits[:1] in ("+", "-"):
        digits = digits[1:]
    return digits.isdigit() and (len(digits) > 10 or int(digits) > MAX_INT)

"""Refusals with stable codes, one way for every app.

Actions raise `refusal(...)`: a `ValidationError` whose every message carries a code, keyed
by the field it concerns (or not keyed, for the whole request). Pages show the messages
(`error_text`, `add_to_form`); the API returns `[{"field", "code", "message"}]`
(`error_items`), so clients can act on the code and people read the message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def refusal(message: str, *, code: str, field: str | None = None) -> ValidationError:
    """One refusal: `message` for people, `code` for programs, `field` where it applies."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def error_items(error: ValidationError) -> list[dict[str, str]]:
    """Every message of `error` with its field (`__all__` when none) and code."""
    items: list[dict[str, str]] = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                items.extend(_flatten(field, item))
    else:
        for item in error.error_list:
            items.extend(_flatten(NON_FIELD_ERRORS, item))
    return items


def _flatten(field: str, item: ValidationError) -> list[dict[str, str]]:
    message = item.message % item.params if item.params else item.message
    return [{"field": field, "code": item.code or "invalid", "message": str(message)}]


def error_text(error: ValidationError) -> str:
    """The messages of `error` as one line, for a page's flash message."""
    return " ".join(i["message"] for i in error_items(error))


def add_to_form(form: Any, error: ValidationError) -> None:
    """Put `error` on `form`: on its field when the form has one, otherwise on the form."""
    for item in error_items(error):
        field = item["field"] if item["field"] in form.fields else None
        form.add_error(field, item["message"])

"""Refusals with stable codes, one way for every app.

Actions raise `refusal(...)`: a `ValidationError` whose every message carries a code, keyed
by the field it concerns (or not keyed, for the whole request). Pages show the messages
(`error_text`, `add_to_form`); the API returns `[{"field", "code", "message"}]`
(`error_items`), so clients can act on the code and people read the message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def refusal(message: str, *, code: str, field: str | None = None) -> ValidationError:
    """One refusal: `message` for people, `code` for programs, `field` where it applies."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def refusals(messages: Mapping[str, Any] | Sequence[Any], *, code: str) -> ValidationError:
    """Several refusals at once, every one carrying `code`: a mapping keys the messages by
    field, a sequence is for the whole request."""
    if isinstance(messages, Mapping):
        return field_errors({f: refusal(str(m), code=code) for f, m in messages.items()})
    return ValidationError([refusal(str(m), code=code) for m in messages], code=code)


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


def messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    """The messages of `error` by field, for a page that shows them beside its inputs
    (`general` for those about the whole request)."""
    found: dict[str, list[str]] = {}
    for item in error_items(error):
        field = "general" if item["field"] == NON_FIELD_ERRORS else item["field"]
        found.setdefault(field, []).append(item["message"])
    return found


def add_to_form(form: Any, error: ValidationError) -> None:
    """Put `error` on `form`: on its field when the form has one, otherwise on the form."""
    for item in error_items(error):
        field = item["field"] if item["field"] in form.fields else None
        form.add_error(field, item["message"])


def field_errors(errors: Mapping[str, Any]) -> ValidationError:
    """Errors collected per field (a form, a batch, a file row); each message without a code
    of its own gets the field's: `invalid_<field>` (`comments.3.text` -> `invalid_text`)."""
    coded: dict[str, list[ValidationError]] = {}
    for field, value in errors.items():
        values = value if isinstance(value, list | tuple) else [value]
        code = "invalid_" + str(field).rsplit(".", 1)[-1]
        coded[field] = [
            v if isinstance(v, ValidationError) and v.code else ValidationError(str(v), code=code)
            for v in values
        ]
    return ValidationError(coded)  # type: ignore[arg-type]


def error_messages(error: ValidationError) -> list[str]:
    return [i["message"] for i in error_items(error)]


def flash_errors(request: Any, error: ValidationError) -> None:
    """Show each message of `error` on the next page (Django's messages)."""
    from django.contrib import messages

    for message in error_messages(error):
        messages.error(request, message)


def attempt(request: Any, fn: Callable[[], object], *, success: str | None = None) -> int:
    """Run one action for a page and say how it went on the next page: its refusal's
    messages, the permission's reason, or the confirmation (the text `fn` returns, else
    `success`).

    Returns the status the page answers with when it shows the form again: 200 when the
    action went through, 400 when it was refused, 403 when it was not allowed.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.utils.functional import Promise
    from django.utils.translation import gettext as _

    try:
        done = fn()
    except ValidationError as error:
        flash_errors(request, error)
        return 400
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
        return 403
    confirmation = str(done) if isinstance(done, str | Promise) and str(done) else success
    if confirmation:
        messages.success(request, confirmation)
    return 200

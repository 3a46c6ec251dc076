"""`core.errors.attempt`: one way for a page to run an action and say how it went."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from daihoi.core.errors import attempt, refusal


def _request():  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_done_action_confirms_with_its_own_text_or_the_default() -> None:
    request = _request()
    assert attempt(request, lambda: "Saved it.", success="Saved.") == 200
    assert attempt(request, lambda: object(), success="Saved.") == 200  # not text: the default
    assert _said(request) == [("success", "Saved it."), ("success", "Saved.")]


def test_a_refusal_shows_each_message_and_answers_400() -> None:
    request = _request()

    def refused() -> None:
        raise refusal("The poll is not open.", code="poll_not_open", field="election")

    assert attempt(request, refused, success="never shown") == 400
    assert _said(request) == [("error", "The poll is not open.")]


def test_a_permission_refusal_answers_403_with_its_reason() -> None:
    request = _request()

    def forbidden() -> None:
        raise PermissionDenied("Only the counting board.")

    assert attempt(request, forbidden) == 403
    assert _said(request) == [("error", "Only the counting board.")]

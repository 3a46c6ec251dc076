"""Middleware of the kernel: hostile input refused before any view, and response headers
(`Cache-Control: no-store` on what only a signed-in user may see)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from daihoi.core.inputs import int_message, int_out_of_range, nul_message, walk_json

# Free-text query parameters: a long number typed into a search box is a search, not an id.
TEXT_PARAMETERS = frozenset({"q", "search", "text"})


def _refuse(
    request: HttpRequest, *, field: str, code: str, message: str, status: int = 400
) -> HttpResponse:
    if request.path.startswith("/api/") or request.content_type == "application/json":
        return JsonResponse(
            {"detail": [{"field": field, "code": code, "message": message}]}, status=status
        )
    body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{message}</p>"
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    return response


class HostileInputMiddleware:
    """A NUL byte anywhere in the request, an integer no column holds, or a body larger than
    `DAIHOI_MAX_REQUEST_BYTES` is answered 400 (413) with a clear message, before any view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.check(request)
        return refusal if refusal is not None else self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = int(getattr(settings, "DAIHOI_MAX_REQUEST_BYTES", 60 * 1024 * 1024))
        if length.isdigit() and int(length) > limit:
            return _refuse(
                request,
                field="",
                code="too_large",
                message=_("The upload is too large: at most %(mb)d MB.")
                % {"mb": limit // (1024 * 1024)},
                status=413,
            )
        if "\x00" in request.path_info or "%00" in request.META.get("PATH_INFO", ""):
            return _refuse(request, field="path", code="nul_byte", message=nul_message())
        for name, values in request.GET.lists():
            problem = self._check_values(name, values, numbers=name not in TEXT_PARAMETERS)
            if problem:
                return _refuse(request, field=name, code=problem[0], message=problem[1])
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if request.content_type == "application/json":
                return self._check_json(request)
            if request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                for name, values in request.POST.lists():
                    problem = self._check_values(name, values, numbers=False)
                    if problem:
                        return _refuse(request, field=name, code=problem[0], message=problem[1])
        return None

    @staticmethod
    def _check_values(name: str, values: list[str], *, numbers: bool) -> tuple[str, str] | None:
        if "\x00" in name:
            return "nul_byte", nul_message()
        for value in values:
            if "\x00" in value:
                return "nul_byte", nul_message()
            if numbers and int_out_of_range(value):
                return "int_range", int_message()
        return None

    @staticmethod
    def _check_json(request: HttpRequest) -> HttpResponse | None:
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None  # the API answers a malformed body itself
        problem = walk_json(data)
        if problem == "nul_byte":
            return _refuse(request, field="body", code=problem, message=nul_message())
        if problem == "int_range":
            return _refuse(request, field="body", code=problem, message=int_message())
        return None


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user (pages, exports, the
    page that shows a new API key) and on every API response: nothing a person may see only
    when signed in stays in a shared or browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or request.path.startswith("/api/")) and not request.path.startswith(
            f"/{settings.STATIC_URL.strip('/')}/"
        ):
            response["Cache-Control"] = "no-store"
        return response

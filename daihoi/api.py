"""The JSON API under /api/v1/: one NinjaAPI, one router per domain app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from daihoi.accounts.queries import user_by_token
from daihoi.conduct.api import router as conduct_router
from daihoi.congresses.api import router as congresses_router
from daihoi.consultation.api import router as consultation_router
from daihoi.core.errors import error_items
from daihoi.elections.api import router as elections_router
from daihoi.organizations.api import router as organizations_router
from daihoi.personnel.api import router as personnel_router


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are created per user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_by_token(token)
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = user_by_token(key) if key else None
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="daihoi API",
    version="1",
    urls_namespace="api",
    # Tokens first: a request carrying a token is not a browser's and needs no CSRF token;
    # the session cookie (django_auth) is checked last, with Django's CSRF protection.
    auth=[TokenAuth(), TokenHeaderAuth(), django_auth],
    docs_url="/docs",
)


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return list(error_items(exc))


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {
            "field": ".".join(
                str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "payload")
            ),
            "location": e.get("loc", ["?"])[0],
            "message": e.get("msg", ""),
            "type": e.get("type"),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


api.add_router("/units", organizations_router)
api.add_router("/", congresses_router)
api.add_router("/", conduct_router)
api.add_router("/", elections_router)
api.add_router("/", consultation_router)
api.add_router("/personnel", personnel_router)

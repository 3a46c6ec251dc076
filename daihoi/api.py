"""The JSON API under /api/v1/: one NinjaAPI, one router per domain app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from daihoi.accounts.queries import user_by_token
from daihoi.cases.api import router as cases_router
from daihoi.conduct.api import router as conduct_router
from daihoi.congresses.api import router as congresses_router
from daihoi.consultation.api import router as consultation_router
from daihoi.core.errors import error_items
from daihoi.elections.api import router as elections_router
from daihoi.organizations.api import router as organizations_router
from daihoi.personnel.api import router as personnel_router
from daihoi.targets.api import router as targets_router
from daihoi.transitions.api import router as transitions_router


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


class ErrorItem(Schema):
    field: str = Field(description="The field the error is about; `__all__` for the request")
    code: str = Field(description="A stable code, e.g. `poll_not_open`, `quorum_not_met`")
    message: str = Field(description="What was wrong, in the request's language")


class ErrorOut(Schema):
    detail: list[ErrorItem]


class DaihoiAPI(NinjaAPI):
    """Documents the one error shape every operation answers refusals with (422)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        # The OpenAPI document's own schemas (a dict), not the database.
        components |= components["ErrorOut"].pop("$defs", {})
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    "422",
                    {
                        "description": "Refused: each item names the field, a stable code and "
                        "a message.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorOut"}
                            }
                        },
                    },
                )
        return schema


api = DaihoiAPI(
    title="daihoi API",
    version="1",
    urls_namespace="api",
    # Tokens first: a request carrying a token is not a browser's and needs no CSRF token;
    # the session cookie (django_auth) is checked last, with Django's CSRF protection.
    auth=[TokenAuth(), TokenHeaderAuth(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": error_items(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {
            "field": ".".join(
                str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "payload")
            ),
            "location": e.get("loc", ["?"])[0],
            "code": e.get("type") or "invalid",
            "message": e.get("msg", ""),
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
api.add_router("/", transitions_router)
api.add_router("/", targets_router)
api.add_router("/personnel", personnel_router)
api.add_router("/cases", cases_router)

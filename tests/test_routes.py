"""Every route is declared public or scoped; a new undeclared route fails this test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from daihoi.api import api
from daihoi.core.access import PUBLIC, SCOPED, access_of

# The admin guards itself with is_staff; the API's own URLs are checked operation by operation.
DELEGATED_NAMESPACES = {"admin", "api"}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, str | None, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p.callback


def test_every_url_pattern_is_declared_public_or_scoped() -> None:
    undeclared = [
        route
        for route, ns, view in _walk(get_resolver().url_patterns)
        if ns not in DELEGATED_NAMESPACES and access_of(view) not in (PUBLIC, SCOPED)
    ]
    assert undeclared == []


def test_route_walk_sees_the_app_routes() -> None:
    routes = {route for route, _ns, _view in _walk(get_resolver().url_patterns)}
    assert "u/<str:code>/" in routes and "accounts/login/" in routes


def _operations() -> Iterator[tuple[str, Any]]:
    for bound in api._get_bound_routers():  # the operations as mounted, auth inherited
        for path, path_view in bound.path_operations.items():
            for op in path_view.operations:
                yield f"{bound.prefix}{path} {','.join(op.methods)}", op


def test_every_api_operation_requires_auth_or_is_declared_public() -> None:
    ops = list(_operations())
    assert len(ops) >= 3
    undeclared = [
        name
        for name, op in ops
        if not op.auth_callbacks and (op.openapi_extra or {}).get("x-daihoi-access") != PUBLIC
    ]
    assert undeclared == []

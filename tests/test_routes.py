"""Every route is declared public or scoped; a new undeclared route fails this test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
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


# Personnel: plans and dossiers answer 404 to everyone but the organizers of the congress's
# unit or of a level above, and inspectors; every such page and API read is checked here.

PERSONNEL_IDS = {"plan_id", "candidate_id"}


def _personnel_gets(plan_id: int, candidate_id: int) -> list[str]:
    ids = {"plan_id": plan_id, "candidate_id": candidate_id}
    urls = []
    for route, ns, _view in _walk(get_resolver().url_patterns):
        if ns == "personnel" and any(f"<int:{k}>" in route for k in PERSONNEL_IDS):
            url = "/" + route
            for key, value in ids.items():
                url = url.replace(f"<int:{key}>", str(value))
            urls.append(url)
    for name, _op in _operations():
        path, methods = name.split(" ")
        if (
            "GET" in methods
            and "personnel" in path
            and any(f"{{{k}}}" in path for k in PERSONNEL_IDS)
        ):
            url = "/api/v1" + path
            for key, value in ids.items():
                url = url.replace(f"{{{key}}}", str(value))
            urls.append(url.replace("/api/v1//", "/api/v1/"))
    return urls


@pytest.mark.django_db
def test_personnel_plans_and_dossiers_are_404_outside_their_readers(province: Any) -> None:
    from django.test import Client

    from daihoi import testing
    from daihoi.personnel.models import DossierView
    from daihoi.personnel.tests.conftest import make_desk

    desk = make_desk(province)
    candidate = desk.reelection()
    urls = _personnel_gets(desk.plan.pk, candidate.pk)
    assert len(urls) >= 6 and any("/api/v1/" in u for u in urls)
    outsiders = [
        testing.make_user(username="r_org_d2", role="organizer", unit=province["d2"]),
        testing.make_user(username="r_org_g1", role="organizer", unit=province["g1"]),
        testing.make_user(username="r_member", role="member", unit=province["d1"]),
        testing.make_user(username="r_editor", role="document_editor", unit=province["province"]),
    ]
    for user in outsiders:
        client = Client()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
    assert not DossierView.objects.exists()
    for user in (desk.preparer, desk.higher, desk.inspector):
        client = Client()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.username, url)


# Cases: a case's content and sender are for its handling inspectors and its sender; every
# page and API read of one case (or one congress's cases) is 404 to anyone else.

CASE_IDS = {"case_id", "congress_id"}


def _cases_gets(case_id: int, congress_id: int) -> list[str]:
    ids = {"case_id": case_id, "congress_id": congress_id}
    urls = []
    for route, ns, _view in _walk(get_resolver().url_patterns):
        # Public forms are public; feedback (opinions, no sender shown) is for organizers.
        if (
            ns == "cases"
            and any(f"<int:{k}>" in route for k in CASE_IDS)
            and not any(part in route for part in ("public", "feedback"))
        ):
            url = "/" + route
            for key, value in ids.items():
                url = url.replace(f"<int:{key}>", str(value))
            urls.append(url)
    for name, _op in _operations():
        path, methods = name.split(" ")
        if (
            "GET" in methods
            and path.startswith("/cases")
            and any(f"{{{k}}}" in path for k in CASE_IDS)
        ):
            url = "/api/v1" + path
            for key, value in ids.items():
                url = url.replace(f"{{{key}}}", str(value))
            urls.append(url)
    return urls


@pytest.mark.django_db
def test_cases_are_404_outside_their_readers(province: Any, settings: Any) -> None:
    from django.test import Client

    from daihoi import testing
    from daihoi.accounts.authority import SYSTEM
    from daihoi.cases.tests.conftest import make_office
    from daihoi.core import hooks

    settings.DAIHOI_TODAY = "2025-06-10"
    office = make_office(province)
    case = office.accept(office.denounce())
    hooks.congress_transitioned(actor=SYSTEM, congress=office.desk.congress, transition="convene")
    urls = _cases_gets(case.pk, office.desk.congress.pk)
    assert len(urls) >= 5 and any("/api/v1/" in u for u in urls)
    outsiders = [
        testing.make_user(username="c_org_d2", role="organizer", unit=province["d2"]),
        testing.make_user(username="c_insp_d2", role="inspector", unit=province["d2"]),
        testing.make_user(username="c_member", role="member", unit=province["d1"]),
        testing.make_user(username="c_editor", role="document_editor", unit=province["province"]),
    ]
    for user in outsiders:
        client = Client()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
    for user in (office.inspector, office.inspector2):
        client = Client()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.username, url)

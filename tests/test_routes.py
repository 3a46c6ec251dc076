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


def _gets_with_ids(
    ids: dict[str, int], *, namespace: str, api_prefix: str, skip: tuple[str, ...] = ()
) -> list[str]:
    """Every page of `namespace` and every API GET under `api_prefix` whose path takes one of
    `ids`, with the ids filled in (routes holding a `skip` part left out)."""
    urls = []
    for route, ns, _view in _walk(get_resolver().url_patterns):
        takes_id = any(f"<int:{k}>" in route for k in ids)
        if ns == namespace and takes_id and not any(part in route for part in skip):
            url = "/" + route
            for key, value in ids.items():
                url = url.replace(f"<int:{key}>", str(value))
            urls.append(url)
    for name, _op in _operations():
        path, methods = name.split(" ")
        path = "/" + path.lstrip("/")
        if (
            "GET" in methods
            and path.startswith(api_prefix)
            and any(f"{{{k}}}" in path for k in ids)
        ):
            url = "/api/v1" + path
            for key, value in ids.items():
                url = url.replace(f"{{{key}}}", str(value))
            urls.append(url)
    return urls


def _assert_only_readers_reach(
    urls: list[str], *, outsiders: list[Any], readers: list[Any]
) -> None:
    from django.test import Client

    for user, expected in [(u, 404) for u in outsiders] + [(u, 200) for u in readers]:
        client = Client()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == expected, (user.username, url)


def _personnel_gets(plan_id: int, candidate_id: int) -> list[str]:
    ids = {"plan_id": plan_id, "candidate_id": candidate_id}
    return _gets_with_ids(ids, namespace="personnel", api_prefix="/personnel")


@pytest.mark.django_db
def test_personnel_plans_and_dossiers_are_404_outside_their_readers(province: Any) -> None:
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
    _assert_only_readers_reach(urls, outsiders=outsiders, readers=[])
    assert not DossierView.objects.exists()  # a refused read is no view
    _assert_only_readers_reach(
        urls, outsiders=[], readers=[desk.preparer, desk.higher, desk.inspector]
    )


# Cases: a case's content and sender are for its handling inspectors and its sender; every
# page and API read of one case (or one congress's cases) is 404 to anyone else.

CASE_IDS = {"case_id", "congress_id"}


def _cases_gets(case_id: int, congress_id: int) -> list[str]:
    # Public forms are public; feedback (opinions, no sender shown) is for organizers.
    ids = {"case_id": case_id, "congress_id": congress_id}
    return _gets_with_ids(ids, namespace="cases", api_prefix="/cases", skip=("public", "feedback"))


@pytest.mark.django_db
def test_cases_are_404_outside_their_readers(province: Any, settings: Any) -> None:
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
    _assert_only_readers_reach(
        urls, outsiders=outsiders, readers=[office.inspector, office.inspector2]
    )

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from daihoi import testing
from daihoi.accounts import actions
from daihoi.accounts.authority import SYSTEM, scope_paths
from daihoi.accounts.models import Role, RoleGrant
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def test_login_and_logout_through_the_form(organizer_d1: Any) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "org_d1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/u/D1/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/u/D1/").status_code == 302


def test_login_is_locked_after_five_failures(organizer_d1: Any) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "org_d1", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "org_d1", "password": PASSWORD})
    assert response.status_code == 429
    assert client.get("/u/D1/").status_code == 302


def test_password_change(organizer_d1: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer secret 42",
            "new_password2": "a much longer secret 42",
        },
    )
    assert response.status_code == 302
    organizer_d1.refresh_from_db()
    assert organizer_d1.check_password("a much longer secret 42")


def test_organizer_grants_a_role_within_their_subtree_and_it_is_audited(
    organizer_d1: Any, province: Any
) -> None:
    member = testing.make_user(username="newcomer")
    client = Client()
    client.force_login(organizer_d1)
    response = client.post(
        "/accounts/grants/", {"username": "newcomer", "role": "organizer", "unit_code": "G1"}
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=member, unit=province["g1"]).exists()
    assert AuditEvent.objects.filter(action="role_grant").count() == 1
    assert scope_paths(member) == [province["g1"].path]


def test_organizer_cannot_grant_outside_their_subtree(organizer_d1: Any, province: Any) -> None:
    testing.make_user(username="newcomer")
    client = Client(headers={"accept-language": "en"})
    client.force_login(organizer_d1)
    response = client.post(
        "/accounts/grants/", {"username": "newcomer", "role": "organizer", "unit_code": "G2"}
    )
    assert response.status_code == 200
    assert "No unit with this code in your area." in response.content.decode()
    assert not RoleGrant.objects.filter(user__username="newcomer").exists()
    with pytest.raises(PermissionDenied):
        actions.role_grant(
            actor=organizer_d1, user=organizer_d1, role=Role.ORGANIZER, unit=province["province"]
        )


def test_expired_and_revoked_grants_give_no_scope(province: Any) -> None:
    user = testing.make_user(username="old")
    RoleGrant.objects.create(
        user=user,
        role=Role.ORGANIZER,
        unit=province["d1"],
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    assert scope_paths(user) == []
    grant = RoleGrant.objects.create(
        user=user, role=Role.ORGANIZER, unit=province["d2"], valid_from=datetime.date(2020, 1, 1)
    )
    actions.role_revoke(actor=SYSTEM, grant=grant)
    user = type(user).objects.get(pk=user.pk)
    assert scope_paths(user) == []


def test_organizer_cannot_revoke_a_grant_outside_their_subtree(
    organizer_d1: Any, province: Any
) -> None:
    other = testing.make_user(username="other", role=Role.ORGANIZER, unit=province["d2"])
    grant = RoleGrant.objects.get(user=other)
    client = Client()
    client.force_login(organizer_d1)
    assert client.post(f"/accounts/grants/{grant.pk}/revoke/").status_code == 404


def test_the_roles_link_is_shown_only_to_those_who_may_manage_roles(
    organizer_d1: Any, province: Any
) -> None:
    member = testing.make_user(username="member", role=Role.MEMBER, unit=province["c1"])
    roles_link = 'href="/accounts/grants/"'
    client = Client()
    client.force_login(member)
    assert roles_link not in client.get("/").content.decode()
    assert client.get("/accounts/grants/").status_code == 403
    client.force_login(organizer_d1)
    assert roles_link in client.get("/").content.decode()

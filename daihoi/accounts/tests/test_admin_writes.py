"""Every write the Django admin can make goes through an action and lands in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from daihoi import testing
from daihoi.accounts import actions
from daihoi.accounts.admin import ApiTokenAdmin, RoleGrantAdmin, UserAdmin
from daihoi.accounts.models import ApiToken, RoleGrant, User
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# The admins that write, each through audited actions (tested below); all others read only.
AUDITED_ADMINS = {UserAdmin, RoleGrantAdmin}


@pytest.fixture
def root() -> User:
    return testing.make_user(username="root", superuser=True)


@pytest.fixture
def client_root(root: User) -> Client:
    client = Client()
    client.force_login(root)
    return client


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("chain", "seq").values_list("action", flat=True))


def test_every_admin_either_writes_through_actions_or_is_read_only(root: User) -> None:
    request = RequestFactory().get("/admin/")
    request.user = root
    writable = []
    for model, model_admin in admin.site._registry.items():
        if type(model_admin) in AUDITED_ADMINS:
            continue
        can = [
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request, None),
            model_admin.has_delete_permission(request, None),
        ]
        if any(can):
            writable.append(model._meta.label)
    assert writable == []


def test_admin_creates_a_user_through_the_action(client_root: Client) -> None:
    response = client_root.post(
        "/admin/accounts/user/add/",
        {
            "username": "newbie",
            "password1": "a long enough passphrase 1",
            "password2": "a long enough passphrase 1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(username="newbie")
    assert user.check_password("a long enough passphrase 1")
    event = AuditEvent.objects.get(action="user_create")
    assert event.object_id == str(user.pk) and event.actor_label == "root"


def test_admin_superuser_flag_is_audited(client_root: Client) -> None:
    user = testing.make_user(username="plain")
    response = client_root.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": "plain",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    user.refresh_from_db()
    assert user.is_superuser
    event = AuditEvent.objects.get(action="user_update")
    assert event.changes["is_superuser"] == {"from": False, "to": True}
    assert "password" not in event.changes


def test_admin_password_set_is_audited_and_ends_tokens(client_root: Client) -> None:
    user = testing.make_user(username="forgetful")
    actions.api_token_create(actor=user, user=user, name="cli")
    response = client_root.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {
            "password1": "another long passphrase 2",
            "password2": "another long passphrase 2",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    user.refresh_from_db()
    assert user.check_password("another long passphrase 2")
    assert "user_password_set" in _actions() and "api_tokens_end" in _actions()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_admin_deletes_a_user_without_grants_through_the_action(client_root: Client) -> None:
    user = testing.make_user(username="gone")
    response = client_root.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert AuditEvent.objects.get(action="user_delete").changes["username"] == "gone"


def test_admin_refuses_to_delete_a_user_with_grants(client_root: Client, province: Any) -> None:
    user = testing.make_user(username="org", role=testing.ORGANIZER, unit=province["d1"])
    response = client_root.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = client_root.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=user.pk).exists()
    assert RoleGrant.objects.filter(user=user).count() == 1


def test_user_delete_action_refuses_with_grants(root: User, province: Any) -> None:
    user = testing.make_user(username="org", role=testing.ORGANIZER, unit=province["d1"])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        actions.user_delete(actor=root, user=user)
    assert exc.value.code == "user_has_grants"
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):  # the database refuses too
        user.delete()


def test_admin_revokes_tokens_through_the_action(client_root: Client) -> None:
    user = testing.make_user(username="holder")
    token, _key = actions.api_token_create(actor=user, user=user, name="cli")
    response = client_root.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.get(action="api_token_revoke").changes["prefix"] == token.prefix
    assert ApiTokenAdmin  # tokens cannot be added, edited or deleted in the admin


def test_admin_deactivates_users_through_the_action(client_root: Client, province: Any) -> None:
    user = testing.make_user(username="org", role=testing.ORGANIZER, unit=province["d1"])
    response = client_root.post(
        "/admin/accounts/user/",
        {"action": "deactivate_users", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEvent.objects.get(action="user_update").changes["is_active"]["to"] is False

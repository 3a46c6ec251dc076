"""API tokens: revoked on their page, ended by a password change, refused once ended."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from daihoi import testing
from daihoi.accounts import actions
from daihoi.accounts.models import ApiToken
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _api(key: str) -> int:
    return Client().get("/api/v1/units/D1", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def test_token_page_shows_the_new_key_once_and_is_not_cached(organizer_d1: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    response = client.post("/accounts/tokens/", {"name": "script"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert key not in client.get("/accounts/tokens/").content.decode()


def test_token_revoked_on_its_page_is_refused(organizer_d1: Any) -> None:
    token, key = actions.api_token_create(actor=organizer_d1, user=organizer_d1, name="cli")
    assert _api(key) == 200
    client = Client()
    client.force_login(organizer_d1)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert _api(key) == 401
    assert AuditEvent.objects.filter(action="api_token_revoke", object_id=str(token.pk)).exists()


def test_another_users_token_cannot_be_revoked(organizer_d1: Any, province: Any) -> None:
    other = testing.make_user(username="other", role=testing.ORGANIZER, unit=province["d1"])
    token, key = actions.api_token_create(actor=other, user=other, name="cli")
    client = Client()
    client.force_login(organizer_d1)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert _api(key) == 200


def test_password_change_ends_every_token(organizer_d1: Any) -> None:
    _token, key = actions.api_token_create(actor=organizer_d1, user=organizer_d1, name="cli")
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
    assert _api(key) == 401
    assert not ApiToken.objects.filter(user=organizer_d1, revoked_at__isnull=True).exists()
    assert {"user_password_set", "api_tokens_end"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_short_passwords_are_refused(organizer_d1: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Xk8#pq2!zm", "new_password2": "Xk8#pq2!zm"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors

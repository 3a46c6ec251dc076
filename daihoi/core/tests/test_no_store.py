"""What only a signed-in user may see is never stored by a cache: pages, exports, the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/u/D1/", "/u/D1/members.csv", "/u/D1/members.xlsx", "/accounts/tokens/"]
)
def test_signed_in_pages_and_exports_are_no_store(organizer_d1: Any, url: str) -> None:
    client = Client()
    client.force_login(organizer_d1)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_api_answers_are_no_store(organizer_d1: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    assert client.get("/api/v1/units/D1")["Cache-Control"] == "no-store"


def test_the_anonymous_login_page_is_not_forced_to_no_store(db: Any) -> None:
    assert Client().get("/accounts/login/").get("Cache-Control", "") != "no-store"

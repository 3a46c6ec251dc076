"""The API's docs page loads nothing from the internet: Swagger UI comes from static files."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from daihoi import testing


@pytest.mark.django_db
def test_the_api_docs_are_served_from_static_files() -> None:
    client = Client()
    client.force_login(testing.make_user(username="reader"))
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))]

"""A directive's attached file is served through a scoped view, never from public media."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from daihoi import testing
from daihoi.congresses.models import Directive

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_attachment_is_for_those_who_see_the_directive(
    settings: Any, tmp_path: Any, organizer_province: Any, organizer_d1: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    published = _client(organizer_province).post(
        "/congresses/directives/",
        {
            "unit_code": "P",
            "kind": "directive",
            "number": "45-CT/TW",
            "issued_on": "2025-04-14",
            "title": "Về đại hội",
            "attachment": SimpleUploadedFile("ct45.pdf", b"%PDF-1.4 directive"),
        },
    )
    assert published.status_code == 302
    directive = Directive.objects.get(number="45-CT/TW")
    page = _client(organizer_d1).get(f"/congresses/directives/{directive.pk}/").content.decode()
    url = f"/congresses/directives/{directive.pk}/attachment/"
    assert url in page and "/media/" not in page
    response = _client(organizer_d1).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 directive"
    outsider = testing.make_user(username="outsider")
    assert _client(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page

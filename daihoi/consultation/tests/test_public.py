"""Comments from the public: no account, a rate limit and a challenge against scripts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache

from daihoi.consultation import guard
from daihoi.consultation.models import Comment
from daihoi.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    cache.clear()


def _form(client: Any, url: str) -> dict[str, str]:
    html = client.get(url).content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    a, b = guard.question_of(token)
    return {"challenge": token, "answer": str(a + b), "website": ""}


def test_anyone_comments_on_a_public_consultation_after_answering(
    client: Any, public_consultation: Any, settings_tasks: Any
) -> None:
    url = f"/consultation/public/{public_consultation.pk}/"
    data = _form(client, url) | {
        "text": "Đề nghị quan tâm người dân vùng sâu.",
        "paragraph": "p2",
        "name": "Trần Thị Hoa",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.author is None and comment.unit is None and comment.level == ""
    assert comment.public_name == "Trần Thị Hoa" and comment.paragraph.anchor == "p2"
    assert AuditEvent.objects.filter(action="comment_submit_public").count() == 1


def test_a_wrong_answer_is_refused_and_nothing_is_saved(
    client: Any, public_consultation: Any, settings_tasks: Any
) -> None:
    url = f"/consultation/public/{public_consultation.pk}/"
    data = _form(client, url) | {"text": "Ý kiến."}
    data["answer"] = "99"
    response = client.post(url, data)
    assert response.status_code == 400 and "not right" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_honeypot_and_a_replayed_form_save_nothing(
    client: Any, public_consultation: Any, settings_tasks: Any
) -> None:
    url = f"/consultation/public/{public_consultation.pk}/"
    data = _form(client, url) | {"text": "Quảng cáo.", "website": "http://spam"}
    client.post(url, data)
    assert not Comment.objects.exists()
    data = _form(client, url) | {"text": "Ý kiến thật."}
    assert client.post(url, data).status_code == 200
    replay = client.post(url, data)
    assert replay.status_code == 400 and "already sent" in replay.content.decode()
    assert Comment.objects.count() == 1


def test_a_form_sent_faster_than_a_person_types_is_refused(
    client: Any, public_consultation: Any, settings_tasks: Any
) -> None:
    settings_tasks.DAIHOI_CHALLENGE_MIN_SECONDS = 60
    url = f"/consultation/public/{public_consultation.pk}/"
    response = client.post(url, _form(client, url) | {"text": "Ý kiến."})
    assert response.status_code == 400 and not Comment.objects.exists()


def test_too_many_comments_from_one_address_get_429(
    client: Any, public_consultation: Any, settings_tasks: Any
) -> None:
    settings_tasks.DAIHOI_PUBLIC_COMMENTS_PER_HOUR = 2
    url = f"/consultation/public/{public_consultation.pk}/"
    for n in range(2):
        assert client.post(url, _form(client, url) | {"text": f"Ý kiến {n}."}).status_code == 200
    response = client.post(url, _form(client, url) | {"text": "Ý kiến 3."})
    assert response.status_code == 429 and "Too many comments" in response.content.decode()
    assert Comment.objects.count() == 2


def test_a_members_only_consultation_is_not_public(client: Any, consultation: Any) -> None:
    assert client.get(f"/consultation/public/{consultation.pk}/").status_code == 404

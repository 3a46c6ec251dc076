"""Comment ingestion through the API is limited per token; the challenge token hides its answer."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.core.cache import cache

from daihoi.accounts import actions as account_actions
from daihoi.consultation import guard


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    cache.clear()


def _batch(client: Any, consultation: Any, key: str) -> int:
    items = [{"text": "Ý kiến.", "paragraph": "p1", "channel": "letter", "unit": "C1"}]
    return client.post(
        f"/api/v1/consultations/{consultation.pk}/comments/batch",
        json.dumps({"comments": items}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).status_code


def test_the_batch_api_is_limited_per_token(
    client: Any, consultation: Any, editor: Any, settings: Any
) -> None:
    settings.DAIHOI_API_COMMENT_CALLS_PER_HOUR = 2
    _t, first = account_actions.api_token_create(actor=editor, user=editor, name="a")
    _t, second = account_actions.api_token_create(actor=editor, user=editor, name="b")
    assert [_batch(client, consultation, first) for _ in range(3)] == [201, 201, 429]
    assert _batch(client, consultation, second) == 201  # another token counts apart


def test_the_challenge_token_does_not_carry_a_readable_answer() -> None:
    challenge = guard.issue_challenge()
    a, b = challenge.question
    raw = challenge.token
    padded = raw + "=" * (-len(raw) % 4)
    decoded = base64.urlsafe_b64decode(padded)
    assert b'"a"' not in decoded and b'"b"' not in decoded
    assert f'"a": {a}'.encode() not in decoded
    assert guard.question_of(raw) == (a, b)
    assert guard.question_of(raw[:-4] + "AAAA") is None

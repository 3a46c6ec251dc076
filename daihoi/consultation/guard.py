"""Defences of the public comment form: a per-address rate limit and a challenge for scripts.

The challenge is a signed arithmetic question (no server state), a honeypot field that people
never see, and a minimum time between showing the form and submitting it. A used challenge
is remembered until it expires, so it cannot be replayed.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from daihoi.core import throttle

SALT = "daihoi.consultation.challenge"
HONEYPOT = "website"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def rate_limited(request: HttpRequest, *, scope: str) -> bool:
    """Count one attempt for the client; True when over the hourly limit."""
    limit = int(_setting("DAIHOI_PUBLIC_COMMENTS_PER_HOUR", 10))
    return throttle.rate_limited(request, scope=scope, limit=limit)


@dataclass(frozen=True)
class Challenge:
    question: tuple[int, int]
    token: str


def issue_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "t": time.time(), "n": secrets.token_hex(8)}, salt=SALT)
    return Challenge(question=(a, b), token=token)


def check_challenge(*, token: str, answer: str, honeypot: str) -> str | None:
    """None when the submission passes; otherwise a code: honeypot, expired, invalid,
    too_fast, wrong, replayed."""
    if honeypot:
        return "honeypot"
    max_age = int(_setting("DAIHOI_CHALLENGE_MAX_AGE", 3600))
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        return "expired"
    except signing.BadSignature:
        return "invalid"
    if time.time() - float(data["t"]) < float(_setting("DAIHOI_CHALLENGE_MIN_SECONDS", 3)):
        return "too_fast"
    if answer.strip() != str(int(data["a"]) + int(data["b"])):
        return "wrong"
    if not cache.add(f"daihoi:challenge:{data['n']}", 1, timeout=max_age):
        return "replayed"
    return None


def question_of(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return int(data["a"]), int(data["b"])

"""Defences of the public comment form: a per-address rate limit and a challenge for scripts.

The challenge is an arithmetic question carried in an encrypted token (Fernet, a key derived
from SECRET_KEY): the page shows the question, but the token does not give the answer away to
a script, and no server state is needed until it is used. A honeypot field that people never
see and a minimum time between showing the form and submitting it complete it. A used
challenge is remembered in the cache (Redis in production, shared by every worker) until it
expires, so it cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from daihoi.core.ratelimit import client_address, hit

SALT = "daihoi.consultation.challenge"
HONEYPOT = "website"

__all__ = [
    "CHALLENGE_MESSAGES",
    "HONEYPOT",
    "Screening",
    "check_challenge",
    "client_address",
    "issue_challenge",
    "rate_limited",
    "screen",
]

CHALLENGE_MESSAGES = {
    "expired": gettext_lazy("The form expired. Please answer the new question."),
    "invalid": gettext_lazy("The form was altered. Please answer the new question."),
    "too_fast": gettext_lazy("The form was sent too fast. Please take a moment and send it again."),
    "wrong": gettext_lazy("The answer to the question is not right."),
    "replayed": gettext_lazy("This form was already sent. Please answer the new question."),
}


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"{SALT}:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def rate_limited(request: HttpRequest, *, scope: str) -> bool:
    """Count one attempt for the client; True when over the hourly limit."""
    limit = int(_setting("DAIHOI_PUBLIC_COMMENTS_PER_HOUR", 10))
    return hit(scope, client_address(request), limit=limit)


@dataclass(frozen=True)
class Challenge:
    question: tuple[int, int]
    token: str


def issue_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    data = {"a": a, "b": b, "t": time.time(), "n": secrets.token_hex(8)}
    token = _fernet().encrypt(json.dumps(data).encode()).decode()
    return Challenge(question=(a, b), token=token)


def _open(token: str, max_age: int | None = None) -> dict[str, Any] | None:
    try:
        return dict(json.loads(_fernet().decrypt(token.encode(), ttl=max_age)))
    except (InvalidToken, ValueError, TypeError):
        return None


def check_challenge(*, token: str, answer: str, honeypot: str) -> str | None:
    """None when the submission passes; otherwise a code: honeypot, expired, invalid,
    too_fast, wrong, replayed."""
    if honeypot:
        return "honeypot"
    max_age = int(_setting("DAIHOI_CHALLENGE_MAX_AGE", 3600))
    data = _open(token, max_age)
    if data is None:
        return "expired" if _open(token) is not None else "invalid"
    if time.time() - float(data["t"]) < float(_setting("DAIHOI_CHALLENGE_MIN_SECONDS", 3)):
        return "too_fast"
    if answer.strip() != str(int(data["a"]) + int(data["b"])):
        return "wrong"
    if not cache.add(f"daihoi:challenge:{data['n']}", 1, timeout=max_age):
        return "replayed"
    return None


def question_of(token: str) -> tuple[int, int] | None:
    """The question a token carries (server side only: the token is encrypted)."""
    data = _open(token)
    return None if data is None else (int(data["a"]), int(data["b"]))


@dataclass(frozen=True)
class Screening:
    """What the guard says about one public submission, before anything is recorded."""

    status: int  # 200 passes; 429 over the address's hourly limit; 400 challenge failed
    message: str | Promise = ""
    honeypot: bool = False  # a script filled the hidden field: thank it and record nothing

    @property
    def passed(self) -> bool:
        return self.status == 200 and not self.honeypot


def screen(request: HttpRequest, *, scope: str, too_many: str | Promise) -> Screening:
    """The rate limit, then the challenge and the honeypot, for a public form's POST."""
    if rate_limited(request, scope=scope):
        return Screening(429, too_many)
    problem = check_challenge(
        token=request.POST.get("challenge", ""),
        answer=request.POST.get("answer", ""),
        honeypot=request.POST.get(HONEYPOT, ""),
    )
    if problem == "honeypot":
        return Screening(200, honeypot=True)
    if problem is not None:
        return Screening(400, CHALLENGE_MESSAGES[problem])
    return Screening(200)

"""Printable documents of the congress day: badges, login letters and the credentials
report (PDF)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import segno
from django.http import HttpRequest
from django.template.loader import render_to_string

from daihoi.conduct import queries
from daihoi.conduct.models import Delegate
from daihoi.congresses.models import Congress
from daihoi.core.documents import render_pdf

BADGES_PER_PAGE = 8  # A4 in 2 × 4 cards of 105 × 74 mm (A7 landscape)


def badge_qr(code: str) -> str:
    """The badge code as a QR code, an SVG data URI to embed in HTML or PDF."""
    return str(segno.make(code, error="m", micro=False).svg_data_uri(scale=4, border=2))


def _pdf(html: str, request: HttpRequest | None) -> bytes:
    base_url = request.build_absolute_uri("/") if request is not None else None
    return render_pdf(html, base_url=base_url)


def badges_html(
    congress: Congress, lines: Iterable[Delegate], request: HttpRequest | None = None
) -> str:
    cards = [{"line": line, "qr": badge_qr(line.badge_code)} for line in lines]
    pages = [cards[i : i + BADGES_PER_PAGE] for i in range(0, len(cards), BADGES_PER_PAGE)]
    return render_to_string(
        "conduct/pdf/badges.html", {"congress": congress, "pages": pages}, request=request
    )


def badges_pdf(congress: Congress, request: HttpRequest | None = None) -> bytes:
    """Badges for everyone who may attend: summoned lines and alternates on standby."""
    lines = queries.roster_ordered(congress).filter(
        status__in=[Delegate.Status.SUMMONED, Delegate.Status.STANDBY, Delegate.Status.ABSENT]
    )
    return _pdf(badges_html(congress, lines, request), request)


def login_letters_pdf(
    congress: Congress,
    letters: Iterable[tuple[Delegate, str]],
    *,
    login_url: str,
    valid_until: Any,
    request: HttpRequest | None = None,
) -> bytes:
    """One A4 page per delegate: their username, the one-time code and its QR (a login link)."""
    pages = [
        {
            "line": line,
            "username": line.login.user.get_username(),
            "code": code,
            "qr": badge_qr(f"{login_url}?code={code}"),
        }
        for line, code in letters
    ]
    context = {"congress": congress, "pages": pages, "valid_until": valid_until}
    html = render_to_string("conduct/pdf/login_letters.html", context, request=request)
    return _pdf(html, request)


def credentials_report_pdf(congress: Congress, request: HttpRequest | None = None) -> bytes:
    context: dict[str, Any] = {"report": queries.credentials_report(congress)}
    html = render_to_string("conduct/pdf/credentials.html", context, request=request)
    return _pdf(html, request)

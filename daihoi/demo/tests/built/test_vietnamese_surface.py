"""Every demo page, in Vietnamese, as each demo user: no raw codes, no English sentences.

The demo is built once for this package (`conftest.py` beside this file); each user's crawl
starts at the start page and follows links within the site, breadth first and bounded.
"""

from __future__ import annotations

import gettext
import html
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client

from daihoi.accounts.models import User
from daihoi.demo.users import LOGINS

pytestmark = pytest.mark.django_db

PAGES_PER_USER = 30
APPS = Path(__file__).resolve().parents[3]

# Codes that must never reach a Vietnamese reader as they are stored.
RAW_CODES = (
    "above_grassroots",
    "grassroots",
    "province",
    "cell",
    "ex_officio",
    "not_summoned",
    "in_session",
    "political_report",
    "review_report",
    "action_program",
    "deputy_secretary",
    "Party Charter",
    "merged_committee",
)
# Links not worth following: downloads, the admin, the API, logging out, other languages.
SKIP = re.compile(
    r"^/(admin|api|static|media|i18n)/|\.(pdf|xlsx|csv|docx)$|/logout/|/stream/|/panel/|/hall/"
)
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)
_HREF = re.compile(r'href="([^"#][^"]*)"')


def _visible_text(page: str) -> str:
    return html.unescape(_TAGS.sub(" ", page))


def _english_sentences() -> list[str]:
    """Source messages of three words or more whose Vietnamese differs from the English."""
    found = set()
    for mo_path in APPS.glob("*/locale/vi/LC_MESSAGES/django.mo"):
        with mo_path.open("rb") as mo:
            catalog: dict[Any, str] = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
        for key, translated in catalog.items():
            text = key[0] if isinstance(key, tuple) else key
            if not text or "%" in text or "{" in text or "\x04" in text:
                continue
            if len(text.split()) >= 3 and translated != text:
                found.add(text)
    return sorted(found, key=len, reverse=True)


def _crawl(client: Client) -> Iterator[tuple[str, str]]:
    seen = {"/start/"}
    queue = deque(["/start/"])
    while queue and len(seen) <= PAGES_PER_USER:
        url = queue.popleft()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        yield url, page
        for href in _HREF.findall(page):
            target = urldefrag(html.unescape(href))[0]
            parsed = urlparse(target)
            if parsed.netloc or not parsed.path.startswith("/") or SKIP.search(parsed.path):
                continue
            if target not in seen and len(seen) < PAGES_PER_USER:
                seen.add(target)
                queue.append(target)


@pytest.mark.parametrize("username", [login.username for login in LOGINS])
def test_every_page_reads_in_vietnamese(demo: str, username: str, settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"
    settings.DAIHOI_TODAY = "2025-07-15"
    client = Client()
    client.force_login(User.objects.get(username=username))
    sentences = _english_sentences()
    codes = [re.compile(rf"(?<![\w/.-]){re.escape(c)}(?![\w/.-])") for c in RAW_CODES]
    problems = []
    pages = 0
    for url, page in _crawl(client):
        pages += 1
        text = _visible_text(page)
        problems += [f"{url}: raw code “{c.pattern}”" for c in codes if c.search(text)]
        problems += [f"{url}: English “{s}”" for s in sentences if s in text]
    assert pages >= 3, f"{username} reached only {pages} pages"
    assert problems == [], "\n".join(sorted(set(problems)))

"""The rulebook browser shows every rule of the loaded rulebook, in words, with its source."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi import testing
from daihoi.congresses import planning
from daihoi.rulebooks import display, outline
from daihoi.rulebooks.loader import available_rulebooks, load_rulebook

BOOKS = [b.id for b in available_rulebooks()]
_ROW = re.compile(r'<tr id="[^"]+" data-rule="([^"]+)"( class="unverified")?>(.*?)</tr>', re.S)


@pytest.fixture
def client_in(client, db):
    client.force_login(testing.make_user(username="reader"))
    return client


def _rows(page: str) -> dict[str, tuple[bool, str]]:
    return {m.group(1): (bool(m.group(2)), html.unescape(m.group(3))) for m in _ROW.finditer(page)}


@pytest.mark.parametrize("book_id", BOOKS)
def test_every_rule_of_the_rulebook_is_on_its_page_with_source_and_unverified_mark(
    client_in, book_id
):
    book = load_rulebook(book_id)
    page = client_in.get(f"/rulebooks/{book_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _rows(page)
    cited = dict(book.cited_values())
    assert set(rows) == set(cited)
    for path, (marked, text) in rows.items():
        assert marked == cited[path].unverified, path
        assert cited[path].source in text, path
        assert ("unverified" in text) == cited[path].unverified, path


@pytest.mark.parametrize("book_id", BOOKS)
@pytest.mark.parametrize("lang", ["vi", "en", "de"])
def test_every_rule_has_a_label_and_a_value_in_words(book_id, lang):
    book = load_rulebook(book_id)
    with translation.override(lang):
        for rule in outline.rules(book):
            assert display.has_label(rule.pattern), rule.pattern
            label = display.label(rule, book)
            value = display.value_text(rule, book)
            assert label and value and "_" not in label + value, (rule.path, label, value)


def test_the_vietnamese_page_shows_no_internal_key(client_in):
    page = client_in.get("/rulebooks/vn-cpv-2025/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for raw in ("above_grassroots", "ex_officio", "not_summoned", "Party Charter", "True"):
        assert raw not in text
    assert "Chỉ thị số 45-CT/TW" in text  # sources by their full titles


def test_the_comparison_shows_every_rule_value_that_changed(client_in):
    old, new = load_rulebook("vn-cpv-2024"), load_rulebook("vn-cpv-2025")
    page = client_in.get("/rulebooks/vn-cpv-2024/compare/vn-cpv-2025/").content.decode()
    shown = set(re.findall(r'<tr id="(rule-[^"]+)" class="changed">', page))
    changed = {outline.anchor(c.path) for c in planning.diff_rules(old, new)}
    assert changed and changed <= shown
    full = client_in.get("/rulebooks/vn-cpv-2024/compare/vn-cpv-2025/?all=1").content.decode()
    assert len(re.findall(r'<tr id="rule-', full)) >= len(list(new.cited_values()))


def test_an_unknown_rulebook_is_404_and_the_browser_needs_a_login(client, client_in):
    assert client_in.get("/rulebooks/vn-cpv-1999/").status_code == 404
    client.logout()
    assert client.get("/rulebooks/vn-cpv-2025/").status_code == 302


@settings(deadline=None)
@given(path=st.from_regex(r"\A[a-z_]{1,12}(\.[a-z_]{1,12}|\[[0-9]{1,3}\]){0,5}\Z"))
def test_a_pattern_is_stable_and_an_anchor_is_a_plain_id(path):
    assert outline.pattern_of(outline.pattern_of(path)) == outline.pattern_of(path)
    assert re.fullmatch(r"rule-[a-z0-9_-]*", outline.anchor(path))


@pytest.mark.parametrize("book_id", BOOKS)
def test_every_rule_has_its_own_anchor(book_id):
    found = outline.rules(load_rulebook(book_id))
    assert len({r.anchor for r in found}) == len(found)

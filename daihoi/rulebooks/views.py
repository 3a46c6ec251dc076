"""The rulebook browser: every rule of a rulebook in plain language with its source, and a
side-by-side comparison of two rulebooks. Rulebooks are the same for everyone signed in."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from daihoi.core.access import scoped
from daihoi.rulebooks import display, outline
from daihoi.rulebooks.loader import RulebookError, available_rulebooks, load_rulebook
from daihoi.rulebooks.schema import Rulebook


def _book(rulebook_id: str) -> Rulebook:
    if rulebook_id not in {b.id for b in available_rulebooks()}:
        raise Http404("No such rulebook")
    try:
        return load_rulebook(rulebook_id)
    except RulebookError:
        raise Http404("No such rulebook") from None


def rule_row(rule: outline.Rule, book: Rulebook) -> dict[str, Any]:
    return {
        "anchor": rule.anchor,
        "path": rule.path,
        "label": display.label(rule, book),
        "value": display.value_text(rule, book),
        "source": display.source_text(rule, book),
        "unverified": rule.cited.unverified,
    }


@scoped
def rulebook_list(request: HttpRequest) -> HttpResponse:
    books = sorted(available_rulebooks(), key=lambda b: b.effective_date)
    lang = (get_language() or "vi")[:2]
    rows = [{"book": b, "title": b.title.get(lang)} for b in books]
    pairs = [(b.supersedes, b.id) for b in books if b.supersedes]
    return render(request, "rulebooks/list.html", {"rows": rows, "pairs": pairs})


@scoped
def rulebook_detail(request: HttpRequest, rulebook_id: str) -> HttpResponse:
    book = _book(rulebook_id)
    lang = (get_language() or "vi")[:2]
    sections = [
        (name, display.SECTIONS[name], [rule_row(r, book) for r in rules])
        for name, rules in outline.by_section(book)
    ]
    levels = [
        {
            "name": level.names.get(lang),
            "parents": [book.level(p).names.get(lang) for p in level.parents],
        }
        for level in book.levels
    ]
    context = {
        "book": book,
        "title": book.title.get(lang),
        "levels": levels,
        "sections": sections,
        "unverified": len(book.unverified_paths()),
        "total": sum(len(rows) for _code, _name, rows in sections),
        # In Vietnamese the documents by their full titles only; elsewhere short name and title.
        "sources": sorted(book.sources.items()),
        "titles_only": lang == "vi",
    }
    return render(request, "rulebooks/detail.html", context)


@scoped
def rulebook_compare(request: HttpRequest, old_id: str, new_id: str) -> HttpResponse:
    old, new = _book(old_id), _book(new_id)
    show_all = request.GET.get("all") == "1"
    rows = [
        {
            "label": display.label(pair.rule, new if pair.new else old),
            "anchor": pair.rule.anchor,
            "old": rule_row(pair.old, old) if pair.old else None,
            "new": rule_row(pair.new, new) if pair.new else None,
            "changed": pair.changed,
        }
        for pair in outline.diff(old, new, changed_only=not show_all)
    ]
    lang = (get_language() or "vi")[:2]
    context = {
        "old": old,
        "new": new,
        "old_title": old.title.get(lang),
        "new_title": new.title.get(lang),
        "rows": rows,
        "show_all": show_all,
    }
    return render(request, "rulebooks/compare.html", context)

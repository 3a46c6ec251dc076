from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from daihoi.conduct.models import Delegate

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["vi", "de"])
def test_catalog_is_complete_and_not_fuzzy(language: str) -> None:
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    assert "#, fuzzy" not in po
    empty = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$', e, re.M)]
    assert empty == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


def test_statuses_read_in_vietnamese() -> None:
    with translation.override("vi"):
        assert str(Delegate.Status.NOT_SUMMONED.label) == "không triệu tập"

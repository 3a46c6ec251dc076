"""Every app's catalogs are complete in Vietnamese and German, and up to date with the code."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent for p in (ROOT / "daihoi").glob("*/apps.py"))
LANGS = ("vi", "de")
_ENTRY = re.compile(r'^msgid (".*")\n(?:".*"\n)*', re.MULTILINE)


def _app_ids(app: Path) -> str:
    return app.name


def _msgids(po: Path) -> set[str]:
    text = po.read_text(encoding="utf-8")
    ids = set()
    for block in re.split(r"\n\n+", text):
        if "#, fuzzy" in block.splitlines()[0:3] and 'msgid ""\nmsgstr ""' in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        if match:
            value = "".join(re.findall(r'"(.*)"', match.group(1)))
            if value:
                ids.add(value)
    return ids


def _has_strings(app: Path) -> bool:
    for path in list(app.rglob("*.py")) + list(app.rglob("*.html")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(
            r"\b(gettext|gettext_lazy|_|ngettext)\(\s*[\"']|{% (translate|trans|"
            r"blocktranslate|blocktrans)\b",
            text,
        ):
            return True
    return False


@pytest.mark.parametrize("app", [a for a in APPS if _has_strings(a)], ids=_app_ids)
@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete(app: Path, lang: str) -> None:
    po = app / "locale" / lang / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing"
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = result.stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{po}: {stats}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    missing = [
        m
        for m in _msgids(po)
        if "\x04" not in m and catalog.gettext(m) == m and not m.startswith("%")
    ]
    assert len(missing) <= len(_msgids(po)) // 20, f"{mo} is stale: {missing[:5]}"


@pytest.mark.parametrize("app", [a for a in APPS if _has_strings(a)], ids=_app_ids)
def test_catalog_holds_every_marked_string(app: Path, tmp_path: Path) -> None:
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("locale", "tests", "__pycache__"))
    (copy / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "daihoi.settings"}
    subprocess.run(
        [sys.executable, "-m", "daihoi.manage", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        check=True,
        timeout=300,
    )
    extracted = _msgids(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    committed = _msgids(app / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    assert sorted(extracted - committed) == []

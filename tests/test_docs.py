"""The docs stay true: every backticked path or dotted name in `docs/` exists in the code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").rglob("*.md"))
APPS = {p.name for p in (ROOT / "daihoi").iterdir() if (p / "__init__.py").exists()}
FILE_SUFFIXES = (".py", ".md", ".yaml", ".yml", ".html", ".toml", ".txt", ".json", ".css", ".js")
TOP_DIRS = ("daihoi/", "docs/", "bench/", "e2e/", "tests/", "rulebooks/", "deploy/", ".ci/")
_TICKED = re.compile(r"`([^`\n]+)`")
_DOTTED = re.compile(r"^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")


def _candidates(text: str) -> list[str]:
    names = []
    for raw in _TICKED.findall(text):
        token = raw.strip().rstrip(":,.;")
        if any(c in token for c in "<>*{}() =,'\"") or token.startswith(("/", "http", "-")):
            continue
        if (
            re.fullmatch(r"[\w-]+/([\w-]+/)*", token)  # URL segments (`roster/add/`)
            or re.fullmatch(r"[A-Z/]+", token)  # a format (`DD/MM/YYYY`)
            or token.startswith("…")  # an elided URL (`…/tally`)
        ):
            continue
        names.append(token)
    return names


def _path_exists(token: str, doc: Path) -> bool:
    """Relative to the repository, to the package, or (in `docs/apps/<app>.md`) to the app."""
    path = token.split("::")[0]
    bases = [ROOT, ROOT / "daihoi", ROOT / "daihoi" / doc.stem]
    return any((base / path).exists() for base in bases)


def _name_exists(token: str) -> bool:
    parts = token.split(".")
    if parts[0] != "daihoi":
        parts = ["daihoi", *parts]
    if len(parts) >= 3 and parts[2][:1].isupper():  # an `app.Model` label (or its field)
        parts = [parts[0], parts[1], "models", *parts[2:]]
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def _problems(doc: Path) -> list[str]:
    problems = []
    for token in _candidates(doc.read_text(encoding="utf-8")):
        if "/" in token or token.endswith(FILE_SUFFIXES):
            is_file = "." in token.rsplit("/", 1)[-1]
            if (
                "/" in token
                and (is_file or token.startswith(TOP_DIRS))
                and not _path_exists(token, doc)
            ):
                problems.append(f"path {token}")
        elif (
            _DOTTED.match(token)
            and token.split(".")[0] in APPS | {"daihoi"}
            and not _name_exists(token)
        ):
            problems.append(f"name {token}")
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_every_backticked_path_and_name_in_the_docs_exists(doc: Path) -> None:
    assert _problems(doc) == []


def test_the_docs_check_catches_a_name_and_a_path_that_do_not_exist(tmp_path: Path) -> None:
    doc = tmp_path / "made_up.md"
    doc.write_text(
        "See `congresses.actions.congress_postpone` and `daihoi/congresses/postpone.py`, "
        "but `core.audit.record` and `daihoi/core/audit/writing.py` are real.",
        encoding="utf-8",
    )
    assert _problems(doc) == [
        "name congresses.actions.congress_postpone",
        "path daihoi/congresses/postpone.py",
    ]

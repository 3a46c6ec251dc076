"""Finding and loading rulebook files. Pure Python, no Django import."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from daihoi.rulebooks.schema import Problem, Rulebook, problems_from

RULEBOOK_DIR = Path(__file__).resolve().parents[2] / "rulebooks"
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SUFFIXES = (".yaml", ".yml")


class RulebookError(Exception):
    """A rulebook file that cannot be used; names the file and every bad field."""

    def __init__(self, path: Path | str, problems: Sequence[Problem]) -> None:
        self.path = Path(path)
        self.problems = tuple(problems)
        super().__init__(f"{self.path}: " + "; ".join(str(problem) for problem in self.problems))


def rulebook_files(directory: Path | None = None) -> list[Path]:
    """The rulebook files in `directory` (default: the repository's rulebooks/), by name."""
    directory = directory or RULEBOOK_DIR
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.suffix in SUFFIXES)


def load_rulebook_file(path: Path | str) -> Rulebook:
    """Parse and validate one rulebook file; its id must match the file name."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader)  # noqa: S506 (safe loader)
    except OSError as error:
        raise RulebookError(path, [Problem("", f"cannot read: {error.strerror}")]) from error
    except yaml.YAMLError as error:
        raise RulebookError(path, [Problem("", f"invalid YAML: {error}")]) from error
    if not isinstance(data, dict):
        raise RulebookError(path, [Problem("", "the file must hold a mapping")])
    try:
        rulebook = Rulebook.model_validate(data)
    except ValidationError as error:
        raise RulebookError(path, problems_from(error)) from error
    if rulebook.id != path.stem:
        problem = Problem("id", f"{rulebook.id!r} does not match the file name {path.name!r}")
        raise RulebookError(path, [problem])
    return rulebook


@functools.cache
def _load_cached(rulebook_id: str, directory: Path) -> Rulebook:
    for path in rulebook_files(directory):
        if path.stem == rulebook_id:
            return load_rulebook_file(path)
    raise RulebookError(directory / f"{rulebook_id}.yaml", [Problem("id", "no such rulebook")])


def load_rulebook(rulebook_id: str, directory: Path | None = None) -> Rulebook:
    """The rulebook with this id; loaded once per process."""
    return _load_cached(rulebook_id, (directory or RULEBOOK_DIR).resolve())


def clear_cache() -> None:
    _load_cached.cache_clear()


def available_rulebooks(directory: Path | None = None) -> list[Rulebook]:
    """Every rulebook in the directory, ordered by effective date; raises on an invalid one."""
    books = [load_rulebook(path.stem, directory) for path in rulebook_files(directory)]
    return sorted(books, key=lambda book: (book.effective_date, book.id))

"""System check: every rulebook file must load and validate."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register

from daihoi.rulebooks.loader import RulebookError, load_rulebook_file, rulebook_files
from daihoi.rulebooks.schema import Rulebook


@register()
def check_rulebooks(
    app_configs: Sequence[AppConfig] | None = None,
    directory: Path | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """E001 invalid file (one error per bad field), E002 duplicate id, E003 unknown supersedes."""
    errors: list[CheckMessage] = []
    books: dict[str, Rulebook] = {}
    for path in rulebook_files(directory):
        try:
            book = load_rulebook_file(path)
        except RulebookError as error:
            errors.extend(
                Error(
                    f"Rulebook {path.name} is invalid at {problem.path or 'top level'}: "
                    f"{problem.message}",
                    hint="Fix the value in the rulebook file; see daihoi/rulebooks/schema.py.",
                    obj=str(path),
                    id="rulebooks.E001",
                )
                for problem in error.problems
            )
            continue
        if book.id in books:
            errors.append(
                Error(f"Rulebook id {book.id!r} is used twice.", obj=str(path), id="rulebooks.E002")
            )
        books[book.id] = book
    for book in books.values():
        if book.supersedes and book.supersedes not in books:
            errors.append(
                Error(
                    f"Rulebook {book.id} supersedes {book.supersedes!r}, which does not exist.",
                    obj=book.id,
                    id="rulebooks.E003",
                )
            )
    return errors

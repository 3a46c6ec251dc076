"""The shared body of `daihoi import_units FILE` and `daihoi import_members FILE`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daihoi.accounts.authority import SYSTEM
from daihoi.organizations.actions import ImportSummary
from daihoi.organizations.imports import ImportRejected, Table, read_table


class ImportCommand(BaseCommand):
    """Import a file as the system; print every problem and change nothing if there is one."""

    action: Callable[..., ImportSummary]
    what: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an .xlsx or UTF-8 .csv file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            table: Table = read_table(path.read_bytes(), path.name)
            summary = type(self).action(actor=SYSTEM, table=table)
        except ImportRejected as rejected:
            lines = [str(p) for p in rejected.problems]
            raise CommandError(
                "\n".join([*lines, f"{len(lines)} problem(s) in {path.name}; nothing imported."])
            ) from None
        self.stdout.write(f"{path.name}: {summary.created} {self.what} imported.")

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daihoi.core.audit import verify_chain
from daihoi.core.models import AuditEvent


class Command(BaseCommand):
    help = "Audit log tools. `daihoi audit verify` checks the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_chain()
        if problems:
            for p in problems:
                self.stderr.write(f"event {p.seq}: {p.problem}")
            raise CommandError(f"audit chain broken: {len(problems)} problem(s)")
        self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} events")

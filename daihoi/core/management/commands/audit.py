from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daihoi.core import audit
from daihoi.core.models import AuditCheckpoint, AuditEvent, AuditHead


class Command(BaseCommand):
    help = (
        "Audit log tools. `daihoi audit verify` checks every keyed chain against the"
        " checkpoints (database and anchor file); `daihoi audit checkpoint` records the tips"
        " of every chain (run it periodically, e.g. from a systemd timer or cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify", "checkpoint"])
        parser.add_argument("--reason", default="periodic", help="checkpoint: why it is taken")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["operation"] == "checkpoint":
            digest = audit.checkpoint(reason=options["reason"])
            self.stdout.write(f"checkpoint {digest}")
            return
        problems = audit.verify_chain()
        if problems:
            for p in problems:
                self.stderr.write(f"[{p.code}] {p}")
            raise CommandError(f"audit chain broken: {len(problems)} problem(s)")
        anchor = audit.anchor_path()
        self.stdout.write(
            f"audit chain intact: {AuditEvent.objects.count()} events in"
            f" {AuditHead.objects.count()} chain(s), {AuditCheckpoint.objects.count()}"
            f" checkpoint(s); anchor file: {anchor or 'not configured'}"
        )

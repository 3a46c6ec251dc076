"""Enqueue (or, with --now, run) the daily deadline digest.

Cron, once a day at 06:00:  0 6 * * *  daihoi send_deadline_digest
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from daihoi.congresses.tasks import send_deadline_digest


class Command(BaseCommand):
    help = "E-mail organizers their subtree's congresses due within 14 days and those overdue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", default="", help="Reference date YYYY-MM-DD (default today)")
        parser.add_argument("--now", action="store_true", help="Run here instead of enqueueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = send_deadline_digest.call(on=options["on"])
            self.stdout.write(f"{sent} e-mails sent")
            return
        result = send_deadline_digest.enqueue(on=options["on"])
        self.stdout.write(f"enqueued {result.id}")

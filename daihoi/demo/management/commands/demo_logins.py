"""`daihoi demo_logins`: the demo accounts, their password, role and unit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from daihoi.accounts.models import RoleGrant, User
from daihoi.demo.users import LOGINS, PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins (username, password, role, unit)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="where the demo is served"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [("username", "password", "role", "unit", "person")]
        for login in LOGINS:
            user = User.objects.filter(username=login.username).select_related("person").first()
            if user is None:
                continue
            grant = (
                RoleGrant.objects.filter(user=user, role=login.role, revoked_at__isnull=True)
                .select_related("unit")
                .first()
            )
            unit = f"{grant.unit.code} {grant.unit.name}" if grant else "—"
            role = login.role + (" (superuser)" if user.is_superuser else "")
            person = user.person.full_name if user.person else "—"
            rows.append((login.username, PASSWORD, role, unit, person))
        if len(rows) == 1:
            self.stdout.write("No demo logins yet: run `daihoi demo` first.")
            return
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        self.stdout.write(f"Demo logins for {options['url']}")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))

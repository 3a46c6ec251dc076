"""Running the statements through Django's connection, inside the action's transaction: the
page form, the API under the development server or on SQLite, tests (a batch of one)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import connection as django_connection

from daihoi.core import audit
from daihoi.elections.casting.preparing import Outcome, Pending
from daihoi.elections.casting.transaction import Steps, Written, cast_transaction
from daihoi.elections.models import Participation, SealedBallot


class DjangoDialect:
    """Values as Django's fields prepare them for the current connection (SQLite or PG)."""

    def __init__(self) -> None:
        self.locks = django_connection.vendor == "postgresql"
        self.arrays = "%s" if self.locks else ""  # Django's psycopg cursor binds on the client
        self.fuses = self.locks
        self._uuid = Participation._meta.get_field("id")
        self._binary = SealedBallot._meta.get_field("sealed")
        from daihoi.core.models import AuditEvent

        self._json = AuditEvent._meta.get_field("changes")
        self._time = AuditEvent._meta.get_field("at")

    def uuid(self, value: uuid.UUID) -> Any:
        return self._uuid.get_db_prep_value(value, django_connection)

    def binary(self, value: bytes) -> Any:
        return self._binary.get_db_prep_value(value, django_connection)

    def json(self, value: Any) -> Any:
        return self._json.get_db_prep_value(value, django_connection)

    def time(self, value: datetime.datetime) -> Any:
        return self._time.get_db_prep_value(value, django_connection)


def run_sync(steps: Steps) -> Written:
    """Run the statements on Django's connection, inside the caller's transaction."""
    with django_connection.cursor() as cursor:
        try:
            group = next(steps)
            while True:
                results = []
                for sql, params, wanted in group:
                    cursor.execute(sql, params)
                    results.append(list(cursor.fetchall()) if wanted else [])
                group = steps.send(results)
        except StopIteration as done:
            written: Written = done.value
            return written


def cast_one(pending: Pending) -> Outcome:
    """One cast through Django's connection (a batch of one); call inside a transaction."""
    from django.db import transaction
    from django.utils import timezone

    written = run_sync(cast_transaction([pending], DjangoDialect(), now=timezone.now()))
    if written.checkpoint:
        transaction.on_commit(audit.checkpoint_every, robust=True)
    return written.outcomes[0]

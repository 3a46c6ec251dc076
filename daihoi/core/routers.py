"""Read-only queries go to a replica when `DATABASE_REPLICA_URL` is set.

A read inside a transaction on the primary stays on the primary, so an action always sees
what it has just written; everything written or migrated goes to the primary.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

REPLICA = "replica"
PRIMARY = "default"


class ReplicaRouter:
    """Sends reads outside a transaction to the `replica` alias, writes to `default`."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if REPLICA not in connections.settings or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: the replica is a copy of the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY

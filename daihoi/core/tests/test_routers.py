"""With DATABASE_REPLICA_URL set, reads outside a transaction go to the replica, the rest
to the primary: checked with a second alias that points at the same database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

_SCRIPT = """
import json
import django
django.setup()
from django.contrib.sessions.models import Session
from django.db import connection, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

with connection.schema_editor() as editor:
    editor.create_model(Session)
Session.objects.create(session_key="k1", session_data="{}", expire_date=timezone.now())
reader = "replica" if "replica" in connections.settings else "default"
with CaptureQueriesContext(connections[reader]) as on_replica:
    outside = Session.objects.count()
with transaction.atomic():
    inside_route = router.db_for_read(Session)
    with CaptureQueriesContext(connections["default"]) as on_primary:
        inside = Session.objects.count()
print(json.dumps({
    "aliases": sorted(connections.settings),
    "read": router.db_for_read(Session),
    "write": router.db_for_write(Session),
    "migrate_replica": router.allow_migrate("replica", "sessions"),
    "outside": outside,
    "outside_on_replica": len(on_replica.captured_queries),
    "inside_route": inside_route,
    "inside": inside,
    "inside_on_primary": len(on_primary.captured_queries),
}))
"""


def _run(tmp_path: Path, *, replica: bool) -> dict[str, object]:
    url = f"sqlite:///{tmp_path / 'primary.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "daihoi.settings"}
    env.pop("DATABASE_REPLICA_URL", None)
    if replica:
        env["DATABASE_REPLICA_URL"] = url
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_reads_outside_a_transaction_go_to_the_replica(tmp_path: Path) -> None:
    seen = _run(tmp_path, replica=True)
    assert seen["aliases"] == ["default", "replica"]
    assert seen["read"] == "replica"
    assert seen["write"] == "default"
    assert seen["migrate_replica"] is False
    # The row written on the primary is read back through the replica alias.
    assert seen["outside"] == 1
    assert seen["outside_on_replica"] == 1


def test_reads_inside_a_transaction_stay_on_the_primary(tmp_path: Path) -> None:
    seen = _run(tmp_path, replica=True)
    assert seen["inside_route"] == "default"
    assert seen["inside"] == 1
    assert seen["inside_on_primary"] == 1


def test_without_a_replica_everything_goes_to_the_primary(tmp_path: Path) -> None:
    seen = _run(tmp_path, replica=False)
    assert seen["aliases"] == ["default"]
    assert seen["read"] == "default"
    assert seen["outside"] == 1

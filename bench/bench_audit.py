"""Audited writes per second from two provinces at once: one chain for all vs one per province.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_audit python -m bench.bench_audit

Two processes each commit `--writes` transactions that append one audit event (keyed hash,
head row locked until commit, as every action does). In `one-chain` mode both write events
outside the tree, so every append takes the same head row — the design before one chain per
root unit, when one `AuditHead` serialized the whole country. In `provinces` mode the two
processes write events of two provinces under one national root (the national tree's
shape: paths `0001 0001 …` and `0001 0002 …`). In `roots` mode they write events of two
separate root units (two provinces each imported as its own tree). Reports writes/s for
each mode and verifies every chain afterwards.

`--hold-ms` keeps each transaction open that long after the record (an action whose other
statements come after its audit record), which is where one shared head row hurts most. Each
transaction is shaped like an action's (`audit.deferred()`, which every action wraps its body
in): the event is appended when the body is done, so the head row is locked from the append
to the commit only.

Loopback only; every loop is bounded. The database named in DATABASE_URL is dropped and
recreated: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from typing import Any

from bench.common import machine, recreate_database

# unit paths each writer's events are about, by mode
MODES = {
    "one-chain": ("", ""),
    "provinces": ("000100010001", "000100020001"),
    "roots": ("00010001", "00020001"),
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()


def _writer(path: str, writes: int, hold_ms: float, start: Any, done: Any) -> None:
    _setup_django()
    from django.db import connection, transaction

    from daihoi.core import audit

    start.wait()
    t0 = time.perf_counter()
    for i in range(writes):
        # the shape of an action: its transaction, the audit record, then its other statements
        with transaction.atomic(), audit.deferred():
            audit.record(actor=None, action="bench_write", unit_path=path, changes={"i": i})
            if hold_ms:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_sleep(%s)", [hold_ms / 1000])
    done.put(time.perf_counter() - t0)
    connection.close()


def run_mode(mode: str, writes: int, hold_ms: float) -> float:
    paths = MODES[mode]
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(len(paths) + 1)
    done = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(p, writes, hold_ms, start, done)) for p in paths]
    for proc in procs:
        proc.start()
    start.wait()
    t0 = time.perf_counter()
    for proc in procs:
        proc.join(timeout=600)
    wall = time.perf_counter() - t0
    for proc in procs:
        if proc.exitcode != 0:
            raise SystemExit(f"a writer failed ({proc.exitcode})")
    return len(paths) * writes / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=1000, help="transactions per process")
    parser.add_argument("--hold-ms", type=float, default=0.0)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a scratch PostgreSQL database")
    recreate_database(url)
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    from daihoi.core import audit

    call_command("migrate", verbosity=0)
    connection.close()
    print(machine())
    print(f"{args.writes} audited transactions per province, 2 at once, hold {args.hold_ms} ms")
    for mode in MODES:
        rate = run_mode(mode, args.writes, args.hold_ms)
        print(f"  {mode:13s} {rate:8.0f} audited writes/s")
    problems = audit.verify_chain()
    print(f"chains verified: {'intact' if not problems else problems[:3]}")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Benchmark P4: the national import of units and members from CSV on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national \\
        python -m bench.bench_national_import [--members 5600000]

Recreates the scratch database named by DATABASE_URL, writes the national dataset with
`bench.national_generator`, imports the units with `units_import` and the members with
`members_import_stream` (rows checked in chunks, COPY into staging, swapped in one
transaction), and prints wall and CPU time, rows/s, peak memory and the machine. Then it
plans the 2025–2030 cycle for the national root (a congress for every unit, states spread as
in `bench.bench_dashboard`) and times the national rollups on that data: the counts by level
and state (P4), the children's rollup, the dashboard's data and its page (server time).
`--skip-import` keeps the database as a previous run left it and times the rollups only.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine, peak_mb, recreate_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=5_600_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not args.skip_import:
        recreate_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    phases = logging.getLogger("daihoi.organizations.actions.national")
    phases.addHandler(logging.StreamHandler(sys.stdout))
    phases.setLevel(logging.INFO)  # the import's phases, as it goes
    phases.propagate = False
    call_command("migrate", verbosity=0)
    print(f"machine: {machine()}")
    if not args.skip_import:
        national_import(args.members)
    rollups(args.repeat)
    print(f"machine after: {machine()}")


def national_import(members: int) -> None:
    from bench.national_generator import write
    from daihoi.accounts.authority import SYSTEM
    from daihoi.organizations.actions import members_import_stream, units_import
    from daihoi.organizations.imports import read_table

    out = Path(tempfile.mkdtemp(prefix="daihoi-national-"))
    started = time.perf_counter()
    units_file, members_file = write(out, count=members)
    print(
        f"generated {members:,} members in {time.perf_counter() - started:.0f} s "
        f"({members_file.stat().st_size / 1e6:,.0f} MB)"
    )
    print(f"machine: {machine()}")
    wall, cpu = time.perf_counter(), time.process_time()
    summary = units_import(actor=SYSTEM, table=read_table(units_file.read_bytes(), "units.csv"))
    print(
        f"units: {summary.created:,} in {time.perf_counter() - wall:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU, peak memory {peak_mb():,.0f} MB"
    )
    wall, cpu = time.perf_counter(), time.process_time()
    with members_file.open("rb") as stream:
        summary = members_import_stream(actor=SYSTEM, stream=stream, filename="members.csv")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert summary.created == members
    print(
        f"members: {summary.created:,} in {wall:.0f} s wall ({wall / 60:.1f} min), "
        f"{cpu:.0f} s CPU in Python, {summary.created / wall:,.0f} rows/s, "
        f"peak memory {peak_mb():,.0f} MB"
    )
    for path in (units_file, members_file):
        path.unlink()


def rollups(repeat: int) -> None:
    """Plan the cycle for the national root (once) and time its rollups."""
    import datetime

    from django.db import connection
    from django.test import Client

    from bench.bench_dashboard import spread_states, summary, timed
    from daihoi import testing
    from daihoi.accounts.authority import SYSTEM
    from daihoi.accounts.models import User
    from daihoi.congresses import actions, queries
    from daihoi.congresses.models import Congress, Cycle, PlanApproval
    from daihoi.organizations.models import Person, Unit

    root = Unit.objects.get(code="VN")
    cycle = Cycle.objects.filter(name="national bench").first()
    if cycle is None:
        wall = time.perf_counter()
        cycle = actions.cycle_create(
            actor=SYSTEM, name="national bench", term_start=2025, term_end=2030,
            rulebook_id="vn-cpv-2025", root=root,
        )  # fmt: skip
        actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
        PlanApproval.objects.create(cycle=cycle, unit=root)
        spread_states(cycle)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would, after the bulk writes
        print(f"planned the cycle in {time.perf_counter() - wall:.0f} s")
    units = Unit.objects.filter(path__startswith=root.path).count()
    print(
        f"national data: {units:,} units, {Person.objects.count():,} members, "
        f"{Congress.objects.filter(cycle=cycle).count():,} congresses"
    )
    summary(
        f"national rollup query ({units:,} units)",
        timed(lambda: queries.progress(cycle, root), repeat),
    )
    summary("national children's rollup", timed(lambda: queries.child_rollup(cycle, root), repeat))
    on = datetime.date(2025, 7, 15)
    summary("national dashboard data", timed(lambda: queries.dashboard(cycle, root, on=on), repeat))
    user = User.objects.filter(username="bench-national").first() or testing.make_user(
        username="bench-national", superuser=True
    )
    client = Client()
    client.force_login(user)
    url = f"/congresses/cycles/{cycle.pk}/?on=2025-07-15"
    assert client.get(url).status_code == 200
    summary("national dashboard page", timed(lambda: client.get(url), repeat))


if __name__ == "__main__":
    main()

"""Benchmark P4: the national import of units and members from CSV on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national \\
        python -m bench.bench_national_import [--members 5600000]

Recreates the scratch database named by DATABASE_URL, writes the national dataset with
`bench.national_generator`, imports the units with `units_import` and the members with
`members_import_stream` (rows checked in chunks, COPY into staging, swapped in one
transaction), and prints wall and CPU time, rows/s, peak memory and the machine.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.common import machine, peak_mb, recreate_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=5_600_000)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    recreate_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.national_generator import write
    from daihoi.accounts.authority import SYSTEM
    from daihoi.organizations.actions import members_import_stream, units_import
    from daihoi.organizations.imports import read_table

    call_command("migrate", verbosity=0)
    out = Path(tempfile.mkdtemp(prefix="daihoi-national-"))
    started = time.perf_counter()
    units_file, members_file = write(out, count=args.members)
    print(
        f"generated {args.members:,} members in {time.perf_counter() - started:.0f} s "
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
    assert summary.created == args.members
    print(
        f"members: {summary.created:,} in {wall:.0f} s wall ({wall / 60:.1f} min), "
        f"{cpu:.0f} s CPU in Python, {summary.created / wall:,.0f} rows/s, "
        f"peak memory {peak_mb():,.0f} MB"
    )
    print(f"machine after: {machine()}")
    for path in (units_file, members_file):
        path.unlink()


if __name__ == "__main__":
    main()

"""Benchmark: import 108,000 members (the demo province's people) from CSV and from XLSX.

    python -m bench.bench_import [--members 108000]

Builds the demo province's unit tree in a fresh SQLite database, writes the members the
demo generator makes to a CSV and an XLSX file, and imports each through the
`members_import` action (parse, check every row, write), emptying the people in between.
Prints rows/s, wall and CPU time, peak memory and the machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time

from bench.common import machine, peak_mb
from daihoi.accounts.authority import SYSTEM


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=108_000)
    args = parser.parse_args()
    os.environ["DAIHOI_VAR_DIR"] = tempfile.mkdtemp(prefix="daihoi-bench-import-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from daihoi.core.exports import xlsx_bytes
    from daihoi.demo import province
    from daihoi.organizations.actions import members_import
    from daihoi.organizations.imports import MEMBER_COLUMNS, read_table
    from daihoi.organizations.models import Unit

    call_command("migrate", verbosity=0)
    province.MEMBERS = args.members
    builder = province.ProvinceBuilder()
    builder.build_tree()
    Unit.objects.bulk_create(builder.units, batch_size=province.BATCH)
    people = builder.build_people()
    rows = [
        [p.member_code, p.full_name, p.birth_date.isoformat(), p.gender, p.ethnicity,
         p.education, p.political_theory, p.date_joined.isoformat(), p.status, p.unit.code]
        for p in people
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(MEMBER_COLUMNS)
    writer.writerows(rows)
    files = {
        "csv": ("\ufeff" + buffer.getvalue()).encode(),
        "xlsx": xlsx_bytes(sheets=[("members", MEMBER_COLUMNS, rows)]),
    }
    del people, rows, buffer
    print(f"daihoi import benchmark: {args.members:,} members into {len(builder.units):,} units")
    print(f"machine: {machine()}")
    for fmt, data in files.items():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM organizations_membership")
            cursor.execute("DELETE FROM organizations_person")
        wall, cpu = time.perf_counter(), time.process_time()
        table = read_table(data, f"members.{fmt}")
        parsed = time.perf_counter() - wall
        summary = members_import(actor=SYSTEM, table=table)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert summary.created == args.members
        print(
            f"{fmt:>4}: {len(data) / 1e6:5.1f} MB, {summary.created:,} rows in {wall:5.1f} s wall "
            f"(parse {parsed:4.1f} s), {cpu:5.1f} s CPU, {summary.created / wall:,.0f} rows/s, "
            f"peak memory {peak_mb():,.0f} MB"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Benchmark: `daihoi demo` on a fresh SQLite database.

    python -m bench.bench_demo

Migrates an empty database (not timed), then times the whole demo command (province,
accounts and every app's demo step) and a second, idempotent run.
"""

from __future__ import annotations

import io
import os
import tempfile
import time

from bench.common import machine, peak_mb


def main() -> None:
    os.environ["DAIHOI_VAR_DIR"] = tempfile.mkdtemp(prefix="daihoi-bench-demo-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from daihoi.organizations.models import Person, Unit

    call_command("migrate", verbosity=0)
    print("daihoi demo benchmark")
    print(f"machine: {machine()}")
    for run in ("first run", "second run"):
        out = io.StringIO()
        wall, cpu = time.perf_counter(), time.process_time()
        call_command("demo", stdout=out)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{run}: {wall:5.1f} s wall, {cpu:5.1f} s CPU, peak memory {peak_mb():,.0f} MB")
        for line in out.getvalue().splitlines():
            print(f"    {line}")
    print(f"units {Unit.objects.count():,}, members {Person.objects.count():,}")


if __name__ == "__main__":
    main()

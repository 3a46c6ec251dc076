"""Dashboard rollups: the province root's dashboard page (P5) and national-scale rollups (P4).

    python -m bench.bench_dashboard                 # a Hai Duong-sized province
    python -m bench.bench_dashboard --national      # also ~60,000 units nationally

Builds its own database (SQLite file under /tmp unless DATABASE_URL is set), plans a cycle
through the plan action, spreads the congresses over the lifecycle states, then times the
dashboard page through Django's test client (server time, no network) and the rollup query.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/daihoi-bench-dashboard.sqlite3")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from daihoi.accounts.authority import SYSTEM  # noqa: E402
from daihoi.congresses import actions, queries, workflow  # noqa: E402
from daihoi.congresses.models import Congress, Cycle, PlanApproval  # noqa: E402
from daihoi.core.text import fold  # noqa: E402
from daihoi.organizations.models import Unit  # noqa: E402

STEP = Unit.steplen
START = datetime.date(2020, 1, 1)


def _code(index: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(STEP):
        index, r = divmod(index, 36)
        out = alphabet[r] + out
    return out


def build_tree(*, provinces: int, districts: int, grassroots: int, cells: int, prefix: str) -> Unit:
    """A tree with a national root, written in bulk with treebeard's path layout."""
    rows: list[Unit] = []

    def add(path: str, code: str, level: str, numchild: int) -> None:
        name = f"{level} {code}"
        rows.append(
            Unit(
                path=path,
                depth=len(path) // STEP,
                numchild=numchild,
                code=code,
                name=name,
                name_folded=fold(name),
                level=level,
                active_from=START,
            )
        )

    root_path = _code(Unit.objects.filter(depth=1).count() + 1)
    add(root_path, f"{prefix}", "national", provinces)
    for p in range(provinces):
        pp = root_path + _code(p + 1)
        add(pp, f"{prefix}P{p}", "province", districts)
        for d in range(districts):
            dp = pp + _code(d + 1)
            add(dp, f"{prefix}P{p}D{d}", "above_grassroots", grassroots)
            for g in range(grassroots):
                gp = dp + _code(g + 1)
                add(gp, f"{prefix}P{p}D{d}G{g}", "grassroots", cells)
                for c in range(cells):
                    add(gp + _code(c + 1), f"{prefix}P{p}D{d}G{g}C{c}", "cell", 0)
    Unit.objects.bulk_create(rows, batch_size=5000)
    return Unit.objects.get(path=root_path)


def spread_states(cycle: Cycle) -> None:
    """Bench data only: put congresses in plausible states in bulk (cells mostly held, …)."""
    rng = random.Random(7)
    shares = {
        "cell": [
            (workflow.CONCLUDED, 0.85),
            (workflow.IN_SESSION, 0.05),
            (workflow.PREPARING, 0.1),
        ],
        "grassroots": [
            (workflow.CONCLUDED, 0.4),
            (workflow.APPROVED, 0.3),
            (workflow.PLANNED, 0.3),
        ],
    }
    batch: list[Congress] = []
    for c in Congress.objects.filter(cycle=cycle).select_related("unit").iterator(chunk_size=5000):
        for state, share in shares.get(c.unit.level, []):
            if rng.random() < share:
                c.state = state
                if state == workflow.CONCLUDED:
                    c.concluded_on = c.earliest
                break
        batch.append(c)
    Congress.objects.bulk_update(batch, ["state", "concluded_on"], batch_size=5000)


def timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(label: str, ms: list[float], queries_n: int | None = None) -> None:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    extra = f", {queries_n} queries" if queries_n is not None else ""
    print(f"{label}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms (n={len(ms)}{extra})")


def setup(prefix: str, **shape: int) -> tuple[Cycle, Unit]:
    existing = Cycle.objects.filter(name=f"bench {prefix}").first()
    if existing:
        return existing, existing.root
    t = time.perf_counter()
    national = build_tree(prefix=prefix, **shape)
    province = Unit.objects.get(code=f"{prefix}P0")
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name=f"bench {prefix}",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=national,
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    PlanApproval.objects.create(cycle=cycle, unit=national)
    spread_states(cycle)
    print(
        f"built {prefix}: {Unit.objects.filter(path__startswith=national.path).count()} units "
        f"in {time.perf_counter() - t:.1f} s"
    )
    return cycle, province


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpus, "
        f"python {platform.python_version()}, db {connection.vendor}"
    )

    # Hai Duong 2024: 15 committees above grassroots, 612 grassroots organizations.
    cycle, province = setup("HD", provinces=1, districts=15, grassroots=41, cells=5)
    from daihoi import testing
    from daihoi.accounts.models import User

    user = User.objects.filter(username="bench-dashboard").first() or testing.make_user(
        username="bench-dashboard", superuser=True
    )
    client = Client()
    client.force_login(user)
    url = f"/congresses/cycles/{cycle.pk}/?unit={province.code}&on=2025-07-15"
    client.get(url)
    executed: list[str] = []
    with connection.execute_wrapper(lambda run, sql, *a: executed.append(sql) or run(sql, *a)):
        response = client.get(url)
    assert response.status_code == 200
    n_units = Unit.objects.filter(path__startswith=province.path).count()
    summary(
        f"province dashboard page ({n_units} units)",
        timed(lambda: client.get(url), args.repeat),
        len(executed),
    )
    summary(
        "province dashboard data (queries only, no rendering)",
        timed(
            lambda: queries.dashboard(cycle, province, on=datetime.date(2025, 7, 15)), args.repeat
        ),
    )
    summary(
        "province rollup query",
        timed(lambda: queries.progress(cycle, province), args.repeat),
    )

    if args.national:
        # ~60,000 units: 34 provinces × 20 districts × 17 grassroots × 5 cells.
        ncycle, _ = setup("VN", provinces=34, districts=20, grassroots=17, cells=5)
        root = ncycle.root
        n = Unit.objects.filter(path__startswith=root.path).count()
        summary(
            f"national rollup query ({n} units)", timed(lambda: queries.progress(ncycle, root), 10)
        )
        summary(
            "national dashboard data",
            timed(lambda: queries.dashboard(ncycle, root, on=datetime.date(2025, 7, 15)), 5),
        )
        nurl = f"/congresses/cycles/{ncycle.pk}/?on=2025-07-15"
        client.get(nurl)
        summary("national dashboard page", timed(lambda: client.get(nurl), 5))
    reset_queries()


if __name__ == "__main__":
    main()

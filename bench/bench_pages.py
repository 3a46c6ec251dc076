"""P5: server time and queries of every main page on the demo province.

    python -m bench.bench_pages                       # builds the demo in a temporary SQLite db
    python -m bench.bench_pages --var-dir var         # reuses the demo already built there

Builds the demo (`daihoi demo`, 108,000 members, the 2025–2030 cycle) unless the database has
it, then requests each page through Django's test client as the demo user who would open it,
on the demo's day (15 July 2025). Prints, per page, the median and p95 server time and the
number of queries; a page answering anything but 200 stops the run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from bench.common import machine

TARGET_MS = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var-dir", help="a DAIHOI_VAR_DIR whose database holds the demo")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ["DAIHOI_VAR_DIR"] = args.var_dir or tempfile.mkdtemp(prefix="daihoi-bench-pages-")
    os.environ["DAIHOI_TODAY"] = "2025-07-15"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from daihoi.accounts.models import User
    from daihoi.congresses.models import Congress, Cycle
    from daihoi.consultation.models import Consultation
    from daihoi.organizations.models import Person, Unit

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", stdout=io.StringIO())
    print("daihoi pages benchmark (P5) on the demo province, as of 2025-07-15")
    print(f"machine: {machine()}")
    print(f"demo ready in {time.perf_counter() - started:.1f} s")

    cycle = Cycle.objects.get(root__code="HD")
    district = Unit.objects.get(code="HD-KM")
    grassroots = Unit.objects.filter(path__startswith=district.path, level="grassroots").first()
    assert grassroots is not None
    coso_unit = User.objects.get(username="coso").grants.get().unit
    cell = Unit.objects.filter(path__startswith=coso_unit.path, level="cell").first()
    person = Person.objects.filter(unit__path__startswith=district.path).order_by("pk").first()
    assert person is not None
    d_congress = Congress.objects.get(cycle=cycle, unit=district)

    pages: list[tuple[str, str, str]] = [
        # (who, label, url)
        ("tinh", "unit tree", "/"),
        ("tinh", "tree search without diacritics", "/?q=nguyen van"),
        ("tinh", "province unit page", "/u/HD/"),
        ("tinh", "province members, page 50", "/u/HD/?page=50"),
        ("kinhmon", "district unit page", f"/u/{district.code}/"),
        ("kinhmon", "grassroots unit page", f"/u/{grassroots.code}/"),
        ("kinhmon", "person page", f"/people/{person.pk}/"),
        ("tinh", "province dashboard", f"/congresses/cycles/{cycle.pk}/"),
        ("tinh", "district dashboard", f"/congresses/cycles/{cycle.pk}/?unit={district.code}"),
        ("tinh", "congress list, overdue", f"/congresses/cycles/{cycle.pk}/congresses/?overdue=1"),
        ("tinh", "plan", f"/congresses/cycles/{cycle.pk}/plan/"),
        ("kinhmon", "district congress", f"/congresses/c/{d_congress.pk}/"),
        ("tinh", "directives", "/congresses/directives/"),
        ("kinhmon", "congress day", f"/conduct/congresses/{d_congress.pk}/"),
        ("kinhmon", "elections of a congress", f"/elections/congress/{d_congress.pk}/"),
        ("dangvien", "consultations", "/consultation/"),
        ("tinh", "API unit", "/api/v1/units/HD"),
        ("tinh", "API children", "/api/v1/units/HD/children"),
        ("tinh", "API members", f"/api/v1/units/{district.code}/members?limit=100&offset=5000"),
        ("tinh", "API progress", f"/api/v1/cycles/{cycle.pk}/progress?unit=HD"),
    ]
    if cell is not None:
        pages.append(("coso", "cell unit page", f"/u/{cell.code}/"))
    consultation = Consultation.objects.filter(draft_version__draft__congress__cycle=cycle).first()
    if consultation is not None:
        pages += [
            ("dangvien", "consultation (532 comments)", f"/consultation/c/{consultation.pk}/"),
            (
                "bientap",
                "synthesis page (before a run)",
                f"/consultation/c/{consultation.pk}/synthesis",
            ),
        ]

    clients: dict[str, Client] = {}
    for who in {p[0] for p in pages}:
        clients[who] = Client(headers={"accept-language": "vi"})
        clients[who].force_login(User.objects.get(username=who))

    def measure(client: Client, url: str) -> tuple[list[float], int]:
        executed: list[str] = []

        def count(run: Callable[..., object], sql: str, *rest: object) -> object:
            executed.append(sql)
            return run(sql, *rest)

        response = client.get(url)  # warm
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        return sorted(times), len(executed)

    print(f"{'page':<34} {'as':<9} {'median':>8} {'p95':>8} {'queries':>8}")
    worst = 0.0
    for who, label, url in pages:
        times, n = measure(clients[who], url)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        worst = max(worst, p95)
        print(
            f"{label:<34} {who:<9} {statistics.median(times):6.1f}ms {p95:6.1f}ms {n:>8}"
            + ("  over target" if p95 > TARGET_MS else "")
        )
    print(f"slowest p95 {worst:.1f} ms (target {TARGET_MS} ms), n={args.repeat} per page")


if __name__ == "__main__":
    main()

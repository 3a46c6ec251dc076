"""P3 benchmark: comment ingestion through the HTTP API of a real app server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ingest \\
        python -m bench.bench_ingest --comments 100000 --workers 4 --clients 8

Drops and recreates the PostgreSQL database named in DATABASE_URL (point it at a scratch
database), migrates it, then builds a province with cells, a draft, an open
consultation and an API token for a document editor; starts gunicorn with `--workers` on a
localhost port; then `--clients` threads post batches of `--batch` generated Vietnamese
comments (entered from meeting minutes of many cells) until `--comments` are in. Prints the
throughput, batch latency percentiles, the count in the database (nothing lost or doubled) and
the machine. Every loop is bounded.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import django

from bench.common import cpu_model, free_port, recreate_database


def _prepare(n_cells: int) -> tuple[int, str, list[str], list[str]]:
    """Schema, units, draft, open consultation, token: (consultation, token, cells, anchors)."""
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from daihoi import testing
    from daihoi.accounts.actions import api_token_create
    from daihoi.accounts.models import Role
    from daihoi.congresses.models import Congress, Cycle
    from daihoi.consultation import actions
    from daihoi.organizations.models import Unit

    suffix = str(int(time.time()))
    province = testing.make_unit(code=f"BP{suffix}", name="Tỉnh thử tải", level="province")
    cells: list[str] = []
    for d in range(4):
        district = testing.make_unit(
            parent=province, code=f"BD{suffix}-{d}", level="above_grassroots"
        )
        for g in range(max(1, n_cells // 4)):
            grassroots = testing.make_unit(
                parent=Unit.objects.get(pk=district.pk), code=f"BG{suffix}-{d}-{g}"
            )
            cells.append(grassroots.code)
    cycle = Cycle.objects.create(
        name="bench", term_start=2025, term_end=2030, rulebook_id="vn-cpv-2025", root=province
    )
    congress = Congress.objects.create(cycle=cycle, unit=province, congress_type="full")
    editor = testing.make_user(
        username=f"bench_editor_{suffix}", role=Role.DOCUMENT_EDITOR, unit=province
    )
    draft = actions.draft_create(
        actor=editor, congress=congress, kind="political_report", title="Báo cáo chính trị"
    )
    text = "\n\n".join(f"Đoạn {i} của dự thảo báo cáo chính trị." for i in range(1, 21))
    version = actions.draft_version_import(
        actor=editor, draft=draft, source_format="text", data=text
    )
    now = timezone.now()
    consultation = actions.consultation_open(
        actor=editor,
        version=version,
        audience="subtree",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    _token, key = api_token_create(actor=editor, user=editor, name="bench")
    anchors = list(version.paragraphs.values_list("anchor", flat=True))
    return consultation.pk, key, cells, anchors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--cells", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    django.setup()
    from django.conf import settings

    from bench.comment_generator import generate_comments
    from daihoi.consultation.models import Comment

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        recreate_database(url)
    consultation_id, token, cells, anchors = _prepare(args.cells)
    texts = [c.text for c in generate_comments(min(args.comments, 20_000), seed=7)]

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "daihoi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env={**os.environ, "DAIHOI_DEBUG": "0", "DAIHOI_ALLOWED_HOSTS": "127.0.0.1"},
    )
    url = f"http://127.0.0.1:{port}/api/v1/consultations/{consultation_id}/comments/batch"
    try:
        for _ in range(120):  # bounded wait for the server
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        n_batches = -(-args.comments // args.batch)
        work: queue.Queue[int] = queue.Queue()
        for b in range(n_batches):
            work.put(b)
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def payload(b: int) -> bytes:
            start = b * args.batch
            size = min(args.batch, args.comments - start)
            items = []
            for i in range(start, start + size):
                items.append(
                    {
                        "text": texts[i % len(texts)],
                        "paragraph": anchors[i % len(anchors)],
                        "channel": "meeting",
                        "unit": cells[i % len(cells)],
                        "meeting_ref": f"Biên bản hội nghị số {i % 97}",
                    }
                )
            return json.dumps({"comments": items}).encode()

        bodies = {b: payload(b) for b in range(n_batches)}

        def client() -> None:
            while True:
                try:
                    b = work.get_nowait()
                except queue.Empty:
                    return
                request = urllib.request.Request(
                    url,
                    data=bodies[b],
                    method="POST",
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=300) as response:
                        ok = response.status == 201
                except OSError as error:
                    ok = False
                    with lock:
                        failures.append(str(error))
                with lock:
                    latencies.append(time.perf_counter() - started)
                    if not ok and len(failures) < 5:
                        failures.append(f"batch {b}")

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    stored = Comment.objects.filter(consultation_id=consultation_id).count()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(f"database                 {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"server                   gunicorn, {args.workers} workers; {args.clients} clients")
    print(f"comments posted          {args.comments:,} in batches of {args.batch}")
    print(f"wall time                {elapsed:.1f} s")
    print(f"throughput               {args.comments / elapsed:,.0f} comments/s")
    print(f"batch latency p50 / p99  {pct(0.5):.0f} ms / {pct(0.99):.0f} ms")
    print(f"stored (expected)        {stored:,} ({args.comments:,})")
    print(f"failures                 {len(failures)} {failures[:3]}")
    print(
        f"machine                  {cpu_model()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()

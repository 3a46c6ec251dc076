"""What one ballot costs on each side of the lean cast path, in CPU time, without HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cost python -m bench.bench_cast_cost

The P1 burst (`bench_voting`) measures the whole: wall time, latency, and the CPU seconds of
the workers, PostgreSQL and the client together, all contending for two cores, so its figures
move with whatever else the machine does. This one takes the cast apart and runs each half
alone, in one process, one step after the other, reporting CPU microseconds per ballot
(process CPU time for Python, the backend's own CPU time from /proc for PostgreSQL):

- prepare: `casting.prepare` (the ballot checked, packed, sealed; receipt and hashes);
- commit: batches of `--batch` prepared casts written by `casting.cast_transaction` through
  `cast_batches.run_async` on one async psycopg connection in pipeline mode, as a worker's
  writer does: the Python side (building statements, adapting parameters, the driver) and
  the PostgreSQL backend's side (parse, plan, execute, triggers, commit).

Each voter casts once, as in a burst (1,586 delegates). The database named in DATABASE_URL is
dropped and recreated: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import secrets
import statistics
import time
from pathlib import Path
from typing import Any

from bench.bench_voting import DELEGATES, _setup_django, prepare
from bench.common import fresh_anchor_file, machine, recreate_database

TICKS = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def commit_all(pendings: list[Any], batch: int) -> dict[str, float]:
    from django.utils import timezone

    from daihoi.elections import casting
    from daihoi.elections.cast_batches import Lean, PgDialect, run_async

    lean = Lean()
    await lean.pool.open(wait=True)
    dialect = PgDialect()
    async with lean.pool.connection() as conn:
        pid = (await (await conn.execute("SELECT pg_backend_pid()")).fetchone())[0]
        py0, pg0, wall0 = time.process_time(), _backend_cpu(pid), time.perf_counter()
        recorded = 0
        for start in range(0, len(pendings), batch):
            chunk = pendings[start : start + batch]
            async with conn.pipeline(), conn.transaction():
                steps = casting.cast_transaction(chunk, dialect, now=timezone.now())
                written = await run_async(conn, steps)
            recorded += sum(o.kind is casting.Kind.RECORDED for o in written.outcomes)
        py, pg, wall = (
            time.process_time() - py0,
            _backend_cpu(pid) - pg0,
            time.perf_counter() - wall0,
        )
    await lean.pool.close()
    return {"recorded": recorded, "python_s": py, "postgres_s": pg, "wall_s": wall}


async def through_asgi(election_id: int, keys: list[str], slate: list[str]) -> dict[str, float]:
    """Every voter's cast sent to the ASGI application itself (`daihoi.asgi.application`,
    no server, no sockets), 50 at a time, as the burst's clients send them."""
    import json

    from daihoi.asgi import application
    from daihoi.elections.cast_batches import shutdown

    queue = list(keys)
    statuses: list[int] = []

    async def one(key: str) -> None:
        body = json.dumps({"form_token": secrets.token_urlsafe(24), "kept": slate[:-7]})
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": f"/api/v1/elections/{election_id}/ballots",
            "raw_path": f"/api/v1/elections/{election_id}/ballots".encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"authorization", f"Bearer {key}".encode()),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body.encode(), "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await application(scope, receive, send)

    async def client() -> None:
        while queue:
            await one(queue.pop())

    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(50)))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    await shutdown()
    assert statuses.count(201) == len(keys), sorted(set(statuses))
    return {"python_s": cpu, "wall_s": wall}


def _fresh_election(data: dict[str, Any]) -> Any:
    """Another open poll like the first (same congress, slate and voters), for one more round."""
    from daihoi.accounts.models import User
    from daihoi.elections import actions

    first = data["election"]
    organizer = User.objects.get(username="bench_org")
    election = actions.election_create(
        actor=organizer,
        congress=first.congress,
        body="executive",
        seats=first.seats,
        mode="electronic",
    )
    for candidate in first.candidates.order_by("position"):
        actions.candidate_add(actor=organizer, election=election, person=candidate.person)
    actions.election_open(actor=organizer, election=election)
    return election


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delegates", type=int, default=DELEGATES)
    parser.add_argument("--batch", type=int, default=32, help="casts per transaction")
    parser.add_argument("--rounds", type=int, default=5, help="polls cast in, one after another")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a scratch PostgreSQL database")
    print("machine:", machine())
    recreate_database(url)
    os.environ["DAIHOI_SECRET_KEY"] = "bench-" + secrets.token_hex(24)
    os.environ["DAIHOI_AUDIT_KEY"] = "bench-audit-" + secrets.token_hex(24)
    os.environ["DAIHOI_AUDIT_ANCHOR_FILE"] = fresh_anchor_file("cost")
    os.environ.setdefault("DAIHOI_ENV", "production")
    os.environ.setdefault("DAIHOI_SSL_REDIRECT", "0")
    _setup_django()
    data = prepare(args.delegates)
    from daihoi.asgi import prepare_long_running_process

    prepare_long_running_process()  # the collector tuned as in a server's worker

    from daihoi.elections import casting
    from daihoi.elections.cast_batches import _load_poll

    voters = [casting.Voter(0, "", 0, hashlib.sha256(k.encode()).hexdigest()) for k in data["keys"]]
    figures: dict[str, list[float]] = {"prepare": [], "python": [], "postgres": [], "wall": []}
    for round_ in range(args.rounds):
        election = data["election"] if round_ == 0 else _fresh_election(data)
        poll = _load_poll(election.pk)
        assert poll is not None
        kept = poll.slate[:-7]  # strike seven names out
        t0 = time.process_time()
        pendings = [
            casting.prepare(poll, v, form_token=secrets.token_urlsafe(24), kept=kept)
            for v in voters
        ]
        n = len(pendings)
        figures["prepare"].append((time.process_time() - t0) / n * 1e6)
        result = asyncio.run(commit_all(pendings, args.batch))
        assert result["recorded"] == n, result
        figures["python"].append(result["python_s"] / n * 1e6)
        figures["postgres"].append(result["postgres_s"] / n * 1e6)
        figures["wall"].append(result["wall_s"] / n * 1e6)

    election = _fresh_election(data)
    slate = list(election.candidates.order_by("position").values_list("pk", flat=True))
    whole = asyncio.run(through_asgi(election.pk, data["keys"], [str(c) for c in slate]))

    def spread(name: str) -> str:
        values = sorted(figures[name])
        return f"{statistics.median(values):.0f} ({values[0]:.0f}–{values[-1]:.0f})"

    print(
        f"cost per ballot in µs, median (range) of {args.rounds} rounds of {len(voters)} "
        f"ballots in batches of {args.batch}: prepare {spread('prepare')}; commit: Python "
        f"{spread('python')}, PostgreSQL {spread('postgres')}; commit wall {spread('wall')}; "
        f"the whole ASGI application (50 at a time, without a server): Python "
        f"{whole['python_s'] / n * 1e6:.0f}, wall {whole['wall_s'] / n * 1e6:.0f}"
    )


if __name__ == "__main__":
    main()

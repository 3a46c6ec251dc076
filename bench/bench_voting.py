"""P1/P2 — voting: a burst of electronic ballots, then results pushed to connected screens.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_voting python -m bench.bench_voting

P1: 1,586 checked-in delegates cast a strike-out ballot (60 candidates, 53 seats) through
    `POST /api/v1/elections/{id}/ballots` from 50 concurrent clients against gunicorn
    (several gthread workers) on PostgreSQL. Reports ballots/s, p50/p95/p99, and lost and
    doubled ballots by recount against the acknowledged receipts.
P2: N screens hold the projector's server-sent-event stream; the count is released by two
    counting-board members; reports the time from the release's commit until every screen
    has received the released result.

Loopback only; every loop is bounded. The database named in DATABASE_URL is dropped and
recreated: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import free_port, machine, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DELEGATES = 1586
CANDIDATES = 60
SEATS = 53
CLIENTS = 50


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()


def prepare(n: int) -> dict[str, Any]:
    """Province, a congress with `n` checked-in delegates (users, API tokens, sessions)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from daihoi import testing
    from daihoi.accounts.models import ApiToken, Role, RoleGrant, User
    from daihoi.conduct.models import BoardSeat, Delegate
    from daihoi.congresses.models import Congress, Cycle
    from daihoi.elections import actions
    from daihoi.organizations.models import Person

    call_command("migrate", verbosity=0)
    units = testing.make_province()
    cycle = Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=units["province"],
    )
    congress = Congress.objects.create(cycle=cycle, unit=units["province"], congress_type="full")
    organizer = testing.make_user(username="bench_org", role=Role.ORGANIZER, unit=units["province"])
    counters = [testing.make_user(username=f"bench_count{i}") for i in range(2)]
    counting_keys = []
    for user in counters:
        BoardSeat.objects.create(congress=congress, user=user, board=BoardSeat.Board.COUNTING)
        counting_keys.append(actions.counting_key_issue(actor=user, congress=congress).secret)
    people = Person.objects.bulk_create(
        Person(
            member_code=f"B{i:07d}",
            full_name=f"Đại biểu {i}",
            name_folded=f"dai bieu {i}",
            birth_date=datetime.date(1975, 5, 1),
            gender="male",
            date_joined=datetime.date(2000, 1, 1),
            education="university",
            political_theory="advanced",
            status="active",
            unit=units["province"],
        )
        for i in range(n + CANDIDATES)
    )
    voters, candidates = people[:n], people[n:]
    users = User.objects.bulk_create(
        User(username=f"d{i:05d}", person=p, password="!") for i, p in enumerate(voters)
    )
    now = timezone.now()
    Delegate.objects.bulk_create(
        Delegate(
            congress=congress,
            person=p,
            kind=Delegate.Kind.ELECTED,
            badge_code=f"BB{i:08d}",
            checked_in_at=now,
        )
        for i, p in enumerate(voters)
    )
    keys = [secrets.token_urlsafe(24) for _ in users]
    ApiToken.objects.bulk_create(
        ApiToken(
            user=u, name="bench", key_hash=hashlib.sha256(k.encode()).hexdigest(), prefix=k[:8]
        )
        for u, k in zip(users, keys, strict=True)
    )
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    election = actions.election_create(
        actor=organizer, congress=congress, body="executive", seats=SEATS, mode="electronic"
    )
    for person in candidates:
        actions.candidate_add(actor=organizer, election=election, person=person)
    actions.election_open(actor=organizer, election=election)
    _ = RoleGrant, settings
    slate = [
        str(pk) for pk in election.candidates.order_by("position").values_list("pk", flat=True)
    ]
    return {
        "election": election,
        "congress": congress,
        "counters": counters,
        "counting_keys": counting_keys,
        "keys": keys,
        "sessions": sessions,
        "slate": slate,
    }


class Server:
    def __init__(self, *, workers: int, threads: int, database_url: str) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DAIHOI_ENV": "production",
            "DAIHOI_SECRET_KEY": os.environ["DAIHOI_SECRET_KEY"],
            "DAIHOI_SSL_REDIRECT": "0",
            "DAIHOI_ALLOWED_HOSTS": "127.0.0.1",
            "DAIHOI_LOG_LEVEL": "ERROR",
        }
        subprocess.run(
            [sys.executable, "-m", "daihoi.manage", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "daihoi.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--log-level",
                "warning",
                "--backlog",
                "4096",
            ],
            cwd=ROOT,
            env=env,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.secret = env["DAIHOI_SECRET_KEY"]
        self._wait_ready()

    def _wait_ready(self) -> None:
        import httpx

        for _ in range(300):
            try:
                httpx.get(self.url + "/accounts/login/", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # open event streams hold the graceful shutdown
            self.proc.kill()
            self.proc.wait(timeout=10)


def burst(server: Server, data: dict[str, Any], clients: int) -> dict[str, Any]:
    """P1: every delegate casts one ballot; 50 client threads with keep-alive connections."""
    import httpx

    election_id = data["election"].pk
    slate = data["slate"]
    queue = list(enumerate(data["keys"]))
    lock = threading.Lock()
    latencies: list[float] = []
    receipts: dict[int, str] = {}
    failures: list[str] = []
    retries = 0

    def worker() -> None:
        nonlocal retries
        rng = random.Random()
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    i, key = queue.pop()
                kept = rng.sample(slate, SEATS)
                body = {"form_token": secrets.token_urlsafe(24), "kept": kept}
                headers = {"Authorization": f"Bearer {key}"}
                for attempt in range(3):  # a retry reuses the same form token
                    start = time.perf_counter()
                    try:
                        r = client.post(
                            f"/api/v1/elections/{election_id}/ballots", json=body, headers=headers
                        )
                    except httpx.HTTPError as exc:
                        with lock:
                            retries += 1
                        if attempt == 2:
                            with lock:
                                failures.append(repr(exc))
                        continue
                    elapsed = time.perf_counter() - start
                    with lock:
                        if r.status_code in (200, 201):
                            latencies.append(elapsed)
                            receipts[i] = r.json()["receipt"]
                        else:
                            failures.append(f"{r.status_code} {r.text[:200]}")
                    break

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    wall = time.perf_counter() - start
    latencies.sort()
    if not latencies:
        raise SystemExit(f"no ballot was accepted; {len(failures)} failures, e.g. {failures[:3]}")

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "acknowledged": len(receipts),
        "wall_s": wall,
        "ballots_per_s": len(receipts) / wall,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000,
        "failures": failures[:5],
        "failure_count": len(failures),
        "retries": retries,
        "receipts": receipts,
    }


def recount(data: dict[str, Any], receipts: dict[int, str]) -> dict[str, int]:
    """Lost = acknowledged receipts not on the board; doubled = ballots beyond the voters."""
    from daihoi.elections import queries

    election = data["election"]
    board = queries.bulletin(election)
    on_board = set(board.receipts)
    acknowledged = set(receipts.values())
    return {
        "ballots": len(board.contents),
        "receipts": len(board.receipts),
        "participations": board.participations,
        "lost": len(acknowledged - on_board),
        "doubled": len(board.contents) - len(acknowledged),
        "unacknowledged_on_board": len(on_board - acknowledged),
    }


async def _screens(
    url: str,
    congress_id: int,
    sessions: list[str],
    ready: asyncio.Event,
    released_at: dict[str, float],
    arrivals: list[float],
    batch: int,
) -> None:
    import httpx

    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(
        base_url=url, timeout=httpx.Timeout(60, read=120), limits=limits
    ) as client:
        connected = 0
        connected_event = asyncio.Event()

        async def screen(session: str) -> None:
            nonlocal connected
            path = f"/elections/congress/{congress_id}/projector/stream/"
            async with client.stream("GET", path, cookies={"sessionid": session}) as response:
                first = True
                async for line in response.aiter_lines():
                    if first and line.startswith("data:"):
                        first = False
                        connected += 1
                        if connected == len(sessions):
                            connected_event.set()
                    if line.startswith("event: released"):
                        arrivals.append(time.perf_counter())
                        return

        tasks = []
        for i in range(0, len(sessions), batch):  # connect in batches: bounded DB connections
            tasks += [asyncio.create_task(screen(s)) for s in sessions[i : i + batch]]
            target = min(i + batch, len(sessions))
            for _ in range(600):
                if connected >= target:
                    break
                await asyncio.sleep(0.05)
        await asyncio.wait_for(connected_event.wait(), timeout=120)
        ready.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)


def push(server: Server, data: dict[str, Any], screens: int) -> dict[str, Any]:
    """P2: `screens` SSE clients; release; time until all of them have the released panel."""
    from daihoi.elections import actions

    arrivals: list[float] = []
    released_at: dict[str, float] = {}
    sessions = (data["sessions"] * (screens // len(data["sessions"]) + 1))[:screens]
    loop = asyncio.new_event_loop()
    ready = asyncio.Event()
    runner = threading.Thread(
        target=loop.run_until_complete,
        args=(
            _screens(server.url, data["congress"].pk, sessions, ready, released_at, arrivals, 50),
        ),
    )
    runner.start()
    for _ in range(2400):
        if ready.is_set():
            break
        time.sleep(0.05)
    if not ready.is_set():
        raise RuntimeError("screens did not connect")
    election = data["election"]
    a, b = data["counters"]
    actions.election_close(actor=a, election=election)
    actions.election_count(actor=a, election=election, counting_keys=data["counting_keys"])
    actions.result_confirm(actor=a, election=election)
    t0 = time.perf_counter()
    actions.result_confirm(actor=b, election=election)  # commits the release
    runner.join(timeout=180)
    election.refresh_from_db()
    return {
        "screens": screens,
        "received": len(arrivals),
        "all_s": (max(arrivals) - t0) if arrivals else float("nan"),
        "p50_s": (statistics.median(arrivals) - t0) if arrivals else float("nan"),
        "valid": election.result["valid"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delegates", type=int, default=DELEGATES)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--screens", type=int, default=DELEGATES)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=12, help="per worker, for the burst")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a scratch PostgreSQL database")
    print("machine:", machine())
    recreate_database(url)
    os.environ["DAIHOI_SECRET_KEY"] = "bench-" + secrets.token_hex(24)  # shared with the server
    _setup_django()
    t = time.perf_counter()
    data = prepare(args.delegates)
    print(
        f"dataset: {args.delegates} delegates, {CANDIDATES} candidates, {SEATS} seats "
        f"({time.perf_counter() - t:.1f} s)"
    )
    server = Server(workers=args.workers, threads=args.threads, database_url=url)
    try:
        p1 = burst(server, data, args.clients)
    finally:
        server.stop()
    counts = recount(data, p1.pop("receipts"))
    print(
        f"P1: {p1['acknowledged']} ballots in {p1['wall_s']:.2f} s = {p1['ballots_per_s']:.0f}/s; "
        f"latency p50 {p1['p50_ms']:.0f} ms, p95 {p1['p95_ms']:.0f} ms, p99 {p1['p99_ms']:.0f} ms; "
        f"failures {p1['failure_count']} {p1['failures']}; retries {p1['retries']}"
    )
    print(
        f"P1 recount: ballots {counts['ballots']}, receipts {counts['receipts']}, "
        f"participations {counts['participations']}; lost {counts['lost']}, "
        f"doubled {counts['doubled']}"
    )
    threads = max(64, args.screens // args.workers + 32)
    server = Server(workers=args.workers, threads=threads, database_url=url)
    try:
        p2 = push(server, data, args.screens)
    finally:
        server.stop()
    print(
        f"P2: {p2['received']}/{p2['screens']} screens had the released result "
        f"{p2['all_s']:.2f} s after release (median {p2['p50_s']:.2f} s); "
        f"counted valid ballots {p2['valid']}"
    )


if __name__ == "__main__":
    main()

"""P1/P2 — voting: a burst of electronic ballots, then results pushed to connected screens.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_voting python -m bench.bench_voting
    ... --fault kill-worker      # SIGKILL one uvicorn worker a third into the burst
    ... --fault restart-postgres # restart PostgreSQL a third into the burst
    ... --screens 10000          # P2 with ten thousand screens

P1: 1,586 checked-in delegates cast a strike-out ballot (60 candidates, 53 seats) through
    `POST /api/v1/elections/{id}/ballots` from 50 concurrent clients against uvicorn serving
    `daihoi.asgi:application` (the lean cast path, `elections.cast_asgi`) on PostgreSQL. The
    clients are lean too (asyncio streams, keep-alive, hand-written HTTP/1.1), so the load
    generator does not eat the CPU the server needs. A client whose request fails (connection
    lost, 503) sends the same form again (same form token) until it has its receipt. Reports
    ballots/s, p50/p95/p99 (from the first send of a ballot to its receipt), then closes the
    poll and counts it with two counting keys: lost = acknowledged receipts not on the board,
    doubled = counted ballots beyond the voters acknowledged.
P2: N screens hold the projector's server-sent-event stream; the count is released by two
    counting-board members; reports the time from the release's commit until every screen
    has received the released result, and the server's memory per open stream (the workers'
    resident memory with the screens connected, less before, over N). The stream limits per
    account and address are raised for the bench's server only (its environment).

Loopback only; every loop is bounded. The database named in DATABASE_URL is dropped and
recreated: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import hashlib
import json
import os
import random
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import free_port, fresh_anchor_file, machine, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DELEGATES = 1586
CANDIDATES = 60
SEATS = 53
CLIENTS = 50
OPEN_TO_VOTE_S = 1.0  # from the poll opened to the first cast


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()


def prepare(n: int, *, open_poll: bool = True) -> dict[str, Any]:
    """Province, a congress with `n` checked-in delegates (users, API tokens, sessions), and
    its election (opened, unless `open_poll` is false: then `open_the_poll` opens it)."""
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
    if open_poll:
        actions.election_open(actor=organizer, election=election)
    _ = RoleGrant, settings
    slate = [
        str(pk) for pk in election.candidates.order_by("position").values_list("pk", flat=True)
    ]
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would have, long before a real vote
        cursor.execute("ANALYZE")
    return {
        "election": election,
        "organizer": organizer,
        "congress": congress,
        "counters": counters,
        "counting_keys": counting_keys,
        "keys": keys,
        "sessions": sessions,
        "slate": slate,
    }


def open_the_poll(data: dict[str, Any]) -> None:
    """The organizer opens the poll, as at the congress, with the server running."""
    from django.db import connection

    from daihoi.elections import actions

    try:
        actions.election_open(actor=data["organizer"], election=data["election"])
    finally:
        connection.close()


def _workers(pid: int) -> list[int]:
    """The uvicorn master's worker processes (its children), by pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Server:
    """uvicorn with `daihoi.asgi:application`, production settings, on PostgreSQL."""

    def __init__(self, *, workers: int, database_url: str, extra: dict[str, str]) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DAIHOI_ENV": "production",
            "DAIHOI_SECRET_KEY": os.environ["DAIHOI_SECRET_KEY"],
            "DAIHOI_AUDIT_KEY": os.environ["DAIHOI_AUDIT_KEY"],
            "DAIHOI_AUDIT_ANCHOR_FILE": os.environ["DAIHOI_AUDIT_ANCHOR_FILE"],
            "DAIHOI_SSL_REDIRECT": "0",
            "DAIHOI_ALLOWED_HOSTS": "127.0.0.1",
            "DAIHOI_LOG_LEVEL": "ERROR",
            **extra,
        }
        subprocess.run(
            [sys.executable, "-m", "daihoi.manage", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        app = (
            "bench.traced_asgi:application"
            if os.environ.get("DAIHOI_BENCH_GC_TRACE") == "1"
            else "daihoi.asgi:application"
        )
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                app,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
                "--backlog",
                "16384",
                "--timeout-graceful-shutdown",
                "5",
            ],
            cwd=ROOT,
            env=env,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self._wait_ready()

    def _wait_ready(self) -> None:
        import httpx

        for _ in range(300):
            try:
                httpx.get(self.url + "/accounts/login/", timeout=2)
                if self.workers == 1 or len(_workers(self.proc.pid)) >= self.workers:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("uvicorn did not start")

    def worker_pids(self) -> list[int]:
        """The processes serving requests: uvicorn's workers, or uvicorn itself with one."""
        return _workers(self.proc.pid) if self.workers > 1 else [self.proc.pid]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # open event streams hold the graceful shutdown
            self.proc.kill()
            self.proc.wait(timeout=10)


# A lean HTTP/1.1 client: one keep-alive connection per simulated client ----------------------


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(head + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw[9:12])
        headers = raw.decode("latin-1").lower()
        length, chunked = 0, "transfer-encoding: chunked" in headers
        for line in headers.split("\r\n"):
            if line.startswith("content-length:"):
                length = int(line.split(":", 1)[1])
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            data = b"".join(p[:-2] for p in parts)
        else:
            data = await self.reader.readexactly(length)
        if "connection: close" in headers:
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _cast_head(port: int, election_id: int, key: str, length: int) -> bytes:
    return (
        f"POST /api/v1/elections/{election_id}/ballots HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


async def _burst(server: Server, data: dict[str, Any], clients: int, fault: str) -> dict[str, Any]:
    election_id = data["election"].pk
    slate = data["slate"]
    queue = list(enumerate(data["keys"]))
    random.shuffle(queue)
    total = len(queue)
    latencies: list[float] = []
    slow: list[tuple[float, float]] = []  # (latency, when it was sent after the burst began)
    receipts: dict[int, str] = {}
    failures: list[str] = []
    counters: dict[str, Any] = {"retries": 0, "fault_at": 0.0, "fault_s": 0.0}
    faulted = asyncio.Event()

    async def client(conn: Connection) -> None:
        rng = random.Random()
        try:
            while queue:
                i, key = queue.pop()
                body = json.dumps(
                    {"form_token": secrets.token_urlsafe(24), "kept": rng.sample(slate, SEATS)}
                ).encode()
                head = _cast_head(server.port, election_id, key, len(body))
                start = time.perf_counter()
                for _attempt in range(200):  # a retry sends the same form token
                    try:
                        status, answer = await asyncio.wait_for(conn.request(head, body), 20)
                    except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                        conn.close()
                        counters["retries"] += 1
                        await asyncio.sleep(0.05)
                        continue
                    if status in (200, 201):
                        latencies.append(time.perf_counter() - start)
                        slow.append((latencies[-1], start - began))
                        receipts[i] = json.loads(answer)["receipt"]
                        if len(receipts) >= total // 3:
                            faulted.set()
                        break
                    if status in (500, 502, 503, 504):
                        counters["retries"] += 1
                        await asyncio.sleep(0.05)
                        continue
                    failures.append(f"{status} {answer[:200]!r}")
                    break
                else:
                    failures.append(f"gave up on ballot {i}")
        finally:
            conn.close()

    async def fault_injector() -> None:
        if fault == "none":
            return
        await faulted.wait()
        counters["fault_at"] = len(receipts)
        t = time.perf_counter()
        if fault == "kill-worker":
            # the worker holding the most client connections (the most open files)
            victim = max(server.worker_pids(), key=lambda pid: len(os.listdir(f"/proc/{pid}/fd")))
            os.kill(victim, signal.SIGKILL)
            print(f"fault: killed uvicorn worker {victim} after {len(receipts)} receipts")
        elif fault == "restart-postgres":
            await asyncio.to_thread(
                subprocess.run, ["pg_ctlcluster", "15", "main", "restart"], check=True
            )
            print(f"fault: restarted PostgreSQL after {counters['fault_at']} receipts")
        counters["fault_s"] = time.perf_counter() - t

    # The clients connect one after the other before the burst, as devices do, each
    # connection accepted by whichever worker is free first (all at once, the first worker
    # to wake would accept every one of them and the other would idle).
    before = [len(os.listdir(f"/proc/{pid}/fd")) for pid in server.worker_pids()]
    conns = []
    for _ in range(clients):
        conn = Connection(server.port)
        status, _answer = await conn.request(
            f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode(), b""
        )
        if status != 200:
            raise SystemExit(f"the server is not healthy: {status} {_answer[:200]!r}")
        conns.append(conn)
        await asyncio.sleep(0.01)
    after = [len(os.listdir(f"/proc/{pid}/fd")) for pid in server.worker_pids()]
    # The poll is opened now, with the server running and the devices connected, and the
    # burst begins a second later, as the chair announces the vote.
    await asyncio.to_thread(open_the_poll, data)
    await asyncio.sleep(OPEN_TO_VOTE_S)
    counters["per_worker"] = sorted(b - a for a, b in zip(before, after, strict=True) if b > a)
    cpu_before = _cpu_readings(server)
    start = began = time.perf_counter()
    injector = asyncio.ensure_future(fault_injector())
    await asyncio.wait_for(asyncio.gather(*(client(conn) for conn in conns)), 600)
    wall = time.perf_counter() - start
    cpu_s = [_cpu_used(a, b) for a, b in zip(cpu_before, _cpu_readings(server), strict=True)]
    if not injector.done():
        injector.cancel()
    await asyncio.gather(injector, return_exceptions=True)
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
        "max_ms": latencies[-1] * 1000,
        "slowest": sorted(slow, reverse=True)[: max(1, len(slow) // 100)],
        "mean_ms": statistics.fmean(latencies) * 1000,
        "failures": failures[:5],
        "failure_count": len(failures),
        "retries": counters["retries"],
        "per_worker": counters["per_worker"],
        "fault_at": counters["fault_at"],
        "fault_s": counters["fault_s"],
        "receipts": receipts,
        "cpu_s": cpu_s,
    }


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return used


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings; a process started meanwhile counts whole."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def _cpu_readings(server: Server) -> list[dict[int, float]]:
    """CPU seconds used so far by the workers, PostgreSQL's processes and this client."""
    return [
        _cpu_seconds(server.worker_pids()),
        _cpu_seconds(_postgres_pids()),
        _cpu_seconds([os.getpid()]),
    ]


def _postgres_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
    return found


def burst(server: Server, data: dict[str, Any], clients: int, fault: str) -> dict[str, Any]:
    """P1: every delegate casts one ballot from `clients` concurrent keep-alive clients."""
    import uvloop  # the load generator costs the shared cores less on libuv's loop

    profilers = _profile([*server.worker_pids(), os.getpid()], "p1", 6)
    if profilers:
        time.sleep(1)  # py-spy attached

    result = uvloop.run(_burst(server, data, clients, fault))
    for profiler in profilers:
        profiler.wait()
    return result


def recount(data: dict[str, Any], receipts: dict[int, str]) -> dict[str, int]:
    """Close the poll and count it; compare with what the clients were acknowledged."""
    from django.db import connections

    from daihoi.core import audit
    from daihoi.elections import actions, queries
    from daihoi.elections.models import Ballot, Election

    connections.close_all()  # PostgreSQL may have restarted under this process
    election = Election.objects.get(pk=data["election"].pk)
    before = queries.bulletin(election)
    on_board = set(before.receipts)
    acknowledged = set(receipts.values())
    a, _b = data["counters"]
    actions.election_close(actor=a, election=election)
    election = actions.election_count(
        actor=a, election=election, counting_keys=data["counting_keys"]
    )
    counted = Ballot.objects.filter(election=election).count()
    data["election"] = election
    problems = audit.verify_chain()
    for problem in problems:
        print(f"audit chain problem ({problem.code}): {problem}")
    return {
        "counted": counted,
        "receipts": len(before.receipts),
        "participations": before.participations,
        "lost": len(acknowledged - on_board),
        "doubled": counted - len(acknowledged),
        "unacknowledged_on_board": len(on_board - acknowledged),
        "audit_problems": len(problems),
    }


# P2: screens on the projector's stream -------------------------------------------------------


async def _screens(
    server: Server, data: dict[str, Any], screens: int, release: Any
) -> dict[str, Any]:
    congress_id = data["congress"].pk
    sessions = (data["sessions"] * (screens // len(data["sessions"]) + 1))[:screens]
    connected = 0
    all_connected = asyncio.Event()
    released = asyncio.Event()
    finished = asyncio.Event()  # every screen had the result (or failed): they may close
    arrivals: list[float] = []
    errors: list[str] = []

    async def screen(session: str) -> None:
        nonlocal connected
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        except OSError as exc:
            errors.append(repr(exc))
            return
        writer.write(
            (
                f"GET /elections/congress/{congress_id}/projector/stream/ HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{server.port}\r\nAccept: text/event-stream\r\n"
                f"Cookie: sessionid={session}\r\n\r\n"
            ).encode()
        )
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 120)
            if int(head[9:12]) != 200:
                errors.append(head[:40].decode("latin-1"))
                return
            seen_first, tail = False, b""
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    errors.append("stream ended")
                    return
                if not seen_first and b"data:" in chunk:
                    seen_first = True
                    connected += 1
                    if connected == screens:
                        all_connected.set()
                if b"event: released" in tail + chunk:
                    arrivals.append(time.perf_counter())
                    await finished.wait()  # a screen stays connected, as in the hall
                    return
                tail = chunk[-32:]
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            errors.append(repr(exc))
        finally:
            writer.close()

    tasks: list[asyncio.Task[None]] = []
    t_connect = time.perf_counter()
    idle_rss = _rss_mb(server.worker_pids())
    for i in range(0, screens, 250):  # connect in batches: the admissions are thread trips
        tasks += [asyncio.ensure_future(screen(s)) for s in sessions[i : i + 250]]
        for _ in range(1200):
            if connected + len(errors) >= min(i + 250, screens):
                break
            await asyncio.sleep(0.05)
    with contextlib.suppress(TimeoutError):  # the errors say why some did not connect
        await asyncio.wait_for(all_connected.wait(), 120)
    connect_s = time.perf_counter() - t_connect
    await asyncio.sleep(2)  # settle
    open_rss = _rss_mb(server.worker_pids())
    per_worker = sorted(len(os.listdir(f"/proc/{pid}/fd")) for pid in server.worker_pids())
    profilers = _profile([*server.worker_pids(), os.getpid()], "p2", 4)
    if profilers:
        await asyncio.sleep(1)  # py-spy attached
    t0, t_committed = await asyncio.to_thread(release)
    released.set()
    for _ in range(1800):
        if len(arrivals) + len(errors) >= connected:
            break
        await asyncio.sleep(0.1)
    finished.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 180)
    for profiler in profilers:
        profiler.wait()
    return {
        "screens": screens,
        "connected": connected,
        "connect_s": connect_s,
        "received": len(arrivals),
        "all_s": (max(arrivals) - t0) if arrivals else float("nan"),
        "commit_s": t_committed - t0,
        "first_s": (min(arrivals) - t0) if arrivals else float("nan"),
        "p50_s": (statistics.median(arrivals) - t0) if arrivals else float("nan"),
        "idle_rss_mb": idle_rss,
        "open_rss_mb": open_rss,
        "kb_per_stream": (open_rss - idle_rss) * 1024 / max(1, connected),
        "files_per_worker": per_worker,
        "errors": errors[:3],
        "error_count": len(errors),
    }


PROFILE_DIR = os.environ.get("DAIHOI_BENCH_PROFILE", "")  # py-spy's folded stacks go here


def _profile(pids: list[int], name: str, seconds: int) -> list[subprocess.Popen[bytes]]:
    """With DAIHOI_BENCH_PROFILE=DIR (and py-spy installed): sample each process for
    `seconds`, one folded-stack file per process (`DIR/{name}-{pid}.txt`)."""
    if not PROFILE_DIR:
        return []
    Path(PROFILE_DIR).mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).with_name("py-spy"))
    started = [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(seconds),
                "--rate",
                "400",
                "--format",
                "raw",
                "--nonblocking",
                "-o",
                f"{PROFILE_DIR}/{name}-{pid}.txt",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in pids
    ]
    return started


def push(server: Server, data: dict[str, Any], screens: int) -> dict[str, Any]:
    """P2: `screens` SSE clients; release; time until all of them have the released panel."""
    from django.db import connections

    from daihoi.elections import actions

    election = data["election"]
    a, b = data["counters"]
    actions.result_confirm(actor=a, election=election)
    connections.close_all()

    def release() -> float:
        t0 = time.perf_counter()
        actions.result_confirm(actor=b, election=election)  # commits the release
        t_committed = time.perf_counter()
        connections.close_all()
        return t0, t_committed

    import uvloop  # the screens' client costs the shared cores less on libuv's loop

    from daihoi.elections.views import panel_html

    result = uvloop.run(_screens(server, data, screens, release))
    result["panel_kb"] = len(panel_html(data["congress"]).encode()) / 1024
    election.refresh_from_db()
    result["valid"] = election.result["valid"]
    return result


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delegates", type=int, default=DELEGATES)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--screens", type=int, default=DELEGATES, help="0: no P2")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--fault", choices=["none", "kill-worker", "restart-postgres"], default="none"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a scratch PostgreSQL database")
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the screens' sockets
    print("machine:", machine())
    print("uptime before:", _uptime())
    recreate_database(url)
    os.environ["DAIHOI_SECRET_KEY"] = "bench-" + secrets.token_hex(24)  # shared with the server
    os.environ["DAIHOI_AUDIT_KEY"] = "bench-audit-" + secrets.token_hex(24)
    os.environ["DAIHOI_AUDIT_ANCHOR_FILE"] = fresh_anchor_file("voting")
    _setup_django()
    t = time.perf_counter()
    data = prepare(args.delegates, open_poll=False)
    print(
        f"dataset: {args.delegates} delegates, {CANDIDATES} candidates, {SEATS} seats "
        f"({time.perf_counter() - t:.1f} s)"
    )
    extra = {
        "DAIHOI_STREAMS_PER_USER": str(max(4, args.screens // max(1, args.delegates) + 2)),
        "DAIHOI_STREAMS_PER_ADDRESS": str(max(40, args.screens + 100)),
    }
    server = Server(workers=args.workers, database_url=url, extra=extra)
    try:
        print(f"P1: uvicorn {args.workers} workers, {args.clients} clients, fault {args.fault}")
        p1 = burst(server, data, args.clients, args.fault)
        print("uptime after P1:", _uptime())
        counts = recount(data, p1.pop("receipts"))
        print(
            f"P1: {p1['acknowledged']} ballots in {p1['wall_s']:.2f} s = "
            f"{p1['ballots_per_s']:.0f}/s; latency p50 {p1['p50_ms']:.0f} ms, "
            f"p95 {p1['p95_ms']:.0f} ms, p99 {p1['p99_ms']:.0f} ms, max {p1['max_ms']:.0f} ms; "
            f"failures {p1['failure_count']} {p1['failures']}; retries {p1['retries']}; "
            f"client connections per worker {p1['per_worker']}; CPU seconds used: workers "
            f"{p1['cpu_s'][0]:.2f}, PostgreSQL {p1['cpu_s'][1]:.2f}, this client "
            f"{p1['cpu_s'][2]:.2f} (the burst's)"
            + (f"; fault after {p1['fault_at']} receipts" if args.fault != "none" else "")
        )
        print(
            "P1 slowest 1 %: latency ms @ sent s after the start: "
            + ", ".join(f"{lat * 1000:.0f}@{at:.2f}" for lat, at in p1.pop("slowest"))
        )
        print(
            f"P1 recount: counted {counts['counted']}, receipts {counts['receipts']}, "
            f"participations {counts['participations']}; lost {counts['lost']}, "
            f"doubled {counts['doubled']}, on the board unacknowledged "
            f"{counts['unacknowledged_on_board']}; audit chain problems {counts['audit_problems']}"
        )
        if args.screens:
            p2 = push(server, data, args.screens)
            print(
                f"P2: {p2['received']}/{p2['screens']} screens had the released result "
                f"{p2['all_s']:.2f} s after release (median {p2['p50_s']:.2f} s, first "
                f"{p2['first_s']:.2f} s; the release's own action committed after "
                f"{p2['commit_s']:.2f} s; the released panel {p2['panel_kb']:.1f} KB); "
                f"open files per worker {p2['files_per_worker']}; "
                f"connected {p2['connected']} in {p2['connect_s']:.0f} s; workers' memory "
                f"{p2['idle_rss_mb']:.0f} MB idle, {p2['open_rss_mb']:.0f} MB with the screens "
                f"open = {p2['kb_per_stream']:.1f} KB per stream; errors {p2['error_count']} "
                f"{p2['errors']}; counted valid ballots {p2['valid']}"
            )
            print("uptime after P2:", _uptime())
    finally:
        server.stop()


if __name__ == "__main__":
    main()

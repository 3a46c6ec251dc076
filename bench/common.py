"""What the benchmarks share: the machine line, peak memory, a free port, a scratch database."""

from __future__ import annotations

import os
import platform
import resource
import socket
import sqlite3
import tempfile
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    """One line: architecture, cores and CPU, OS, Python, SQLite and the load average now."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()} {os.cpu_count()} cores ({cpu_model()}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}, load average {load}"
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_anchor_file(name: str) -> str:
    """A new, empty audit anchor file for one run. (A file named after the process id was
    found again by a later run with the same id: its checkpoints, made under another key
    for another database, then failed the run's audit chain check.)"""
    return str(Path(tempfile.mkdtemp(prefix=f"bench-{name}-")) / "anchors.jsonl")


def recreate_database(url: str) -> None:
    """Drop and create the PostgreSQL database named by `url` (a scratch database)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

"""Production settings come from the environment and pass Django's deployment checks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run this interpreter in a fresh process with exactly this environment."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a bound for a loaded machine, not a speed check
        check=False,
    )


def _daihoi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the `daihoi` command in a fresh process with exactly this environment."""
    return _python("-m", "daihoi.manage", *args, env=env)


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DAIHOI_ENV": "production",
        "DAIHOI_ALLOWED_HOSTS": "daihoi.example.org",
        "DAIHOI_SECRET_KEY": "x7#kq" * 12,
        "DAIHOI_AUDIT_KEY": "k3y!" * 10,
        "DAIHOI_AUDIT_ANCHOR_FILE": str(tmp_path / "anchors.jsonl"),
        "DAIHOI_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = _daihoi("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**os.environ, "DAIHOI_ENV": "production", "DAIHOI_VAR_DIR": str(tmp_path)}
    env.pop("DAIHOI_SECRET_KEY", None)
    result = _daihoi("check", env=env)
    assert result.returncode != 0 and "DAIHOI_SECRET_KEY" in result.stderr


def test_a_pinned_day_that_is_not_a_date_is_refused_at_start(tmp_path: Path) -> None:
    env = {**os.environ, "DAIHOI_TODAY": "15/07/2025", "DAIHOI_VAR_DIR": str(tmp_path)}
    result = _daihoi("check", env=env)
    assert result.returncode != 0
    assert "DAIHOI_TODAY must be a date like 2025-07-15, not '15/07/2025'" in result.stderr


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DAIHOI_ENV": "production",
        "DAIHOI_ALLOWED_HOSTS": "daihoi.example.org,testserver",
        "DAIHOI_SECRET_KEY": "x7#kq" * 12,
        "DAIHOI_AUDIT_KEY": "k3y!" * 10,
        "DAIHOI_AUDIT_ANCHOR_FILE": str(tmp_path / "anchors.jsonl"),
        "DAIHOI_VAR_DIR": str(tmp_path),
        **extra,
    }


def test_production_refuses_to_start_without_an_audit_key_or_anchor_file(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    env.pop("DAIHOI_AUDIT_KEY")
    result = _daihoi("check", env=env)
    assert result.returncode != 0 and "DAIHOI_AUDIT_KEY" in result.stderr
    env = _production_env(tmp_path)
    env.pop("DAIHOI_AUDIT_ANCHOR_FILE")
    result = _daihoi("check", env=env)
    assert result.returncode != 0 and "DAIHOI_AUDIT_ANCHOR_FILE" in result.stderr


REDIS_URL = os.environ.get("DAIHOI_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def _redis_or_skip() -> None:
    import pytest

    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


def test_production_settings_with_redis_run_the_public_comment_form(tmp_path: Path) -> None:
    """The production settings with REDIS_URL (cache and rate limits in Redis): the public
    comment form's tests pass there, on the database this suite runs on."""
    _redis_or_skip()
    env = _production_env(tmp_path, REDIS_URL=REDIS_URL, DAIHOI_SSL_REDIRECT="0")
    collected = _daihoi("collectstatic", "--noinput", "-v", "0", env=env)
    assert collected.returncode == 0, collected.stderr
    check = _daihoi(
        "shell",
        "-c",
        "from django.core.cache import cache, caches;"
        "cache.set('daihoi:probe', 41); cache.incr('daihoi:probe');"
        "print(type(caches['default']).__name__, cache.get('daihoi:probe'))",
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert "RedisCache 42" in check.stdout
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "daihoi/consultation/tests/test_public.py",
            "daihoi/consultation/tests/test_limits.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


def _procfile() -> dict[str, str]:
    lines = (ROOT / "deploy" / "Procfile").read_text(encoding="utf-8").splitlines()
    return {
        name.strip(): command.strip()
        for name, _, command in (line.partition(":") for line in lines)
        if name.strip() and not name.startswith("#")
    }


def test_the_procfile_runs_the_asgi_app_and_the_task_worker() -> None:
    procfile = _procfile()
    assert set(procfile) == {"release", "web", "worker"}
    assert procfile["web"].startswith("uvicorn daihoi.asgi:application ")
    assert procfile["worker"].startswith("daihoi db_worker ")
    from daihoi.asgi import application

    assert callable(application)


def test_every_daihoi_command_in_deploy_exists() -> None:
    from django.core.management import get_commands

    commands = get_commands()
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "deploy").iterdir() if p.is_file()]
    invoked = re.compile(r"(?:bin/|: |&& )daihoi (\w+)")
    named = {m for text in texts for m in invoked.findall(text)}
    assert {"migrate", "db_worker", "send_deadline_digest", "audit"} <= named
    assert named <= set(commands), named - set(commands)


def test_pgbouncer_mode_disables_server_side_cursors() -> None:
    env = {**os.environ, "DAIHOI_PGBOUNCER": "1", "DATABASE_REPLICA_URL": "sqlite:///x.db"}
    result = _python(
        "-c",
        "from daihoi import settings as s; "
        "print(sorted((a, d['DISABLE_SERVER_SIDE_CURSORS']) for a, d in s.DATABASES.items()))",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('default', True), ('replica', True)]"


def test_the_asgi_lifespan_prepares_a_long_running_process_and_closes_at_shutdown() -> None:
    """uvicorn's lifespan messages are answered (Django alone refuses them): at start-up the
    URL conf and its views are loaded and the heap is frozen out of the collector's
    generations; at shutdown the lean path's pool closes."""
    code = """
import asyncio, gc, json, sys
from daihoi.asgi import application
views = "daihoi.targets.views"
before = views in sys.modules
asked = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
answered = []
async def receive():
    return asked.pop(0)
async def send(message):
    answered.append(message["type"])
asyncio.run(application({"type": "lifespan"}, receive, send))
print(json.dumps({"answered": answered, "frozen": gc.get_freeze_count(),
    "threshold": gc.get_threshold()[0], "views": [before, views in sys.modules]}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "daihoi.settings"}
    done = _python("-c", code, env=env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["answered"] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert seen["views"] == [False, True]  # loaded at start-up, not by the first request
    assert seen["frozen"] > 10_000  # the loaded application, out of the collections
    assert seen["threshold"] == 10_000

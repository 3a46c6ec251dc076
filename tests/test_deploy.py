"""Production settings come from the environment and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _daihoi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the `daihoi` command in a fresh process with exactly this environment."""
    return subprocess.run(
        [sys.executable, "-m", "daihoi.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DAIHOI_ENV": "production",
        "DAIHOI_ALLOWED_HOSTS": "daihoi.example.org",
        "DAIHOI_SECRET_KEY": "x7#kq" * 12,
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

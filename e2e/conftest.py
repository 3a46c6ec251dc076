"""Browser journeys: Playwright drives the system Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DAIHOI_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def login(live_server: Any, page: Any) -> Any:
    """Log `username` in through the real login form."""

    def _login(username: str, password: str = "correct horse battery") -> Any:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        return page

    return _login


@pytest.fixture(autouse=True)
def _patient_page(page: Any) -> None:
    """A loaded CI machine can be slow to serve the first page; don't fail on that alone."""
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright's wait_for_function evaluates its predicate with eval(), which the app's CSP
    # forbids (script-src 'self'); the CSP itself is tested in daihoi/core/tests.
    return {**browser_context_args, "bypass_csp": True}

"""The demo, built once for every test module of this package.

Building it walks some two thousand congresses through their actions, the longest set-up in
the suite, so the modules here share one build: it runs inside a transaction that is rolled
back when the package's last test has run, and each test runs in its own savepoint within
it. The root `conftest.py` keeps this package's modules on one test worker.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from daihoi.demo import province
from daihoi.demo.tests.built import MEMBERS


@pytest.fixture(autouse=True)
def _fewer_members(monkeypatch: Any) -> None:
    monkeypatch.setattr(province, "MEMBERS", MEMBERS)


@pytest.fixture(scope="package")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """What `daihoi demo` printed while it built the demo."""
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(province, "MEMBERS", MEMBERS)
        with transaction.atomic():
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from daihoi import testing

# Test packages whose modules share a package-scoped build; xdist's per-file distribution keeps
# each of them on one worker, so the build runs once.
SHARED_BUILDS = ("daihoi/demo/tests/built/",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class _SharedBuilds(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((p for p in SHARED_BUILDS if path.startswith(p)), path)

    return _SharedBuilds(config, log)


@pytest.fixture
def province(db: Any) -> dict[str, Any]:
    return testing.make_province()


@pytest.fixture
def organizer_d1(province: dict[str, Any]) -> Any:
    return testing.make_user(username="org_d1", role=testing.ORGANIZER, unit=province["d1"])


@pytest.fixture
def organizer_province(province: dict[str, Any]) -> Any:
    return testing.make_user(username="org_p", role=testing.ORGANIZER, unit=province["province"])


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Session-wide, so data built by module-scoped fixtures is hashed the same way."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield

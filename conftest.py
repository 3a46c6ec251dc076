from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from daihoi import testing


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

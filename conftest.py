from __future__ import annotations

from typing import Any

import pytest

from daihoi.core import testing


@pytest.fixture
def province(db: Any) -> dict[str, Any]:
    return testing.make_province()


@pytest.fixture
def organizer_d1(province: dict[str, Any]) -> Any:
    return testing.make_user(username="org_d1", role=testing.ORGANIZER, unit=province["d1"])


@pytest.fixture
def organizer_province(province: dict[str, Any]) -> Any:
    return testing.make_user(username="org_p", role=testing.ORGANIZER, unit=province["province"])


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

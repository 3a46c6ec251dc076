"""The system as an actor: the demo builder, management commands and background tasks.

It lives in the kernel so the audit log can name it; who may act, and where the system may,
is decided in `daihoi.accounts.authority`.
"""

from __future__ import annotations

from typing import Final


class SystemActor:
    """The system itself: the demo builder, management commands and background tasks."""

    _instance: SystemActor | None = None
    pk = None
    is_authenticated = False
    is_superuser = False
    is_active = True
    person_id = None

    def __new__(cls) -> SystemActor:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SYSTEM"

    __str__ = __repr__

    def get_username(self) -> str:
        return "system"


SYSTEM: Final = SystemActor()

"""Shared by the transition actions: who may act on a case."""

from __future__ import annotations

from typing import Any

from daihoi.accounts.authority import require_role
from daihoi.accounts.models import Role
from daihoi.transitions.models import TransitionCase

State = TransitionCase.State


def require_organizer(actor: Any, case: TransitionCase) -> None:
    require_role(actor, case.unit, [Role.ORGANIZER])

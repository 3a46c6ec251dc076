"""Shared by the congress-day actions: who may act at a congress."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from daihoi.accounts.models import Role
from daihoi.accounts.queries import require_role
from daihoi.conduct import queries
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.models import Congress

Board = BoardSeat.Board
Status = Delegate.Status
Kind = Delegate.Kind


def require(actor: Any, congress: Congress, boards: Iterable[str] = ()) -> None:
    """A seat on one of `boards` at this congress, or an organizer over its unit."""
    if actor is None:
        return
    if any(queries.is_board_member(actor, congress, board) for board in boards):
        return
    require_role(actor, congress.unit, [Role.ORGANIZER])

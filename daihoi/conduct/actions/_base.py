"""Shared by the congress-day actions: who may act at a congress."""

from __future__ import annotations

from collections.abc import Iterable

from daihoi.accounts.authority import Actor, require_organizer_or_seat
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.models import Congress

Board = BoardSeat.Board
Status = Delegate.Status
Kind = Delegate.Kind


def require(actor: Actor, congress: Congress, boards: Iterable[str] = ()) -> None:
    """A seat on one of `boards` at this congress, or an organizer over its unit."""
    require_organizer_or_seat(actor, congress, boards)

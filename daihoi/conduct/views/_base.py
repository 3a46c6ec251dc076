"""What the congress-day pages share: who may see a page, the duties a user holds, PDFs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from daihoi.conduct import queries
from daihoi.conduct.models import BoardSeat
from daihoi.congresses.models import Congress

Board = BoardSeat.Board


def require_duty(request: HttpRequest, congress: Congress, board: str | None) -> None:
    """A seat on `board` (if any) or an organizer over the unit; 403 otherwise."""
    user = request.user
    if board is not None and queries.is_board_member(user, congress, board):
        return
    if not queries.is_organizer(user, congress):
        raise PermissionDenied(
            _("This page is for the %(board)s or an organizer.")
            % {"board": Board(board).label if board else _("organizers")}
        )


def user_duties(request: HttpRequest, congress: Congress) -> dict[str, bool]:
    boards = queries.user_boards(request.user, congress)
    organizer = queries.is_organizer(request.user, congress)
    return {
        "organizer": organizer,
        "credentials": organizer or Board.CREDENTIALS in boards,
        "presidium": organizer or Board.PRESIDIUM in boards,
        "counting": organizer or Board.COUNTING in boards,
    }

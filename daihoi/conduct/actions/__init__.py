"""Writes for the congress day. Each action checks permission, runs atomically and is audited.

One module per area: `roster` (the roster, credentials, absences, boards), `checkin` (the
door), `agenda` (agenda items and the speakers' list).
"""

from daihoi.conduct.actions.agenda import (
    agenda_item_add,
    speaker_request_move,
    speaker_request_register,
    speaker_request_set_status,
)
from daihoi.conduct.actions.checkin import CheckIn, check_in_message, delegate_check_in
from daihoi.conduct.actions.roster import (
    RosterChange,
    board_seat_assign,
    board_seat_remove,
    credentials_verify,
    delegate_mark_absent,
    delegates_appoint,
    roster_add_elected,
    roster_build,
)

__all__ = [
    "CheckIn",
    "RosterChange",
    "agenda_item_add",
    "board_seat_assign",
    "board_seat_remove",
    "check_in_message",
    "credentials_verify",
    "delegate_check_in",
    "delegate_mark_absent",
    "delegates_appoint",
    "roster_add_elected",
    "roster_build",
    "speaker_request_move",
    "speaker_request_register",
    "speaker_request_set_status",
]

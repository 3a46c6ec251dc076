"""Writes for the congress day. Each action checks permission, runs atomically and is audited.

One module per area: `roster` (the roster, credentials, absences, boards), `checkin` (the
door), `agenda` (agenda items and the speakers' list), `accounts` (delegate accounts and
their one-time login codes).
"""

from daihoi.conduct.actions.accounts import (
    AccountsMade,
    delegate_accounts_create,
    delegate_accounts_end,
    delegate_login_codes_issue,
    delegate_login_redeem,
)
from daihoi.conduct.actions.agenda import (
    agenda_item_add,
    agenda_item_edit,
    agenda_item_move,
    agenda_item_open,
    speaker_request_move,
    speaker_request_register,
    speaker_request_set_status,
)
from daihoi.conduct.actions.checkin import CheckIn, delegate_check_in
from daihoi.conduct.actions.roster import (
    RosterChange,
    board_seat_assign,
    board_seat_remove,
    credentials_verify,
    delegate_add_by_hand,
    delegate_mark_absent,
    delegates_appoint,
    roster_add_elected,
    roster_build,
)

__all__ = [
    "AccountsMade",
    "CheckIn",
    "RosterChange",
    "agenda_item_add",
    "agenda_item_edit",
    "agenda_item_move",
    "agenda_item_open",
    "board_seat_assign",
    "board_seat_remove",
    "credentials_verify",
    "delegate_accounts_create",
    "delegate_accounts_end",
    "delegate_add_by_hand",
    "delegate_check_in",
    "delegate_login_codes_issue",
    "delegate_login_redeem",
    "delegate_mark_absent",
    "delegates_appoint",
    "roster_add_elected",
    "roster_build",
    "speaker_request_move",
    "speaker_request_register",
    "speaker_request_set_status",
]

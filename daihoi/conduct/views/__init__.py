"""Congress-day pages: the hub, roster, accounts, credentials, boards, agenda.

Every view is scoped (the code login is public); the congress is fetched through
`access_congress_by_id` (404 outside the user's reach), and duties are then checked against
boards and roles (403). One module per area: `roster` (hub, roster, the delegate's page),
`accounts` (delegate accounts, login letters, code login), `credentials` (credentials,
badges, check-in, attendance), `boards`, `agenda` (agenda items and speakers).
"""

from daihoi.conduct.views.accounts import code_login, delegate_accounts, login_letters_pdf
from daihoi.conduct.views.agenda import agenda, agenda_item, agenda_item_manage
from daihoi.conduct.views.boards import boards
from daihoi.conduct.views.credentials import (
    attendance,
    badges_pdf,
    check_in,
    credentials,
    credentials_pdf,
)
from daihoi.conduct.views.roster import (
    congress_detail,
    delegate_absent,
    delegate_add,
    delegate_page,
    index,
    roster,
    roster_build,
    roster_pick,
)

__all__ = [
    "agenda",
    "agenda_item",
    "agenda_item_manage",
    "attendance",
    "badges_pdf",
    "boards",
    "check_in",
    "code_login",
    "congress_detail",
    "credentials",
    "credentials_pdf",
    "delegate_absent",
    "delegate_accounts",
    "delegate_add",
    "delegate_page",
    "index",
    "login_letters_pdf",
    "roster",
    "roster_build",
    "roster_pick",
]

"""Writes for transition cases. Each action checks permission, runs atomically and is audited.

`cases`: opening cases (hook listeners), the salary basis, the view log; `handling`: the
option chosen, the decision with four eyes, the payment.
"""

from daihoi.transitions.actions.cases import (
    case_set_basis,
    case_view_log,
    cases_import_basis,
    cases_open_after_reorganization,
    cases_open_not_reelected,
)
from daihoi.transitions.actions.handling import (
    case_choose_option,
    decision_approve,
    decision_prepare,
    payment_record,
)

__all__ = [
    "case_choose_option",
    "case_set_basis",
    "case_view_log",
    "cases_import_basis",
    "cases_open_after_reorganization",
    "cases_open_not_reelected",
    "decision_approve",
    "decision_prepare",
    "payment_record",
]

"""Writes for cases. Every function is one use case (keyword-only, `@action`,
permission-checked, audited once):

- `intake`: `case_submit` (a member's account), `case_record` (an inspector records a letter
  or a visit), `case_submit_public` (the public form);
- `handling`: `case_decide` (admissibility with its ground), `case_assign`,
  `case_step_record`, `case_extend`, `case_conclusion_prepare`, `case_conclusion_approve`,
  `case_conclusion_return`
  (four eyes), `case_hand_over` (to the new committee), `case_proceed` (the higher level),
  `case_read_record` (every read of a case's content);
- `feedback`: `feedback_reply`, `feedback_consider`;
- `calendar`: `calendar_day_set`.
"""

from daihoi.cases.actions.calendar import calendar_day_set
from daihoi.cases.actions.feedback import feedback_consider, feedback_reply
from daihoi.cases.actions.handling import (
    OUTCOMES,
    case_assign,
    case_conclusion_approve,
    case_conclusion_prepare,
    case_conclusion_return,
    case_decide,
    case_extend,
    case_hand_over,
    case_proceed,
    case_read_record,
    case_step_record,
)
from daihoi.cases.actions.intake import (
    CaseInput,
    Sender,
    case_record,
    case_submit,
    case_submit_public,
)

__all__ = [
    "OUTCOMES",
    "CaseInput",
    "Sender",
    "calendar_day_set",
    "case_assign",
    "case_conclusion_approve",
    "case_conclusion_prepare",
    "case_conclusion_return",
    "case_decide",
    "case_extend",
    "case_hand_over",
    "case_proceed",
    "case_read_record",
    "case_record",
    "case_step_record",
    "case_submit",
    "case_submit_public",
    "feedback_consider",
    "feedback_reply",
]

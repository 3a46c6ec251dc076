"""Pages of cases, one module per area: `register` (the register, its export, one case with
its timeline and handling forms), `intake` (a member's case, an inspector's letter or visit,
the public form, the sender's own cases), `congress` (a congress's cases for organizers and
the higher level, the opening report), `feedback` and `calendar` (the working-day calendar).

Every view is `@scoped` or `@public`; cases are fetched through `access_…` queries (404 to
anyone who may not read them) and every read of a case's content is audited.
"""

from daihoi.cases.views.calendar import calendar
from daihoi.cases.views.congress import congress_cases, opening_report_pdf
from daihoi.cases.views.feedback import feedback, feedback_item
from daihoi.cases.views.intake import mine, public_form, record, submit
from daihoi.cases.views.register import case_detail, export, index

__all__ = [
    "calendar",
    "case_detail",
    "congress_cases",
    "export",
    "feedback",
    "feedback_item",
    "index",
    "mine",
    "opening_report_pdf",
    "public_form",
    "record",
    "submit",
]

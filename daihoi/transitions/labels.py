"""Translated labels for the benefit functions' stable codes (options, items, reasons)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from daihoi.transitions import benefits

OPTIONS = {
    benefits.LEAVE_UNTIL_RETIREMENT: _("Leave work until retirement on full salary"),
    benefits.EARLY_RETIREMENT_177: _("Early retirement without pension reduction (Decree 177)"),
    benefits.EARLY_RETIREMENT_178: _("Early retirement through restructuring (Decree 178)"),
    benefits.RESIGNATION_178: _("Resignation through restructuring (Decree 178)"),
    benefits.KEEP_ALLOWANCE: _("Keep the former leadership allowance"),
    benefits.CONTINUE_WORK: _("Continue working in another post"),
}
ITEMS = {
    "full_salary_until_retirement": _("full salary until retirement"),
    "years_early": _("allowance per year retired early"),
    "insured_years": _("allowance for insured working years"),
    "months_early": _("allowance per month retired early"),
    "months_to_retirement": _("allowance per month to retirement"),
    "job_search": _("allowance to find work"),
    "former_allowance": _("former leadership allowance"),
}
REASONS = {
    benefits.NOT_WISHING: _("the person does not wish to retire"),
    benefits.TOO_FAR: _("too far from retirement"),
    benefits.TOO_NEAR: _("less than two years to retirement"),
    benefits.PAST_RETIREMENT: _("retirement age already reached"),
    benefits.NO_SALARY: _("the salary basis is not entered yet"),
}
NOTES = {
    "halved_from_13th_month": _("leaving from the 13th month after the decision: halved"),
    "months_capped": _("months early capped"),
}


def option_rows(options: list[benefits.Option]) -> list[dict[str, object]]:
    """Options with translated labels, for pages, the notice and the API."""
    return [
        {
            "code": o.code,
            "label": str(OPTIONS.get(o.code, o.code)),
            "eligible": o.eligible,
            "reason": str(REASONS.get(o.reason, o.reason)) if o.reason else "",
            "notes": [str(NOTES.get(n, n)) for n in o.notes],
            "source": o.source,
            "total": o.total,
            "items": [
                {
                    "code": i.code,
                    "label": str(ITEMS.get(i.code, i.code)),
                    "formula": i.formula,
                    "amount": i.amount,
                    "source": i.source,
                }
                for i in o.items
            ],
        }
        for o in options
    ]

"""The translated sentence for each hard-standard check, with its figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from daihoi.organizations.models import Person
from daihoi.personnel.standards import Check, Code, Result


def _month(day: date | None) -> str:
    return day.strftime("%m/%Y") if day else "?"


def check_label(code: str) -> str:
    return {
        Code.WORKING_TIME: _("Working time"),
        Code.MEMBER_STATUS: _("Member status"),
        Code.DISCIPLINE: _("Discipline"),
        Code.EDUCATION: _("Education"),
        Code.POLITICAL_THEORY: _("Political theory"),
    }.get(Code(code), code)


def describe(check: Check) -> str:
    f: dict[str, Any] = check.figures
    if check.result is Result.UNKNOWN:
        return _("Not known: the data needed for this check is missing.")
    if check.code is Code.WORKING_TIME:
        return _(
            "born %(born)s, retires %(retires)s, %(left)s months left at %(reference)s; "
            "needs %(needs)s"
        ) % {
            "born": _month(f["born"]),
            "retires": _month(f["retires"]),
            "left": f["left"],
            "reference": _month(f["reference"]),
            "needs": f["needs"],
        }
    if check.code is Code.MEMBER_STATUS:
        return _("status: %(status)s") % {"status": Person.Status(f["status"]).label}
    if check.code is Code.DISCIPLINE:
        if check.result is Result.FAILS:
            return _("disciplined on %(day)s, within %(months)s months") % {
                "day": f["decided"].strftime("%d/%m/%Y"),
                "months": f["months"],
            }
        return _("no discipline within %(months)s months") % {"months": f["months"]}
    if check.code is Code.EDUCATION:
        return _("%(has)s; needs %(needs)s") % {
            "has": Person.Education(f["has"]).label,
            "needs": Person.Education(f["needs"]).label,
        }
    return _("%(has)s; needs %(needs)s") % {
        "has": Person.PoliticalTheory(f["has"]).label,
        "needs": Person.PoliticalTheory(f["needs"]).label,
    }


def failure_text(name: str, checks: Sequence[Check]) -> str:
    """ "Name fails a hard standard: Working time (born …; needs 60)." for refusals."""
    reasons = "; ".join(f"{check_label(c.code)} ({describe(c)})" for c in checks)
    return _("%(name)s fails a hard standard: %(reasons)s.") % {"name": name, "reasons": reasons}

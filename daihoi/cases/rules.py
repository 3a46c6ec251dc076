"""The rule arithmetic of complaints, denunciations and feedback.

Pure Python (no Django): which admissibility grounds a submission meets, the pre-congress
cut-off in working days, and the resolution deadline. The numbers come from the rulebook
(`complaints:`); the calendar from `cases.workdays`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from daihoi.cases.workdays import Calendar

COMPLAINT, DENUNCIATION, FEEDBACK = "complaint", "denunciation", "feedback"
KINDS = (COMPLAINT, DENUNCIATION, FEEDBACK)


@dataclass(frozen=True)
class Submission:
    """What the inspector establishes about a complaint or denunciation as received."""

    kind: str
    sender_named: bool = True  # a name is given
    name_is_real: bool = True  # not a false name
    address_given: bool = True
    repeat_of_resolved: bool = False
    new_evidence: bool = False
    specific_content: bool = True
    personally_signed: bool = True
    signers: int = 1
    legal_capacity: bool = True


def grounds_met(submission: Submission, grounds: tuple[str, ...]) -> list[str]:
    """The not-handled grounds of `grounds` (the rulebook's list) that `submission` meets,
    in the rulebook's order. Feedback is never refused on these grounds: it may be
    anonymous."""
    if submission.kind == FEEDBACK:
        return []
    s = submission
    met = {
        "anonymous": not s.sender_named,
        "pseudonymous": s.sender_named and not s.name_is_real,
        "no_address": not s.address_given,
        "repeat_without_new_evidence": s.repeat_of_resolved and not s.new_evidence,
        "not_specific": not s.specific_content,
        "not_personally_signed": not s.personally_signed,
        "co_signed": s.signers >= 2,
        "no_legal_capacity": not s.legal_capacity,
    }
    return [g for g in grounds if met.get(g, False)]


def effective_date(received_on: datetime.date, postmark_on: datetime.date | None) -> datetime.date:
    """The date the cut-off counts: the postmark of a letter, else the date of receipt."""
    return postmark_on if postmark_on is not None and postmark_on <= received_on else received_on


def cutoff_date(calendar: Calendar, opens_on: datetime.date, working_days: int) -> datetime.date:
    """The last day a case may be dated to be resolved before a congress opening on
    `opens_on`: at least `working_days` working days remain from it to the day before."""
    return calendar.step_back(opens_on, working_days)


def inside_cutoff(
    calendar: Calendar, *, dated: datetime.date, opens_on: datetime.date, working_days: int
) -> bool:
    """True when a case dated `dated` came too late to be resolved before the congress."""
    return dated > cutoff_date(calendar, opens_on, working_days)


def resolution_due(
    *, accepted_on: datetime.date, days: int, extension_days: int = 0
) -> datetime.date:
    """The deadline: `days` calendar days after acceptance, plus any extension granted."""
    return accepted_on + datetime.timedelta(days=days + extension_days)


def days_left(due_on: datetime.date, today: datetime.date) -> int:
    return (due_on - today).days

"""Complaints, denunciations and feedback: grounds, the cut-off, deadlines."""

from __future__ import annotations

from typing import Literal

from daihoi.rulebooks.schema._base import Cited, Code, Frozen

ComplaintGround = Literal[
    "anonymous",
    "pseudonymous",
    "no_address",
    "repeat_without_new_evidence",
    "not_specific",
    "not_personally_signed",
    "co_signed",
    "no_legal_capacity",
]


CaseKind = Literal["complaint", "denunciation", "feedback"]


class CaseCutoff(Frozen):
    """Complaints (and denunciations) about nominees or delegates are resolved before the
    congress only when received at least this many working days before it opens, counted by
    the postmark or the date of receipt; later ones go to the new term's committee."""

    grassroots_working_days: Cited[int]
    higher_working_days: Cited[int]
    # Levels whose congresses count as grassroots for the cut-off.
    grassroots_levels: Cited[tuple[Code, ...]]
    kinds: Cited[tuple[CaseKind, ...]]


class CaseDeadlines(Frozen):
    """Resolution deadlines beyond `resolution_days_by_level`: counted in calendar days from
    the acceptance of the case, and the extensions the rules allow."""

    counted_from: Cited[Literal["acceptance", "receipt"]]
    extension_days_by_level: dict[Code, Cited[int]]
    centrally_managed_days: Cited[int]
    centrally_managed_extension_days: Cited[int]


class ComplaintRules(Frozen):
    not_handled_grounds: Cited[tuple[ComplaintGround, ...]]
    resolution_days_by_level: dict[Code, Cited[int]]
    unresolved_at_opening: Cited[Literal["report_to_higher_level"]]
    not_summoned: Cited[tuple[Code, ...]]
    # Summoned, but left out of the total for election results when they do not attend.
    counted_if_attending: Cited[tuple[Code, ...]]
    cutoff: CaseCutoff | None = None
    deadlines: CaseDeadlines | None = None

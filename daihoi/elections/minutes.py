"""Minutes of a released election as PDF, in Vietnamese, English or German, with every figure."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from daihoi.core.documents import render_pdf
from daihoi.elections import results
from daihoi.elections.models import Election
from daihoi.elections.outcome import ElectionResult


def _derivation_label(code: str) -> str:
    labels = {
        "convened": _("convened"),
        "listed": _("on the roster"),
        "not_in_good_standing": _("not in good standing"),
        "absent_no_alternate": _("absent, no alternate"),
    }
    return labels.get(code, code.replace("_", " "))


def derivation_rows(result: ElectionResult | None) -> list[tuple[str, int]]:
    """The entitled count's steps with translated labels: (label, signed count)."""
    steps = result.entitled_derivation if result else ()
    return [(_derivation_label(code), n) for code, n in steps]


def outcome_rows(
    election: Election, result: ElectionResult | None, *, not_elected: str = ""
) -> list[dict[str, Any]]:
    """Each candidate's name, votes and translated outcome, most votes first."""
    if result is None:
        return []
    names = results.candidate_names(election)
    labels = {
        "delegate": _("delegate"),
        "elected": pgettext("election outcome", "elected"),
        "runoff": _("run-off"),
        "": not_elected,
    }
    rows = []
    for cid, votes in result.votes:
        outcome = result.outcome_of(cid)
        if outcome == "alternate":
            label = _("alternate no. %(n)s") % {"n": result.alternates.index(cid) + 1}
        else:
            label = labels[outcome]
        rows.append({"name": names.get(cid, cid), "votes": votes, "outcome": label})
    return rows


def minutes_context(election: Election) -> dict[str, Any]:
    """Everything the minutes show; labels are translated in the active language."""
    result = election.outcome
    reasons = {
        "not_issued_by_board": _("not issued by the counting board"),
        "names_added": _("names added"),
        "all_names_struck": _("every name struck"),
        "too_many_names_left": _("more names left than seats"),
    }
    invalid = result.invalid_by_reason if result else {}
    return {
        "election": election,
        "congress": election.congress,
        "result": result,
        "derivation": derivation_rows(result),
        "invalid_rows": [(reasons.get(k, k), n) for k, n in invalid.items()],
        "rows": outcome_rows(
            election, result, not_elected=pgettext("election outcome", "not elected")
        ),
        "release": getattr(election, "release", None),
        "generated": timezone.localtime(),
    }


def minutes_html(election: Election, *, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "elections/minutes.html", {**minutes_context(election), "language": language}
        )


def minutes_pdf(election: Election, *, language: str) -> bytes:
    return render_pdf(minutes_html(election, language=language))

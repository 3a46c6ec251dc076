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


def _derivation_label(code: str) -> str:
    labels = {
        "convened": _("convened"),
        "listed": _("on the roster"),
        "not_in_good_standing": _("not in good standing"),
        "absent_no_alternate": _("absent, no alternate"),
    }
    return labels.get(code, code.replace("_", " "))


def derivation_rows(result: dict[str, Any]) -> list[tuple[str, int]]:
    """The entitled count's steps with translated labels: (label, signed count)."""
    return [(_derivation_label(code), n) for code, n in result.get("entitled_derivation", [])]


def minutes_context(election: Election) -> dict[str, Any]:
    """Everything the minutes show; labels are translated in the active language."""
    result = election.result or {}
    names = results.candidate_names(election)
    release = getattr(election, "release", None)
    derivation = derivation_rows(result)
    reasons = {
        "not_issued_by_board": _("not issued by the counting board"),
        "names_added": _("names added"),
        "all_names_struck": _("every name struck"),
        "too_many_names_left": _("more names left than seats"),
    }
    delegates = result.get("delegates", [])
    alternates = result.get("alternates", [])
    rows = []
    for cid, votes in result.get("votes", []):
        if cid in delegates:
            outcome = _("delegate")
        elif cid in alternates:
            outcome = _("alternate no. %(n)s") % {"n": alternates.index(cid) + 1}
        elif cid in result.get("elected", []):
            outcome = pgettext("election outcome", "elected")
        elif cid in results.tied(result):
            outcome = _("run-off")
        else:
            outcome = pgettext("election outcome", "not elected")
        rows.append({"name": names.get(cid, cid), "votes": votes, "outcome": outcome})
    return {
        "election": election,
        "congress": election.congress,
        "result": result,
        "derivation": derivation,
        "invalid_rows": [
            (reasons.get(k, k), n) for k, n in result.get("invalid_by_reason", {}).items()
        ],
        "rows": rows,
        "release": release,
        "generated": timezone.localtime(),
    }


def minutes_html(election: Election, *, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "elections/minutes.html", {**minutes_context(election), "language": language}
        )


def minutes_pdf(election: Election, *, language: str) -> bytes:
    return render_pdf(minutes_html(election, language=language))

"""Shared by the congress actions: roles, the higher level's authority, rulebook terms."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import Role
from daihoi.congresses import planning
from daihoi.congresses.models import (
    Congress,
)
from daihoi.core.errors import field_errors, refusal
from daihoi.organizations.models import Unit
from daihoi.rulebooks.loader import RulebookError, load_rulebook

ORGANIZER = [Role.ORGANIZER]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def rulebook(rulebook_id: str, field: str = "rulebook_id") -> Any:
    try:
        return load_rulebook(rulebook_id)
    except RulebookError:
        raise field_errors(
            {field: _("There is no rulebook %(id)s.") % {"id": rulebook_id}}
        ) from None


def plan_terms(
    book: Any, unit: Unit, *, merged: bool = False, formed_on: datetime.date | None = None
) -> planning.PlanTerms:
    try:
        return planning.terms_for(book, unit.level, merged=merged, formed_on=formed_on)
    except KeyError:
        raise refusal(
            _("Rulebook %(book)s has no level %(level)s (unit %(code)s).")
            % {"book": book.id, "level": unit.level, "code": unit.code},
            code="rulebook_no_level_unit",
            field="unit",
        ) from None


def apply_terms(congress: Congress, terms: planning.PlanTerms) -> None:
    congress.congress_type = terms.congress_type
    congress.contents = list(terms.contents)
    congress.bodies = terms.bodies
    congress.earliest = terms.earliest
    congress.latest = terms.latest
    congress.max_duration_days = terms.max_duration_days


def is_user(actor: Any) -> bool:
    return actor is not SYSTEM and getattr(actor, "is_authenticated", False)

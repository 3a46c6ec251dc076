"""The case register as rows for the one export helper (`core.exports`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from daihoi.cases.models import Case

HEADERS = [
    "number",
    "kind",
    "channel",
    "unit",
    "congress",
    "person",
    "subject",
    "received_on",
    "postmark_on",
    "inside_cutoff",
    "state",
    "ground",
    "due_on",
    "assigned_to",
    "outcome",
    "concluded_on",
]
MAX_ROWS = 10000


def register_rows(cases: QuerySet[Case]) -> Iterator[list[Any]]:
    for c in cases.select_related("unit", "congress__unit", "person", "assigned_to").order_by("pk")[
        :MAX_ROWS
    ]:
        yield [
            c.pk,
            c.get_kind_display(),
            c.get_channel_display(),
            c.unit.code,
            c.congress.unit.code if c.congress else "",
            c.person.member_code if c.person else "",
            c.subject,
            c.received_on,
            c.postmark_on,
            c.inside_cutoff,
            c.get_state_display(),
            c.ground,
            c.due_on,
            c.assigned_to.get_username() if c.assigned_to else "",
            c.get_outcome_display() if c.outcome else "",
            c.concluded_on,
        ]

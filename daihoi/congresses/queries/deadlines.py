"""The daily deadline digest: each organizer's congresses due soon or overdue."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from daihoi.accounts.models import Role, User
from daihoi.congresses.models import (
    Congress,
)
from daihoi.congresses.queries._base import OPEN_STATES


def organizer_deadlines(
    paths: list[str] | None, *, on: datetime.date, within_days: int = 14
) -> tuple[list[Congress], list[Congress]]:
    """Congresses in the subtrees `paths` (None = all) due within `within_days`, and overdue."""
    congresses = Congress.objects.filter(state__in=OPEN_STATES).annotate(
        due=Coalesce("extended_latest", "latest")
    )
    if paths is not None:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(unit__path__startswith=p)
        congresses = congresses.filter(q)
    congresses = congresses.select_related("unit", "cycle").order_by("due", "unit__path")
    due: list[Congress] = list(
        congresses.filter(due__gte=on, due__lte=on + datetime.timedelta(days=within_days))
    )
    overdue: list[Congress] = list(congresses.filter(due__lt=on))
    return due, overdue


def organizers_with_email() -> QuerySet[User]:
    return (
        # Inspectors receive the digest for the cases due (`core.hooks.digest_sections`).
        User.objects.filter(
            is_active=True, grants__role__in=[Role.ORGANIZER, Role.INSPECTOR, Role.ADMIN]
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )

"""Editing the working-day calendar shipped in `cases/holidays.yaml`."""

from __future__ import annotations

import datetime
from typing import Any

from daihoi.accounts.authority import action, require_superuser_or_root_admin, user_of
from daihoi.cases.actions._base import text
from daihoi.cases.models import CalendarDay
from daihoi.core import audit
from daihoi.core.inputs import require_date_between


@action(system=True)
def calendar_day_set(
    *, actor: Any, day: datetime.date, working: bool, name: str = ""
) -> CalendarDay:
    """Declare a day off (a holiday announced) or a working day (a Saturday worked)."""
    require_superuser_or_root_admin(actor)
    require_date_between(day, field="day")
    entry, _created = CalendarDay.objects.update_or_create(
        day=day,
        defaults={
            "working": working,
            "name": text(name, field="name", limit=100, required=False),
            "recorded_by": user_of(actor),
        },
    )
    audit.record(
        actor=actor,
        action="calendar_day_set",
        obj=entry,
        changes={"day": day.isoformat(), "working": working, "name": entry.name},
    )
    return entry

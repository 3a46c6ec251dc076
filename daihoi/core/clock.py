"""The day and the time the product looks at.

`DAIHOI_TODAY` (a setting) pins the day for a whole process, which is how `make demo` serves
the demo as of mid-July 2025; `pinned(day)` pins it for a block of code, which is how the demo
is built as of its own days. With a day pinned, `now()` is that day at the real time of day, so
times still move forward while the demo is used. Nothing pinned: the real date and time.

The audit log never reads this clock: an event's time is when it really happened.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_pinned: ContextVar[datetime.date | None] = ContextVar("daihoi_pinned_day", default=None)


def pinned_day() -> datetime.date | None:
    day = _pinned.get()
    if day is not None:
        return day
    setting = getattr(settings, "DAIHOI_TODAY", "")
    return datetime.date.fromisoformat(setting) if setting else None


def today() -> datetime.date:
    """The date the cycle is looked at."""
    return pinned_day() or timezone.localdate()


def now() -> datetime.datetime:
    """The moment deadlines and opening hours are judged by (aware)."""
    day = pinned_day()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, timezone.localtime().time()))


@contextmanager
def pinned(day: datetime.date) -> Iterator[None]:
    """Look at `day` inside the block (the demo builds each scene on its own day)."""
    token = _pinned.set(day)
    try:
        yield
    finally:
        _pinned.reset(token)

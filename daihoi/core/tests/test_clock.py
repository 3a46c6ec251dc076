"""The product's clock: the real date, a day pinned by the setting, or by a block of code."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from daihoi.core import clock

DAY = datetime.date(2025, 7, 15)


def test_nothing_pinned_is_the_real_date_and_time(settings: Any) -> None:
    settings.DAIHOI_TODAY = ""
    assert clock.today() == timezone.localdate()
    assert abs((clock.now() - timezone.now()).total_seconds()) < 5


def test_the_setting_pins_the_day_and_keeps_the_time_of_day(settings: Any) -> None:
    settings.DAIHOI_TODAY = "2025-07-15"
    assert clock.today() == DAY
    before = timezone.localtime()
    now = timezone.localtime(clock.now())
    after = timezone.localtime()
    assert now.date() == DAY and timezone.is_aware(now)
    assert before.time() <= now.time() <= after.time() or before.date() != after.date()


def test_a_block_pins_its_own_day_over_the_setting_and_restores_it(settings: Any) -> None:
    settings.DAIHOI_TODAY = "2025-07-15"
    with clock.pinned(datetime.date(2025, 4, 3)):
        assert clock.today() == datetime.date(2025, 4, 3)
        assert timezone.localdate(clock.now()) == datetime.date(2025, 4, 3)
    assert clock.today() == DAY

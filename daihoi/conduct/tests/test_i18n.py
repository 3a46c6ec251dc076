from __future__ import annotations

from django.utils import translation

from daihoi.conduct.models import Delegate


def test_statuses_read_in_vietnamese() -> None:
    with translation.override("vi"):
        assert str(Delegate.Status.NOT_SUMMONED.label) == "không triệu tập"

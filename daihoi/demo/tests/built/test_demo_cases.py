"""The demo's cases: built through the actions, as the issue's scenes describe them."""

from __future__ import annotations

import pytest
from django.test import Client

from daihoi.accounts.models import User
from daihoi.cases.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_holds_each_scene(demo: str) -> None:
    denunciation = Case.objects.get(kind="denunciation", state="verifying")
    assert denunciation.inside_cutoff and denunciation.candidate is not None
    assert denunciation.assigned_to.username == "thanhtra"
    assert Case.objects.filter(state="not_handled", ground="anonymous").count() == 1
    assert Case.objects.filter(kind="complaint", state="handed_over").count() == 1
    assert Case.objects.filter(kind="feedback", reply_published=True).count() == 1
    assert {"thanhtra", "thanhtra2"} <= set(User.objects.values_list("username", flat=True))


def test_the_demo_plan_carries_the_flag(demo: str) -> None:
    from daihoi.core import hooks

    case = Case.objects.get(kind="denunciation", state="verifying")
    flags = hooks.plan_blocking_flags(plan=case.candidate.plan)
    assert [code for code, _ in flags] == ["case_open_about_candidate"]


def test_the_demo_inspector_reads_the_register(demo: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username="thanhtra"))
    page = client.get("/cases/")
    assert page.status_code == 200 and page.content.decode().count('class="case-row"') == 3

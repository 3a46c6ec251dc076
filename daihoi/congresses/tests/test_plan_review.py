"""Approving a plan approves what was shown; a plan changed since needs approving again."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions, queries
from daihoi.congresses.models import PlanApproval
from daihoi.congresses.tests.conftest import congress_of
from daihoi.core.errors import error_items

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def submitted(province):
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="Nhiệm kỳ",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle, pilots=["C1"])
    preparer = testing.make_user(username="prep", role=testing.ORGANIZER, unit=province["d1"])
    actions.plan_submit(actor=preparer, cycle=cycle, unit=province["d1"])
    return cycle


@pytest.fixture
def approver(province):
    return testing.make_user(username="appr", role=testing.ORGANIZER, unit=province["province"])


def test_the_review_shows_each_congress_with_type_window_pilot_and_deviations(
    submitted, province, approver
):
    rows, fingerprint = queries.plan_review(submitted, province["d1"])
    assert [r.congress.unit.code for r in rows] == ["D1", "G1", "C1"]
    assert all(r.deviations == () for r in rows)
    c1 = congress_of(submitted, "C1")
    c1.latest = D(2025, 4, 30)
    c1.save()
    rows, _fp = queries.plan_review(submitted, province["d1"])
    (deviation,) = next(r for r in rows if r.congress.unit.code == "C1").deviations
    assert (deviation.field, deviation.old, deviation.new) == (
        "latest",
        D(2025, 3, 31),
        D(2025, 4, 30),
    )

    client = Client()
    client.force_login(approver)
    page = client.get(
        f"/congresses/cycles/{submitted.pk}/plan/?unit=P&review=D1", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    review = page.split('id="review"')[1]
    assert 'data-unit="C1"' in review and "pilot" in review and "latest date" in review
    fingerprint = review.split('name="fingerprint" value="')[1].split('"')[0]
    client.post(
        f"/congresses/cycles/{submitted.pk}/plan/?unit=P",
        {"step": "approve", "unit_code": "D1", "fingerprint": fingerprint, "remarks": "Đồng ý"},
    )
    approval = PlanApproval.objects.get(unit=province["d1"])
    assert approval.approved_by == approver and approval.remarks == "Đồng ý"
    assert approval.fingerprint == fingerprint


def test_a_plan_changed_during_the_review_is_not_approved(submitted, province, approver):
    _rows, fingerprint = queries.plan_review(submitted, province["d1"])
    actions.congress_set_pilot(actor=approver, congress=congress_of(submitted, "G1"), pilot=True)
    with pytest.raises(ValidationError) as refused:
        actions.plan_approve(
            actor=approver, cycle=submitted, unit=province["d1"], fingerprint=fingerprint
        )
    assert [e["code"] for e in error_items(refused.value)] == ["plan_changed_during_review"]


def test_a_plan_changed_after_approval_needs_approval_again(submitted, province, approver):
    actions.plan_approve(actor=approver, cycle=submitted, unit=province["d1"])
    assert queries.plan_approved_for(submitted, province["g1"])
    actions.congress_set_pilot(actor=approver, congress=congress_of(submitted, "G1"), pilot=True)
    assert not queries.plan_approved_for(submitted, province["g1"])
    with pytest.raises(ValidationError):
        actions.congress_transition(
            actor=SYSTEM, congress=congress_of(submitted, "G1"), transition="prepare",
            on=D(2025, 4, 2),
        )  # fmt: skip
    again = actions.plan_approve(
        actor=approver, cycle=submitted, unit=province["d1"], remarks="G1 làm điểm"
    )
    assert again.remarks == "G1 làm điểm"
    assert queries.plan_approved_for(submitted, province["g1"])
    with pytest.raises(ValidationError):
        actions.plan_approve(actor=approver, cycle=submitted, unit=province["d1"])

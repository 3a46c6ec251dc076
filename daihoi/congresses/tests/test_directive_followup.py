"""Directives followed up: who has not acknowledged, reminders in the digest."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from daihoi import testing
from daihoi.congresses import actions, queries
from daihoi.congresses.models import Acknowledgement
from daihoi.organizations.models import Unit

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def directive(cycle, province, organizer_province):
    return actions.directive_publish(
        actor=organizer_province,
        unit=province["province"],
        kind="directive",
        number="45-CT/TW",
        issued_on=D(2025, 4, 14),
        title="Về đại hội",
        cycle=cycle,
    )


def _direct_count(directive, root):
    units = Unit.objects.filter(path__startswith=root.path, active_until__isnull=True)
    acked = Acknowledgement.objects.filter(directive=directive, unit__in=units)
    return units.exclude(pk=directive.unit_id).count() - acked.count()


def test_the_units_that_have_not_acknowledged_equal_a_direct_count(
    cycle, province, directive, organizer_province
):
    for key in ("d1", "g1"):
        actions.directive_acknowledge(
            actor=organizer_province, directive=directive, unit=province[key]
        )
    pending = queries.directive_pending_units(directive, within=province["province"])
    assert pending.count() == _direct_count(directive, province["province"]) == 4
    assert {u.code for u in pending} == {"D2", "G2", "C1", "C2"}
    (row,) = queries.dashboard(cycle, province["province"], on=D(2025, 5, 1)).directives
    assert row["pending"] == 4 and [u.code for u in row["pending_units"]] == [
        "D2",
        "G2",
        "C1",
        "C2",
    ]
    (below,) = queries.dashboard(cycle, province["d2"], on=D(2025, 5, 1)).directives
    assert below["pending"] == _direct_count(directive, province["d2"]) + 0 == 3


def test_the_dashboard_and_the_directive_page_list_the_units_that_have_not_acknowledged(
    cycle, province, directive, organizer_province, organizer_d1
):
    actions.directive_acknowledge(
        actor=organizer_province, directive=directive, unit=province["d1"]
    )
    client = Client()
    client.force_login(organizer_province)
    board = client.get(f"/congresses/cycles/{cycle.pk}/?unit=P").content.decode()
    assert "Huyện Kinh Môn" in board.split('class="pending"')[1]
    page = client.get(f"/congresses/directives/{directive.pk}/").content.decode()
    pending = page.split('id="pending"')[1].split("</section>")[0]
    assert "Huyện Kinh Môn" in pending and "Thành phố Hải Dương" not in pending
    client.force_login(organizer_d1)
    mine = client.get(f"/congresses/directives/{directive.pk}/").content.decode()
    assert "Huyện Kinh Môn" not in mine.split('id="pending"')[1].split("</section>")[0]
    assert client.get(f"/congresses/directives/{directive.pk}/?unit=D2").status_code == 404


def test_the_digest_reminds_an_organizer_of_directives_their_unit_has_not_acknowledged(
    settings, cycle, province, directive, organizer_province
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    org = testing.make_user(username="d2", role=testing.ORGANIZER, unit=province["d2"])
    org.email = "d2@example.org"
    org.save()
    call_command("send_deadline_digest", "--now", on="2025-05-01")
    (message,) = mail.outbox
    assert "45-CT/TW" in message.body and "Huyện Kinh Môn" in message.body
    mail.outbox.clear()
    actions.directive_acknowledge(
        actor=organizer_province, directive=directive, unit=province["d2"]
    )
    call_command("send_deadline_digest", "--now", on="2025-05-01")
    assert all("45-CT/TW" not in m.body for m in mail.outbox)

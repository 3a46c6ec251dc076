from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from daihoi import testing
from daihoi.congresses.tests.conftest import congress_of, hold

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_digest_mails_each_organizer_their_subtrees_deadlines(cycle, province):
    org = testing.make_user(username="d1", role=testing.ORGANIZER, unit=province["d1"])
    org.email = "d1@example.org"
    org.save()
    silent = testing.make_user(username="noemail", role=testing.ORGANIZER, unit=province["d2"])
    assert silent.email == ""
    # 25 March 2025: the cells' window closes on 31 March.
    call_command("send_deadline_digest", "--now", on="2025-03-25")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["d1@example.org"]
    assert "(C1)" in message.body and "(C2)" not in message.body  # C2 is outside D1
    mail.outbox.clear()
    hold(congress_of(cycle, "C1"))
    call_command("send_deadline_digest", on="2025-03-25")  # enqueued, run immediately
    assert mail.outbox == []
    call_command("send_deadline_digest", on="2025-07-10")
    assert len(mail.outbox) == 1 and "(G1)" in mail.outbox[0].body
    assert datetime.date(2025, 6, 30).isoformat() in mail.outbox[0].body

"""Bodies the higher level appoints instead of an election: the action and its page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from daihoi import testing
from daihoi.congresses.models import Congress
from daihoi.core.models import AuditEvent
from daihoi.elections import actions
from daihoi.elections.models import AppointedCommittee, Election
from daihoi.elections.tests.conftest import make_hall
from daihoi.organizations.models import CommitteeSeat

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 7, 20)


@pytest.fixture
def merged(province: dict[str, Any]) -> Any:
    hall = make_hall(province, voters=3)
    Congress.objects.filter(pk=hall.congress.pk).update(bodies=Congress.Bodies.APPOINTED)
    hall.congress.refresh_from_db()
    hall.higher_organizer = testing.make_user(
        username="org_d1", role=testing.ORGANIZER, unit=province["d1"]
    )
    return hall


def _appoint(hall: Any, actor: Any, **kw: Any) -> AppointedCommittee:
    return actions.committee_appoint(
        actor=actor,
        congress=hall.congress,
        body=kw.pop("body", Election.Body.EXECUTIVE),
        persons=kw.pop("persons", [line.person for line in hall.lines]),
        decision_ref=kw.pop("decision_ref", "12-QĐ/HU"),
        decided_on=DAY,
    )


def test_the_higher_level_appoints_and_the_members_take_their_seats(merged: Any) -> None:
    appointment = _appoint(merged, merged.higher_organizer)
    seats = CommitteeSeat.objects.filter(unit=merged.congress.unit, body="executive")
    assert {s.person_id for s in seats} == {line.person_id for line in merged.lines}
    assert {s.source for s in seats} == {CommitteeSeat.Source.APPOINTED}
    assert AuditEvent.objects.filter(action="committee_appoint").count() == 1
    assert appointment.members.count() == 3


def test_the_unit_itself_may_not_appoint_its_committee(merged: Any) -> None:
    with pytest.raises(PermissionDenied):
        _appoint(merged, merged.organizer)
    assert not AppointedCommittee.objects.exists()


def test_an_appointment_is_refused_with_every_reason(merged: Any) -> None:
    _appoint(merged, merged.higher_organizer)
    with pytest.raises(ValidationError) as caught:
        _appoint(merged, merged.higher_organizer, persons=[], decision_ref=" ")
    errors = caught.value.message_dict
    assert errors["body"] == ["This body has already been appointed."]
    assert errors["persons"] == ["Name at least one appointed member."]
    assert errors["decision_ref"] == ["Cite the higher level's decision."]


def test_a_congress_that_elects_cannot_have_its_committee_appointed(province: Any) -> None:
    hall = make_hall(province, voters=2)
    higher = testing.make_user(username="org_d1", role=testing.ORGANIZER, unit=province["d1"])
    with pytest.raises(ValidationError) as caught:
        _appoint(hall, higher)
    assert "record an election instead" in caught.value.message_dict["body"][0]


def test_the_page_records_an_appointment_and_names_unknown_codes(merged: Any) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(merged.higher_organizer)
    url = f"/elections/congress/{merged.congress.pk}/appoint/"
    codes = [line.person.member_code for line in merged.lines]
    form = {"body": "executive", "decision_ref": "12-QĐ/HU", "decided_on": "2025-07-20"}
    refused = client.post(url, {**form, "members": "\n".join([*codes, "NOBODY-1"])})
    assert refused.status_code == 200
    assert "has the code: NOBODY-1." in refused.content.decode()
    assert "12-QĐ/HU" in refused.content.decode()  # the form keeps what was typed
    assert not AppointedCommittee.objects.exists()

    bad_date = client.post(url, {**form, "decided_on": "20/07/2025", "members": codes[0]})
    assert "Give the date as YYYY-MM-DD" in bad_date.content.decode()

    done = client.post(url, {**form, "members": ", ".join(codes)})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "12-QĐ/HU" in page and merged.lines[0].person.full_name in page
    assert CommitteeSeat.objects.filter(unit=merged.congress.unit, source="appointed").count() == 3


def test_the_page_shows_the_unit_its_appointments_without_the_form(
    merged: Any, province: dict[str, Any]
) -> None:
    _appoint(merged, merged.higher_organizer)
    client = Client(headers={"accept-language": "en"})
    client.force_login(merged.organizer)
    url = f"/elections/congress/{merged.congress.pk}/appoint/"
    page = client.get(url).content.decode()
    assert "12-QĐ/HU" in page and 'name="decision_ref"' not in page
    assert client.post(url, {"body": "standing", "members": "x"}).status_code == 200
    assert AppointedCommittee.objects.count() == 1

    outsider = testing.make_user(username="org_d2", role=testing.ORGANIZER, unit=province["d2"])
    client.force_login(outsider)
    assert client.get(url).status_code == 404

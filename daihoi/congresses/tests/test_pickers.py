"""Search pickers instead of typed codes: scoped, labelled, searchable."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_unit_picker_finds_only_units_in_the_users_area(province, organizer_d1):
    mine = _get(organizer_d1, "/pick/units/?q=dang+bo&name=unit")
    assert 'value="G1"' in mine and 'value="G2"' not in mine
    assert _get(organizer_d1, "/pick/units/?q=kinh").count('type="radio"') == 0


def test_the_congress_picker_labels_each_congress_by_unit_level_and_window(
    cycle, organizer_d1, organizer_province
):
    found = _get(organizer_province, "/congresses/pick/?q=hai+duong")
    assert "Thành phố Hải Dương" in found and "Tỉnh Hải Dương" in found
    assert "Directly above grassroots" in found and cycle.name in found
    assert len(set(found.split("<li>")[1:])) == found.count("<li>")  # labels are distinct
    assert "Tỉnh Hải Dương" not in _get(organizer_d1, "/congresses/pick/?q=hai+duong")
    assert 'name="draft_congress"' in _get(
        organizer_province, "/congresses/pick/?q=hai&name=draft_congress"
    )


def test_study_session_attendees_are_picked_among_the_units_members(
    cycle, province, organizer_province, organizer_d1
):
    from daihoi import testing
    from daihoi.congresses import actions
    from daihoi.congresses.models import StudySession

    directive = actions.directive_publish(
        actor=organizer_province,
        unit=province["province"],
        kind="directive",
        number="45-CT/TW",
        issued_on=datetime.date(2025, 4, 14),
        title="Về đại hội",
    )
    inside = testing.make_person(unit=province["c1"], full_name="Trần Thị Lan")
    testing.make_person(unit=province["c2"], full_name="Trần Thị Lanh")
    url = f"/congresses/directives/{directive.pk}/attendees/"
    found = _get(organizer_d1, f"{url}?unit=D1&q=tran+thi+lan")
    assert f'value="{inside.pk}"' in found and "Lanh" not in found
    client = Client()
    client.force_login(organizer_d1)
    assert client.get(f"{url}?unit=D2&q=tran").status_code == 404
    client.post(
        f"/congresses/directives/{directive.pk}/",
        {"unit_code": "D1", "step": "study", "held_on": "2025-05-02", "attendee": [inside.pk]},
    )
    (session,) = StudySession.objects.all()
    assert list(session.attendees.all()) == [inside]


def test_the_person_picker_finds_members_of_the_unit_the_user_may_read(
    province, organizer_d1, organizer_province
):
    from daihoi import testing

    inside = testing.make_person(unit=province["c1"], full_name="Phạm Văn Đức", member_code="PD1")
    testing.make_person(unit=province["c2"], full_name="Phạm Văn Đực", member_code="PD2")
    testing.make_person(unit=province["c1"], full_name="Phạm Văn Đoàn", status="deceased")
    found = _get(organizer_d1, "/pick/people/?unit=D1&q=pham+van+d&name=code")
    assert 'name="code" value="PD1"' in found and "PD2" not in found and "Đoàn" not in found
    assert 'value="PD1"' in _get(organizer_d1, "/pick/people/?unit=D1&q=pd1")  # by member code
    wide = _get(organizer_province, "/pick/people/?unit=P&q=pham")
    assert "PD1" in wide and "PD2" in wide
    client = Client()
    client.force_login(organizer_d1)
    assert client.get("/pick/people/?unit=D2&q=pham").status_code == 404  # outside the area
    member = testing.make_user(username="member_c1", person=inside)
    assert "PD1" not in _get(member, "/pick/people/?unit=C1&q=pham")  # no personal-data role

"""The venue of a congress: recorded by its unit's organizers, audited, closed with the congress."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from daihoi import testing
from daihoi.congresses import actions
from daihoi.congresses.models import Congress, Cycle
from daihoi.congresses.tests.conftest import congress_of, hold
from daihoi.core.models import AuditEvent


@pytest.fixture
def congress(cycle: Cycle) -> Congress:
    return congress_of(cycle, "D1")


@pytest.fixture
def organizer(province: dict[str, Any]) -> Any:
    return testing.make_user(username="org_d1", role=testing.ORGANIZER, unit=province["d1"])


def test_an_organizer_records_the_venue_and_it_is_audited(
    congress: Congress, organizer: Any
) -> None:
    actions.congress_set_venue(actor=organizer, congress=congress, venue="  Hội trường\tThành ủy ")
    congress.refresh_from_db()
    assert congress.venue == "Hội trường Thành ủy"
    event = AuditEvent.objects.get(action="congress_set_venue")
    assert event.changes == {"venue": ["", "Hội trường Thành ủy"]}


def test_an_organizer_of_another_unit_may_not(congress: Congress, province: dict[str, Any]) -> None:
    other = testing.make_user(username="org_d2", role=testing.ORGANIZER, unit=province["d2"])
    with pytest.raises(PermissionDenied):
        actions.congress_set_venue(actor=other, congress=congress, venue="Hội trường")


def test_a_venue_too_long_is_refused_with_its_code(congress: Congress, organizer: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.congress_set_venue(actor=organizer, congress=congress, venue="x" * 201)
    assert refused.value.error_dict["venue"][0].code == "venue_too_long"


def test_a_concluded_congress_keeps_its_venue(cycle: Cycle, organizer: Any) -> None:
    congress = hold(congress_of(cycle, "C1"))  # a cell below D1: no child congresses
    with pytest.raises(ValidationError) as refused:
        actions.congress_set_venue(actor=organizer, congress=congress, venue="Hội trường")
    assert [e.code for e in refused.value.error_list] == ["congress_closed"]


def test_the_congress_page_saves_the_venue_and_confirms(
    client: Client, congress: Congress, organizer: Any
) -> None:
    client.force_login(organizer)
    response = client.post(f"/congresses/c/{congress.pk}/venue/", {"venue": "Nhà văn hóa"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Đã lưu địa điểm." in page.content.decode()  # the organizer reads Vietnamese
    assert 'value="Nhà văn hóa"' in page.content.decode()


def test_the_venue_page_is_404_outside_the_subtree(
    client: Client, congress: Congress, province: dict[str, Any]
) -> None:
    client.force_login(
        testing.make_user(username="org_d2", role=testing.ORGANIZER, unit=province["d2"])
    )
    response = client.post(f"/congresses/c/{congress.pk}/venue/", {"venue": "Nhà văn hóa"})
    assert response.status_code == 404
    congress.refresh_from_db()
    assert congress.venue == ""

from __future__ import annotations

from typing import Any

import pytest
import segno
from django.test import Client

from daihoi import testing
from daihoi.conduct import documents, queries
from daihoi.conduct.models import Delegate
from daihoi.conduct.tests.factories import send_up
from daihoi.congresses.models import Congress

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def roster_d1(d1_congress: Congress, congresses: dict[str, Congress]) -> list[Delegate]:
    officials, alternates = send_up(d1_congress, congresses["g1"], officials=4, alternates=1)
    return officials + alternates


def url(congress: Congress, page: str = "") -> str:
    return f"/conduct/congresses/{congress.pk}/{page}"


def api(congress: Congress, op: str) -> str:
    return f"/api/v1/congresses/{congress.pk}/{op}"


def test_a_congress_outside_the_users_subtree_is_not_found(
    province: dict[str, Any], d1_congress: Congress, roster_d1: list[Delegate]
) -> None:
    outsider = client_for(testing.make_user(role="organizer", unit=province["d2"]))
    for page in ["", "roster/", "attendance/", "check-in/", "agenda/", "credentials/"]:
        assert outsider.get(url(d1_congress, page)).status_code == 404, page
    assert outsider.get(url(d1_congress, "badges.pdf")).status_code == 404
    assert outsider.get(api(d1_congress, "roster")).status_code == 404
    assert outsider.get(api(d1_congress, "attendance")).status_code == 404
    response = outsider.post(
        api(d1_congress, "check-in"),
        {"code": roster_d1[0].badge_code},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_board_member_without_a_role_reaches_their_congress(
    d1_congress: Congress, credentials_user: Any, congresses: dict[str, Congress]
) -> None:
    client = client_for(credentials_user)
    assert client.get(url(d1_congress)).status_code == 200
    assert client.get(url(d1_congress, "check-in/")).status_code == 200
    assert client.get(url(congresses["d2"])).status_code == 404


def test_a_delegate_reaches_their_congress_and_own_page_but_not_the_check_in(
    d1_congress: Congress, roster_d1: list[Delegate]
) -> None:
    client = client_for(testing.make_user(person=roster_d1[0].person))
    page = client.get(url(d1_congress, "me/"))
    assert page.status_code == 200
    assert roster_d1[0].badge_code in page.content.decode()
    assert client.get(url(d1_congress, "check-in/")).status_code == 403
    assert client.get(url(d1_congress, "boards/")).status_code == 403
    assert roster_d1[1].badge_code not in client.get(url(d1_congress, "roster/")).content.decode()


def test_check_in_page_with_htmx_shows_the_result_and_the_repeat(
    d1_congress: Congress, roster_d1: list[Delegate], credentials_user: Any
) -> None:
    client = client_for(credentials_user)
    code = roster_d1[0].badge_code
    first = client.post(url(d1_congress, "check-in/"), {"code": code}, HTTP_HX_REQUEST="true")
    again = client.post(url(d1_congress, "check-in/"), {"code": code}, HTTP_HX_REQUEST="true")
    unknown = client.post(url(d1_congress, "check-in/"), {"code": "nope"}, HTTP_HX_REQUEST="true")

    assert "checked in at" in first.content.decode()
    assert "already checked in at" in again.content.decode()
    assert "No delegate of this congress" in unknown.content.decode()
    assert unknown.status_code == 200  # swapped into the page by htmx
    plain = client.post(url(d1_congress, "check-in/"), {"code": "nope"})
    assert plain.status_code == 422


def test_attendance_screen_polls_and_its_fragment_counts(
    d1_congress: Congress,
    roster_d1: list[Delegate],
    credentials_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(credentials_user)
    client.post(url(d1_congress, "check-in/"), {"code": roster_d1[0].badge_code})
    page = client.get(url(d1_congress, "attendance/")).content.decode()
    assert 'hx-trigger="every 2s"' in page
    with django_assert_max_num_queries(8):
        fragment = client.get(url(d1_congress, "attendance/"), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'id="present">1<' in body and 'id="convened">4<' in body
    assert "Party Charter" in body


def test_roster_page_query_count_does_not_grow_with_the_roster(
    d1_congress: Congress,
    congresses: dict[str, Congress],
    organizer_d1: Any,
    django_assert_max_num_queries: Any,
) -> None:
    send_up(d1_congress, congresses["g1"], officials=30, alternates=5)
    client = client_for(organizer_d1)
    with django_assert_max_num_queries(14):
        response = client.get(url(d1_congress, "roster/"))
    assert response.status_code == 200


def test_api_roster_is_paginated(
    d1_congress: Congress, roster_d1: list[Delegate], organizer_d1: Any
) -> None:
    client = client_for(organizer_d1)
    body = client.get(api(d1_congress, "roster"), {"page_size": 2}).json()
    assert body["count"] == 5 and len(body["items"]) == 2
    assert set(body["items"][0]) >= {"full_name", "kind", "status", "alternate_rank"}
    standby = client.get(api(d1_congress, "roster"), {"status": "standby"}).json()
    assert [i["alternate_rank"] for i in standby["items"]] == [1]


def test_api_check_in_and_attendance(
    d1_congress: Congress, roster_d1: list[Delegate], credentials_user: Any
) -> None:
    client = client_for(credentials_user)
    code = roster_d1[0].badge_code
    first = client.post(
        api(d1_congress, "check-in"), {"code": code}, content_type="application/json"
    )
    again = client.post(
        api(d1_congress, "check-in"), {"code": code}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["already_checked_in"] is False
    assert again.json()["already_checked_in"] is True
    bad = client.post(api(d1_congress, "check-in"), {"code": "X"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "code"
    standby = client.post(
        api(d1_congress, "check-in"),
        {"code": roster_d1[-1].badge_code},
        content_type="application/json",
    )
    assert standby.status_code == 422 and "standby" in standby.json()["detail"][0]["message"]

    attendance = client.get(api(d1_congress, "attendance")).json()
    assert (attendance["present"], attendance["convened"], attendance["quorum_met"]) == (
        1,
        4,
        False,
    )
    assert attendance["quorum_needed"] == 3


def test_api_check_in_is_refused_to_a_delegate(
    d1_congress: Congress, roster_d1: list[Delegate]
) -> None:
    client = client_for(testing.make_user(person=roster_d1[0].person))
    response = client.post(
        api(d1_congress, "check-in"),
        {"code": roster_d1[0].badge_code},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_badges_embed_the_qr_code_of_each_badge_code(
    d1_congress: Congress, roster_d1: list[Delegate]
) -> None:
    html = documents.badges_html(d1_congress, queries.roster_ordered(d1_congress))
    for line in roster_d1:
        assert documents.badge_qr(line.badge_code) in html
        assert line.person.full_name in html
    # The QR code encodes exactly the badge code.
    qr = segno.make(roster_d1[0].badge_code, error="m", micro=False)
    assert documents.badge_qr(roster_d1[0].badge_code) == qr.svg_data_uri(scale=4, border=2)


def test_badges_and_credentials_report_render_as_pdf(
    d1_congress: Congress, roster_d1: list[Delegate], credentials_user: Any
) -> None:
    client = client_for(credentials_user)
    badges = client.get(url(d1_congress, "badges.pdf"))
    report = client.get(url(d1_congress, "credentials.pdf"))
    assert badges["Content-Type"] == "application/pdf" and badges.content.startswith(b"%PDF")
    assert report.content.startswith(b"%PDF")


def test_roster_build_and_board_pages_for_an_organizer(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any
) -> None:
    client = client_for(organizer_d1)
    assert client.post(url(d1_congress, "roster/build/")).status_code == 302
    person = testing.make_person(unit=province["d1"], full_name="Phạm Thị Giúp")
    helper = testing.make_user(username="helper", person=person)
    found = client.get(url(d1_congress, "boards/"), {"q": "pham thi"}).content.decode()
    assert f'name="user" value="{helper.pk}"' in found
    client.post(url(d1_congress, "boards/"), {"user": helper.pk, "board": "credentials"})
    assert queries.is_board_member(helper, d1_congress, "credentials")
    assert "Phạm Thị Giúp" in client.get(url(d1_congress, "boards/")).content.decode()


def test_the_boards_form_reveals_nothing_about_accounts_outside_the_congress(
    province: dict[str, Any], d1_congress: Congress, organizer_d1: Any
) -> None:
    elsewhere = testing.make_person(unit=province["d2"], full_name="Vũ Văn Xa")
    outsider = testing.make_user(username="outsider", person=elsewhere)
    client = client_for(organizer_d1)
    found = client.get(url(d1_congress, "boards/"), {"q": "vu van xa"}).content.decode()
    assert "Vũ Văn Xa" not in found and f'name="user" value="{outsider.pk}"' not in found
    unknown = client.post(
        url(d1_congress, "boards/"), {"user": outsider.pk, "board": "counting"}, follow=True
    ).content.decode()
    nobody = client.post(
        url(d1_congress, "boards/"), {"user": 999999, "board": "counting"}, follow=True
    ).content.decode()
    assert not queries.is_board_member(outsider, d1_congress, "counting")
    # The same answer whether the account exists outside the subtree or not at all.
    message = "Pick a delegate or a member of this unit from the search."
    assert message in unknown and message in nobody


def test_agenda_pages_let_a_delegate_ask_to_speak(
    d1_congress: Congress, roster_d1: list[Delegate], organizer_d1: Any
) -> None:
    client_for(organizer_d1).post(
        url(d1_congress, "agenda/"), {"title": "Báo cáo", "kind": "report"}
    )
    item = d1_congress.agenda_items.get()
    delegate = client_for(testing.make_user(person=roster_d1[0].person))
    response = delegate.post(
        url(d1_congress, f"agenda/{item.pk}/"),
        {"op": "register", "topic": "Kinh tế"},
        HTTP_HX_REQUEST="true",
    )
    assert roster_d1[0].person.full_name in response.content.decode()
    assert "give the floor" not in response.content.decode()
    presidium_view = (
        client_for(organizer_d1).get(url(d1_congress, f"agenda/{item.pk}/")).content.decode()
    )
    assert "Kinh tế" in presidium_view and "give the floor" in presidium_view

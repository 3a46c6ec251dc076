"""The pages and the API, through HTTP."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions, workflow
from daihoi.congresses.models import Congress
from daihoi.congresses.tests.conftest import congress_of, hold

pytestmark = pytest.mark.django_db
D = datetime.date


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _ready_district(cycle):
    district = congress_of(cycle, "D1")
    for step in ("prepare", "approve"):
        actions.congress_transition(
            actor=SYSTEM, congress=district, transition=step, on=D(2025, 6, 2)
        )
    return district


def test_progress_api_counts_a_subtree(cycle, organizer_d1):
    hold(congress_of(cycle, "C1"))
    response = _client(organizer_d1).get(f"/api/v1/cycles/{cycle.pk}/progress?unit=D1")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3
    levels = {lv["level"]: lv["states"] for lv in body["levels"]}
    assert levels == {
        "cell": {"concluded": 1},
        "grassroots": {"planned": 1},
        "above_grassroots": {"planned": 1},
    }


def test_progress_api_answers_404_outside_the_scope(cycle, organizer_d1):
    client = _client(organizer_d1)
    assert client.get(f"/api/v1/cycles/{cycle.pk}/progress?unit=D2").status_code == 404
    assert client.get(f"/api/v1/cycles/{cycle.pk}/progress?unit=P").status_code == 404
    assert Client().get(f"/api/v1/cycles/{cycle.pk}/progress").status_code == 401


def test_refusals_are_translated(cycle, organizer_d1):
    district = _ready_district(cycle)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(organizer_d1)
    response = client.post(
        f"/api/v1/congresses/{district.pk}/transitions",
        {"transition": "convene", "on": "2025-06-10"},
        content_type="application/json",
    )
    assert "1 trên 1 đại hội cấp dưới chưa kết thúc" in response.json()["detail"][0]["message"]


def test_congress_list_api_filters(cycle, organizer_province):
    hold(congress_of(cycle, "C1"))
    client = _client(organizer_province)
    body = client.get(f"/api/v1/cycles/{cycle.pk}/congresses?state=concluded").json()
    assert [c["unit_code"] for c in body["items"]] == ["C1"]
    body = client.get(f"/api/v1/cycles/{cycle.pk}/congresses?level=cell").json()
    assert body["count"] == 2
    # In 2026 every congress of the 2025 windows still open is overdue.
    body = client.get(f"/api/v1/cycles/{cycle.pk}/congresses?overdue=true").json()
    assert body["count"] == 6


def test_cascade_gate_refuses_in_the_api_with_the_reason(cycle, organizer_d1, organizer_province):
    district = _ready_district(cycle)
    url = f"/api/v1/congresses/{district.pk}/transitions"
    response = _client(organizer_d1).post(
        url, {"transition": "convene", "on": "2025-06-10"}, content_type="application/json"
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["field"] == "transition"
    assert "1 of 1 child congresses not concluded" in detail[0]["message"]
    forbidden = _client(organizer_d1).post(
        f"/api/v1/congresses/{district.pk}/exemption",
        {"reason": "x"},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    ok = _client(organizer_province).post(
        f"/api/v1/congresses/{district.pk}/exemption",
        {"reason": "Approved by P"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    response = _client(organizer_d1).post(
        url, {"transition": "convene", "on": "2025-06-10"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == workflow.IN_SESSION


def test_api_operations_are_in_the_openapi_schema(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cycles/{cycle_id}/progress",
        "/api/v1/cycles/{cycle_id}/congresses",
        "/api/v1/congresses/{congress_id}/transitions",
    ):
        assert path in paths


def test_dashboard_page_drills_down_and_pins_its_queries(
    cycle, organizer_province, django_assert_max_num_queries
):
    hold(congress_of(cycle, "C1"))
    client = _client(organizer_province)
    client.get(f"/congresses/cycles/{cycle.pk}/")  # warm the session and rulebook cache
    with django_assert_max_num_queries(24):
        response = client.get(f"/congresses/cycles/{cycle.pk}/?on=2025-04-15")
    assert response.status_code == 200
    assert "?unit=D1" in response.content.decode()
    drill = client.get(f"/congresses/cycles/{cycle.pk}/?unit=D1&on=2025-04-15")
    assert drill.status_code == 200 and "Thành phố Hải Dương" in drill.content.decode()


def test_dashboard_is_scoped(cycle, organizer_d1):
    client = _client(organizer_d1)
    assert client.get(f"/congresses/cycles/{cycle.pk}/?unit=D2").status_code == 404
    assert client.get(f"/congresses/c/{congress_of(cycle, 'D2').pk}/").status_code == 404
    outsider = testing.make_user(username="out")
    assert _client(outsider).get(f"/congresses/cycles/{cycle.pk}/").status_code == 404


def test_refused_step_in_the_page_says_why(cycle, organizer_d1):
    district = _ready_district(cycle)
    client = _client(organizer_d1)
    response = client.post(
        f"/congresses/c/{district.pk}/step/",
        {"transition": "convene", "on": "2025-06-10"},
        follow=True,
    )
    assert "1 of 1 child congresses not concluded" in response.content.decode()
    assert Congress.objects.get(pk=district.pk).state == workflow.APPROVED


def test_exports(cycle, organizer_province):
    client = _client(organizer_province)
    xlsx = client.get(f"/congresses/cycles/{cycle.pk}/progress.xlsx?unit=P")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(f"/congresses/cycles/{cycle.pk}/progress.pdf?unit=P")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_migration_page_previews_and_applies(province, organizer_province):
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="x",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2024",
        root=province["province"],
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    client = _client(organizer_province)
    page = client.get(f"/congresses/cycles/{cycle.pk}/rulebook/?to=vn-cpv-2025")
    assert page.status_code == 200
    fingerprint = page.context["preview"].fingerprint
    client.post(
        f"/congresses/cycles/{cycle.pk}/rulebook/",
        {"to": "vn-cpv-2025", "fingerprint": fingerprint},
    )
    assert congress_of(cycle, "D1").earliest == D(2025, 6, 1)


def test_directive_publish_acknowledge_and_progress(
    cycle, organizer_province, organizer_d1, province
):
    client = _client(organizer_province)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        "/congresses/directives/",
        {
            "unit_code": "P",
            "kind": "directive",
            "number": "45-CT/TW",
            "issued_on": "2025-04-14",
            "title": "Về đại hội",
            "attachment": SimpleUploadedFile("x.exe", b"MZ"),
        },
        follow=True,
    )
    assert "Attach a file of type" in bad.content.decode()
    response = client.post(
        "/congresses/directives/",
        {
            "unit_code": "P",
            "kind": "directive",
            "number": "45-CT/TW",
            "issued_on": "2025-04-14",
            "title": "Về đại hội",
            "attachment": SimpleUploadedFile("ct45.pdf", b"%PDF-1.4"),
        },
    )
    assert response.status_code == 302
    from daihoi.congresses.models import Directive

    directive = Directive.objects.get(number="45-CT/TW")
    _client(organizer_d1).post(
        f"/congresses/directives/{directive.pk}/", {"unit_code": "D1", "step": "ack"}
    )
    from daihoi.congresses import queries

    row = queries.directive_progress(cycle, province["province"])[0]
    assert (row["acknowledged"], row["addressed"]) == (1, 6)


def test_the_migration_preview_shows_rules_and_fields_by_their_labels(province, organizer_province):
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="x",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2024",
        root=province["province"],
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    page = _client(organizer_province).get(
        f"/congresses/cycles/{cycle.pk}/rulebook/?to=vn-cpv-2025", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = re.sub(r"<[^>]+>", " ", page.content.decode())
    assert "Working time left before retirement, re-election" in text
    assert "earliest date" in text
    for raw in ("age.reelection_min_months_left", "earliest:", "schedule.province"):
        assert raw not in text


def test_the_congress_page_links_to_the_rules_that_apply_with_their_source(
    cycle, province, organizer_province
):
    from daihoi.organizations import actions as org_actions

    org_actions.units_merge(
        actor=SYSTEM,
        sources=[province["d1"], province["d2"]],
        effective_date=D(2025, 7, 1),
        new_code="D12",
        new_name="Xã mới",
    )
    merged = congress_of(cycle, "D12")
    page = _client(organizer_province).get(f"/congresses/c/{merged.pk}/").content.decode()
    rules = page.split('id="rules"')[1].split("</ul>")[0]
    assert "/rulebooks/vn-cpv-2025/#rule-schedule-above_grassroots-formed_mid_cycle-0" in rules
    assert "/rulebooks/vn-cpv-2025/#rule-type_assignment-merged" in rules
    assert "Directive 45-CT/TW" in rules or "Chỉ thị số 45-CT/TW" in rules
    assert "formed_mid_cycle-1" not in rules


def test_congress_list_queries_do_not_grow_with_its_rows(
    cycle, organizer_province, django_assert_max_num_queries
):
    client = _client(organizer_province)
    url = f"/congresses/cycles/{cycle.pk}/congresses/"
    client.get(url)  # warm the session and rulebook cache
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('href="/congresses/c/') >= 5

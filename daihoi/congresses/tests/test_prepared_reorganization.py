"""A reorganization prepared by the higher level, previewed, and confirmed as previewed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.congresses import workflow
from daihoi.congresses.tests.conftest import congress_of
from daihoi.core.errors import error_items
from daihoi.core.models import AuditEvent
from daihoi.organizations import actions as org_actions
from daihoi.organizations import reorganizing
from daihoi.organizations.models import Person, PreparedReorganization, Unit
from daihoi.organizations.queries import unit_parent

pytestmark = pytest.mark.django_db
D = datetime.date
MERGE = {"sources": ["D1", "D2"], "new_code": "D12", "new_name": "Xã Hợp Nhất"}


@pytest.fixture
def second_organizer(province):
    return testing.make_user(username="org_p2", role=testing.ORGANIZER, unit=province["province"])


def _prepare(actor, province, spec=MERGE, kind="merge", day=D(2025, 7, 1)):
    return org_actions.reorganization_prepare(
        actor=actor, unit=province["province"], kind=kind, spec=spec, effective_date=day
    )


def test_a_confirmed_merger_does_exactly_what_its_preview_showed(
    cycle, province, organizer_province, second_organizer
):
    testing.make_person(unit=province["d1"], member_code="M1")
    testing.make_person(unit=province["c1"], member_code="M2")
    prepared, preview = _prepare(organizer_province, province)
    assert not Unit.objects.filter(code="D12").exists()
    assert congress_of(cycle, "D1").state == workflow.PLANNED
    assert preview.closed == ["D1", "D2"] and preview.formed == ["D12"]
    assert {(m.source, m.target) for m in preview.children} == {("D1", "D12"), ("D2", "D12")}
    assert [(m.source, m.target, m.count) for m in preview.members] == [("D1", "D12", 1)]
    assert {(c.unit_code, c.step) for c in preview.congresses} == {
        ("D12", "create"),
        ("D1", "cancel"),
        ("D2", "cancel"),
    }

    org_actions.reorganization_confirm(
        actor=second_organizer, prepared=prepared, fingerprint=preview.fingerprint
    )
    prepared.refresh_from_db()
    assert prepared.status == PreparedReorganization.Status.CONFIRMED
    assert reorganizing.effects_from_json(prepared.effects) == preview
    assert Person.objects.get(member_code="M1").unit.code == "D12"
    created = next(c for c in preview.congresses if c.step == "create")
    merged = congress_of(cycle, "D12")
    assert (merged.earliest.isoformat(), merged.latest.isoformat()) == (
        created.earliest,
        created.latest,
    )
    assert merged.earliest >= D(2025, 7, 1)
    actions = list(
        AuditEvent.objects.filter(actor_id__isnull=False).values_list("action", flat=True)
    )
    assert "reorganization_prepare" in actions and "reorganization_confirm" in actions
    assert "units_merge" in actions


def test_the_one_who_prepared_a_merger_cannot_confirm_it(province, organizer_province):
    prepared, preview = _prepare(organizer_province, province)
    with pytest.raises(PermissionDenied):
        org_actions.reorganization_confirm(
            actor=organizer_province, prepared=prepared, fingerprint=preview.fingerprint
        )
    assert Unit.objects.get(code="D1").is_active


def test_an_organizer_of_a_source_unit_is_not_the_higher_level(province, organizer_d1):
    with pytest.raises(PermissionDenied):
        org_actions.reorganization_prepare(
            actor=organizer_d1,
            unit=province["d1"],
            kind="merge",
            spec={"sources": ["G1", "D1"], "new_code": "X", "new_name": "X"},
            effective_date=D(2025, 7, 1),
        )


def test_a_preview_that_no_longer_holds_is_refused(province, organizer_province, second_organizer):
    prepared, preview = _prepare(organizer_province, province)
    testing.make_person(unit=province["d2"], member_code="LATE")
    with pytest.raises(ValidationError) as refused:
        org_actions.reorganization_confirm(
            actor=second_organizer, prepared=prepared, fingerprint=preview.fingerprint
        )
    assert [e["code"] for e in error_items(refused.value)] == ["reorganization_preview_stale"]
    assert Unit.objects.get(code="D1").is_active


def test_a_bad_merger_is_refused_when_prepared(province, organizer_province):
    with pytest.raises(ValidationError):
        _prepare(organizer_province, province, spec={"sources": ["D1", "G2"], "new_code": "X"})
    assert not PreparedReorganization.objects.exists()


def test_rename_split_and_abolish_are_confirmed_by_the_same_organizer(
    cycle, province, organizer_province
):
    for kind, spec in [
        ("rename", {"unit": "G2", "name": "Đảng bộ xã Hiệp Sơn mới"}),
        (
            "split",
            {
                "unit": "G1",
                "parts": [
                    {"code": "G1A", "name": "A", "child_codes": ["C1"]},
                    {"code": "G1B", "name": "B", "child_codes": []},
                ],
            },
        ),
        ("abolish_level", {"level": "above_grassroots"}),
    ]:
        prepared, preview = _prepare(organizer_province, province, spec=spec, kind=kind)
        org_actions.reorganization_confirm(
            actor=organizer_province, prepared=prepared, fingerprint=preview.fingerprint
        )
        prepared.refresh_from_db()
        assert reorganizing.effects_from_json(prepared.effects) == preview
    assert Unit.objects.get(code="G2").name == "Đảng bộ xã Hiệp Sơn mới"
    assert not Unit.objects.get(code="D1").is_active
    assert congress_of(cycle, "G1A").earliest >= D(2025, 7, 1)


def test_a_merger_from_the_pages_prepared_by_one_organizer_and_confirmed_by_another(
    client, cycle, province, organizer_province, second_organizer
):
    client.force_login(organizer_province)
    picks = client.get("/u/P/reorganize/units/", {"q": "kinh", "sources": ["D1"]})
    assert b"D2" in picks.content and b'value="D1"' not in picks.content
    page = client.get("/u/P/reorganize/", {"kind": "merge", "sources": ["D1", "D2"]})
    assert page.status_code == 200 and "Huyện Kinh Môn" in page.content.decode()
    posted = client.post(
        "/u/P/reorganize/",
        {
            "kind": "merge",
            "sources": ["D1", "D2"],
            "into": "",
            "new_code": "D12",
            "new_name": "Xã Hợp Nhất",
            "effective_date": "2025-07-01",
        },
    )
    prepared = PreparedReorganization.objects.get()
    assert posted.status_code == 302 and posted["Location"].endswith(f"/{prepared.pk}/")
    own = client.get(f"/u/P/reorganize/{prepared.pk}/").content.decode()
    assert "Xã Hợp Nhất (D12)" in own and 'name="fingerprint"' not in own

    client.force_login(second_organizer)
    page = client.get(f"/u/P/reorganize/{prepared.pk}/")
    fingerprint = page.content.decode().split('name="fingerprint" value="')[1].split('"')[0]
    client.post(f"/u/P/reorganize/{prepared.pk}/", {"fingerprint": fingerprint, "confirm": "1"})
    prepared.refresh_from_db()
    assert prepared.status == PreparedReorganization.Status.CONFIRMED
    assert congress_of(cycle, "D12").earliest >= D(2025, 7, 1)
    lineage = client.get("/u/D12/").content.decode()
    assert "org_p2" in lineage and "Xã Hợp Nhất" in lineage


def test_the_reorganization_pages_answer_404_below_the_higher_level(
    client, province, organizer_d1, organizer_province
):
    prepared, _preview = _prepare(organizer_province, province)
    client.force_login(organizer_d1)
    for url in (
        "/u/P/reorganize/",
        "/u/P/reorganize/units/?q=d",
        f"/u/P/reorganize/{prepared.pk}/",
        f"/u/D1/reorganize/{prepared.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    # On its own page the organizer of D1 finds nothing of the province's.
    assert b"D2" not in client.get("/u/D1/reorganize/units/?q=d").content


def test_split_rename_and_abolish_are_prepared_from_their_pages(
    client, province, organizer_province
):
    client.force_login(organizer_province)
    page = client.get("/u/P/reorganize/", {"kind": "split", "sources": ["G1"]}).content.decode()
    assert 'name="child_C1"' in page
    client.post(
        "/u/P/reorganize/",
        {
            "kind": "split",
            "sources": ["G1"],
            "parts": "2",
            "part1_code": "G1A",
            "part1_name": "A",
            "part2_code": "G1B",
            "part2_name": "B",
            "child_C1": "2",
            "effective_date": "2025-07-15",
        },
    )
    client.post(
        "/u/P/reorganize/",
        {"kind": "rename", "sources": ["G2"], "name": "Tên mới", "effective_date": "2025-07-15"},
    )
    bad = client.post(
        "/u/P/reorganize/",
        {"kind": "abolish_level", "level": "province", "effective_date": "2025-07-15"},
        follow=True,
    )
    assert bad.status_code == 200 and len(list(bad.context["messages"])) == 1
    client.post(
        "/u/P/reorganize/",
        {"kind": "abolish_level", "level": "cell", "effective_date": "2025-07-15"},
    )
    specs = {p.kind: p.spec for p in PreparedReorganization.objects.all()}
    assert specs["split"]["parts"][1]["child_codes"] == ["C1"]
    assert specs["rename"] == {"unit": "G2", "name": "Tên mới"}
    assert specs["abolish_level"] == {"level": "cell"}
    assert client.get("/u/P/reorganize/", {"kind": "abolish_level"}).status_code == 200


def test_a_split_from_its_page_sends_each_member_to_the_part_chosen(
    client, province, organizer_province
):
    stay = testing.make_person(unit=province["g1"], member_code="S1", full_name="Lê Văn An")
    leave = testing.make_person(unit=province["g1"], member_code="S2", full_name="Trần Thị Bình")
    elsewhere = testing.make_person(unit=province["c1"], member_code="S3")
    client.force_login(organizer_province)
    page = client.get("/u/P/reorganize/", {"kind": "split", "sources": ["G1"]}).content.decode()
    assert f'name="member_{stay.pk}"' in page and f'name="member_{leave.pk}"' in page
    assert f'name="member_{elsewhere.pk}"' not in page  # they move with their cell
    form = {
        "kind": "split",
        "sources": ["G1"],
        "parts": "2",
        "part1_code": "G1A",
        "part1_name": "A",
        "part2_code": "G1B",
        "part2_name": "B",
        "child_C1": "2",
        f"member_{leave.pk}": "2",
    }
    refused = client.post("/u/P/reorganize/", form)  # no effective date: the form comes back
    assert refused.status_code == 200
    assert f'name="member_{leave.pk}" aria-label' in refused.content.decode()
    assert '<option value="2" selected>2</option>' in refused.content.decode()
    response = client.post("/u/P/reorganize/", {**form, "effective_date": "2025-07-15"})
    prepared = PreparedReorganization.objects.get(kind="split")
    assert response.status_code == 302
    parts = prepared.spec["parts"]
    assert parts[0]["member_ids"] == [stay.pk] and parts[1]["member_ids"] == [leave.pk]
    preview = reorganizing.preview(actor=organizer_province, prepared=prepared)
    org_actions.reorganization_confirm(
        actor=organizer_province, prepared=prepared, fingerprint=preview.fingerprint
    )
    assert Person.objects.get(pk=stay.pk).unit.code == "G1A"
    assert Person.objects.get(pk=leave.pk).unit.code == "G1B"
    cell = Person.objects.get(pk=elsewhere.pk).unit
    parent = unit_parent(Unit.objects.get(pk=cell.pk))
    assert cell.code == "C1" and parent is not None and parent.code == "G1B"

"""Reorganization: merging, splitting, renaming, abolishing a level and transferring people.

Members and child units move, the old units close, lineage links old to new, memberships
keep their dates, every action writes one audit event, and organizers act only inside
their own subtree.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.core import hooks
from daihoi.core.models import AuditEvent
from daihoi.organizations.actions import (
    SplitPart,
    level_abolish,
    person_transfer,
    unit_rename,
    unit_split,
    units_merge,
)
from daihoi.organizations.models import Membership, Person, Reorganization, Unit, UnitLineage
from daihoi.organizations.queries import unit_children, unit_parent

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 7, 1)
DAY_BEFORE = datetime.date(2025, 6, 30)


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


@pytest.fixture
def g3(province: dict[str, Any]) -> Unit:
    """A second grassroots organization in district D1, with one cell C3."""
    unit = testing.make_unit(parent=province["d1"], code="G3", level="grassroots")
    testing.make_unit(parent=unit, code="C3", level="cell")
    return fresh(unit)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def open_membership(person: Person) -> Membership:
    return Membership.objects.get(person=person, ended__isnull=True)


def test_merge_into_a_new_unit_moves_members_and_cells_and_closes_the_sources(
    province: dict[str, Any], g3: Unit
) -> None:
    g1 = province["g1"]
    direct = testing.make_person(unit=g1)
    in_cell = testing.make_person(unit=province["c1"])
    gone = testing.make_person(unit=g3, status="deceased")
    reorg, target = units_merge(
        actor=SYSTEM, sources=[g1, g3], effective_date=DAY, new_code="G13", new_name="Đảng bộ G13"
    )
    assert unit_parent(target) == province["d1"]
    assert target.level == "grassroots" and target.active_from == DAY
    assert {c.code for c in unit_children(target)} == {"C1", "C3"}
    assert fresh(g1).active_until == DAY_BEFORE and fresh(g3).active_until == DAY_BEFORE
    direct.refresh_from_db()
    assert direct.unit == target
    # members of a moved cell stay in their cell, which now sits under the new unit
    in_cell.refresh_from_db()
    assert in_cell.unit.code == "C1" and in_cell.unit.path.startswith(target.path)
    gone.refresh_from_db()
    assert gone.unit == g3  # a deceased member is not moved
    old = Membership.objects.get(person=direct, unit=g1)
    assert old.ended == DAY
    new = open_membership(direct)
    assert (new.unit, new.started, new.reorganization) == (target, DAY, reorg)
    links = UnitLineage.objects.filter(reorganization=reorg)
    assert {(link.predecessor.code, link.successor.code) for link in links} == {
        ("G1", "G13"),
        ("G3", "G13"),
    }
    (event,) = events("units_merge")
    assert event.changes["sources"] == ["G1", "G3"] and event.changes["members_moved"] == 1
    assert event.changes["children_moved"] == 2


def test_merge_into_an_existing_unit_keeps_it_open(province: dict[str, Any], g3: Unit) -> None:
    person = testing.make_person(unit=g3)
    reorg, target = units_merge(actor=SYSTEM, sources=[g3], into=province["g1"], effective_date=DAY)
    assert target == province["g1"] and fresh(target).active_until is None
    assert fresh(g3).active_until == DAY_BEFORE
    assert {c.code for c in unit_children(target)} == {"C1", "C3"}
    person.refresh_from_db()
    assert person.unit == target
    assert UnitLineage.objects.filter(predecessor=g3, successor=target).exists()
    assert reorg.kind == Reorganization.Kind.MERGE and len(events("units_merge")) == 1


def test_tree_counts_stay_right_after_a_merge(province: dict[str, Any], g3: Unit) -> None:
    units_merge(actor=SYSTEM, sources=[g3], into=province["g1"], effective_date=DAY)
    assert fresh(province["g1"]).numchild == 2 and fresh(g3).numchild == 0
    assert [c.code for c in Unit.objects.get_children(fresh(province["g1"]))] == ["C1", "C3"]


def test_merge_refuses_units_of_different_levels(province: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        units_merge(
            actor=SYSTEM,
            sources=[province["g1"], province["c2"]],
            effective_date=DAY,
            new_code="X",
            new_name="X",
        )


def test_merge_refuses_a_unit_into_itself(province: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        units_merge(actor=SYSTEM, sources=[province["g1"]], into=province["g1"], effective_date=DAY)


def test_merge_refuses_a_closed_target(province: dict[str, Any], g3: Unit) -> None:
    units_merge(actor=SYSTEM, sources=[g3], into=province["g1"], effective_date=DAY)
    other = testing.make_unit(parent=province["d1"], code="G4", level="grassroots")
    with pytest.raises(ValidationError):
        units_merge(actor=SYSTEM, sources=[other], into=g3, effective_date=DAY)


def test_organizer_cannot_merge_across_districts(
    province: dict[str, Any], organizer_d1: Any
) -> None:
    with pytest.raises(PermissionDenied):
        units_merge(
            actor=organizer_d1,
            sources=[province["g1"], province["g2"]],
            effective_date=DAY,
            new_code="GX",
            new_name="GX",
        )
    with pytest.raises(PermissionDenied):
        units_merge(
            actor=organizer_d1, sources=[province["g1"]], into=province["g2"], effective_date=DAY
        )
    assert not Reorganization.objects.exists() and fresh(province["g1"]).active_until is None


def test_organizer_merges_inside_their_district(
    province: dict[str, Any], g3: Unit, organizer_d1: Any
) -> None:
    _reorg, target = units_merge(
        actor=organizer_d1, sources=[province["g1"], g3], effective_date=DAY, new_code="G13",
        new_name="G13",
    )  # fmt: skip
    assert target.path.startswith(province["d1"].path)
    assert events("units_merge")[0].actor_id == organizer_d1.pk


def test_split_sends_cells_and_named_members_to_their_part(province: dict[str, Any]) -> None:
    g1 = province["g1"]
    c4 = testing.make_unit(parent=g1, code="C4", level="cell")
    stay, go = testing.make_person(unit=g1), testing.make_person(unit=g1)
    reorg, (first, second) = unit_split(
        actor=SYSTEM,
        unit=g1,
        parts=[
            SplitPart(code="G1A", name="G1 A", child_codes=["C1"]),
            SplitPart(code="G1B", name="G1 B", child_codes=["C4"], member_ids=[go.pk]),
        ],
        effective_date=DAY,
    )
    assert [c.code for c in unit_children(first)] == ["C1"]
    assert [c.code for c in unit_children(second)] == ["C4"]
    assert Unit.objects.get(code="C4").path.startswith(second.path) and c4.pk
    stay.refresh_from_db()
    go.refresh_from_db()
    assert (stay.unit, go.unit) == (first, second)
    assert open_membership(go).started == DAY and open_membership(go).reorganization == reorg
    assert fresh(g1).active_until == DAY_BEFORE
    assert unit_parent(first) == province["d1"] == unit_parent(second)
    assert UnitLineage.objects.filter(predecessor=g1, reorganization=reorg).count() == 2
    assert len(events("unit_split")) == 1


def test_split_requires_every_cell_to_go_to_exactly_one_part(province: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        unit_split(
            actor=SYSTEM,
            unit=province["g1"],
            parts=[SplitPart(code="A", name="A"), SplitPart(code="B", name="B")],
            effective_date=DAY,
        )
    with pytest.raises(ValidationError):
        unit_split(
            actor=SYSTEM,
            unit=province["g1"],
            parts=[
                SplitPart(code="A", name="A", child_codes=["C1"]),
                SplitPart(code="B", name="B", child_codes=["C2"]),
            ],
            effective_date=DAY,
        )
    assert not Unit.objects.filter(code__in=["A", "B"]).exists()


def test_split_refuses_members_of_another_unit(province: dict[str, Any]) -> None:
    stranger = testing.make_person(unit=province["c2"])
    with pytest.raises(ValidationError):
        unit_split(
            actor=SYSTEM,
            unit=province["c1"],
            parts=[SplitPart(code="A", name="A"), SplitPart("B", "B", member_ids=[stranger.pk])],
            effective_date=DAY,
        )


def test_organizer_cannot_split_outside_their_district(
    province: dict[str, Any], organizer_d1: Any
) -> None:
    with pytest.raises(PermissionDenied):
        unit_split(
            actor=organizer_d1,
            unit=province["c2"],
            parts=[SplitPart(code="A", name="A"), SplitPart(code="B", name="B")],
            effective_date=DAY,
        )


def test_rename_keeps_the_unit_and_records_old_and_new_name(province: dict[str, Any]) -> None:
    reorg = unit_rename(
        actor=SYSTEM, unit=province["g1"], name="Đảng bộ phường Mới", effective_date=DAY
    )
    g1 = fresh(province["g1"])
    assert g1.name == "Đảng bộ phường Mới" and g1.name_folded == "dang bo phuong moi"
    assert g1.active_until is None and reorg.kind == Reorganization.Kind.RENAME
    (event,) = events("unit_rename")
    assert event.changes["name"] == ["Đảng bộ phường Trần Phú", "Đảng bộ phường Mới"]


def test_rename_refuses_an_empty_name_and_a_foreign_unit(
    province: dict[str, Any], organizer_d1: Any
) -> None:
    with pytest.raises(ValidationError):
        unit_rename(actor=SYSTEM, unit=province["g1"], name="  ", effective_date=DAY)
    with pytest.raises(PermissionDenied):
        unit_rename(actor=organizer_d1, unit=province["g2"], name="X", effective_date=DAY)
    assert fresh(province["g2"]).name == "Đảng bộ xã Hiệp Sơn"


def test_abolishing_the_district_level_moves_grassroots_up_to_the_province(
    province: dict[str, Any],
) -> None:
    person = testing.make_person(unit=province["d1"])
    reorg = level_abolish(
        actor=SYSTEM, root=province["province"], level="above_grassroots", effective_date=DAY
    )
    root = fresh(province["province"])
    active = {c.code for c in unit_children(root)}
    assert active == {"G1", "G2"}
    assert fresh(province["d1"]).active_until == DAY_BEFORE
    assert fresh(province["d2"]).active_until == DAY_BEFORE
    assert Unit.objects.get(code="C1").path.startswith(Unit.objects.get(code="G1").path)
    person.refresh_from_db()
    assert person.unit == root and open_membership(person).started == DAY
    assert UnitLineage.objects.filter(reorganization=reorg, successor=root).count() == 2
    (event,) = events("level_abolish")
    assert sorted(event.changes["units"]) == ["D1", "D2"]


def test_abolishing_a_level_needs_the_organizer_of_the_whole_subtree(
    province: dict[str, Any], organizer_d1: Any
) -> None:
    with pytest.raises(PermissionDenied):
        level_abolish(
            actor=organizer_d1,
            root=province["province"],
            level="above_grassroots",
            effective_date=DAY,
        )


def test_abolishing_a_level_that_is_absent_is_refused(province: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        level_abolish(actor=SYSTEM, root=province["d1"], level="national", effective_date=DAY)


def test_reorganizations_call_the_registered_hooks(
    province: dict[str, Any], monkeypatch: Any
) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(hooks, "_reorganization_listeners", [])
    hooks.on_reorganization(lambda *, actor, reorganization: seen.append(reorganization.kind))
    unit_rename(actor=SYSTEM, unit=province["g1"], name="Mới", effective_date=DAY)
    assert seen == ["rename"]


def test_transfer_closes_the_old_membership_and_opens_a_new_one(province: dict[str, Any]) -> None:
    person = testing.make_person(unit=province["c1"])
    person_transfer(actor=SYSTEM, person=person, unit=province["c2"], effective_date=DAY)
    person.refresh_from_db()
    assert person.unit == province["c2"]
    memberships = list(Membership.objects.filter(person=person).order_by("started"))
    assert [(m.unit.code, m.ended) for m in memberships] == [("C1", DAY), ("C2", None)]
    assert memberships[1].started == DAY
    (event,) = events("person_transfer")
    assert event.changes["from"] == "C1" and event.changes["to"] == "C2"


def test_transfer_needs_the_organizer_of_both_units(
    province: dict[str, Any], organizer_d1: Any
) -> None:
    person = testing.make_person(unit=province["c1"])
    with pytest.raises(PermissionDenied):
        person_transfer(actor=organizer_d1, person=person, unit=province["c2"], effective_date=DAY)
    person.refresh_from_db()
    assert person.unit == province["c1"] and Membership.objects.filter(person=person).count() == 1


def test_transfer_refuses_the_same_unit_and_a_closed_unit(
    province: dict[str, Any], g3: Unit
) -> None:
    person = testing.make_person(unit=province["c1"])
    with pytest.raises(ValidationError):
        person_transfer(actor=SYSTEM, person=person, unit=province["c1"], effective_date=DAY)
    units_merge(actor=SYSTEM, sources=[g3], into=province["g1"], effective_date=DAY)
    with pytest.raises(ValidationError):
        person_transfer(actor=SYSTEM, person=person, unit=fresh(g3), effective_date=DAY)

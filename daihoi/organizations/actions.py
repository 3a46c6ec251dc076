"""Writes for units and people: one function per use case, permission-checked, atomic, audited.

`actor=None` means the system (management commands, the demo loader).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role
from daihoi.accounts.queries import require_role
from daihoi.core import audit, hooks
from daihoi.core.text import fold, nfc
from daihoi.organizations.imports import (
    ImportRejected,
    Table,
    check_members,
    check_units,
    common_path,
)
from daihoi.organizations.models import (
    CURRENT_STATUSES,
    Membership,
    Person,
    Reorganization,
    Unit,
    UnitLineage,
)
from daihoi.organizations.queries import unit_parent
from daihoi.organizations.tree import PathAllocator

ORGANIZER = [Role.ORGANIZER]


def _fresh(unit: Unit) -> Unit:
    """Tree moves rewrite paths; re-read a unit before relying on its path."""
    return Unit.objects.get(pk=unit.pk)


@transaction.atomic
def unit_create(
    *, actor: Any, parent: Unit | None, code: str, name: str, level: str, active_from: datetime.date
) -> Unit:
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("A unit needs a code.")})
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A unit with code %(code)s exists.") % {"code": code}})
    name = nfc(name)
    fields = {
        "code": code,
        "name": name,
        "name_folded": fold(name),
        "level": level,
        "active_from": active_from,
    }
    if parent is None:
        require_role(actor, Unit(path=""), [Role.ADMIN])
        unit = Unit.objects.add_root(fields)
    else:
        require_role(actor, parent, ORGANIZER)
        unit = Unit.objects.add_child(_fresh(parent), fields)
    audit.record(
        actor=actor,
        action="unit_create",
        obj=unit,
        unit_path=unit.path,
        changes={
            "code": code,
            "name": name,
            "level": level,
            "parent": parent.code if parent else None,
        },
    )
    return unit


def _move_members(
    *,
    source: Unit,
    target: Unit,
    day: datetime.date,
    reorganization: Reorganization,
    person_ids: Sequence[int] | None = None,
) -> int:
    people = Person.objects.filter(unit=source, status__in=CURRENT_STATUSES)
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    ids = list(people.values_list("pk", flat=True))
    if not ids:
        return 0
    Membership.objects.filter(person_id__in=ids, ended__isnull=True).update(ended=day)
    Membership.objects.bulk_create(
        [
            Membership(person_id=i, unit=target, started=day, reorganization=reorganization)
            for i in ids
        ],
        batch_size=2000,
    )
    Person.objects.filter(pk__in=ids).update(unit=target)
    return len(ids)


def _move_children(*, source: Unit, target: Unit, codes: Sequence[str] | None = None) -> list[str]:
    moved: list[str] = []
    for child in Unit.objects.filter(
        path__startswith=_fresh(source).path, depth=source.depth + 1
    ).order_by("path"):
        if codes is not None and child.code not in codes:
            continue
        Unit.objects.move(child, _fresh(target), "last-child")
        moved.append(child.code)
    return moved


def _require_active(unit: Unit, field_name: str) -> None:
    if unit.active_until is not None:
        raise ValidationError(
            {field_name: _("Unit %(code)s is no longer active.") % {"code": unit.code}}
        )


def _close(unit: Unit, day: datetime.date) -> None:
    Unit.objects.filter(pk=unit.pk).update(active_until=day)


@transaction.atomic
def unit_rename(
    *, actor: Any, unit: Unit, name: str, effective_date: datetime.date
) -> Reorganization:
    require_role(actor, unit, ORGANIZER)
    name = nfc(name)
    if not name:
        raise ValidationError({"name": _("A unit needs a name.")})
    _require_active(unit, "unit")
    old = unit.name
    reorg = Reorganization.objects.create(
        kind=Reorganization.Kind.RENAME,
        effective_date=effective_date,
        description=f"{old} → {name}",
    )
    Unit.objects.filter(pk=unit.pk).update(name=name, name_folded=fold(name))
    unit.name, unit.name_folded = name, fold(name)
    audit.record(
        actor=actor,
        action="unit_rename",
        obj=unit,
        unit_path=unit.path,
        changes={"name": [old, name], "effective_date": effective_date},
    )
    hooks.reorganization_applied(actor=actor, reorganization=reorg)
    return reorg


@transaction.atomic
def units_merge(
    *,
    actor: Any,
    sources: Sequence[Unit],
    effective_date: datetime.date,
    into: Unit | None = None,
    new_code: str = "",
    new_name: str = "",
    parent: Unit | None = None,
) -> tuple[Reorganization, Unit]:
    """Merge `sources` into an existing unit or into a new one under `parent`.

    Members and child units move to the target; sources close the day before it takes effect;
    lineage links every source to the target.
    """
    sources = [_fresh(s) for s in sources]
    if len(sources) < (1 if into is not None else 2):
        raise ValidationError({"sources": _("Choose at least two units to merge.")})
    levels = {s.level for s in sources} | ({into.level} if into else set())
    if len(levels) != 1:
        raise ValidationError({"sources": _("Only units of the same level can be merged.")})
    for unit in sources:
        require_role(actor, unit, ORGANIZER)
        if not unit.is_active:
            raise ValidationError(
                {"sources": _("Unit %(code)s is no longer active.") % {"code": unit.code}}
            )
    reorg = Reorganization.objects.create(
        kind=Reorganization.Kind.MERGE, effective_date=effective_date
    )
    if into is None:
        parent = parent or unit_parent(sources[0])
        target = unit_create(
            actor=actor,
            parent=parent,
            code=new_code,
            name=new_name,
            level=sources[0].level,
            active_from=effective_date,
        )
    else:
        target = _fresh(into)
        require_role(actor, target, ORGANIZER)
        if target.pk in {s.pk for s in sources}:
            raise ValidationError({"into": _("A unit cannot be merged into itself.")})
        _require_active(target, "into")
    day_before = effective_date - datetime.timedelta(days=1)
    moved_members = moved_children = 0
    for source in sources:
        moved_children += len(_move_children(source=source, target=target))
        moved_members += _move_members(
            source=source, target=target, day=effective_date, reorganization=reorg
        )
        _close(source, day_before)
        UnitLineage.objects.create(predecessor=source, successor=target, reorganization=reorg)
    reorg.description = f"{', '.join(s.code for s in sources)} → {target.code}"
    reorg.save(update_fields=["description"])
    target = _fresh(target)
    audit.record(
        actor=actor,
        action="units_merge",
        obj=reorg,
        unit_path=target.path,
        changes={
            "sources": [s.code for s in sources],
            "target": target.code,
            "members_moved": moved_members,
            "children_moved": moved_children,
            "effective_date": effective_date,
        },
    )
    hooks.reorganization_applied(actor=actor, reorganization=reorg)
    return reorg, target


@dataclass(frozen=True)
class SplitPart:
    code: str
    name: str
    child_codes: Sequence[str] = field(default_factory=tuple)
    member_ids: Sequence[int] = field(default_factory=tuple)


@transaction.atomic
def unit_split(
    *, actor: Any, unit: Unit, parts: Sequence[SplitPart], effective_date: datetime.date
) -> tuple[Reorganization, list[Unit]]:
    """Split `unit` into new sibling units. Children and members go where the parts say;
    members not named go to the first part. The split unit closes."""
    unit = _fresh(unit)
    require_role(actor, unit, ORGANIZER)
    if len(parts) < 2:
        raise ValidationError({"parts": _("A split needs at least two parts.")})
    _require_active(unit, "unit")
    named_people = {i for p in parts for i in p.member_ids}
    strangers = named_people - set(
        Person.objects.filter(unit=unit, pk__in=named_people).values_list("pk", flat=True)
    )
    if strangers:
        raise ValidationError(
            {
                "parts": _("Not members of %(unit)s: %(ids)s")
                % {"unit": unit.code, "ids": ", ".join(str(i) for i in sorted(strangers))}
            }
        )
    child_codes = set(unit_children_codes(unit))
    named = [c for p in parts for c in p.child_codes]
    unknown = set(named) - child_codes
    if unknown:
        raise ValidationError(
            {
                "parts": _("Not children of %(unit)s: %(codes)s")
                % {"unit": unit.code, "codes": ", ".join(sorted(unknown))}
            }
        )
    if len(named) != len(set(named)) or set(named) != child_codes:
        raise ValidationError({"parts": _("Every child unit must go to exactly one part.")})
    reorg = Reorganization.objects.create(
        kind=Reorganization.Kind.SPLIT, effective_date=effective_date
    )
    parent = unit_parent(unit)
    created: list[Unit] = []
    for index, part in enumerate(parts):
        target = unit_create(
            actor=actor,
            parent=parent,
            code=part.code,
            name=part.name,
            level=unit.level,
            active_from=effective_date,
        )
        _move_children(source=unit, target=target, codes=list(part.child_codes))
        ids = None if index == 0 else list(part.member_ids)
        if index == 0:
            others = {i for p in parts[1:] for i in p.member_ids}
            ids = list(
                Person.objects.filter(unit=unit).exclude(pk__in=others).values_list("pk", flat=True)
            )
        _move_members(
            source=unit, target=target, day=effective_date, reorganization=reorg, person_ids=ids
        )
        UnitLineage.objects.create(predecessor=unit, successor=target, reorganization=reorg)
        created.append(target)
    _close(unit, effective_date - datetime.timedelta(days=1))
    reorg.description = f"{unit.code} → {', '.join(t.code for t in created)}"
    reorg.save(update_fields=["description"])
    audit.record(
        actor=actor,
        action="unit_split",
        obj=reorg,
        unit_path=unit.path,
        changes={
            "unit": unit.code,
            "parts": [t.code for t in created],
            "effective_date": effective_date,
        },
    )
    hooks.reorganization_applied(actor=actor, reorganization=reorg)
    return reorg, created


def unit_children_codes(unit: Unit) -> list[str]:
    return list(
        Unit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1, active_until__isnull=True
        ).values_list("code", flat=True)
    )


@transaction.atomic
def level_abolish(
    *, actor: Any, root: Unit, level: str, effective_date: datetime.date
) -> Reorganization:
    """Abolish every active unit of `level` under `root`: their children and members move
    up to their parent, and they close."""
    root = _fresh(root)
    require_role(actor, root, ORGANIZER)
    doomed = list(
        Unit.objects.filter(
            path__startswith=root.path, level=level, active_until__isnull=True
        ).order_by("-depth", "path")
    )
    if not doomed:
        raise ValidationError(
            {
                "level": _("No active unit of level %(level)s under %(unit)s.")
                % {"level": level, "unit": root.code}
            }
        )
    if any(u.pk == root.pk for u in doomed):
        raise ValidationError({"level": _("The unit itself cannot be abolished this way.")})
    reorg = Reorganization.objects.create(
        kind=Reorganization.Kind.ABOLISH_LEVEL,
        effective_date=effective_date,
        description=f"{level} @ {root.code}",
    )
    for unit in doomed:
        unit = _fresh(unit)
        parent = unit_parent(unit)
        assert parent is not None
        _move_children(source=unit, target=parent)
        _move_members(source=unit, target=parent, day=effective_date, reorganization=reorg)
        _close(unit, effective_date - datetime.timedelta(days=1))
        UnitLineage.objects.create(predecessor=unit, successor=parent, reorganization=reorg)
    audit.record(
        actor=actor,
        action="level_abolish",
        obj=reorg,
        unit_path=root.path,
        changes={
            "level": level,
            "root": root.code,
            "units": [u.code for u in doomed],
            "effective_date": effective_date,
        },
    )
    hooks.reorganization_applied(actor=actor, reorganization=reorg)
    return reorg


PERSON_FIELDS = (
    "birth_date",
    "gender",
    "ethnicity",
    "education",
    "political_theory",
    "date_joined",
    "status",
)


@transaction.atomic
def person_create(
    *,
    actor: Any,
    unit: Unit,
    member_code: str,
    full_name: str,
    birth_date: datetime.date,
    gender: str,
    date_joined: datetime.date,
    ethnicity: str = "Kinh",
    education: str = Person.Education.SECONDARY,
    political_theory: str = Person.PoliticalTheory.NONE,
    status: str = Person.Status.ACTIVE,
) -> Person:
    require_role(actor, unit, ORGANIZER)
    full_name = nfc(full_name)
    person = Person(
        member_code=member_code.strip(),
        full_name=full_name,
        name_folded=fold(full_name),
        birth_date=birth_date,
        gender=gender,
        ethnicity=nfc(ethnicity),
        education=education,
        political_theory=political_theory,
        date_joined=date_joined,
        status=status,
        unit=unit,
    )
    person.full_clean()
    person.save()
    Membership.objects.create(person=person, unit=unit, started=date_joined)
    audit.record(
        actor=actor,
        action="person_create",
        obj=person,
        unit_path=unit.path,
        changes={"member_code": person.member_code, "full_name": full_name},
    )
    return person


@transaction.atomic
def person_set_status(*, actor: Any, person: Person, status: str, reason: str = "") -> Person:
    require_role(actor, person.unit, ORGANIZER)
    if status not in Person.Status.values:
        raise ValidationError({"status": _("Unknown status: %(s)s") % {"s": status}})
    old = person.status
    Person.objects.filter(pk=person.pk).update(status=status)
    person.status = status
    audit.record(
        actor=actor,
        action="person_set_status",
        obj=person,
        unit_path=person.unit.path,
        changes={"status": [old, status], "reason": reason},
    )
    return person


@transaction.atomic
def person_transfer(
    *, actor: Any, person: Person, unit: Unit, effective_date: datetime.date
) -> Person:
    require_role(actor, person.unit, ORGANIZER)
    require_role(actor, unit, ORGANIZER)
    unit = _fresh(unit)
    if unit.pk == person.unit_id:
        raise ValidationError({"unit": _("The person is already a member of this unit.")})
    _require_active(unit, "unit")
    old = person.unit
    Membership.objects.filter(person=person, ended__isnull=True).update(ended=effective_date)
    Membership.objects.create(person=person, unit=unit, started=effective_date)
    Person.objects.filter(pk=person.pk).update(unit=unit)
    person.unit = unit
    audit.record(
        actor=actor,
        action="person_transfer",
        obj=person,
        unit_path=unit.path,
        changes={"from": old.code, "to": unit.code, "effective_date": effective_date},
    )
    return person


@dataclass(frozen=True)
class ImportSummary:
    filename: str
    created: int
    units: int  # distinct units touched: the new units, or the units members went to


IMPORT_BATCH = 2000


@transaction.atomic
def units_import(*, actor: Any, table: Table, within: Unit | None = None) -> ImportSummary:
    """Create the units of a checked file, all or nothing.

    Rows without a parent go under `within` (or become roots when the system imports);
    everything must lie in `within` and in the actor's organizer area.
    """
    rows, problems = check_units(table, actor=actor, within=within)
    if problems:
        raise ImportRejected(problems)
    allocator = PathAllocator()
    existing = dict(Unit.objects.filter(active_until__isnull=True).values_list("code", "path"))
    path_of: dict[str, str] = {}
    units: list[Unit] = []
    for row in rows:
        if row.parent_in_file:
            parent_path = path_of[row.parent_code]
        elif row.parent_code:
            parent_path = existing[row.parent_code]
        else:
            parent_path = within.path if within is not None else ""
        path = allocator.child_path(parent_path)
        path_of[row.code] = path
        units.append(
            Unit(
                path=path,
                depth=len(path) // Unit.steplen,
                code=row.code,
                name=row.name,
                name_folded=fold(row.name),
                level=row.level,
                active_from=row.active_from,
                active_until=row.active_until,
            )
        )
    for unit in units:
        unit.numchild = allocator.numchild(unit.path)
    Unit.objects.bulk_create(units, batch_size=IMPORT_BATCH)
    allocator.flush_numchild()
    audit.record(
        actor=actor,
        action="units_import",
        object_type="organizations.unit",
        unit_path=common_path(u.path for u in units),
        changes={"file": table.filename, "units": len(units)},
    )
    return ImportSummary(filename=table.filename, created=len(units), units=len(units))


@transaction.atomic
def members_import(*, actor: Any, table: Table, within: Unit | None = None) -> ImportSummary:
    """Create the members of a checked file with their memberships, all or nothing.

    Every member's unit must lie in `within` and in the actor's organizer area.
    """
    rows, problems = check_members(table, actor=actor, within=within)
    if problems:
        raise ImportRejected(problems)
    for start in range(0, len(rows), IMPORT_BATCH):
        batch = rows[start : start + IMPORT_BATCH]
        people = Person.objects.bulk_create(
            [
                Person(
                    member_code=r.member_code,
                    full_name=r.full_name,
                    name_folded=fold(r.full_name),
                    birth_date=r.birth_date,
                    gender=r.gender,
                    ethnicity=r.ethnicity,
                    education=r.education,
                    political_theory=r.political_theory,
                    date_joined=r.date_joined,
                    status=r.status,
                    unit_id=r.unit_id,
                )
                for r in batch
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(person_id=p.pk, unit_id=r.unit_id, started=r.date_joined)
                for p, r in zip(people, batch, strict=True)
            ]
        )
    unit_paths = {r.unit_path for r in rows}
    audit.record(
        actor=actor,
        action="members_import",
        object_type="organizations.person",
        unit_path=common_path(unit_paths),
        changes={"file": table.filename, "members": len(rows), "units": len(unit_paths)},
    )
    return ImportSummary(filename=table.filename, created=len(rows), units=len(unit_paths))

"""Imports of units and members from XLSX or CSV: all or nothing, checked first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from daihoi.accounts.authority import action, require_area
from daihoi.accounts.models import Role
from daihoi.core import audit
from daihoi.core.text import fold, name_key
from daihoi.organizations.imports import (
    ImportRejected,
    Table,
    check_members,
    check_units,
    common_path,
)
from daihoi.organizations.imports.members import UPDATABLE
from daihoi.organizations.models import (
    Membership,
    Person,
    Unit,
)
from daihoi.organizations.tree import PathAllocator


@dataclass(frozen=True)
class ImportSummary:
    filename: str
    created: int
    units: int  # distinct units touched: the new units, or the units members went to
    updated: int = 0  # members already in the database whose data the file changed
    unchanged: int = 0  # rows for units or members already in the database exactly so


IMPORT_BATCH = 2000


@action(system=True)
def units_import(*, actor: Any, table: Table, within: Unit | None = None) -> ImportSummary:
    """Create the units of a checked file, all or nothing.

    Rows without a parent go under `within` (or become roots when the system imports);
    everything must lie in `within` and in the actor's organizer area.
    """
    require_area(actor, [Role.ORGANIZER])
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
    unchanged = len(table.rows) - len(rows)
    audit.record(
        actor=actor,
        action="units_import",
        object_type="organizations.unit",
        unit_path=common_path(u.path for u in units) if units else (within.path if within else ""),
        changes={"file": table.filename, "units": len(units), "unchanged": unchanged},
    )
    return ImportSummary(
        filename=table.filename, created=len(units), units=len(units), unchanged=unchanged
    )


@action(system=True)
def members_import(*, actor: Any, table: Table, within: Unit | None = None) -> ImportSummary:
    """Create the members of a checked file with their memberships, all or nothing.

    Every member's unit must lie in `within` and in the actor's organizer area.
    """
    require_area(actor, [Role.ORGANIZER])
    rows, problems = check_members(table, actor=actor, within=within)
    if problems:
        raise ImportRejected(problems)
    new = [r for r in rows if r.existing_id is None]
    changed = [r for r in rows if r.existing_id is not None and not r.unchanged]
    Person.objects.bulk_update(
        [
            Person(
                pk=r.existing_id,
                full_name=r.full_name,
                name_folded=fold(r.full_name),
                name_key=name_key(r.full_name),
                birth_date=r.birth_date,
                gender=r.gender,
                ethnicity=r.ethnicity,
                education=r.education,
                political_theory=r.political_theory,
                date_joined=r.date_joined,
                status=r.status,
            )
            for r in changed
        ],
        [*UPDATABLE, "name_folded", "name_key"],
        batch_size=IMPORT_BATCH,
    )
    for start in range(0, len(new), IMPORT_BATCH):
        batch = new[start : start + IMPORT_BATCH]
        people = Person.objects.bulk_create(
            [
                Person(
                    member_code=r.member_code,
                    full_name=r.full_name,
                    name_folded=fold(r.full_name),
                    name_key=name_key(r.full_name),
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
        changes={
            "file": table.filename,
            "members": len(new),
            "updated": len(changed),
            "unchanged": len(rows) - len(new) - len(changed),
            "units": len(unit_paths),
        },
    )
    return ImportSummary(
        filename=table.filename,
        created=len(new),
        units=len(unit_paths),
        updated=len(changed),
        unchanged=len(rows) - len(new) - len(changed),
    )

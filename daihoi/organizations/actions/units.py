"""Units: creating one, and reorganizing them (rename, merge, split, abolish a level).

Every reorganization is effective-dated, moves members and child units, keeps lineage and
tells the apps that plan around units (`core.hooks.on_reorganization`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role
from daihoi.accounts.models import Role
from daihoi.core import audit, hooks
from daihoi.core.errors import field_errors, refusal
from daihoi.core.text import fold, nfc
from daihoi.organizations.models import (
    CURRENT_STATUSES,
    Membership,
    Person,
    Reorganization,
    Unit,
    UnitLineage,
)
from daihoi.organizations.queries import unit_parent

ORGANIZER = [Role.ORGANIZER]


def fresh(unit: Unit) -> Unit:
    """Tree moves rewrite paths; re-read a unit before relying on its path."""
    return Unit.objects.get(pk=unit.pk)


@action(system=True)
def unit_create(
    *, actor: Any, parent: Unit | None, code: str, name: str, level: str, active_from: datetime.date
) -> Unit:
    code = code.strip()
    if not code:
        raise refusal(_("A unit needs a code."), code="unit_needs_code", field="code")
    if Unit.objects.filter(code=code).exists():
        raise refusal(
            _("A unit with code %(code)s exists.") % {"code": code},
            code="unit_code_exists",
            field="code",
        )
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
        unit = Unit.objects.add_child(fresh(parent), fields)
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
        path__startswith=fresh(source).path, depth=source.depth + 1
    ).order_by("path"):
        if codes is not None and child.code not in codes:
            continue
        Unit.objects.move(child, fresh(target), "last-child")
        moved.append(child.code)
    return moved


def require_active(unit: Unit, field_name: str) -> None:
    if unit.active_until is not None:
        raise field_errors(
            {field_name: _("Unit %(code)s is no longer active.") % {"code": unit.code}}
        )


def _close(unit: Unit, day: datetime.date) -> None:
    Unit.objects.filter(pk=unit.pk).update(active_until=day)


@action(system=True)
def unit_rename(
    *, actor: Any, unit: Unit, name: str, effective_date: datetime.date
) -> Reorganization:
    require_role(actor, unit, ORGANIZER)
    name = nfc(name)
    if not name:
        raise refusal(_("A unit needs a name."), code="unit_needs_name", field="name")
    require_active(unit, "unit")
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


@action(system=True)
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
    sources = [fresh(s) for s in sources]
    if len(sources) < (1 if into is not None else 2):
        raise refusal(
            _("Choose at least two units to merge."), code="choose_least_two_units", field="sources"
        )
    levels = {s.level for s in sources} | ({into.level} if into else set())
    if len(levels) != 1:
        raise refusal(
            _("Only units of the same level can be merged."),
            code="only_units_same_level",
            field="sources",
        )
    for unit in sources:
        require_role(actor, unit, ORGANIZER)
        if not unit.is_active:
            raise refusal(
                _("Unit %(code)s is no longer active.") % {"code": unit.code},
                code="unit_no_longer_active",
                field="sources",
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
        target = fresh(into)
        require_role(actor, target, ORGANIZER)
        if target.pk in {s.pk for s in sources}:
            raise refusal(
                _("A unit cannot be merged into itself."),
                code="unit_cannot_merged_into",
                field="into",
            )
        require_active(target, "into")
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
    target = fresh(target)
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


@action(system=True)
def unit_split(
    *, actor: Any, unit: Unit, parts: Sequence[SplitPart], effective_date: datetime.date
) -> tuple[Reorganization, list[Unit]]:
    """Split `unit` into new sibling units. Children and members go where the parts say;
    members not named go to the first part. The split unit closes."""
    unit = fresh(unit)
    require_role(actor, unit, ORGANIZER)
    if len(parts) < 2:
        raise refusal(
            _("A split needs at least two parts."), code="split_needs_least_two", field="parts"
        )
    require_active(unit, "unit")
    named_people = {i for p in parts for i in p.member_ids}
    strangers = named_people - set(
        Person.objects.filter(unit=unit, pk__in=named_people).values_list("pk", flat=True)
    )
    if strangers:
        raise refusal(
            _("Not members of %(unit)s: %(ids)s")
            % {"unit": unit.code, "ids": ", ".join(str(i) for i in sorted(strangers))},
            code="not_members_of_unit",
            field="parts",
        )
    child_codes = set(unit_children_codes(unit))
    named = [c for p in parts for c in p.child_codes]
    unknown = set(named) - child_codes
    if unknown:
        raise refusal(
            _("Not children of %(unit)s: %(codes)s")
            % {"unit": unit.code, "codes": ", ".join(sorted(unknown))},
            code="not_children_of_unit",
            field="parts",
        )
    if len(named) != len(set(named)) or set(named) != child_codes:
        raise refusal(
            _("Every child unit must go to exactly one part."),
            code="every_child_unit_go",
            field="parts",
        )
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


@action(system=True)
def level_abolish(
    *, actor: Any, root: Unit, level: str, effective_date: datetime.date
) -> Reorganization:
    """Abolish every active unit of `level` under `root`: their children and members move
    up to their parent, and they close."""
    root = fresh(root)
    require_role(actor, root, ORGANIZER)
    doomed = list(
        Unit.objects.filter(
            path__startswith=root.path, level=level, active_until__isnull=True
        ).order_by("-depth", "path")
    )
    if not doomed:
        raise refusal(
            _("No active unit of level %(level)s under %(unit)s.")
            % {"level": level, "unit": root.code},
            code="no_active_unit_level",
            field="level",
        )
    if any(u.pk == root.pk for u in doomed):
        raise refusal(
            _("The unit itself cannot be abolished this way."),
            code="unit_itself_cannot_abolished",
            field="level",
        )
    reorg = Reorganization.objects.create(
        kind=Reorganization.Kind.ABOLISH_LEVEL,
        effective_date=effective_date,
        description=f"{level} @ {root.code}",
    )
    for unit in doomed:
        unit = fresh(unit)
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

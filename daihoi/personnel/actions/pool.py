"""The planning pool: entering people, removing them with a cause, and the facts that take
a person out of every pool at once (a discipline, a finding on political standards)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, people_scope_q, require_role
from daihoi.congresses.models import Cycle
from daihoi.core import audit
from daihoi.core.errors import refusals
from daihoi.organizations.models import Person, Unit
from daihoi.personnel import standards
from daihoi.personnel.actions._base import ORGANIZER
from daihoi.personnel.models import Body, Discipline, PoolEntry, StandardsFinding
from daihoi.rulebooks.loader import load_rulebook


def _entry_add(
    *, actor: Any, unit: Unit, cycle: Cycle, person: Person, body: str, entered_on: datetime.date
) -> PoolEntry:
    if body not in Body.values:
        raise refusals({"body": _("Unknown body %(body)s.") % {"body": body}}, code="unknown_body")
    if not person.unit.path.startswith(unit.path):
        raise refusals(
            {
                "person": _("%(name)s is not a member within %(unit)s.")
                % {"name": person.full_name, "unit": unit.name}
            },
            code="person_outside_unit",
        )
    if person.status != Person.Status.ACTIVE:
        raise refusals(
            {"person": _("%(name)s is not an active member.") % {"name": person.full_name}},
            code="person_not_active",
        )
    if PoolEntry.objects.filter(unit=unit, cycle=cycle, person=person, body=body).exists():
        raise refusals(
            {
                "person": _("%(name)s is already in the pool for this body.")
                % {"name": person.full_name}
            },
            code="already_in_pool",
        )
    return PoolEntry.objects.create(
        unit=unit, cycle=cycle, person=person, body=body, entered_on=entered_on
    )


@action(system=True)
def pool_entry_add(
    *,
    actor: Any,
    unit: Unit,
    cycle: Cycle,
    person: Person,
    body: str,
    entered_on: datetime.date,
) -> PoolEntry:
    """Enter a person in a unit's planning pool for a body and term."""
    require_role(actor, unit, ORGANIZER)
    entry = _entry_add(
        actor=actor, unit=unit, cycle=cycle, person=person, body=body, entered_on=entered_on
    )
    audit.record(
        actor=actor,
        action="pool_entry_add",
        obj=entry,
        unit_path=unit.path,
        changes={"person": person.member_code, "body": body, "entered_on": entered_on.isoformat()},
    )
    return entry


@action(system=True)
def pool_entry_remove(
    *, actor: Any, entry: PoolEntry, cause: str, on: datetime.date, note: str = ""
) -> PoolEntry:
    require_role(actor, entry.unit, ORGANIZER)
    if cause not in PoolEntry.Cause.values:
        raise refusals({"cause": _("Choose the cause of the removal.")}, code="unknown_cause")
    if entry.removed_on is not None:
        raise ValidationError(_("This entry has already been removed."), code="already_removed")
    entry.removed_on, entry.removal_cause, entry.removal_note = on, cause, note.strip()[:300]
    entry.save(update_fields=["removed_on", "removal_cause", "removal_note"])
    audit.record(
        actor=actor,
        action="pool_entry_remove",
        obj=entry,
        unit_path=entry.unit.path,
        changes={"cause": cause, "on": on.isoformat(), "note": entry.removal_note},
    )
    return entry


def _decision_problems(authority: str, number: str) -> dict[str, str]:
    errors = {}
    if not authority.strip():
        errors["authority"] = _("Name the deciding authority.")
    if not number.strip():
        errors["number"] = _("Give the decision's number.")
    return errors


@action(system=True)
def discipline_record(
    *,
    actor: Any,
    person: Person,
    level: str,
    decided_on: datetime.date,
    authority: str,
    number: str,
) -> Discipline:
    """Record a discipline decision; at the rulebook's level or heavier (Regulation 50:
    reprimand) the person leaves every planning pool at once (`pool_remove_person`)."""
    require_role(actor, person.unit, ORGANIZER)
    errors = _decision_problems(authority, number)
    if level not in Discipline.Level.values:
        errors["level"] = _("Choose the level of discipline.")
    if errors:
        raise refusals(errors, code="discipline_invalid")
    record = Discipline.objects.create(
        person=person,
        level=level,
        decided_on=decided_on,
        authority=authority.strip(),
        number=number.strip(),
    )
    audit.record(
        actor=actor,
        action="discipline_record",
        obj=record,
        unit_path=person.unit.path,
        changes={
            "person": person.member_code,
            "level": level,
            "decided_on": decided_on.isoformat(),
        },
    )
    pool_remove_person(
        actor=actor,
        person=person,
        cause=PoolEntry.Cause.DISCIPLINE,
        on=decided_on,
        note=f"{record.get_level_display()} {record.number}",
        discipline_level=level,
    )
    return record


@action(system=True)
def standards_finding_record(
    *,
    actor: Any,
    person: Person,
    decided_on: datetime.date,
    authority: str,
    number: str,
    note: str = "",
) -> StandardsFinding:
    """Record a competent committee's conclusion that `person` does not meet political
    standards; the person leaves every planning pool at once (Regulation 50-QĐ/TW)."""
    require_role(actor, person.unit, ORGANIZER)
    errors = _decision_problems(authority, number)
    if errors:
        raise refusals(errors, code="finding_invalid")
    finding = StandardsFinding.objects.create(
        person=person,
        decided_on=decided_on,
        authority=authority.strip(),
        number=number.strip(),
        note=note.strip()[:300],
    )
    audit.record(
        actor=actor,
        action="standards_finding_record",
        obj=finding,
        unit_path=person.unit.path,
        changes={"person": person.member_code, "decided_on": decided_on.isoformat()},
    )
    pool_remove_person(
        actor=actor,
        person=person,
        cause=PoolEntry.Cause.POLITICAL_STANDARDS,
        on=decided_on,
        note=f"{finding.authority} {finding.number}",
    )
    return finding


@action(system=True)
def pool_remove_person(
    *,
    actor: Any,
    person: Person,
    cause: str,
    on: datetime.date,
    note: str = "",
    discipline_level: str | None = None,
) -> list[PoolEntry]:
    """Take `person` out of every planning pool they are in, for `cause`: runs when a
    discipline or a finding on political standards is recorded. A discipline removes only
    where it reaches the removal level of the pool's rulebook. Audited once, with the entries."""
    require_role(actor, person.unit, ORGANIZER)
    if cause not in (PoolEntry.Cause.DISCIPLINE, PoolEntry.Cause.POLITICAL_STANDARDS):
        raise refusals({"cause": _("Choose the cause of the removal.")}, code="unknown_cause")
    entries = [
        e
        for e in PoolEntry.objects.filter(person=person, removed_on__isnull=True).select_related(
            "cycle"
        )
        if discipline_level is None or _discipline_removes(discipline_level, e.cycle)
    ]
    for entry in entries:
        entry.removed_on, entry.removal_cause, entry.removal_note = on, cause, note.strip()[:300]
    PoolEntry.objects.bulk_update(entries, ["removed_on", "removal_cause", "removal_note"])
    audit.record(
        actor=actor,
        action="pool_remove_person",
        obj=person,
        unit_path=person.unit.path,
        changes={
            "person": person.member_code,
            "cause": cause,
            "on": on.isoformat(),
            "pool_entries_removed": [e.pk for e in entries],
        },
    )
    return entries


def _discipline_removes(level: str, cycle: Cycle) -> bool:
    rules = load_rulebook(cycle.rulebook_id).personnel
    threshold = rules.pool.removal_discipline_level.value if rules else "reprimand"
    return standards.leaves_pool(level, threshold)


@action(system=True)
def pool_import(
    *, actor: Any, unit: Unit, cycle: Cycle, rows: list[dict[str, str]]
) -> list[PoolEntry]:
    """Enter many people at once from a table (member code, body, entered on); all or nothing."""
    require_role(actor, unit, ORGANIZER)
    errors: list[str] = []
    entries: list[PoolEntry] = []
    people = {
        p.member_code: p
        for p in Person.objects.filter(people_scope_q(actor, field="unit__path"))
        .filter(member_code__in=[r.get("member_code", "") for r in rows])
        .select_related("unit")
    }
    for n, row in enumerate(rows, start=2):
        person = people.get(row.get("member_code", "").strip())
        if person is None:
            errors.append(
                _("Row %(n)s: no member %(code)s in your area.")
                % {"n": n, "code": row.get("member_code", "")}
            )
            continue
        try:
            entered = datetime.date.fromisoformat(str(row.get("entered_on", "")).strip()[:10])
        except ValueError:
            errors.append(_("Row %(n)s: the date must read YYYY-MM-DD.") % {"n": n})
            continue
        try:
            entries.append(
                _entry_add(
                    actor=actor,
                    unit=unit,
                    cycle=cycle,
                    person=person,
                    body=str(row.get("body", "")).strip(),
                    entered_on=entered,
                )
            )
        except ValidationError as error:
            errors.append(
                _("Row %(n)s: %(message)s") % {"n": n, "message": " ".join(error.messages)}
            )
    if errors:
        raise refusals(errors, code="pool_import_invalid")
    if not entries:
        raise ValidationError(_("The file has no rows."), code="pool_import_empty")
    audit.record(
        actor=actor,
        action="pool_import",
        obj=unit,
        unit_path=unit.path,
        changes={"cycle": cycle.pk, "entries": len(entries)},
    )
    return entries

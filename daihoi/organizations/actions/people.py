"""People: a new member, a change of status, a transfer to another unit."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role
from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.core.text import fold, name_key, nfc
from daihoi.organizations.actions.units import ORGANIZER, fresh, require_active
from daihoi.organizations.models import (
    Membership,
    Person,
    Unit,
)

PERSON_FIELDS = (
    "birth_date",
    "gender",
    "ethnicity",
    "education",
    "political_theory",
    "date_joined",
    "status",
)


@action()
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
        name_key=name_key(full_name),
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


@action()
def person_set_status(*, actor: Any, person: Person, status: str, reason: str = "") -> Person:
    require_role(actor, person.unit, ORGANIZER)
    if status not in Person.Status.values:
        raise refusal(
            _("Unknown status: %(s)s") % {"s": status}, code="unknown_status", field="status"
        )
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


@action(system=True)
def person_transfer(
    *, actor: Any, person: Person, unit: Unit, effective_date: datetime.date
) -> Person:
    require_role(actor, person.unit, ORGANIZER)
    require_role(actor, unit, ORGANIZER)
    unit = fresh(unit)
    if unit.pk == person.unit_id:
        raise refusal(
            _("The person is already a member of this unit."),
            code="person_already_member_unit",
            field="unit",
        )
    require_active(unit, "unit")
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

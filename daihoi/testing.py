"""Factories for tests and benchmarks. They build through the same models the actions use."""

from __future__ import annotations

import datetime
import io
import itertools
import zipfile
from typing import Any

from daihoi.accounts.models import Role, RoleGrant, User
from daihoi.core.text import fold, name_key, nfc
from daihoi.organizations.models import Membership, Person, Unit

_seq = itertools.count(1)
START = datetime.date(2020, 1, 1)


def make_unit(
    *,
    parent: Unit | None = None,
    code: str | None = None,
    name: str | None = None,
    level: str = "grassroots",
) -> Unit:
    n = next(_seq)
    code = code or f"U{n:05d}"
    name = nfc(name or f"Đơn vị {n}")
    fields = {
        "code": code,
        "name": name,
        "name_folded": fold(name),
        "level": level,
        "active_from": START,
    }
    if parent is None:
        return Unit.objects.add_root(fields)
    return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), fields)


def make_person(
    *,
    unit: Unit,
    full_name: str | None = None,
    status: str = "active",
    gender: str = "male",
    birth_date: datetime.date | None = None,
    **extra: Any,
) -> Person:
    n = next(_seq)
    full_name = nfc(full_name or f"Nguyễn Văn Thành {n}")
    person = Person.objects.create(
        member_code=extra.pop("member_code", f"M{n:07d}"),
        full_name=full_name,
        name_folded=fold(full_name),
        name_key=name_key(full_name),
        birth_date=birth_date or datetime.date(1975, 5, 1),
        gender=gender,
        date_joined=datetime.date(2000, 1, 1),
        status=status,
        unit=unit,
        **extra,
    )
    Membership.objects.create(person=person, unit=unit, started=person.date_joined)
    return person


def make_user(
    *,
    username: str | None = None,
    role: str | None = None,
    unit: Unit | None = None,
    superuser: bool = False,
    password: str = "correct horse battery",  # noqa: S107
    person: Any = None,
) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_seq)}",
        password=password,
        is_superuser=superuser,
        is_staff=superuser,
        person=person,
    )
    if role and unit:
        RoleGrant.objects.create(
            user=user, role=role, unit=unit, valid_from=datetime.date(2020, 1, 1)
        )
    return user


def make_province() -> dict[str, Any]:
    """A small province: two districts, each with a grassroots organization and a cell."""
    province = make_unit(code="P", name="Tỉnh Hải Dương", level="province")
    d1 = make_unit(parent=province, code="D1", name="Thành phố Hải Dương", level="above_grassroots")
    d2 = make_unit(parent=province, code="D2", name="Huyện Kinh Môn", level="above_grassroots")
    g1 = make_unit(parent=d1, code="G1", name="Đảng bộ phường Trần Phú", level="grassroots")
    g2 = make_unit(parent=d2, code="G2", name="Đảng bộ xã Hiệp Sơn", level="grassroots")
    c1 = make_unit(parent=g1, code="C1", name="Chi bộ khu dân cư số 1", level="cell")
    c2 = make_unit(parent=g2, code="C2", name="Chi bộ thôn Đông", level="cell")
    return {
        "province": Unit.objects.get(pk=province.pk),
        "d1": Unit.objects.get(pk=d1.pk),
        "d2": Unit.objects.get(pk=d2.pk),
        "g1": Unit.objects.get(pk=g1.pk),
        "g2": Unit.objects.get(pk=g2.pk),
        "c1": c1,
        "c2": c2,
    }


ORGANIZER = Role.ORGANIZER


def zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    """A small DOCX-shaped zip whose one member unpacks to `size` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def paper_figures(**overrides: Any) -> dict[str, Any]:
    """The figures of a paper tally as a counting-board member enters them: five ballots
    issued and returned, all valid, counted by totals, unless the test says otherwise."""
    figures: dict[str, Any] = {
        "method": "totals",
        "issued": 5,
        "returned": 5,
        "not_returned": 0,
        "valid": 5,
        "invalid": 0,
    }
    return figures | overrides

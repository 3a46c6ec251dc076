"""Demo logins: one account per role a visitor wants to try, each tied to a unit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from daihoi.accounts.actions import role_grant, user_create
from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import Role, User
from daihoi.demo.province import ROOT_CODE
from daihoi.organizations.models import CURRENT_STATUSES, Person, Unit

# Demo roles start with the cycle, not on the day the demo is built (it is seen as of 2025).
GRANTED_ON = datetime.date(2025, 1, 1)
PASSWORD = "daihoi-demo"  # noqa: S105 - printed on purpose by `daihoi demo_logins`


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit_code: str  # the unit the role is granted on
    person_in: str  # a unit code whose members the account's person is taken from ("" = none)
    superuser: bool = False
    description: str = ""


LOGINS = (
    DemoLogin("admin", Role.ADMIN, ROOT_CODE, "", True, "superuser, administrator of the province"),
    DemoLogin(
        "tinh", Role.ORGANIZER, ROOT_CODE, f"{ROOT_CODE}-KCQ-001", False, "provincial organizer"
    ),
    DemoLogin(
        "bientap",
        Role.DOCUMENT_EDITOR,
        ROOT_CODE,
        f"{ROOT_CODE}-KCQ-001",
        False,
        "editor of the provincial drafts: synthesis and dispositions",
    ),
    DemoLogin(
        "tp_haiduong",
        Role.ORGANIZER,
        f"{ROOT_CODE}-TPHD",
        f"{ROOT_CODE}-TPHD-026",
        False,
        "organizer, Thành phố Hải Dương",
    ),
    DemoLogin(
        "kinhmon",
        Role.ORGANIZER,
        f"{ROOT_CODE}-KM",
        f"{ROOT_CODE}-KM-026",
        False,
        "organizer, Thị xã Kinh Môn",
    ),
    DemoLogin(
        "coso",
        Role.ORGANIZER,
        f"{ROOT_CODE}-TPHD-001",
        f"{ROOT_CODE}-TPHD-001",
        False,
        "grassroots organizer, Đảng bộ phường Trần Phú",
    ),
    DemoLogin(
        "dangvien",
        Role.MEMBER,
        f"{ROOT_CODE}-TPHD-001-01",
        f"{ROOT_CODE}-TPHD-001-01",
        False,
        "party member of a cell",
    ),
    # The provincial inspection committee: one prepares a conclusion, the other approves it.
    DemoLogin(
        "thanhtra",
        Role.INSPECTOR,
        ROOT_CODE,
        f"{ROOT_CODE}-KCQ-002",
        False,
        "inspector of the province: complaints and denunciations",
    ),
    DemoLogin(
        "thanhtra2",
        Role.INSPECTOR,
        ROOT_CODE,
        f"{ROOT_CODE}-KCQ-003",
        False,
        "second inspector of the province: approves conclusions",
    ),
    # The counting board of the pilot grassroots congress: one enters, the other confirms.
    DemoLogin(
        "kiemphieu1",
        Role.MEMBER,
        f"{ROOT_CODE}-TPHD-001-02",
        f"{ROOT_CODE}-TPHD-001-02",
        False,
        "counting board, Đảng bộ phường Trần Phú congress: enters the paper figures",
    ),
    DemoLogin(
        "kiemphieu2",
        Role.MEMBER,
        f"{ROOT_CODE}-TPHD-001-03",
        f"{ROOT_CODE}-TPHD-001-03",
        False,
        "counting board, Đảng bộ phường Trần Phú congress: confirms them",
    ),
)
COUNTING_BOARD = ("kiemphieu1", "kiemphieu2")


def _person_for(login: DemoLogin) -> Person | None:
    """The first current member under `person_in` who has no account yet."""
    if not login.person_in:
        return None
    unit = Unit.objects.filter(code=login.person_in).first()
    if unit is None:
        return None
    people = Person.objects.filter(
        unit__path__startswith=unit.path, status__in=CURRENT_STATUSES, user__isnull=True
    )
    active = people.filter(status="active").order_by("id")
    if login.role == Role.MEMBER:
        # A member of that very cell; in a small demo the cell may be empty, then the cell's
        # grassroots organization (board seats need people of the congress's own subtree).
        in_cell = active.filter(unit=unit).first()
        if in_cell is not None or unit.depth <= 1:
            return in_cell
        parent_path = unit.path[: -Unit.steplen]
        return (
            Person.objects.filter(
                unit__path__startswith=parent_path, status="active", user__isnull=True
            )
            .order_by("id")
            .first()
        )
    return active.first()


def build(*, root: Unit | None = None, stdout: object = None) -> Unit | None:
    """Create the demo accounts that do not exist yet, with their role grants."""
    with transaction.atomic():
        for login in LOGINS:
            if User.objects.filter(username=login.username).exists():
                continue
            unit = Unit.objects.filter(code=login.unit_code).first()
            if unit is None:
                continue
            user = user_create(
                actor=SYSTEM,
                username=login.username,
                password=PASSWORD,
                person=_person_for(login),
                is_superuser=login.superuser,
            )
            role_grant(actor=SYSTEM, user=user, role=login.role, unit=unit, valid_from=GRANTED_ON)
    return root

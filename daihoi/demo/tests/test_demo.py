"""The demo province: Hai Duong's shape, deterministic, idempotent, with working logins.

The member count is reduced here; the full 108,000 are timed in bench/bench_demo.py.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, QuerySet
from django.test import Client

from daihoi.accounts.models import Role, RoleGrant, User
from daihoi.core.models import AuditEvent
from daihoi.demo import province
from daihoi.demo.users import PASSWORD
from daihoi.organizations.models import CommitteeSeat, Membership, Person, Unit

pytestmark = pytest.mark.django_db

MEMBERS = 4_000


@pytest.fixture(autouse=True)
def _fewer_members(monkeypatch: Any) -> None:
    monkeypatch.setattr(province, "MEMBERS", MEMBERS)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo, built once for this module inside a transaction that is rolled back after it;
    each test runs in its own savepoint within it."""
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(province, "MEMBERS", MEMBERS)
        with transaction.atomic():
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


def _active_on(day: datetime.date) -> QuerySet[Unit]:
    return Unit.objects.filter(active_from__lte=day).exclude(active_until__lte=day)


def test_the_province_has_the_shape_of_hai_duong_2024(demo: str) -> None:
    levels = Counter(_active_on(datetime.date(2024, 12, 31)).values_list("level", flat=True))
    assert levels["province"] == 1 and levels["above_grassroots"] == 15
    assert levels["grassroots"] == 612
    # Mid-cycle two districts merged into one on 1 July 2025.
    after = Counter(_active_on(datetime.date(2025, 7, 15)).values_list("level", flat=True))
    assert after["above_grassroots"] == 14 and after["grassroots"] == 612
    assert Person.objects.count() == MEMBERS == Membership.objects.count()
    names = set(Unit.objects.filter(level="above_grassroots").values_list("name", flat=True))
    assert {"Thành phố Hải Dương", "Thị xã Kinh Môn", "Đảng bộ Công an tỉnh"} <= names
    assert len(set(Person.objects.values_list("member_code", flat=True))) == MEMBERS
    assert "612 grassroots organizations" in demo


def test_every_party_committee_has_four_to_eight_cells(demo: str) -> None:
    for unit in Unit.objects.filter(level="grassroots"):
        cells = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).count()
        assert (4 <= cells <= 8) if unit.name.startswith("Đảng bộ") else cells == 0, unit


def test_the_tree_is_consistent_for_treebeard(demo: str) -> None:
    children = Counter(p[:-4] for p in Unit.objects.values_list("path", flat=True))
    for unit in Unit.objects.all():
        assert unit.depth * 4 == len(unit.path)
        assert unit.numchild == children.get(unit.path, 0), unit
    root = Unit.objects.get(code=province.ROOT_CODE)
    assert Unit.objects.get_children(root).count() == 15 + 1  # the merged district
    assert Unit.objects.get_children(root).filter(active_until__isnull=True).count() == 14
    fields = {
        "code": "NEW",
        "name": "Mới",
        "name_folded": "moi",
        "level": "above_grassroots",
        "active_from": "2025-01-01",
    }
    child = Unit.objects.add_child(root, fields)
    assert child.path.startswith(root.path) and Unit.objects.get(pk=root.pk).numchild == 17


def test_members_are_plausible(demo: str) -> None:
    people = list(Person.objects.all())
    men = sum(p.gender == "male" for p in people) / len(people)
    assert 0.55 < men < 0.65
    assert all(1945 <= p.birth_date.year <= 2003 for p in people)
    assert all(p.date_joined >= p.birth_date.replace(year=p.birth_date.year + 18) for p in people)
    statuses = Counter(p.status for p in people)
    assert statuses["active"] / len(people) > 0.85 and statuses["deceased"] > 0
    assert Counter(p.ethnicity for p in people).most_common(1)[0][0] == "Kinh"
    families = Counter(p.full_name.split()[0] for p in people)
    assert families.most_common(1)[0][0] == "Nguyễn"
    women_middle = Counter(p.full_name.split()[1] for p in people if p.gender == "female")
    assert women_middle.most_common(1)[0][0] == "Thị"


def test_committees_have_one_secretary_each(demo: str) -> None:
    secretaries = (
        CommitteeSeat.objects.filter(body="secretary").values("unit").annotate(n=Count("id"))
    )
    # With the reduced member count a few small organizations have nobody of committee age;
    # every unit that has a committee has exactly one secretary.
    committees = set(CommitteeSeat.objects.filter(body="executive").values_list("unit", flat=True))
    assert {s["unit"] for s in secretaries} == committees
    assert len(committees) > 0.9 * (1 + 15 + 612) and {s["n"] for s in secretaries} == {1}
    assert set(CommitteeSeat.objects.values_list("term_start", "term_end")) == {(2020, 2025)}


def test_the_build_is_deterministic() -> None:
    def sample() -> list[tuple[str, str, str]]:
        builder = province.ProvinceBuilder()
        builder.build_tree()
        people = builder.build_people()
        return [(p.member_code, p.full_name, p.unit.code) for p in people[::97]]

    assert sample() == sample()


def test_a_second_run_neither_fails_nor_duplicates(demo: str) -> None:
    counts = (Unit.objects.count(), Person.objects.count(), User.objects.count(),
              RoleGrant.objects.count(), AuditEvent.objects.count())  # fmt: skip
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "exists" in out.getvalue()
    assert (Unit.objects.count(), Person.objects.count(), User.objects.count(),
            RoleGrant.objects.count(), AuditEvent.objects.count()) == counts  # fmt: skip


def test_demo_logins_are_printed_with_their_role_and_unit(demo: str) -> None:
    out = io.StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8765/", stdout=out)
    text = out.getvalue()
    assert text.startswith("Demo logins for http://127.0.0.1:8765/")
    for name in ["admin", "tinh", "tp_haiduong", "kinhmon", "coso", "dangvien"]:
        assert name in text
    assert PASSWORD in text and "Thành phố Hải Dương" in text


def test_each_demo_login_has_its_role(demo: str) -> None:
    def grant(username: str) -> RoleGrant:
        return RoleGrant.objects.select_related("unit").get(user__username=username)

    assert User.objects.get(username="admin").is_superuser
    assert grant("tinh").unit.code == province.ROOT_CODE and grant("tinh").role == Role.ORGANIZER
    assert grant("tp_haiduong").unit.name == "Thành phố Hải Dương"
    assert grant("kinhmon").unit.name == "Thị xã Kinh Môn"
    assert grant("coso").unit.level == "grassroots"
    member = grant("dangvien")
    assert member.role == Role.MEMBER and member.unit.level == "cell"
    assert User.objects.get(username="dangvien").person.unit == member.unit


def test_a_demo_organizer_logs_in_and_sees_only_their_district(demo: str) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "kinhmon", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/u/HD-KM/").status_code == 200
    assert client.get("/u/HD-TPHD/").status_code == 404

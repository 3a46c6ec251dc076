"""A demo province at the scale of Hai Duong in 2024: 15 committees above grassroots,
612 grassroots organizations, their party cells and about 108,000 members.

Deterministic (one seeded `random.Random`) and fast: paths are allocated in memory and
everything is written with `bulk_create` in one transaction.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from daihoi.accounts.authority import SYSTEM
from daihoi.core import audit
from daihoi.core.text import fold, name_key, nfc
from daihoi.demo.names import (
    CITY_WARDS,
    DEPARTMENTS,
    DISTRICT_AGENCIES,
    ENTERPRISE_KINDS,
    ENTERPRISE_WORDS,
    PROVINCE_AGENCIES,
    PeopleGenerator,
)
from daihoi.organizations.models import CommitteeSeat, Membership, Person, Unit
from daihoi.organizations.tree import PathAllocator

SEED = 2024
ROOT_CODE = "HD"
ROOT_NAME = "Đảng bộ tỉnh Hải Dương"
MEMBERS = 108_000
GRASSROOTS = 612
TERM = (2020, 2025)
BATCH = 2000


@dataclass(frozen=True)
class Committee:
    """A committee above grassroots: its code, name, wards/communes and other organizations."""

    code: str
    name: str
    kind: str  # city, town, district, bloc, army, police
    wards: int  # wards (city, town) or townships (district)
    communes: int
    others: int


COMMITTEES = (
    Committee("TPHD", "Thành phố Hải Dương", "city", 21, 4, 40),
    Committee("CL", "Thành phố Chí Linh", "city", 14, 5, 25),
    Committee("KM", "Thị xã Kinh Môn", "town", 14, 11, 25),
    Committee("NS", "Huyện Nam Sách", "district", 1, 18, 17),
    Committee("KT", "Huyện Kim Thành", "district", 1, 20, 17),
    Committee("TH", "Huyện Thanh Hà", "district", 1, 20, 17),
    Committee("CG", "Huyện Cẩm Giàng", "district", 2, 15, 17),
    Committee("BG", "Huyện Bình Giang", "district", 1, 15, 16),
    Committee("GL", "Huyện Gia Lộc", "district", 1, 18, 17),
    Committee("TK", "Huyện Tứ Kỳ", "district", 1, 25, 17),
    Committee("NG", "Huyện Ninh Giang", "district", 1, 23, 17),
    Committee("TM", "Huyện Thanh Miện", "district", 1, 16, 16),
    Committee("KCQ", "Đảng bộ Khối các cơ quan tỉnh", "bloc", 0, 0, 70),
    Committee("QS", "Đảng bộ Quân sự tỉnh", "army", 0, 0, 22),
    Committee("CA", "Đảng bộ Công an tỉnh", "police", 0, 0, 30),
)
assert sum(c.wards + c.communes + c.others for c in COMMITTEES) == GRASSROOTS

HIGH_SCHOOLS = (
    "Nguyễn Trãi", "Hồng Quang", "Chu Văn An", "Mạc Đĩnh Chi", "Nguyễn Bỉnh Khiêm",
    "Tuệ Tĩnh", "Phạm Ngũ Lão", "Đoàn Thượng", "Kẻ Sặt", "Quang Trung", "Hà Bắc",
    "Thanh Miện", "Nam Sách", "Tứ Kỳ", "Ninh Giang", "Gia Lộc", "Cẩm Giàng", "Kinh Môn",
    "Kim Thành", "Chí Linh", "Bến Tắm", "Phả Lại",
)  # fmt: skip
ARMY_UNITS = (
    "Chi bộ Phòng Tham mưu", "Chi bộ Phòng Chính trị", "Chi bộ Phòng Hậu cần - Kỹ thuật",
    "Đảng bộ Trung đoàn bộ binh 742", "Đảng bộ Tiểu đoàn bộ binh 1", "Chi bộ Trường Quân sự tỉnh",
    "Chi bộ Đại đội Trinh sát", "Chi bộ Đại đội Thông tin", "Chi bộ Đại đội Công binh",
    "Chi bộ Kho Kỹ thuật", "Chi bộ Ban Chỉ huy Phòng thủ dân sự", "Chi bộ Trung đội Cảnh vệ",
    "Chi bộ Đại đội Pháo phòng không", "Chi bộ Đại đội Vận tải", "Chi bộ Bệnh xá Quân y",
    "Chi bộ Ban Tài chính", "Chi bộ Ban Tác chiến", "Chi bộ Ban Quân lực",
    "Chi bộ Ban Dân quân tự vệ", "Chi bộ Ban Tuyên huấn", "Chi bộ Ban Tổ chức",
    "Chi bộ Ban Cán bộ",
)  # fmt: skip
POLICE_DEPARTMENTS = (
    "An ninh chính trị nội bộ", "An ninh kinh tế", "An ninh mạng và phòng chống tội phạm sử dụng "
    "công nghệ cao", "Cảnh sát hình sự", "Cảnh sát kinh tế", "Cảnh sát điều tra tội phạm về ma túy",
    "Cảnh sát giao thông", "Cảnh sát cơ động", "Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Cảnh sát quản lý hành chính về trật tự xã hội", "Tham mưu", "Tổ chức cán bộ", "Hậu cần",
    "Hồ sơ nghiệp vụ", "Kỹ thuật hình sự", "Quản lý xuất nhập cảnh", "Trại tạm giam",
    "Công tác Đảng và công tác chính trị",
)  # fmt: skip


@dataclass
class Org:
    """A grassroots organization being built: its unit, its cells and its members."""

    unit: Unit
    committee: Committee
    commune: bool  # a commune, ward or township, whose members are mostly residents
    branch_only: bool  # a "chi bộ cơ sở": no cells below it, members belong to it directly
    cells: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


# The kind of each level's units decides the age reference month (Directive 45-CT/TW): the
# province is directly under the Central Committee; the city, town and district committees
# are above grassroots; their wards, communes and agencies are grassroots organizations.
UNIT_KINDS = {
    "province": Unit.Kind.CENTRAL,
    "above_grassroots": Unit.Kind.ABOVE_GRASSROOTS,
    "grassroots": Unit.Kind.GRASSROOTS,
}


class ProvinceBuilder:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.people = PeopleGenerator(self.rng)
        self.paths = PathAllocator()
        self.units: list[Unit] = []
        self.orgs: list[Org] = []
        self.committee_units: list[tuple[Committee, Unit]] = []
        self.founded = datetime.date(1997, 1, 1)

    def _unit(self, *, parent: Unit | None, code: str, name: str, level: str) -> Unit:
        name = nfc(name)
        path = self.paths.child_path(parent.path if parent else "")
        unit = Unit(
            path=path,
            depth=len(path) // Unit.steplen,
            code=code,
            name=name,
            name_folded=fold(name),
            level=level,
            kind=UNIT_KINDS.get(level, ""),
            active_from=self.founded,
        )
        self.units.append(unit)
        return unit

    # --- the tree -----------------------------------------------------------------------

    def _grassroots_names(self, committee: Committee) -> list[tuple[str, bool]]:
        """(name, is a commune/ward/township) for each grassroots organization."""
        short = committee.name.split(" ", 2)[-1] if committee.kind != "district" else ""
        if committee.kind == "district":
            short = committee.name.removeprefix("Huyện ")
        kind_word = {"city": "thành phố", "town": "thị xã", "district": "huyện"}.get(
            committee.kind, ""
        )
        taken: set[str] = set()
        names: list[tuple[str, bool]] = []
        if committee.kind == "city" and committee.code == "TPHD":
            wards = list(CITY_WARDS[: committee.wards])
        elif committee.kind == "district":
            wards = [short] + [self.people.place(taken) for _ in range(committee.wards - 1)]
        else:
            wards = [self.people.place(taken) for _ in range(committee.wards)]
        taken.update(wards)
        communes = [self.people.place(taken) for _ in range(committee.communes)]
        ward_word = "thị trấn" if committee.kind == "district" else "phường"
        names += [(f"Đảng bộ {ward_word} {w}", True) for w in wards]
        names += [(f"Đảng bộ xã {c}", True) for c in communes]
        if committee.kind == "bloc":
            schools = [f"Chi bộ Trường THPT {s}" for s in HIGH_SCHOOLS]
            others = list(PROVINCE_AGENCIES) + schools
        elif committee.kind == "army":
            others = list(ARMY_UNITS)
        elif committee.kind == "police":
            districts = [c.name for c in COMMITTEES if c.kind in ("city", "town", "district")]
            others = [f"Đảng bộ Công an {d.lower()[0]}{d[1:]}" for d in districts]
            others += [f"Chi bộ Phòng {d}" for d in POLICE_DEPARTMENTS]
        else:
            others = [f"{a} {kind_word} {short}" for a in DISTRICT_AGENCIES]
            places = wards + communes
            for i in range(committee.others):
                place = places[i % len(places)]
                if i % 3 == 2:
                    kind = ENTERPRISE_KINDS[i % len(ENTERPRISE_KINDS)]
                    word = ENTERPRISE_WORDS[(i + len(short)) % len(ENTERPRISE_WORDS)]
                    others.append(f"Chi bộ {kind} {word} {short}")
                else:
                    others.append(f"Chi bộ {SCHOOL_KINDS_FOR[i % 2]} {place}")
        unique = list(dict.fromkeys(others))
        names += [(o, False) for o in unique[: committee.others]]
        assert len(names) == committee.wards + committee.communes + committee.others
        return names

    def build_tree(self) -> Unit:
        root = self._unit(parent=None, code=ROOT_CODE, name=ROOT_NAME, level="province")
        for committee in COMMITTEES:
            top = self._unit(
                parent=root,
                code=f"{ROOT_CODE}-{committee.code}",
                name=committee.name,
                level="above_grassroots",
            )
            self.committee_units.append((committee, top))
            for number, (name, commune) in enumerate(self._grassroots_names(committee), 1):
                code = f"{top.code}-{number:03d}"
                unit = self._unit(parent=top, code=code, name=name, level="grassroots")
                branch_only = name.startswith("Chi bộ")
                org = Org(unit, committee, commune, branch_only)
                if not branch_only:
                    org.cells = self._cells(org)
                self.orgs.append(org)
        for unit in self.units:
            unit.numchild = self.paths.numchild(unit.path)
        return root

    def _cells(self, org: Org) -> list[Unit]:
        count = self.rng.randint(4, 8)
        name = org.unit.name
        if org.commune:
            ward = " phường " in f" {name} "
            taken: set[str] = set()
            labels = [
                f"Chi bộ khu dân cư số {i}" if ward else f"Chi bộ thôn {self.people.place(taken)}"
                for i in range(1, count)
            ]
            labels.append("Chi bộ Công an " + name.removeprefix("Đảng bộ "))
        else:
            labels = [f"Chi bộ {d}" for d in self.rng.sample(DEPARTMENTS, count)]
        return [
            self._unit(parent=org.unit, code=f"{org.unit.code}-{i:02d}", name=label, level="cell")
            for i, label in enumerate(labels, 1)
        ]

    # --- members ------------------------------------------------------------------------

    def _sizes(self) -> list[int]:
        """Members per grassroots organization, summing to exactly MEMBERS."""
        weights = [
            self.rng.uniform(240, 420)
            if org.commune
            else self.rng.uniform(15, 45)
            if org.branch_only
            else self.rng.uniform(80, 260)
            for org in self.orgs
        ]
        total = sum(weights)
        exact = [w * MEMBERS / total for w in weights]
        sizes = [int(x) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - sizes[i], reverse=True)
        for i in by_remainder[: MEMBERS - sum(sizes)]:
            sizes[i] += 1
        return sizes

    def build_people(self) -> list[Person]:
        people: list[Person] = []
        number = 0
        for org, size in zip(self.orgs, self._sizes(), strict=True):
            homes = org.cells or [org.unit]
            cum = []
            running = 0.0
            for _home in homes:
                running += self.rng.uniform(0.5, 1.5)
                cum.append(running)
            chosen = self.rng.choices(homes, cum_weights=cum, k=size)
            for home in chosen:
                number += 1
                data = self.people.person(office=not org.commune)
                person = Person(
                    member_code=f"{ROOT_CODE}{number:07d}",
                    full_name=data.full_name,
                    name_folded=fold(data.full_name),
                    name_key=name_key(data.full_name),
                    birth_date=data.birth_date,
                    gender=data.gender,
                    ethnicity=data.ethnicity,
                    education=data.education,
                    political_theory=data.political_theory,
                    date_joined=data.date_joined,
                    status=data.status,
                    unit=home,
                )
                org.people.append(person)
                people.append(person)
        return people

    # --- committees of the 2020–2025 term ----------------------------------------------

    def _seats(
        self, unit: Unit, pool: list[Person], sizes: tuple[int, int, int]
    ) -> list[CommitteeSeat]:
        """Executive seats for `sizes[0]` people; the first `sizes[1]` also sit on the
        standing committee; the first is secretary, the next `sizes[2]` deputies."""
        executive, standing, deputies = sizes
        eligible = [p for p in pool if p.status == "active" and 1962 <= p.birth_date.year <= 1992]
        chosen = self.rng.sample(eligible, min(executive, len(eligible)))
        seats: list[CommitteeSeat] = []

        def seat(person: Person, body: str) -> None:
            seats.append(
                CommitteeSeat(
                    unit=unit,
                    person=person,
                    body=body,
                    term_start=TERM[0],
                    term_end=TERM[1],
                    source=CommitteeSeat.Source.IMPORTED,
                )
            )

        for index, person in enumerate(chosen):
            seat(person, CommitteeSeat.Body.EXECUTIVE)
            if index < standing:
                seat(person, CommitteeSeat.Body.STANDING)
            if index == 0:
                seat(person, CommitteeSeat.Body.SECRETARY)
            elif index <= deputies:
                seat(person, CommitteeSeat.Body.DEPUTY_SECRETARY)
        return seats

    def build_seats(self, root: Unit) -> list[CommitteeSeat]:
        seats: list[CommitteeSeat] = []
        everyone: list[Person] = []
        by_committee: dict[str, list[Person]] = {}
        for org in self.orgs:
            everyone.extend(org.people)
            by_committee.setdefault(org.committee.code, []).extend(org.people)
            if org.branch_only:
                sizes = (self.rng.randint(3, 5), 0, 1)
            else:
                sizes = (self.rng.randint(9, 15), self.rng.randint(3, 5), 1)
            seats += self._seats(org.unit, org.people, sizes)
        for committee, unit in self.committee_units:
            big = committee.kind in ("city", "town", "district")
            seats += self._seats(
                unit, by_committee[committee.code], (33, 11, 2) if big else (21, 7, 2)
            )
        seats += self._seats(root, everyone, (53, 15, 3))
        return seats


SCHOOL_KINDS_FOR = ("Trường THCS", "Trường Tiểu học")


def build(*, root: Unit | None = None, seed: int = SEED, stdout: object = None) -> Unit:
    """Build the demo province unless its root unit exists; return the root either way."""
    existing = root or Unit.objects.filter(code=ROOT_CODE).first()
    if existing is not None:
        _say(stdout, f"The demo province {ROOT_CODE} exists; not building it again.")
        return existing
    with transaction.atomic():
        builder = ProvinceBuilder(seed)
        new_root = builder.build_tree()
        Unit.objects.bulk_create(builder.units, batch_size=BATCH)
        builder.paths.flush_numchild()
        people = builder.build_people()
        Person.objects.bulk_create(people, batch_size=BATCH)
        Membership.objects.bulk_create(
            (Membership(person=p, unit=p.unit, started=p.date_joined) for p in people),
            batch_size=BATCH,
        )
        seats = builder.build_seats(new_root)
        CommitteeSeat.objects.bulk_create(seats, batch_size=BATCH)
        counts = {
            "units": len(builder.units),
            "above_grassroots": len(builder.committee_units),
            "grassroots": len(builder.orgs),
            "cells": sum(len(o.cells) for o in builder.orgs),
            "members": len(people),
            "committee_seats": len(seats),
            "seed": seed,
        }
        audit.record(
            actor=SYSTEM, action="demo_province_build", obj=new_root, unit_path=new_root.path,
            changes=counts,
        )  # fmt: skip
    _say(
        stdout,
        "Built {name}: {above_grassroots} committees above grassroots, {grassroots} grassroots "
        "organizations, {cells} cells, {members} members, {committee_seats} committee "
        "seats.".format(name=ROOT_NAME, **counts),
    )
    return Unit.objects.get(pk=new_root.pk)


def _say(stdout: object, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")  # type: ignore[attr-defined]

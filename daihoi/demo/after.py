"""Demo step: after the vote. Salary bases and options for the transition cases that the pilot
congress's release and the district merger opened; the province's 2020–2025 resolution targets
with yearly figures; one emulation movement "welcoming the congresses" with scores.

Salaries are plausible, deterministic values for the demo only. The targets follow the 17th
Hai Duong provincial congress (GRDP growth at least 9 % a year, income per person 85 million
VND by 2025); the yearly figures are plausible, not official statistics. Idempotent.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from daihoi.accounts.authority import SYSTEM
from daihoi.demo.province import ROOT_CODE
from daihoi.organizations.models import Unit
from daihoi.rulebooks import ages
from daihoi.targets import actions as target_actions
from daihoi.targets.models import Movement, Target
from daihoi.transitions import actions as transition_actions
from daihoi.transitions import queries as transition_queries
from daihoi.transitions.models import TransitionCase

SEED = 2025
D = datetime.date
SOURCE = "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Hải Dương lần thứ XVII, nhiệm kỳ 2020–2025"
FIGURES_SOURCE = "Báo cáo kinh tế – xã hội hằng năm của UBND tỉnh (số liệu minh họa)"
REVIEW_SOURCE = "Báo cáo sơ kết giữa nhiệm kỳ (số liệu minh họa)"

# code, indicator, measure, baseline (2020), target, direction, basis, level, yearly figures
TARGETS: list[tuple[str, str, str, str, str, str, str, str, list[str]]] = [
    (
        "grdp_growth",
        "Tốc độ tăng trưởng GRDP bình quân hằng năm",
        "%",
        "8.2",
        "9",
        "at_least",
        "yearly_average",
        "socio_economic",
        ["8.5", "10.1", "9.2", "10.2"],
    ),
    (
        "grdp_per_capita",
        "GRDP bình quân đầu người",
        "triệu đồng",
        "61.5",
        "85",
        "at_least",
        "end_value",
        "socio_economic",
        ["66.0", "73.5", "79.8", "86.1"],
    ),
    (
        "new_rural_communes",
        "Tỷ lệ xã đạt chuẩn nông thôn mới",
        "%",
        "90.2",
        "100",
        "reach",
        "end_value",
        "socio_economic",
        ["93.5", "97.0", "99.4", "100"],
    ),
    (
        "urbanization",
        "Tỷ lệ đô thị hóa",
        "%",
        "30.1",
        "40",
        "at_least",
        "end_value",
        "socio_economic",
        ["31.0", "32.2", "33.4", "34.5"],
    ),
    (
        "poverty_rate",
        "Tỷ lệ hộ nghèo",
        "%",
        "2.2",
        "1",
        "at_most",
        "end_value",
        "socio_economic",
        ["1.9", "1.5", "1.2", "0.9"],
    ),
    (
        "grassroots_good",
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
        "%",
        "85",
        "90",
        "at_least",
        "end_value",
        "party_building",
        ["86.5", "88.0", "89.2", "88.7"],
    ),
    (
        "new_members",
        "Số đảng viên mới kết nạp hằng năm",
        "người",
        "2900",
        "3000",
        "at_least",
        "yearly_average",
        "party_building",
        ["2950", "3150", "3050", "2980"],
    ),
]
DISTRICT_GOOD = ["87.0", "89.5", "90.5", "91.0"], ["84.0", "85.5", "86.0", "86.5"]
CRITERIA = [
    ("tasks", "Hoàn thành nhiệm vụ chính trị, chỉ tiêu nghị quyết", "4"),
    ("members", "Kết nạp đảng viên, xây dựng tổ chức cơ sở đảng", "3"),
    ("congress", "Tổ chức đại hội đúng tiến độ, chất lượng", "3"),
]


def _cases(rng: random.Random) -> int:
    cases = list(
        TransitionCase.objects.filter(monthly_salary=0)
        .select_related("person", "unit", "congress__cycle")
        .order_by("pk")
    )
    for case in cases:
        age = ages.age_at(case.person.birth_date, case.left_on).years
        insured = max(0, min(age - 22, 40)) * 12 + rng.randrange(0, 12)
        salary = rng.randrange(9_000, 26_000) * 1_000
        transition_actions.case_set_basis(
            actor=SYSTEM,
            case=case,
            monthly_salary=salary,
            monthly_allowances=rng.randrange(0, 3) * 500_000,
            leadership_allowance=1_800_000 if case.body == "standing" else 0,
            insured_months=insured,
            months_left_in_term=0,
        )
    # Cases of the merger: the people chose; the pilot's not-re-elected wait for the organizer.
    for case in cases:
        if case.reason != TransitionCase.Reason.SURPLUS:
            continue
        eligible = [o for o in transition_queries.case_options(case) if o.eligible]
        if eligible:
            transition_actions.case_choose_option(actor=SYSTEM, case=case, option=eligible[0].code)
    return len(cases)


def _targets(root: Unit) -> int:
    for code, indicator, measure, base, goal, direction, basis, level, figures in TARGETS:
        target = target_actions.target_create(
            actor=SYSTEM,
            unit=root,
            term_start=2020,
            term_end=2025,
            values={
                "code": code,
                "indicator": indicator,
                "measure": measure,
                "baseline": base,
                "baseline_year": 2020,
                "target_value": goal,
                "direction": direction,
                "basis": basis,
                "level": level,
                "source": SOURCE,
            },
        )
        for year, value in zip(range(2021, 2025), figures, strict=True):
            target_actions.figure_record(
                actor=SYSTEM,
                target=target,
                year=year,
                value=value,
                source=FIGURES_SOURCE,
                reported_on=D(year + 1, 1, 20),
            )
        target_actions.figure_record(
            actor=SYSTEM,
            target=target,
            year=2023,
            value=figures[2],
            source=REVIEW_SOURCE,
            reported_on=D(2023, 7, 15),
            midterm=True,
        )
    districts = list(
        Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("path")[:2]
    )
    for district, figures in zip(districts, DISTRICT_GOOD, strict=False):
        target = target_actions.target_create(
            actor=SYSTEM,
            unit=district,
            term_start=2020,
            term_end=2025,
            values={
                "code": "grassroots_good",
                "indicator": TARGETS[5][1],
                "measure": "%",
                "baseline": "84",
                "baseline_year": 2020,
                "target_value": "90",
                "direction": "at_least",
                "basis": "end_value",
                "level": "party_building",
                "source": f"Nghị quyết Đại hội Đảng bộ {district.name} nhiệm kỳ 2020–2025",
            },
        )
        for year, value in zip(range(2021, 2025), figures, strict=True):
            target_actions.figure_record(
                actor=SYSTEM,
                target=target,
                year=year,
                value=value,
                source=FIGURES_SOURCE,
                reported_on=D(year + 1, 1, 20),
            )
    return len(TARGETS) + len(districts)


def _movement(rng: random.Random, root: Unit) -> Movement:
    movement = target_actions.movement_launch(
        actor=SYSTEM,
        unit=root,
        theme="Thi đua lập thành tích chào mừng đại hội đảng bộ các cấp tiến tới Đại hội XIV",
        goals="Hoàn thành thắng lợi các chỉ tiêu Nghị quyết Đại hội XVII; tổ chức thành công "
        "đại hội đảng bộ các cấp nhiệm kỳ 2025–2030.",
        starts_on=D(2024, 9, 1),
        ends_on=D(2025, 10, 31),
        criteria=CRITERIA,
        rulebook_id="vn-cpv-2025",
    )
    target_actions.movement_advance(actor=SYSTEM, movement=movement)
    criteria = list(movement.criteria.all())
    units = Unit.objects.filter(
        path__startswith=root.path, depth=root.depth + 1, active_until__isnull=True
    ).order_by("path")
    registrations = []
    for unit in units:
        registration = target_actions.registration_create(
            actor=SYSTEM,
            movement=movement,
            unit=unit,
            commitment="Hoàn thành 100 % chỉ tiêu nghị quyết năm; đại hội đúng tiến độ.",
        )
        registrations.append(registration)
        for criterion in criteria:
            result = target_actions.result_report(
                actor=SYSTEM,
                registration=registration,
                criterion=criterion,
                evidence=f"Báo cáo của {unit.name}, tháng 6/2025",
            )
            target_actions.result_score(
                actor=SYSTEM, result=result, score=Decimal(rng.randrange(70, 100))
            )
    if registrations:
        target_actions.commendation_award(
            actor=SYSTEM,
            registration=registrations[0],
            level="emulation_flag",
            decision_ref="1234-QĐ/TU",
            awarded_on=D(2025, 7, 10),
        )
    return movement


def build(*, root: Unit | None = None, stdout: object = None) -> None:
    root = root or Unit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        return
    if Target.objects.filter(unit=root, term_start=2020).exists():
        _say(stdout, "The province's targets exist; not building them again.")
        return
    rng = random.Random(SEED)
    with transaction.atomic():
        cases = _cases(rng)
        targets = _targets(root)
        _movement(rng, root)
    _say(stdout, f"{cases} transition cases with options, {targets} targets, one movement.")


def _say(stdout: object, text: str) -> None:
    write = getattr(stdout, "write", None)
    if write is not None:
        write(text)

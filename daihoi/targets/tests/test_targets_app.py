"""Targets through actions, pages and API: validation, import all-or-nothing, statuses and
roll-ups as computed directly, the chart, the review, and emulation movements."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from daihoi import testing
from daihoi.core.models import AuditEvent
from daihoi.targets import actions, progress, queries
from daihoi.targets.actions.targets import FIELDS
from daihoi.targets.models import Target

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2023, 6, 1)


def values(**extra: Any) -> dict[str, Any]:
    return {
        "code": "income",
        "indicator": "Thu nhập bình quân đầu người",
        "measure": "triệu đồng",
        "baseline": "55",
        "baseline_year": "2020",
        "target_value": "85",
        "direction": "at_least",
        "basis": "end_value",
        "level": "socio_economic",
        "source": "Nghị quyết Đại hội XVII",
    } | extra


def add(actor: Any, unit: Any, **extra: Any) -> Target:
    return actions.target_create(
        actor=actor, unit=unit, term_start=2020, term_end=2025, values=values(**extra)
    )


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_bad_target_is_refused_field_by_field(province: Any, organizer_province: Any) -> None:
    with pytest.raises(ValidationError) as error:
        add(organizer_province, province["province"], baseline="many", direction="up", code="")
    assert set(error.value.error_dict) == {"baseline", "direction", "code"}
    assert {e.code for e in error.value.error_dict["direction"]} == {"invalid_choice"}


def test_import_is_all_or_nothing_and_names_rows_and_columns(
    province: Any, organizer_province: Any
) -> None:
    header = list(FIELDS)
    good = [values()[f] for f in header]
    bad = [values(code="grdp", target_value="nine")[f] for f in header]
    with pytest.raises(ValidationError) as error:
        actions.targets_import(
            actor=organizer_province,
            unit=province["province"],
            term_start=2020,
            term_end=2025,
            content=xlsx([header, good, bad]),
        )
    messages = error.value.message_dict["file"]
    assert messages == ["row 3, column target_value: Enter a number."]
    assert not Target.objects.exists()
    created = actions.targets_import(
        actor=organizer_province,
        unit=province["province"],
        term_start=2020,
        term_end=2025,
        content=xlsx([header, good]),
    )
    assert len(created) == 1 and AuditEvent.objects.filter(action="targets_import").exists()


def test_a_file_that_is_not_xlsx_is_refused(province: Any, organizer_province: Any) -> None:
    with pytest.raises(ValidationError) as error:
        actions.targets_import(
            actor=organizer_province,
            unit=province["province"],
            term_start=2020,
            term_end=2025,
            content=b"not a spreadsheet",
        )
    assert {e.code for e in error.value.error_dict["file"]} == {"not_xlsx"}


def test_new_term_targets_wait_for_the_congress_to_conclude(
    province: Any, organizer_province: Any
) -> None:
    from daihoi.congresses.models import Congress, Cycle

    cycle = Cycle.objects.create(
        name="c",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    congress = Congress.objects.create(cycle=cycle, unit=province["province"], congress_type="full")
    with pytest.raises(ValidationError) as error:
        actions.target_create(
            actor=organizer_province,
            unit=province["province"],
            term_start=0,
            term_end=0,
            congress=congress,
            values=values(),
        )
    assert error.value.code == "congress_not_concluded"
    Congress.objects.filter(pk=congress.pk).update(state="concluded")
    congress.refresh_from_db()
    target = actions.target_create(
        actor=organizer_province,
        unit=province["province"],
        term_start=0,
        term_end=0,
        congress=congress,
        values=values(),
    )
    assert (target.term_start, target.term_end) == (2025, 2030)


def _figures(actor: Any, target: Target, series: list[tuple[int, str]]) -> None:
    for year, value in series:
        actions.figure_record(
            actor=actor,
            target=target,
            year=year,
            value=value,
            source="Cục Thống kê",
            reported_on=datetime.date(year + 1, 1, 15),
        )


def test_statuses_and_roll_ups_equal_direct_computation(
    province: Any, organizer_province: Any
) -> None:
    units = [province["province"], province["d1"], province["d2"]]
    series = {
        "P": [(2021, "60"), (2022, "70")],
        "D1": [(2021, "56"), (2022, "60")],
        "D2": [(2021, "90")],
    }
    for unit in units:
        target = add(organizer_province, unit)
        _figures(organizer_province, target, series[unit.code])
    members = add(
        organizer_province,
        units[0],
        code="members",
        baseline="1000",
        target_value="5000",
        level="party_building",
        indicator="Kết nạp đảng viên",
        measure="người",
    )
    _figures(organizer_province, members, [(2021, "900")])
    rows = queries.rollup_rows(organizer_province, units[0], 2020, TODAY)
    direct: dict[str, list[str]] = {}
    for target in Target.objects.all():
        goal = progress.Goal(
            target.baseline,
            target.baseline_year,
            target.target_value,
            target.term_end,
            target.direction,
            target.basis,
        )
        figures = [(f.year, f.value) for f in target.figures.all()]
        direct.setdefault(target.unit.code, []).append(
            progress.status(goal, figures, as_of_year=2023)
        )
    assert {r.unit: 0 for r in rows} == {u: 0 for u in direct}
    for unit, tally in progress.by_unit(rows).items():
        assert tally.met == direct[unit].count(progress.MET)
        assert tally.total == len(direct[unit])
    assert {u: sorted(s) for u, s in direct.items()} == {
        "P": sorted([progress.ON_TRACK, progress.AT_RISK]),
        "D1": [progress.AT_RISK],
        "D2": [progress.MET],
    }
    shared = progress.by_level(rows)
    assert (
        shared[("above_grassroots", "income")].met,
        shared[("above_grassroots", "income")].total,
    ) == (1, 2)


def test_unit_page_shows_the_chart_and_x_of_n_met(
    client: Any, province: Any, organizer_province: Any
) -> None:
    target = add(organizer_province, province["province"])
    _figures(organizer_province, target, [(2021, "90")])
    client.force_login(organizer_province)
    response = client.get("/targets/u/P/2020/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 of 1 targets met" in body and 'class="target-line"' in body
    review = client.get("/targets/u/P/2020/review/?format=md").content.decode()
    assert review.startswith("## ") and "Thu nhập bình quân đầu người" in review


def test_target_outside_the_subtree_is_404(
    client: Any, province: Any, organizer_province: Any
) -> None:
    target = add(organizer_province, province["d1"])
    client.force_login(testing.make_user(role=testing.ORGANIZER, unit=province["d2"]))
    assert client.get(f"/targets/t/{target.pk}/").status_code == 404
    assert client.get(f"/api/v1/targets/{target.pk}").status_code == 404
    assert client.get("/targets/u/D1/2020/").status_code == 404


def test_api_records_a_figure_and_reports_the_tally(
    client: Any, province: Any, organizer_province: Any
) -> None:
    target = add(organizer_province, province["province"])
    client.force_login(organizer_province)
    r = client.post(
        f"/api/v1/targets/{target.pk}/figures",
        {"year": 2021, "value": "90", "source": "CTK", "reported_on": "2022-01-10"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "met"
    bad = client.post(
        f"/api/v1/targets/{target.pk}/figures",
        {"year": 2031, "value": "1", "source": "CTK", "reported_on": "2022-01-10"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "year"
    tally = client.get("/api/v1/targets/units/P/2020/tally").json()
    assert (tally["met"], tally["total"]) == (1, 1)


def test_movement_ranks_scores_and_revokes_a_fraudulent_commendation(
    province: Any, organizer_province: Any
) -> None:
    movement = actions.movement_launch(
        actor=organizer_province,
        unit=province["province"],
        theme="Thi đua chào mừng đại hội",
        goals="Hoàn thành xuất sắc nhiệm vụ",
        starts_on=datetime.date(2024, 9, 1),
        ends_on=datetime.date(2025, 9, 30),
        criteria=[("a", "Kết nạp", "2"), ("b", "Kinh tế", "1")],
        rulebook_id="vn-cpv-2025",
    )
    criteria = {c.code: c for c in movement.criteria.all()}
    regs = {}
    for code, (a, b) in {"d1": (90, 60), "d2": (70, 100)}.items():
        reg = actions.registration_create(
            actor=organizer_province, movement=movement, unit=province[code], commitment="Cam kết"
        )
        regs[code] = reg
        for crit, score in (("a", a), ("b", b)):
            result = actions.result_report(
                actor=organizer_province,
                registration=reg,
                criterion=criteria[crit],
                evidence="Báo cáo",
            )
            actions.result_score(actor=organizer_province, result=result, score=score)
    ranked = queries.ranking(movement)
    assert [(r.unit, r.score, r.rank) for r in ranked] == [
        ("D1", Decimal("80.00"), 1),
        ("D2", Decimal("80.00"), 1),
    ]
    with pytest.raises(ValidationError):
        actions.result_score(actor=organizer_province, result=result, score=101)
    award = actions.commendation_award(
        actor=organizer_province,
        registration=regs["d1"],
        level="emulation_flag",
        decision_ref="99-QĐ/TU",
        awarded_on=datetime.date(2025, 10, 1),
    )
    with pytest.raises(ValidationError):
        actions.commendation_award(
            actor=organizer_province,
            registration=regs["d1"],
            level="gold_star",
            decision_ref="x",
            awarded_on=datetime.date(2025, 10, 1),
        )
    actions.commendation_revoke(
        actor=organizer_province, commendation=award, reason="Số liệu khống"
    )
    assert AuditEvent.objects.filter(action="commendation_revoke").count() == 1
    board = queries.dashboard(movement)
    assert (board["registered"], board["eligible"]) == (2, 2)


def test_the_review_markdown_imports_as_a_section_of_a_consultation_draft(
    province: Any, organizer_province: Any
) -> None:
    from daihoi.consultation import drafting

    unit = province["province"]
    add(organizer_province, unit)
    add(organizer_province, unit, code="urban", indicator="Tỷ lệ đô thị hóa", measure="%")
    rows = queries.unit_targets(organizer_province, unit, 2020, TODAY)
    document = drafting.parse("markdown", queries.review_markdown(unit, (2020, 2025), rows))
    (section,) = document.sections
    assert section.title.startswith("Implementation of the resolution's targets")
    assert len(section.paragraphs) == 1 + len(rows)  # the tally, then one per target


def test_target_page_records_a_figure_and_shows_errors_next_to_fields(
    client: Any, province: Any, organizer_province: Any
) -> None:
    target = add(organizer_province, province["province"])
    client.force_login(organizer_province)
    url = f"/targets/t/{target.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {"op": "figure", "year": "2021", "value": "x", "source": "", "reported_on": "2022-01-01"},
    )
    assert bad.status_code == 400 and "Enter a number." in bad.content.decode()
    client.post(
        url,
        {
            "op": "figure",
            "year": "2021",
            "value": "70",
            "source": "CTK",
            "reported_on": "2022-01-01",
        },
    )
    assert list(target.figures.values_list("value", flat=True)) == [Decimal("70.00")]


def test_movement_pages_launch_and_show_the_dashboard(
    client: Any, province: Any, organizer_province: Any
) -> None:
    client.force_login(organizer_province)
    response = client.post(
        "/targets/movements/",
        {
            "unit": "P",
            "theme": "Thi đua",
            "goals": "Mục tiêu",
            "starts_on": "2024-09-01",
            "ends_on": "2025-09-30",
            "criterion_name": ["Kết nạp", ""],
            "criterion_weight": ["2", ""],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "participation" in page.content.decode()
    refused = client.post(
        "/targets/movements/",
        {"unit": "P", "theme": "", "goals": "", "starts_on": "2024-09-01", "ends_on": "2024-01-01"},
    )
    assert refused.status_code == 400

"""API for targets (statuses, roll-ups, figures) and emulation movements (ranking). Scoped:
404 outside the user's subtree."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from daihoi.congresses.queries import today as looked_at
from daihoi.targets import actions, progress, queries
from daihoi.targets.actions.targets import FIELDS

router = Router(tags=["targets"])


class TargetOut(Schema):
    id: int
    unit_code: str
    term_start: int
    term_end: int
    code: str
    indicator: str
    measure: str
    baseline: Decimal
    baseline_year: int
    target_value: Decimal
    direction: str
    basis: str
    level: str
    source: str
    status: str
    achieved: Decimal | None
    figures: list[tuple[int, Decimal]]


class TallyOut(Schema):
    unit_code: str
    term_start: int
    met: int
    total: int
    by_status: dict[str, int]
    by_unit: dict[str, dict[str, int]]


class TargetIn(Schema):
    term_start: int
    term_end: int
    code: str = Field(..., max_length=40)
    indicator: str = Field(..., max_length=255)
    measure: str = Field(..., max_length=40)
    baseline: Decimal
    baseline_year: int
    target_value: Decimal
    direction: str
    basis: str = "end_value"
    level: str
    source: str = Field(..., max_length=255)


class FigureIn(Schema):
    year: int
    value: Decimal
    source: str = Field(..., max_length=255)
    reported_on: datetime.date
    midterm: bool = False


class RankedOut(Schema):
    unit_code: str
    score: Decimal
    rank: int


class MovementOut(Schema):
    id: int
    theme: str
    unit_code: str
    stage: str
    starts_on: datetime.date
    ends_on: datetime.date
    registered: int
    eligible: int
    ranking: list[RankedOut]


def _target(target: Any) -> dict[str, Any]:
    row = queries.target_row(target, looked_at())
    return {
        "id": target.pk,
        "unit_code": target.unit.code,
        **{name: getattr(target, name) for name in ("term_start", "term_end", *FIELDS)},
        "status": row.status,
        "achieved": row.achieved,
        "figures": queries.yearly(target),
    }


@router.get("/targets/units/{code}/{term_start}", response=list[TargetOut])
def unit_targets(request: HttpRequest, code: str, term_start: int) -> Any:
    unit = queries.access_unit_by_code(request.user, code)
    targets = queries.targets_visible(request.user).filter(unit=unit, term_start=term_start)
    return [_target(t) for t in targets]


@router.get("/targets/units/{code}/{term_start}/tally", response=TallyOut)
def unit_tally(request: HttpRequest, code: str, term_start: int) -> Any:
    unit = queries.access_unit_by_code(request.user, code)
    today = looked_at()
    rows = queries.unit_targets(request.user, unit, term_start, today)
    tally = progress.tally(r.status for r in rows)
    by_unit = progress.by_unit(queries.rollup_rows(request.user, unit, term_start, today))
    return {
        "unit_code": unit.code,
        "term_start": term_start,
        "met": tally.met,
        "total": tally.total,
        "by_status": tally.by_status,
        "by_unit": {k: {"met": v.met, "total": v.total} for k, v in by_unit.items()},
    }


@router.post("/targets/units/{code}", response={201: TargetOut})
def target_create(request: HttpRequest, code: str, payload: TargetIn) -> Any:
    unit = queries.access_unit_by_code(request.user, code)
    values = payload.dict()
    term_start, term_end = values.pop("term_start"), values.pop("term_end")
    target = actions.target_create(
        actor=request.user, unit=unit, term_start=term_start, term_end=term_end, values=values
    )
    return 201, _target(queries.access_target_by_id(request.user, target.pk))


@router.get("/targets/{target_id}", response=TargetOut)
def target_get(request: HttpRequest, target_id: int) -> Any:
    return _target(queries.access_target_by_id(request.user, target_id))


@router.post("/targets/{target_id}/figures", response=TargetOut)
def figure_record(request: HttpRequest, target_id: int, payload: FigureIn) -> Any:
    target = queries.access_target_by_id(request.user, target_id)
    actions.figure_record(actor=request.user, target=target, **payload.dict())
    return _target(queries.access_target_by_id(request.user, target_id))


@router.get("/targets/movements/{movement_id}", response=MovementOut)
def movement_get(request: HttpRequest, movement_id: int) -> Any:
    movement = queries.access_movement_by_id(request.user, movement_id)
    board = queries.dashboard(movement)
    return {
        "id": movement.pk,
        "theme": movement.theme,
        "unit_code": movement.unit.code,
        "stage": movement.stage,
        "starts_on": movement.starts_on,
        "ends_on": movement.ends_on,
        "registered": board["registered"],
        "eligible": board["eligible"],
        "ranking": [
            {"unit_code": r.unit, "score": r.score, "rank": r.rank}
            for r in queries.ranking(movement)
        ],
    }

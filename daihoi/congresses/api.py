"""API for cycles and congresses: progress of a subtree, a filtered list, transitions.

Every operation is scoped; objects outside the user's subtree answer 404.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from daihoi.congresses import actions, queries, workflow
from daihoi.congresses.models import Congress, Cycle
from daihoi.organizations.models import Unit
from daihoi.organizations.queries import access_unit_by_code

router = Router(tags=["congresses"])


class CycleOut(Schema):
    id: int
    name: str
    term_start: int
    term_end: int
    rulebook_id: str
    root_code: str = Field(..., alias="root.code")


class LevelProgress(Schema):
    level: str
    total: int
    states: dict[str, int]


class ProgressOut(Schema):
    cycle_id: int
    unit_code: str
    total: int
    levels: list[LevelProgress]


class CongressOut(Schema):
    id: int
    cycle_id: int
    unit_code: str = Field(..., alias="unit.code")
    unit_name: str = Field(..., alias="unit.name")
    level: str = Field(..., alias="unit.level")
    congress_type: str
    contents: list[int]
    bodies: str
    earliest: datetime.date | None
    latest: datetime.date | None
    extended_latest: datetime.date | None
    max_duration_days: float | None
    pilot: bool
    merged: bool
    state: str
    starts_on: datetime.date | None
    concluded_on: datetime.date | None
    successor_id: int | None


class CongressFilter(Schema):
    unit: str = Field("", description="Code of the subtree's top unit; default: your scope")
    level: str = Field("", max_length=32)
    state: str = Field("", description="A state code: " + ", ".join(workflow.STATES))
    overdue: bool = Field(False, description="Window ended and not concluded")
    pilot: bool | None = None


class TransitionIn(Schema):
    transition: str = Field(..., description="One of: " + ", ".join(workflow.BY_CODE))
    on: datetime.date | None = Field(None, description="Date of the step; default today")
    reason: str = Field("", max_length=2000)
    new_latest: datetime.date | None = Field(None, description="For postpone: new latest date")


class ExemptionIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=500)

    def paginate_queryset(self, queryset, pagination: Input, **params):  # type: ignore[no-untyped-def, override]
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, **params)  # type: ignore[arg-type]


def _subtree_unit(request: HttpRequest, cycle: Cycle, code: str) -> Unit:
    if not code:
        return queries.default_unit(request.user, cycle)
    unit = access_unit_by_code(request.user, code)
    if not unit.path.startswith(cycle.root.path):
        raise Http404("Unit not in this cycle")
    return unit


@router.get("/cycles", response=list[CycleOut], summary="Cycles reaching into your scope")
def cycle_list(request: HttpRequest) -> Any:
    return list(queries.cycles_visible(request.user))


@router.get(
    "/cycles/{cycle_id}/progress",
    response=ProgressOut,
    summary="Congress counts by level and state in a subtree",
)
def cycle_progress(
    request: HttpRequest, cycle_id: int, unit: str = Query("", description="Unit code")
) -> ProgressOut:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    top = _subtree_unit(request, cycle, unit)
    counts = queries.progress(cycle, top)
    levels = [
        LevelProgress(level=lv, total=sum(by.values()), states=by) for lv, by in counts.items()
    ]
    return ProgressOut(
        cycle_id=cycle.pk,
        unit_code=top.code,
        total=sum(lv.total for lv in levels),
        levels=levels,
    )


@router.get(
    "/cycles/{cycle_id}/congresses",
    response=list[CongressOut],
    summary="Congresses of a subtree, filtered",
)
@paginate(Pages)
def cycle_congresses(request: HttpRequest, cycle_id: int, filters: Query[CongressFilter]) -> Any:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    top = _subtree_unit(request, cycle, filters.unit)
    return queries.congress_list(
        cycle=cycle,
        unit=top,
        level=filters.level,
        state=filters.state,
        overdue=filters.overdue,
        pilot=filters.pilot,
    )


@router.get("/congresses/{congress_id}", response=CongressOut, summary="One congress")
def congress_detail(request: HttpRequest, congress_id: int) -> Congress:
    return queries.access_congress_in_scope(request.user, congress_id)


@router.post(
    "/congresses/{congress_id}/transitions",
    response=CongressOut,
    summary="Take a lifecycle step; refused with every reason when a gate does not allow it",
)
def congress_transition(request: HttpRequest, congress_id: int, data: TransitionIn) -> Congress:
    congress = queries.access_congress_in_scope(request.user, congress_id)
    actions.congress_transition(
        actor=request.user,
        congress=congress,
        transition=data.transition,
        on=data.on,
        reason=data.reason,
        new_latest=data.new_latest,
    )
    return queries.access_congress_in_scope(request.user, congress_id)


@router.post(
    "/congresses/{congress_id}/exemption",
    response=CongressOut,
    summary="The higher level lets a congress convene before its children's have concluded",
)
def congress_exemption(request: HttpRequest, congress_id: int, data: ExemptionIn) -> Congress:
    congress = queries.access_congress_in_scope(request.user, congress_id)
    actions.congress_exempt_from_cascade(actor=request.user, congress=congress, reason=data.reason)
    return congress

"""API for the congress day: the roster, check-in and attendance. Scoped: 404 outside reach."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from daihoi.conduct import actions, queries
from daihoi.conduct.actions.checkin import check_in_message
from daihoi.conduct.models import BoardSeat, Delegate

router = Router(tags=["conduct"])


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(100, ge=1, le=500)

    def paginate_queryset(self, queryset, pagination: Input, **params):  # type: ignore[no-untyped-def, override]
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, **params)  # type: ignore[arg-type]


class DelegateOut(Schema):
    id: int
    person_id: int
    member_code: str = Field(..., alias="person.member_code")
    full_name: str = Field(..., alias="person.full_name")
    unit_code: str = Field(..., alias="person.unit.code")
    kind: str
    status: str
    reason: str
    elected_by_id: int | None
    alternate_rank: int | None
    replaces_id: int | None
    checked_in_at: datetime.datetime | None


class CheckInIn(Schema):
    code: str = Field(..., min_length=1, max_length=40, description="Badge code, as scanned")


class CheckInOut(Schema):
    delegate: DelegateOut
    already_checked_in: bool
    message: str


class ExclusionOut(Schema):
    code: str
    label: str
    count: int


class AttendanceOut(Schema):
    listed: int
    convened: int
    entitled: int
    present: int
    standby: int
    exclusions: list[ExclusionOut]
    quorum_met: bool
    quorum_needed: int
    quorum_rule: str
    quorum_source: str
    quorum_unverified: bool


@router.get(
    "/congresses/{congress_id}/roster",
    response=list[DelegateOut],
    summary="The roster of a congress",
)
@paginate(Pages)
def roster(request: HttpRequest, congress_id: int, status: str = ""):  # type: ignore[no-untyped-def]
    congress = queries.access_congress_by_id(request.user, congress_id)
    return queries.roster_ordered(
        congress, status=status if status in Delegate.Status.values else None
    )


@router.post(
    "/congresses/{congress_id}/check-in",
    response=CheckInOut,
    summary="Check a delegate in by badge code (idempotent)",
)
def check_in(request: HttpRequest, congress_id: int, payload: CheckInIn) -> dict[str, Any]:
    congress = queries.access_congress_by_id(request.user, congress_id)
    if not queries.may_act_as(request.user, congress, BoardSeat.Board.CREDENTIALS):
        raise PermissionDenied(_("Only the credentials board or an organizer checks delegates in."))
    result = actions.delegate_check_in(actor=request.user, congress=congress, code=payload.code)
    return {
        "delegate": result.delegate,
        "already_checked_in": result.already,
        "message": check_in_message(result),
    }


@router.get(
    "/congresses/{congress_id}/attendance",
    response=AttendanceOut,
    summary="Present, convened and quorum",
)
def attendance(request: HttpRequest, congress_id: int) -> AttendanceOut:
    congress = queries.access_congress_by_id(request.user, congress_id)
    basis = queries.entitled_basis(congress)
    quorum = queries.quorum(congress, basis=basis)
    return AttendanceOut(
        listed=basis.listed,
        convened=basis.convened,
        entitled=basis.entitled,
        present=basis.present,
        standby=basis.standby,
        exclusions=[
            ExclusionOut(code=e.code, label=e.label, count=e.count) for e in basis.exclusions
        ],
        quorum_met=quorum.met,
        quorum_needed=quorum.needed,
        quorum_rule=quorum.rule,
        quorum_source=quorum.source,
        quorum_unverified=quorum.unverified,
    )

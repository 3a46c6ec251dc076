"""API for units and their members. Every operation is scoped: outside the subtree is 404."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from daihoi.organizations import queries
from daihoi.organizations.models import Person, Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    level: str
    depth: int
    active_from: datetime.date
    active_until: datetime.date | None
    parent_code: str | None = None
    member_count: int | None = None


class PersonOut(Schema):
    id: int
    member_code: str
    full_name: str
    birth_date: datetime.date
    gender: str
    ethnicity: str
    education: str
    political_theory: str
    date_joined: datetime.date
    status: str
    unit_code: str = Field(..., alias="unit.code")


class MemberFilter(Schema):
    q: str = Field("", max_length=100, description="Name (diacritics ignored) or member code")
    subtree: bool = Field(True, description="Include members of descendant units")


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=500)

    def paginate_queryset(self, queryset, pagination: Input, **params):  # type: ignore[no-untyped-def, override]
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, **params)  # type: ignore[arg-type]


def _unit_out(unit: Unit, *, member_count: int | None = None) -> UnitOut:
    parent = queries.unit_parent(unit)
    return UnitOut(
        code=unit.code,
        name=unit.name,
        level=unit.level,
        depth=unit.depth,
        active_from=unit.active_from,
        active_until=unit.active_until,
        parent_code=parent.code if parent else None,
        member_count=member_count,
    )


@router.get("/{code}", response=UnitOut, summary="One unit")
def unit_detail(request: HttpRequest, code: str) -> UnitOut:
    unit = queries.access_unit_by_code(request.user, code)
    return _unit_out(unit, member_count=queries.members_in_subtree(unit).count())


@router.get("/{code}/children", response=list[UnitOut], summary="Active child units")
def unit_children(request: HttpRequest, code: str) -> list[UnitOut]:
    unit = queries.access_unit_by_code(request.user, code)
    counts = queries.member_counts_by_child(unit)
    return [
        UnitOut(
            code=c.code,
            name=c.name,
            level=c.level,
            depth=c.depth,
            active_from=c.active_from,
            active_until=c.active_until,
            parent_code=unit.code,
            member_count=counts.get(c.path, 0),
        )
        for c in queries.unit_children(unit)
    ]


@router.get("/{code}/members", response=list[PersonOut], summary="Current members, paginated")
@paginate(Pages)
def unit_members(request: HttpRequest, code: str, filters: Query[MemberFilter]) -> list[Person]:
    unit = queries.access_unit_personal(request.user, code)
    return queries.unit_members(unit, query=filters.q, subtree=filters.subtree)  # type: ignore[return-value]

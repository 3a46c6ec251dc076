"""Pages for browsing the unit tree and its people. Every view is scoped."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext

from daihoi.accounts.authority import in_scope, may_read_personal_data, unit_scope_q
from daihoi.accounts.models import Role
from daihoi.core.access import scoped
from daihoi.core.exports import XLSX_TYPE, file_response, table_response, xlsx_bytes
from daihoi.core.text import fold
from daihoi.organizations import actions, queries
from daihoi.organizations.imports import (
    MEMBER_COLUMNS,
    MEMBER_HEADERS_VI,
    MEMBER_REQUIRED,
    UNIT_COLUMNS,
    UNIT_HEADERS_VI,
    UNIT_REQUIRED,
    ImportRejected,
    Problem,
    read_table,
)
from daihoi.organizations.models import Person, Unit


@scoped
def tree(request: HttpRequest) -> HttpResponse:
    """The top of the user's tree, and search over units and people."""
    query = request.GET.get("q", "").strip()
    context: dict[str, object] = {"roots": queries.root_units(request.user), "query": query}
    if query:
        context["unit_hits"] = list(queries.search_units(request.user, query, limit=30))
        context["people_hits"], context["more_people"] = queries.search_people(request.user, query)
    return render(request, "organizations/tree.html", context)


@scoped
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = queries.access_unit_by_code(request.user, code)
    query = request.GET.get("q", "").strip()
    children = list(queries.unit_children(unit))
    counts = queries.member_counts(unit)
    for child in children:
        child.member_count = counts.by_child.get(child.path, 0)  # type: ignore[attr-defined]
    personal = may_read_personal_data(request.user, unit)
    names = personal or queries.may_list_names(request.user, unit)
    most = personal and not query and queries.holds_most_of_the_tree(unit, counts=counts)
    members = queries.unit_members(unit, query=query, subtree=personal, most=most)
    people = Paginator(members if names else members.none(), settings.DAIHOI_PAGE_SIZE)
    if not query and personal:
        people.count = counts.total  # type: ignore[misc]  # known already: no second count
    page = people.get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "ancestors": [
            a
            for a in queries.unit_ancestors(unit)
            if queries.units_visible(request.user).filter(pk=a.pk).exists()
        ],
        "children": children,
        "member_total": people.count if query and names else counts.total,
        "page": page,
        "query": query,
        "personal": personal,
        "names": names,
        "lineage": queries.unit_lineage(unit),
        "lineage_records": queries.reorganizations_of(unit),
        "may_import": in_scope(request.user, unit, roles=[Role.ORGANIZER]),
    }
    htmx = bool(getattr(request, "htmx", False))
    template = "organizations/_people.html" if htmx else "organizations/unit.html"
    return render(request, template, context)


# Exports use the import's column names, so an exported file imports again.
EXPORT_HEADERS = list(MEMBER_COLUMNS)
UNIT_HEADERS = list(UNIT_COLUMNS)
# The page lists this many problems; the rest are counted.
SHOWN_PROBLEMS = 500


@scoped
def export_members(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    unit = queries.access_unit_personal(request.user, code)
    people = (
        queries.members_in_subtree(unit)
        .select_related("unit")
        .order_by("unit__path", *queries.people_order())
    )
    rows = (
        [
            p.member_code,
            p.full_name,
            p.birth_date.isoformat(),
            p.gender,
            p.ethnicity,
            p.education,
            p.political_theory,
            p.date_joined.isoformat(),
            p.status,
            p.unit.code,
        ]
        for p in people.iterator(chunk_size=5000)
    )
    return table_response(
        fmt=fmt, filename=f"members-{unit.code}", headers=EXPORT_HEADERS, rows=rows
    )


@scoped
def export_units(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    unit = queries.access_unit_by_code(request.user, code)
    units = list(queries.subtree_units(unit))
    code_by_path = {u.path: u.code for u in units}
    rows = (
        [
            u.code,
            u.name,
            u.level,
            code_by_path.get(u.path[: -u.steplen], "") if u.pk != unit.pk else "",
            u.active_from.isoformat(),
            u.active_until.isoformat() if u.active_until else "",
        ]
        for u in units
    )
    return table_response(fmt=fmt, filename=f"units-{unit.code}", headers=UNIT_HEADERS, rows=rows)


@scoped
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person: Person = queries.access_person_by_id(request.user, person_id)
    return render(
        request,
        "organizations/person.html",
        {
            "person": person,
            "memberships": person.memberships.select_related("unit").order_by("-started"),
        },
    )


@scoped
def import_template(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """An empty workbook with the Vietnamese headers offices use, and a sheet explaining them."""
    unit = queries.access_unit_by_code(request.user, code, roles=[Role.ORGANIZER])
    columns, required, labels = (
        (MEMBER_COLUMNS, MEMBER_REQUIRED, MEMBER_HEADERS_VI)
        if kind == "members"
        else (UNIT_COLUMNS, UNIT_REQUIRED, UNIT_HEADERS_VI)
    )
    headers = [labels[c][0] for c in columns]
    guide = [
        [labels[c][0], c, gettext("yes") if c in required else gettext("no"), _column_hint(c)]
        for c in columns
    ]
    body = xlsx_bytes(
        sheets=[
            (gettext("Members") if kind == "members" else gettext("Units"), headers, []),
            (
                gettext("Guide"),
                [gettext("Column"), gettext("Code"), gettext("Required"), gettext("What to write")],
                guide,
            ),
        ]
    )
    return file_response(body, filename=f"import-{kind}-{unit.code}.xlsx", content_type=XLSX_TYPE)


def _column_hint(column: str) -> str:
    dates = gettext("a date, DD/MM/YYYY or YYYY-MM-DD")
    hints = {
        "code": gettext("the unit's code, unique"),
        "parent_code": gettext("the code of the unit above; blank for directly under this unit"),
        "level": gettext("a level of the rulebook, e.g. grassroots or cell"),
        "member_code": gettext("the member's code, unique"),
        "gender": gettext("Nam or Nữ (or male, female)"),
        "unit_code": gettext("the code of the member's unit"),
        "education": gettext("a value of the list, in Vietnamese or as its code"),
        "political_theory": gettext("a value of the list, in Vietnamese or as its code"),
        "status": gettext("blank for active, or a status in Vietnamese or as its code"),
    }
    if column in ("active_from", "active_until", "birth_date", "date_joined"):
        return dates
    return hints.get(column, "")


@scoped
def import_file(request: HttpRequest, code: str) -> HttpResponse:
    """Upload units or members into this unit's subtree: all rows or none."""
    unit = queries.access_unit_by_code(request.user, code, roles=[Role.ORGANIZER])
    kind = request.POST.get("kind", request.GET.get("kind", "members"))
    context: dict[str, object] = {
        "unit": unit,
        "kind": kind if kind in ("units", "members") else "members",
        "member_columns": MEMBER_COLUMNS,
        "unit_columns": UNIT_COLUMNS,
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        problems: list[Problem] = []
        if upload is None:
            problems = [Problem(0, "", gettext("Choose a file to import."))]
        else:
            action = actions.units_import if kind == "units" else actions.members_import
            try:
                table = read_table(upload.read(), upload.name or "upload")
                context["summary"] = action(actor=request.user, table=table, within=unit)
            except ImportRejected as rejected:
                problems = rejected.problems
        context["problems"] = problems[:SHOWN_PROBLEMS]
        context["problem_count"] = len(problems)
        context["problems_hidden"] = max(0, len(problems) - SHOWN_PROBLEMS)
    return render(request, "organizations/import.html", context)


@scoped
def pick_unit(request: HttpRequest) -> HttpResponse:
    """The HTMX unit picker: active units the user reaches, by name or code, as radio
    buttons named `name=` (a form field), labelled with the level and the code."""
    query = request.GET.get("q", "")
    field = request.GET.get("name", "unit")
    if not field.isidentifier():
        field = "unit"
    roles = [Role.ORGANIZER] if request.GET.get("role") == "organizer" else None
    units = Unit.objects.filter(unit_scope_q(request.user, roles=roles)) if query.strip() else None
    found = []
    if units is not None:
        found = list(
            units.filter(active_until__isnull=True)
            .filter(Q(name_folded__contains=fold(query)) | Q(code__istartswith=query.strip()))
            .order_by("depth", "name_folded", "path")[:20]
        )
    return render(
        request,
        "organizations/_pick_unit.html",
        # A filter form may leave the choice empty (`optional=1`); an entry form may not.
        {"found": found, "query": query, "field": field, "required": "optional" not in request.GET},
    )


@scoped
def pick_person(request: HttpRequest) -> HttpResponse:
    """The HTMX person picker: current members of the unit `unit=` (a code, 404 outside the
    user's area) and below whose records the user may read, by name or member code, as radio
    buttons named `name=` whose value is the member code."""
    unit = queries.access_unit_by_code(request.user, request.GET.get("unit", ""))
    query = request.GET.get("q", "")
    field = request.GET.get("name", "code")
    if not field.isidentifier():
        field = "code"
    people = queries.pick_people(request.user, within=unit, query=query)
    return render(
        request,
        "organizations/_pick_person.html",
        {
            "people": people,
            "query": query,
            "field": field,
            "unit": unit,
            "required": "optional" not in request.GET,
        },
    )

"""Pages for a term's targets (progress, charts, review) and emulation movements.

Every view is scoped; units, targets and movements are fetched through `access_…` queries
(404 outside the user's subtree).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.congresses.queries import today as looked_at
from daihoi.core.access import scoped
from daihoi.core.errors import messages_by_field
from daihoi.core.exports import file_response
from daihoi.targets import actions, progress, queries
from daihoi.targets.actions.targets import FIELDS
from daihoi.targets.models import Commendation, Criterion, Movement, Result, Target


def _date(request: HttpRequest, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.POST.get(name, "").strip())
    except ValueError:
        raise ValidationError(
            {name: ValidationError(_("Enter a date like 2025-07-15."), code="not_a_date")}
        ) from None


def _year(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, "").strip())
    except ValueError:
        raise ValidationError(
            {name: ValidationError(_("Enter a year."), code="not_a_year")}
        ) from None


def _initial(target: Target) -> dict[str, str]:
    out = {}
    for name in FIELDS:
        value = getattr(target, name)
        out[name] = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return out


def _target_values(request: HttpRequest) -> dict[str, Any]:
    return {name: request.POST.get(name, "") for name in FIELDS}


@scoped
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    units = (
        queries.units_visible(request.user)
        .filter(targets__isnull=False)
        .distinct()
        .order_by("path")
    )
    rows = [{"unit": u, "terms": queries.terms_of(u)} for u in units[:200]]
    return render(request, "targets/index.html", {"rows": rows})


@scoped
@require_http_methods(["GET", "POST"])
def unit_term(request: HttpRequest, code: str, term_start: int) -> HttpResponse:
    unit = queries.access_unit_by_code(request.user, code)
    today = looked_at()
    terms = dict(queries.terms_of(unit))
    term_end = terms.get(term_start, term_start + 5)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("op") == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError(
                        {"file": ValidationError(_("Choose an XLSX file."), code="required")}
                    )
                created = actions.targets_import(
                    actor=request.user,
                    unit=unit,
                    term_start=term_start,
                    term_end=term_end,
                    content=upload.read(),
                )
                messages.success(request, _("%(n)s targets imported.") % {"n": len(created)})
            else:
                actions.target_create(
                    actor=request.user,
                    unit=unit,
                    term_start=term_start,
                    term_end=term_end,
                    values=_target_values(request),
                )
                messages.success(request, _("Target added."))
            return redirect("targets:unit", unit.code, term_start)
        except ValidationError as error:
            errors = messages_by_field(error)
    rows = queries.unit_targets(request.user, unit, term_start, today)
    tally = progress.tally(r.status for r in rows)
    rollup = queries.rollup_rows(request.user, unit, term_start, today)
    context = {
        "unit": unit,
        "term": (term_start, term_end),
        "rows": rows,
        "charts": [(r, mark_safe(queries.target_chart_svg(r.target))) for r in rows],
        "unit_chart": mark_safe(queries.unit_chart_svg(rows, unit.name)),
        "tally": tally,
        "by_unit": progress.by_unit(rollup),
        "by_level": progress.by_level(rollup),
        "may_edit": queries.may_edit(request.user, unit),
        "errors": errors,
        "form": request.POST if errors else {},
        "directions": Target.Direction.choices,
        "bases": Target.Basis.choices,
        "levels": Target.Level.choices,
        "fields": FIELDS,
    }
    return render(request, "targets/unit.html", context, status=400 if errors else 200)


@scoped
@require_http_methods(["GET", "POST"])
def target_detail(request: HttpRequest, target_id: int) -> HttpResponse:
    target = queries.access_target_by_id(request.user, target_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("op") == "figure":
                actions.figure_record(
                    actor=request.user,
                    target=target,
                    year=_year(request, "year"),
                    value=request.POST.get("value", ""),
                    source=request.POST.get("source", ""),
                    reported_on=_date(request, "reported_on"),
                    midterm=request.POST.get("midterm") == "on",
                )
                messages.success(request, _("Figure recorded."))
            else:
                actions.target_update(
                    actor=request.user, target=target, values=_target_values(request)
                )
                messages.success(request, _("Target saved."))
            return redirect("targets:target", target.pk)
        except ValidationError as error:
            errors = messages_by_field(error)
            target = queries.access_target_by_id(request.user, target_id)
    row = queries.target_row(target, looked_at())
    context = {
        "target": target,
        "row": row,
        "chart": mark_safe(queries.target_chart_svg(target)),
        "may_edit": queries.may_edit(request.user, target.unit),
        "errors": errors,
        "form": request.POST if errors else _initial(target),
        "directions": Target.Direction.choices,
        "bases": Target.Basis.choices,
        "levels": Target.Level.choices,
    }
    return render(request, "targets/target.html", context, status=400 if errors else 200)


@scoped
@require_GET
def review(request: HttpRequest, code: str, term_start: int) -> HttpResponse:
    """The ending term's review for content 1 of the congress; `?format=md` downloads it."""
    unit = queries.access_unit_by_code(request.user, code)
    terms = dict(queries.terms_of(unit))
    term = (term_start, terms.get(term_start, term_start + 5))
    rows = queries.unit_targets(request.user, unit, term_start, looked_at())
    markdown = queries.review_markdown(unit, term, rows)
    if request.GET.get("format") == "md":
        return file_response(
            markdown,
            filename=f"review-{unit.code}-{term[0]}.md",
            content_type="text/markdown; charset=utf-8",
        )
    context = {
        "unit": unit,
        "term": term,
        "rows": rows,
        "tally": progress.tally(r.status for r in rows),
    }
    return render(request, "targets/review.html", context)


# Emulation -------------------------------------------------------------------------------


def _criteria(request: HttpRequest) -> list[tuple[str, str, str]]:
    names = request.POST.getlist("criterion_name")
    weights = request.POST.getlist("criterion_weight")
    return [
        (f"c{i + 1}", n, w)
        for i, (n, w) in enumerate(zip(names, weights, strict=False))
        if n.strip() or w.strip()
    ]


@scoped
@require_http_methods(["GET", "POST"])
def movements(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            unit = queries.access_unit_by_code(request.user, request.POST.get("unit", ""))
            movement = actions.movement_launch(
                actor=request.user,
                unit=unit,
                theme=request.POST.get("theme", ""),
                goals=request.POST.get("goals", ""),
                starts_on=_date(request, "starts_on"),
                ends_on=_date(request, "ends_on"),
                criteria=_criteria(request),
                rulebook_id=request.POST.get("rulebook", "") or "vn-cpv-2025",
            )
            return redirect("targets:movement", movement.pk)
        except ValidationError as error:
            errors = messages_by_field(error)
    context = {
        "movements": queries.movements_visible(request.user).order_by("-starts_on"),
        "errors": errors,
        "form": request.POST if errors else {},
    }
    return render(request, "targets/movements.html", context, status=400 if errors else 200)


def _movement_post(request: HttpRequest, movement: Movement) -> None:
    op = request.POST.get("op", "")
    if op == "advance":
        actions.movement_advance(actor=request.user, movement=movement)
    elif op == "register":
        unit = queries.access_unit_by_code(request.user, request.POST.get("unit", ""))
        actions.registration_create(
            actor=request.user,
            movement=movement,
            unit=unit,
            commitment=request.POST.get("commitment", ""),
        )
    elif op == "report":
        registration = queries.access_registration(
            movement, int(request.POST.get("registration", 0) or 0)
        )
        criterion = Criterion.objects.filter(
            movement=movement, pk=request.POST.get("criterion") or 0
        ).first()
        if criterion is None:
            raise ValidationError(
                {"criterion": ValidationError(_("Choose a criterion."), code="required")}
            )
        actions.result_report(
            actor=request.user,
            registration=registration,
            criterion=criterion,
            evidence=request.POST.get("evidence", ""),
        )
    elif op == "score":
        result = (
            Result.objects.filter(
                registration__movement=movement, pk=request.POST.get("result") or 0
            )
            .select_related("registration__movement__unit", "registration__unit")
            .first()
        )
        if result is None:
            raise ValidationError(
                {"result": ValidationError(_("No such result."), code="not_found")}
            )
        actions.result_score(actor=request.user, result=result, score=request.POST.get("score", ""))
    elif op == "award":
        registration = queries.access_registration(
            movement, int(request.POST.get("registration", 0) or 0)
        )
        actions.commendation_award(
            actor=request.user,
            registration=registration,
            level=request.POST.get("level", ""),
            decision_ref=request.POST.get("decision_ref", ""),
            awarded_on=_date(request, "awarded_on"),
        )
    elif op == "revoke":
        found = (
            Commendation.objects.filter(
                registration__movement=movement, pk=request.POST.get("commendation") or 0
            )
            .select_related("registration__movement__unit", "registration__unit")
            .first()
        )
        if found is None:
            raise ValidationError(
                {"commendation": ValidationError(_("No such commendation."), code="not_found")}
            )
        actions.commendation_revoke(
            actor=request.user, commendation=found, reason=request.POST.get("reason", "")
        )
    else:
        raise ValidationError(_("Unknown operation."), code="unknown_operation")


@scoped
@require_http_methods(["GET", "POST"])
def movement_detail(request: HttpRequest, movement_id: int) -> HttpResponse:
    movement = queries.access_movement_by_id(request.user, movement_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            _movement_post(request, movement)
            return redirect("targets:movement", movement.pk)
        except ValidationError as error:
            errors = messages_by_field(error)
    board = queries.dashboard(movement)
    context = {
        "movement": movement,
        "board": board,
        "criteria": list(movement.criteria.all()),
        "levels": dict(queries.commendation_levels(movement, get_language() or "vi")),
        "may_score": queries.may_edit(request.user, movement.unit),
        "errors": errors,
        "max_score": Decimal(100),
    }
    return render(request, "targets/movement.html", context, status=400 if errors else 200)

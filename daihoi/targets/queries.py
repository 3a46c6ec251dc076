"""Reads for targets and emulation movements, scoped to the user's subtree; statuses and
roll-ups computed with `targets.progress`, charts with `targets.charts`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from daihoi.accounts.authority import in_scope, scope_paths, unit_scope_q
from daihoi.accounts.models import Role
from daihoi.organizations.models import Unit
from daihoi.rulebooks.loader import load_rulebook
from daihoi.targets import charts, progress, scoring
from daihoi.targets.models import (
    Commendation,
    Movement,
    Registration,
    Result,
    Target,
    TargetFigure,
)

ORGANIZER = [Role.ORGANIZER]


def status_label(code: str) -> str:
    return {
        progress.MET: _("met"),
        progress.ON_TRACK: _("on track"),
        progress.AT_RISK: _("at risk"),
        progress.MISSED: _("missed"),
        progress.NO_DATA: _("no figures yet"),
    }[code]


# Targets -------------------------------------------------------------------------------


def units_visible(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(unit_scope_q(user))


def access_unit_by_code(user: Any, code: str) -> Unit:
    unit = units_visible(user).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def targets_visible(user: Any) -> QuerySet[Target]:
    return (
        Target.objects.filter(unit_scope_q(user, field="unit__path"))
        .select_related("unit")
        .prefetch_related(Prefetch("figures", queryset=TargetFigure.objects.order_by("year")))
    )


def access_target_by_id(user: Any, target_id: int) -> Target:
    target = targets_visible(user).filter(pk=target_id).first()
    if target is None:
        raise Http404
    return target


def may_edit(user: Any, unit: Unit) -> bool:
    return in_scope(user, unit, roles=ORGANIZER)


def goal_of(target: Target) -> progress.Goal:
    return progress.Goal(
        baseline=target.baseline,
        baseline_year=target.baseline_year,
        target=target.target_value,
        target_year=target.term_end,
        direction=target.direction,
        basis=target.basis,
    )


def yearly(target: Target) -> list[tuple[int, Decimal]]:
    """The yearly figures (the mid-term review's are shown apart, not counted twice)."""
    return [(f.year, f.value) for f in target.figures.all() if not f.midterm]


def as_of_year(target: Target, today: datetime.date) -> int:
    return min(today.year, target.term_end + 1)


@dataclass(frozen=True)
class TargetRow:
    target: Target
    status: str
    status_label: str
    achieved: Decimal | None
    percent: Decimal | None
    midterm: TargetFigure | None


def target_row(target: Target, today: datetime.date) -> TargetRow:
    goal, figures = goal_of(target), yearly(target)
    code = progress.status(goal, figures, as_of_year=as_of_year(target, today))
    midterm = next((f for f in target.figures.all() if f.midterm), None)
    return TargetRow(
        target=target,
        status=code,
        status_label=status_label(code),
        achieved=progress.achieved(goal, figures),
        percent=progress.achievement_percent(goal, figures),
        midterm=midterm,
    )


def unit_targets(user: Any, unit: Unit, term_start: int, today: datetime.date) -> list[TargetRow]:
    targets = targets_visible(user).filter(unit=unit, term_start=term_start)
    return [target_row(t, today) for t in targets.order_by("level", "code")]


def terms_of(unit: Unit) -> list[tuple[int, int]]:
    return list(
        Target.objects.filter(unit=unit)
        .values_list("term_start", "term_end")
        .distinct()
        .order_by("term_start")
    )


def rollup_rows(user: Any, root: Unit, term_start: int, today: datetime.date) -> list[progress.Row]:
    """Every target of the subtree for the term, as a roll-up row."""
    targets = targets_visible(user).filter(unit__path__startswith=root.path, term_start=term_start)
    return [
        progress.Row(
            unit=t.unit.code,
            level=t.unit.level,
            indicator=t.code,
            status=target_row(t, today).status,
        )
        for t in targets
    ]


def target_chart_svg(target: Target) -> str:
    series = charts.Series(
        points=yearly(target),
        target=target.target_value,
        target_year=target.term_end,
        baseline=target.baseline,
        baseline_year=target.baseline_year,
    )
    return charts.target_chart(
        series, title=target.indicator, target_label=_("target"), unit_label=target.measure
    )


def unit_chart_svg(rows: list[TargetRow], title: str) -> str:
    bars = [
        charts.Bar(
            label=r.target.indicator,
            percent=r.percent,
            status=r.status,
            status_label=r.status_label,
        )
        for r in rows
    ]
    return charts.unit_chart(bars, title=title)


def review_markdown(unit: Unit, term: tuple[int, int], rows: list[TargetRow]) -> str:
    """The ending term's targets and their achievement, as a Markdown section that the
    consultation app imports into the political report draft."""
    lines = [
        "## "
        + _("Implementation of the resolution's targets, term %(start)s–%(end)s")
        % {"start": term[0], "end": term[1]},
        "",
        _("%(met)s of %(total)s targets met.")
        % {"met": sum(r.status == progress.MET for r in rows), "total": len(rows)},
        "",
    ]
    for r in rows:
        t = r.target
        achieved = "–" if r.achieved is None else f"{r.achieved.normalize():f}"
        lines.append(
            f"- **{t.indicator}**: {t.get_direction_display()} {t.target_value.normalize():f} "
            f"{t.measure}; " + _("achieved") + f" {achieved} {t.measure} — {r.status_label}."
        )
    return "\n".join(lines) + "\n"


# Emulation -------------------------------------------------------------------------------


def movements_visible(user: Any) -> QuerySet[Movement]:
    """Movements launched in the user's subtrees or above them: a unit sees what it may join."""
    paths = scope_paths(user)
    q = unit_scope_q(user, field="unit__path")
    if paths:
        step = Unit.steplen
        above = {p[:i] for p in paths for i in range(step, len(p), step)}
        q |= Q(unit__path__in=sorted(above))
    return Movement.objects.filter(q).select_related("unit")


def access_movement_by_id(user: Any, movement_id: int) -> Movement:
    movement = movements_visible(user).filter(pk=movement_id).prefetch_related("criteria").first()
    if movement is None:
        raise Http404
    return movement


def registrations(movement: Movement) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(movement=movement)
        .select_related("unit")
        .prefetch_related(
            Prefetch("results", queryset=Result.objects.select_related("criterion")),
            Prefetch("commendations", queryset=Commendation.objects.order_by("awarded_on")),
        )
    )


def access_registration(movement: Movement, registration_id: int) -> Registration:
    registration = registrations(movement).filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    return registration


def ranking(movement: Movement) -> list[scoring.Ranked]:
    weights = {c.code: c.weight for c in movement.criteria.all()}
    results = {
        r.unit.code: {
            res.criterion.code: res.score for res in r.results.all() if res.score is not None
        }
        for r in registrations(movement)
    }
    return scoring.rank(weights, results)


def commendation_levels(movement: Movement, language: str) -> list[tuple[str, str]]:
    rules = load_rulebook(movement.rulebook_id).emulation
    if rules is None:
        return []
    return [(level.code, level.name.get(language)) for level in rules.commendation_levels.value]


def dashboard(movement: Movement) -> dict[str, Any]:
    eligible = Unit.objects.filter(
        path__startswith=movement.unit.path,
        depth=movement.unit.depth + 1,
        active_until__isnull=True,
    ).count()
    regs = list(registrations(movement))
    ranked = ranking(movement)
    by_code = {r.unit.code: r for r in regs}
    reported = sum(1 for r in regs if r.results.all())
    return {
        "eligible": eligible,
        "registered": len(regs),
        "reported": reported,
        "participation": scoring.participation(len(regs), eligible),
        "ranked": [{"rank": r, "registration": by_code[r.unit]} for r in ranked],
    }

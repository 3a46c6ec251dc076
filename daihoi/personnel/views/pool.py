"""The planning pool of a unit: entries, removals, decisions about a person, import, export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.core import clock
from daihoi.core.access import scoped
from daihoi.core.exports import xlsx_response
from daihoi.personnel import actions, exports, queries
from daihoi.personnel.models import Body, Discipline, PoolEntry
from daihoi.personnel.views._base import _date, _dispatch, _int, _person_of


@scoped
@require_http_methods(["GET", "POST"])
def pool(request: HttpRequest, code: str) -> HttpResponse:
    unit = queries.access_pool_unit(request.user, code)
    cycles = list(queries.cycles_of(unit))
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle", "")), None)
    cycle = cycle or (cycles[0] if cycles else None)
    if request.method == "POST" and cycle is not None:
        _pool_post(request, unit, cycle)
        return redirect(f"{request.path}?cycle={cycle.pk}")
    entries = list(queries.pool(unit, cycle)) if cycle else []
    context = {
        "unit": unit,
        "cycle": cycle,
        "cycles": cycles,
        "entries": entries,
        "gauges": queries.pool_gauges(unit, cycle, entries) if cycle else [],
        "bodies": Body.choices,
        "causes": PoolEntry.Cause.choices,
        "levels": Discipline.Level.choices,
    }
    return render(request, "personnel/pool.html", context)


def _pool_post(request: HttpRequest, unit: Any, cycle: Any) -> None:
    user, post = request.user, request.POST

    def add() -> str:
        actions.pool_entry_add(
            actor=user,
            unit=unit,
            cycle=cycle,
            person=_person_of(request),
            body=post.get("body", ""),
            entered_on=_date(request, "entered_on") or clock.today(),
        )
        return _("The person is in the pool.")

    def remove() -> str:
        actions.pool_entry_remove(
            actor=user,
            entry=queries.access_pool_entry(user, unit, _int(request, "entry")),
            cause=post.get("cause", ""),
            on=clock.today(),
            note=post.get("note", ""),
        )
        return _("The entry is removed.")

    def decided(what: str) -> Callable[[], str]:
        def record() -> str:
            person = _person_of(request)
            on = _date(request, "decided_on")
            if on is None:
                raise ValidationError(
                    {"decided_on": _("Give the date of the decision.")}, code="date_required"
                )
            decision = {
                "actor": user,
                "person": person,
                "decided_on": on,
                "authority": post.get("authority", ""),
                "number": post.get("number", ""),
            }
            if what == "discipline":
                made = actions.discipline_record(level=post.get("level", ""), **decision)
                done = _("The discipline of %(name)s is recorded (%(level)s).") % {
                    "name": person.full_name,
                    "level": made.get_level_display(),
                }
            else:
                actions.standards_finding_record(note=post.get("note", ""), **decision)
                done = _("The finding on %(name)s's political standards is recorded.") % {
                    "name": person.full_name
                }
            left = queries.pool(unit, cycle).filter(person=person, removed_on=on).exists()
            return done + (" " + _("They left the planning pool.") if left else "")

        return record

    def imported() -> str:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")}, code="file_required")
        rows = exports.read_pool_rows(upload)
        entries = actions.pool_import(actor=user, unit=unit, cycle=cycle, rows=rows)
        return _("%(n)s people entered in the pool.") % {"n": len(entries)}

    _dispatch(
        request,
        {
            "add": add,
            "remove": remove,
            "discipline": decided("discipline"),
            "finding": decided("finding"),
            "import": imported,
        },
    )


@scoped
@require_GET
def pool_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = queries.access_pool_unit(request.user, code)
    headers, rows = exports.pool_table(queries.pool(unit))
    return xlsx_response(filename=f"pool-{unit.code}", headers=headers, rows=rows, sheet="pool")

"""The working-day calendar the cut-off and the deadlines are counted on: the days off and the
Saturdays worked of a year (shipped in `cases/holidays.yaml`, with the edits made here), and,
for an administrator of the whole organization, the form that declares a day."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from daihoi.accounts.authority import sees_everything
from daihoi.cases import actions, queries
from daihoi.cases.models import CalendarDay
from daihoi.cases.views._base import _date
from daihoi.core.access import scoped
from daihoi.core.errors import attempt

# The names the shipped calendar gives its days off (`cases/holidays.yaml`); a day declared
# here keeps the name typed for it.
HOLIDAY_NAMES = {
    "new_year": gettext_lazy("New Year's Day"),
    "tet": gettext_lazy("Lunar New Year (Tết)"),
    "hung_kings": gettext_lazy("Hùng Kings' Commemoration Day"),
    "reunification": gettext_lazy("Reunification Day"),
    "labour_day": gettext_lazy("International Labour Day"),
    "national_day": gettext_lazy("National Day"),
    "swapped_day": gettext_lazy("day off in exchange for a Saturday worked"),
    "holiday": gettext_lazy("day off"),
}


@scoped
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    cal = queries.calendar()
    years = sorted(cal.years)
    today = queries.today()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year if today.year in cal.years else years[-1]
    may_edit = sees_everything(request.user)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied(_("Only an administrator of the whole organization may do this."))
    if request.method == "POST":
        post = request.POST

        def declare() -> str:
            day = _date(post.get("day", ""), "day")
            working = post.get("working") == "1"
            actions.calendar_day_set(
                actor=request.user, day=day, working=working, name=post.get("name", "")
            )
            label = _("a working day") if working else _("a day off")
            return _("%(day)s is now %(kind)s.") % {"day": day.strftime("%d/%m/%Y"), "kind": label}

        attempt(request, declare)
        return redirect(f"{request.path}?year={post.get('day', '')[:4] or year}")
    edits = {e.day: e for e in CalendarDay.objects.select_related("recorded_by")}
    days = sorted(
        [(d, name, False) for d, name in cal.holidays.items() if d.year == year]
        + [(d, "", True) for d in cal.working_weekend_days if d.year == year]
    )
    rows = [
        {"day": d, "name": HOLIDAY_NAMES.get(name, name), "working": working, "edit": edits.get(d)}
        for d, name, working in days
    ]
    context = {
        "year": year,
        "years": years,
        "covered": year in cal.years,
        "rows": rows,
        "may_edit": may_edit,
        "working_days": (
            cal.working_days_between(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
            if year in cal.years
            else None
        ),
    }
    return render(request, "cases/calendar.html", context)

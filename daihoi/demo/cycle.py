"""Demo step: the 2025–2030 congress cycle of the demo province, in progress as of mid-July 2025.

Party cells mostly concluded, grassroots organizations partly (some overdue), the pilots
concluded, the first two districts merged on 1 July 2025 and re-planned as a merged unit.
Every write goes through the congress and organization actions as the system. Idempotent:
a province that already has the cycle is left alone.
"""

from __future__ import annotations

import datetime

from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions, workflow
from daihoi.congresses.models import Congress, Cycle
from daihoi.organizations import actions as org_actions
from daihoi.organizations.models import Unit

CYCLE_NAME = "Nhiệm kỳ 2025–2030"
AS_OF = datetime.date(2025, 7, 15)  # `make demo` serves it as of this day (DEMO_TODAY)
MERGER_DAY = datetime.date(2025, 7, 1)
PILOT_DAY = datetime.date(2025, 4, 3)  # the pilot grassroots congress
D = datetime.date


def _steps(congress: Congress, steps: list[tuple[str, datetime.date]]) -> Congress:
    for transition, on in steps:
        congress = actions.congress_transition(
            actor=SYSTEM, congress=congress, transition=transition, on=on
        )
    return congress


def _hold(congress: Congress, day: datetime.date) -> Congress:
    return _steps(
        congress,
        [
            ("prepare", day - datetime.timedelta(days=20)),
            ("approve", day - datetime.timedelta(days=7)),
            ("convene", day),
            ("conclude", day),
        ],
    )


def _units(root: Unit, level: str) -> list[Unit]:
    return list(
        Unit.objects.filter(
            path__startswith=root.path, level=level, active_until__isnull=True
        ).order_by("path")
    )


def _congress(cycle: Cycle, unit: Unit) -> Congress:
    return Congress.objects.select_related("unit", "cycle").get(cycle=cycle, unit=unit)


def build(root: Unit, stdout: object = None) -> Cycle:
    existing = Cycle.objects.filter(root=root, name=CYCLE_NAME).first()
    if existing is not None:
        from daihoi.demo import congress_day

        congress_day.build(root=root, stdout=stdout)  # says that it exists
        return existing
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name=CYCLE_NAME,
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=root,
    )
    districts = _units(root, "above_grassroots")
    grassroots = _units(root, "grassroots")
    cells = _units(root, "cell")
    # Pilots: the first grassroots organization of the first district, and its cells.
    pilot_g = grassroots[:1]
    pilot_cells = [c for c in cells if pilot_g and c.path.startswith(pilot_g[0].path)]
    actions.cycle_generate_plan(
        actor=SYSTEM, cycle=cycle, pilots=[u.code for u in pilot_g + pilot_cells]
    )
    actions.plan_submit(actor=SYSTEM, cycle=cycle, unit=root)
    actions.plan_approve(actor=SYSTEM, cycle=cycle, unit=root)

    # Pilots first: their cells in January, the pilot grassroots congress on 3 April.
    for i, cell in enumerate(pilot_cells):
        _hold(_congress(cycle, cell), D(2025, 1, 20) + datetime.timedelta(days=i % 5))
    # The pilot grassroots congress is approved to convene; its congress day seats the boards,
    # convenes, elects and concludes it on that day, before the other grassroots congresses.
    for g in pilot_g:
        _steps(
            _congress(cycle, g),
            [
                ("prepare", PILOT_DAY - datetime.timedelta(days=20)),
                ("approve", PILOT_DAY - datetime.timedelta(days=7)),
            ],
        )
    from daihoi.demo import congress_day  # it reads this module's names

    if not congress_day.build(root=root, stdout=stdout):  # no logins: held without a day
        for g in pilot_g:
            congress = _congress(cycle, g)
            if congress.state == workflow.APPROVED:
                _steps(congress, [("convene", PILOT_DAY), ("conclude", PILOT_DAY)])
            elif congress.state == workflow.IN_SESSION:
                _steps(congress, [("conclude", PILOT_DAY)])

    held_cells: set[int] = {c.pk for c in pilot_cells}
    for i, cell in enumerate(cells):
        if cell.pk in held_cells:
            continue
        congress = _congress(cycle, cell)
        if i % 11 == 5:  # a few cells are still preparing: overdue since 31 March
            _steps(congress, [("prepare", D(2025, 3, 1))])
            continue
        _hold(congress, D(2025, 2, 10) + datetime.timedelta(days=i % 45))
        held_cells.add(cell.pk)

    for i, g in enumerate(grassroots):
        if g in pilot_g:
            continue
        congress = _congress(cycle, g)
        children_held = all(c.pk in held_cells for c in cells if c.path.startswith(g.path))
        if children_held and i % 2 == 0:
            _hold(congress, D(2025, 4, 15) + datetime.timedelta(days=i % 70))
        elif i % 3 == 0:
            _steps(congress, [("prepare", D(2025, 4, 20)), ("approve", D(2025, 5, 5))])
        elif i % 3 == 1:
            _steps(congress, [("prepare", D(2025, 5, 10))])

    # Mid-cycle: the last two rural districts merge on 1 July into one district.
    rural = [d for d in districts if d.name.startswith("Huyện ")]
    if len(rural) < 2:
        rural = districts
    if len(rural) >= 2:
        first, second = rural[-2], rural[-1]
        org_actions.units_merge(
            actor=SYSTEM,
            sources=[first, second],
            effective_date=MERGER_DAY,
            new_code=first.code + second.code.rsplit("-", 1)[-1],
            new_name=f"{first.name} – {second.name.removeprefix('Huyện ')}",
        )
        # The merger changed the plan: the province approves it again.
        actions.plan_approve(
            actor=SYSTEM, cycle=cycle, unit=root, remarks="Kế hoạch sau hợp nhất huyện"
        )
    # The first district prepares and is approved to convene; its children are not all done.
    if districts:
        d = Congress.objects.select_related("unit", "cycle").get(cycle=cycle, unit=districts[0])
        if d.state == workflow.PLANNED:
            _steps(d, [("prepare", D(2025, 6, 2)), ("approve", D(2025, 7, 10))])
    return cycle

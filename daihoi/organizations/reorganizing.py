"""Running a prepared reorganization, and seeing what it does before it is confirmed.

`observe` runs the reorganizing action of a `PreparedReorganization` and records its effects:
members and child units moved, units closed and formed, the congresses re-planned or
cancelled (as the congress app's `cycle_replan` audit event says), the role grants and
committee seats left on closing units. The preview is `observe` in a transaction that is
rolled back; the confirmation is `observe` for real. The same code answers both, so the
confirmation does what the preview showed (it refuses when the fingerprint differs).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.core.models import AuditEvent
from daihoi.organizations.actions.units import (
    SplitPart,
    level_abolish,
    unit_rename,
    unit_split,
    units_merge,
)
from daihoi.organizations.models import (
    CURRENT_STATUSES,
    CommitteeSeat,
    Person,
    PreparedReorganization,
    Reorganization,
    Unit,
)
from daihoi.organizations.queries import unit_parent

Kind = Reorganization.Kind


@dataclass(frozen=True)
class Moved:
    source: str
    target: str
    count: int


@dataclass(frozen=True)
class Replanned:
    unit_code: str
    step: str  # "create", "retype" or "cancel"
    congress_type: str = ""
    earliest: str = ""
    latest: str = ""
    successor_code: str = ""


@dataclass(frozen=True)
class Affected:
    unit_code: str
    what: str  # a role code or a committee body
    count: int


@dataclass
class Effects:
    """What a reorganization does, in unit codes (never database ids)."""

    closed: list[str] = field(default_factory=list)
    formed: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # [old name, new name]
    members: list[Moved] = field(default_factory=list)
    children: list[Moved] = field(default_factory=list)
    congresses: list[Replanned] = field(default_factory=list)
    roles: list[Affected] = field(default_factory=list)
    seats: list[Affected] = field(default_factory=list)
    other_events: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def fingerprint(self) -> str:
        blob = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @property
    def members_moved(self) -> int:
        return sum(m.count for m in self.members)


def unit_codes(prepared: PreparedReorganization) -> list[str]:
    """The units a prepared reorganization acts on (sources; the unit split or renamed)."""
    spec = prepared.spec
    if prepared.kind == Kind.MERGE:
        return [*spec.get("sources", []), *([spec["into"]] if spec.get("into") else [])]
    if prepared.kind in (Kind.SPLIT, Kind.RENAME):
        return [spec.get("unit", "")]
    return []


def _unit(code: str, field_name: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise refusal(
            _("Unit %(code)s is unknown.") % {"code": code}, code="unit_unknown", field=field_name
        )
    return unit


def run(*, actor: Any, prepared: PreparedReorganization) -> Reorganization:
    """Call the reorganizing action the prepared record describes."""
    spec, day = prepared.spec, prepared.effective_date
    if prepared.kind == Kind.MERGE:
        into = spec.get("into") or ""
        reorg, _target = units_merge(
            actor=actor,
            sources=[_unit(c, "sources") for c in spec.get("sources", [])],
            effective_date=day,
            into=_unit(into, "into") if into else None,
            new_code=spec.get("new_code", ""),
            new_name=spec.get("new_name", ""),
        )
        return reorg
    if prepared.kind == Kind.SPLIT:
        parts = [
            SplitPart(
                p["code"],
                p["name"],
                tuple(p.get("child_codes", ())),
                tuple(int(i) for i in p.get("member_ids", ())),
            )
            for p in spec.get("parts", [])
        ]
        reorg, _parts = unit_split(
            actor=actor, unit=_unit(spec["unit"], "unit"), parts=parts, effective_date=day
        )
        return reorg
    if prepared.kind == Kind.RENAME:
        return unit_rename(
            actor=actor, unit=_unit(spec["unit"], "unit"), name=spec["name"], effective_date=day
        )
    return level_abolish(
        actor=actor,
        root=Unit.objects.get(pk=prepared.unit_id),
        level=spec["level"],
        effective_date=day,
    )


def _affected_units(prepared: PreparedReorganization) -> list[Unit]:
    if prepared.kind == Kind.ABOLISH_LEVEL:
        root = Unit.objects.get(pk=prepared.unit_id)
        return list(
            Unit.objects.filter(
                path__startswith=root.path, level=prepared.spec.get("level"), active_until=None
            ).order_by("path")
        )
    return list(Unit.objects.filter(code__in=unit_codes(prepared)).order_by("path"))


def _snapshot(units: list[Unit]) -> tuple[dict[int, str], dict[str, str]]:
    people = dict(
        Person.objects.filter(unit__in=units, status__in=CURRENT_STATUSES).values_list(
            "pk", "unit__code"
        )
    )
    children: dict[str, str] = {}
    for unit in units:
        for child in Unit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1, active_until=None
        ):
            children[child.code] = unit.code
    return people, children


def _moves(before: dict[Any, str], after: dict[Any, str]) -> list[Moved]:
    counts = Counter((before[k], after[k]) for k in before if after.get(k, before[k]) != before[k])
    return [Moved(s, t, n) for (s, t), n in sorted(counts.items())]


def observe(*, actor: Any, prepared: PreparedReorganization) -> tuple[Reorganization, Effects]:
    """Run the prepared reorganization and say what it did."""
    units = _affected_units(prepared)
    people, children = _snapshot(units)
    names = {u.code: u.name for u in units}
    before_units = set(Unit.objects.values_list("code", flat=True))
    last_event = AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    reorg = run(actor=actor, prepared=prepared)
    audit.flush()  # the events it recorded are read below
    effects = Effects()
    now = {u.code: u for u in Unit.objects.filter(code__in=[u.code for u in units])}
    effects.closed = sorted(c for c, u in now.items() if u.active_until is not None)
    effects.formed = sorted(set(Unit.objects.values_list("code", flat=True)) - before_units)
    effects.renamed = [
        f"{names[c]} → {u.name}" for c, u in sorted(now.items()) if u.name != names[c]
    ]
    people_after = dict(Person.objects.filter(pk__in=list(people)).values_list("pk", "unit__code"))
    effects.members = _moves(people, people_after)
    children_after: dict[str, str] = {}
    for child in Unit.objects.filter(code__in=list(children)):
        parent = unit_parent(child)
        children_after[child.code] = parent.code if parent else ""
    effects.children = _moves(children, children_after)
    closing = [u for u in units if u.code in effects.closed]
    effects.roles = _roles_on(closing)
    seat_counts = Counter(
        (s.unit.code, s.body)
        for s in CommitteeSeat.objects.filter(unit__in=closing).select_related("unit")
        if s.term_end >= prepared.effective_date.year
    )
    effects.seats = [Affected(u, b, n) for (u, b), n in sorted(seat_counts.items())]
    own = {"units_merge", "unit_split", "unit_rename", "level_abolish", "unit_create"}
    for event in AuditEvent.objects.filter(pk__gt=last_event).order_by("pk"):
        if event.action == "cycle_replan":
            effects.congresses += [
                Replanned(
                    unit_code=s["unit_code"],
                    step=s["step"],
                    congress_type=s.get("congress_type", ""),
                    earliest=s.get("earliest", ""),
                    latest=s.get("latest", ""),
                    successor_code=s.get("successor_code", ""),
                )
                for s in event.changes.get("steps", [])
            ]
        elif event.action not in own:
            effects.other_events.append(event.action)
    return reorg, effects


def _roles_on(units: list[Unit]) -> list[Affected]:
    """Role grants still active on units that close (they keep covering a closed unit)."""
    from daihoi.accounts.models import RoleGrant

    today = datetime.date.today()
    counts = Counter(
        (g.unit.code, g.role)
        for g in RoleGrant.objects.filter(unit__in=units, revoked_at=None).select_related("unit")
        if g.valid_until is None or g.valid_until >= today
    )
    return [Affected(u, r, n) for (u, r), n in sorted(counts.items())]


class _DryRun(Exception):
    pass


def preview(*, actor: Any, prepared: PreparedReorganization) -> Effects:
    """What confirming `prepared` would do now: `observe` in a rolled-back transaction."""
    result: list[Effects] = []
    try:
        with transaction.atomic():
            _reorg, effects = observe(actor=actor, prepared=prepared)
            result.append(effects)
            raise _DryRun
    except _DryRun:
        pass
    finally:
        # Grants cached on the user were read while paths were moved; read them afresh.
        getattr(actor, "__dict__", {}).pop("_daihoi_scope_cache", None)
    return result[0]


def effects_from_json(data: dict[str, Any]) -> Effects:
    """The effects a confirmed reorganization recorded."""
    if not data:
        return Effects()
    return Effects(
        closed=list(data.get("closed", [])),
        formed=list(data.get("formed", [])),
        renamed=list(data.get("renamed", [])),
        members=[Moved(**m) for m in data.get("members", [])],
        children=[Moved(**m) for m in data.get("children", [])],
        congresses=[Replanned(**c) for c in data.get("congresses", [])],
        roles=[Affected(**a) for a in data.get("roles", [])],
        seats=[Affected(**a) for a in data.get("seats", [])],
        other_events=list(data.get("other_events", [])),
    )

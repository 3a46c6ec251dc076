"""Pages for reorganizing the units below a unit: merge, split, rename, abolish a level.

The organizer of the higher level (or an administrator) chooses the units with a search
picker scoped to the unit's subtree, sees the preview (the dry run of the same code the
confirmation runs) and confirms; a merger is confirmed by a second person.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from daihoi.accounts.authority import is_higher
from daihoi.accounts.models import Role
from daihoi.core.access import scoped
from daihoi.core.errors import error_messages
from daihoi.organizations import actions, queries, reorganizing
from daihoi.organizations.models import (
    CommitteeSeat,
    Person,
    PreparedReorganization,
    Reorganization,
    Unit,
)

ORGANIZER: list[str] = [Role.ORGANIZER]
KINDS = [k for k, _label in Reorganization.Kind.choices]
# A split page lists the split unit's own members, each with the part they go to.
SPLIT_MEMBERS_SHOWN = 500


def _organizer_unit(request: HttpRequest, code: str) -> Unit:
    """The unit whose page this is; 404 unless the user organizes its subtree."""
    return queries.access_unit_by_code(request.user, code, roles=ORGANIZER)


def _codes(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def _picked(request: HttpRequest, unit: Unit, codes: list[str]) -> list[Unit]:
    """The chosen units, in the order chosen, limited to what the picker offers."""
    allowed = {
        u.code: u
        for u in Unit.objects.filter(
            code__in=codes,
            path__startswith=unit.path,
            depth__gt=unit.depth,
            active_until__isnull=True,
        )
        if is_higher(request.user, u)
    }
    return [allowed[c] for c in codes if c in allowed]


def _day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@scoped
def reorganize(request: HttpRequest, code: str) -> HttpResponse:
    """Choose a reorganization of the units below this one and prepare it."""
    unit = _organizer_unit(request, code)
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", "merge")
    if kind not in KINDS:
        kind = "merge"
    chosen = _picked(request, unit, _codes(data.getlist("sources")))
    if "remove" in data:
        chosen = [u for u in chosen if u.code != data["remove"]]
    target = None
    if kind in ("split", "rename"):
        chosen = chosen[-1:]  # one unit: the last one picked
        target = chosen[0] if chosen else None
    if request.method == "POST":
        prepared = _prepare(request, unit, kind, chosen)
        if prepared is not None:
            return redirect("organizations:prepared", code=unit.code, pk=prepared.pk)
    levels = sorted(
        {
            u.level
            for u in Unit.objects.filter(
                path__startswith=unit.path, depth__gt=unit.depth, active_until__isnull=True
            ).only("level")
        }
    )
    children = list(queries.unit_children(target)) if target is not None else []
    members, member_count = (
        _split_members(target) if kind == "split" and target is not None else ([], 0)
    )
    part_count = max(2, min(_int(data.get("parts"), 2), 10))
    for member in members:  # a refused form keeps what was chosen
        member.part = _int(data.get(f"member_{member.pk}"), 1)  # type: ignore[attr-defined]
    context = {
        "unit": unit,
        "kind": kind,
        "kinds": Reorganization.Kind.choices,
        "chosen": chosen,
        "target": target,
        "children": children,
        "members": members,
        "members_hidden": member_count - len(members),
        "parts": range(1, part_count + 1),
        "part_count": part_count,
        "levels": levels,
        "query": data.get("q", ""),
        "picks": _picks(request, unit, data.get("q", ""), exclude=chosen),
        "effective_date": data.get("effective_date", ""),
        "waiting": list(queries.prepared_reorganizations(unit, waiting_only=True)),
        "post": data,
    }
    return render(request, "organizations/reorganize.html", context)


def _split_members(unit: Unit) -> tuple[list[Person], int]:
    """The first people whose unit is `unit` itself, and how many there are (the members of
    the units below move with their units). Those not listed go to the first part."""
    people = Person.objects.filter(unit=unit)
    shown = people.order_by(*queries.people_order()).only("pk", "full_name", "member_code")
    return list(shown[:SPLIT_MEMBERS_SHOWN]), people.count()


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _picks(request: HttpRequest, unit: Unit, query: str, *, exclude: list[Unit]) -> list[Unit]:
    if not query.strip():
        return []
    skip = {u.pk for u in exclude}
    return [
        u
        for u in queries.pick_units(request.user, within=unit, query=query, roles=ORGANIZER)
        if u.pk not in skip
    ]


@scoped
def pick_units(request: HttpRequest, code: str) -> HttpResponse:
    """The HTMX search picker: units below this one the user reorganizes."""
    unit = _organizer_unit(request, code)
    chosen = _picked(request, unit, _codes(request.GET.getlist("sources")))
    picks = _picks(request, unit, request.GET.get("q", ""), exclude=chosen)
    return render(
        request,
        "organizations/_unit_picks.html",
        {"unit": unit, "picks": picks, "query": request.GET.get("q", "")},
    )


def _spec(
    kind: str, data: Any, chosen: list[Unit], children: list[Unit], members: list[Person]
) -> dict[str, Any]:
    if kind == "merge":
        into = data.get("into", "")
        sources = [u.code for u in chosen if u.code != into]
        return {
            "sources": sources,
            "into": into if into in {u.code for u in chosen} else "",
            "new_code": data.get("new_code", ""),
            "new_name": data.get("new_name", ""),
        }
    if kind == "split":
        count = max(2, min(_int(data.get("parts"), 2), 10))
        parts = [
            {
                "code": data.get(f"part{i}_code", ""),
                "name": data.get(f"part{i}_name", ""),
                "child_codes": [c.code for c in children if data.get(f"child_{c.code}") == str(i)],
                # Members not given a part go to the first one.
                "member_ids": [m.pk for m in members if data.get(f"member_{m.pk}", "1") == str(i)],
            }
            for i in range(1, count + 1)
        ]
        return {"unit": chosen[0].code if chosen else "", "parts": parts}
    if kind == "rename":
        return {"unit": chosen[0].code if chosen else "", "name": data.get("name", "")}
    return {"level": data.get("level", "")}


def _prepare(
    request: HttpRequest, unit: Unit, kind: str, chosen: list[Unit]
) -> PreparedReorganization | None:
    day = _day(request.POST.get("effective_date", ""))
    if day is None:
        messages.error(request, _("Give the effective date."))
        return None
    if kind in ("merge", "split", "rename") and not chosen:
        messages.error(request, _("Choose the units first."))
        return None
    split = kind == "split" and bool(chosen)
    children = list(queries.unit_children(chosen[0])) if split else []
    members = _split_members(chosen[0])[0] if split else []
    try:
        prepared, _effects = actions.reorganization_prepare(
            actor=request.user,
            unit=unit,
            kind=kind,
            spec=_spec(kind, request.POST, chosen, children, members),
            effective_date=day,
        )
    except (ValidationError, PermissionDenied) as error:
        for message in _refusal_messages(error):
            messages.error(request, message)
        return None
    return prepared


def _refusal_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error_messages(error)
    return [str(error) or _("You may not do this.")]


def _access_prepared(request: HttpRequest, unit: Unit, pk: int) -> PreparedReorganization:
    prepared = queries.prepared_reorganizations(unit).filter(pk=pk).first()
    if prepared is None:
        raise Http404("No such reorganization")
    return prepared


@scoped
def prepared_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A prepared reorganization: what it does (the live preview while it waits), confirm."""
    unit = _organizer_unit(request, code)
    prepared = _access_prepared(request, unit, pk)
    waiting = prepared.status == PreparedReorganization.Status.PREPARED
    if request.method == "POST" and waiting:
        try:
            if "withdraw" in request.POST:
                actions.reorganization_withdraw(actor=request.user, prepared=prepared)
                messages.success(request, _("The reorganization was withdrawn."))
            else:
                actions.reorganization_confirm(
                    actor=request.user,
                    prepared=prepared,
                    fingerprint=request.POST.get("fingerprint", ""),
                )
                messages.success(request, _("The reorganization was carried out."))
        except (ValidationError, PermissionDenied) as error:
            for message in _refusal_messages(error):
                messages.error(request, message)
        return redirect("organizations:prepared", code=unit.code, pk=prepared.pk)
    effects: reorganizing.Effects | None = None
    problems: list[str] = []
    if waiting:
        try:
            effects = reorganizing.preview(actor=request.user, prepared=prepared)
        except (ValidationError, PermissionDenied) as error:
            problems = _refusal_messages(error)
    else:
        effects = reorganizing.effects_from_json(prepared.effects)
    four_eyes = prepared.kind == Reorganization.Kind.MERGE
    context = {
        "unit": unit,
        "prepared": prepared,
        "waiting": waiting,
        "effects": effects,
        "problems": problems,
        "four_eyes": four_eyes,
        "own": prepared.prepared_by_id == request.user.pk,
        "may_confirm": waiting and not (four_eyes and prepared.prepared_by_id == request.user.pk),
        "rows": _display(prepared, effects) if effects is not None else None,
    }
    return render(request, "organizations/prepared.html", context)


def _display(prepared: PreparedReorganization, effects: reorganizing.Effects) -> dict[str, Any]:
    """The effects with unit names, dates and labels for the page."""
    codes = set(reorganizing.unit_codes(prepared)) | set(effects.closed) | set(effects.formed)
    codes |= {m.source for m in effects.members + effects.children}
    codes |= {m.target for m in effects.members + effects.children}
    codes |= {c.unit_code for c in effects.congresses} | {
        c.successor_code for c in effects.congresses
    }
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    if prepared.spec.get("new_code"):
        names.setdefault(prepared.spec["new_code"], prepared.spec.get("new_name", ""))
    for part in prepared.spec.get("parts", []):
        names.setdefault(part.get("code", ""), part.get("name", ""))

    def label(code: str) -> str:
        return f"{names[code]} ({code})" if names.get(code) else code

    steps = {
        "create": _("planned"),
        "retype": _("re-planned"),
        "cancel": _("cancelled"),
    }
    roles = dict(Role.choices)
    bodies = dict(CommitteeSeat.Body.choices)
    return {
        "closed": [label(c) for c in effects.closed],
        "formed": [label(c) for c in effects.formed],
        "renamed": effects.renamed,
        "members": [(label(m.source), label(m.target), m.count) for m in effects.members],
        "members_total": effects.members_moved,
        "children": [(label(m.source), label(m.target), m.count) for m in effects.children],
        "congresses": [
            {
                "unit": label(c.unit_code),
                "step": steps.get(c.step, c.step),
                "type": c.congress_type,
                "earliest": _day(c.earliest),
                "latest": _day(c.latest),
                "successor": label(c.successor_code) if c.successor_code else "",
            }
            for c in effects.congresses
        ],
        "roles": [(label(a.unit_code), roles.get(a.what, a.what), a.count) for a in effects.roles],
        "seats": [(label(a.unit_code), bodies.get(a.what, a.what), a.count) for a in effects.seats],
        "other_events": effects.other_events,
    }

"""Reorganizations prepared on a page and confirmed: four eyes for a merger.

An organizer of the higher level (or an administrator) prepares a merge, split, rename or the
abolition of a level on the page of a unit above the units concerned; the preview shows what
it will do; a confirmation runs it exactly as previewed. A merger is confirmed by another
person than the one who prepared it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_distinct, require_higher, require_role
from daihoi.accounts.models import Role
from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.core.inputs import require_date_between
from daihoi.core.text import nfc
from daihoi.organizations import reorganizing
from daihoi.organizations.models import PreparedReorganization, Reorganization, Unit

Kind = Reorganization.Kind
HIGHER = (Role.ORGANIZER,)


def _require_higher_over(actor: Any, unit: Unit, kind: str, spec: dict[str, Any]) -> None:
    """The actor acts for the level above every unit concerned, all inside `unit`."""
    require_role(actor, unit, HIGHER)
    draft = PreparedReorganization(kind=kind, unit=unit, spec=spec)
    codes = reorganizing.unit_codes(draft)
    found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    for code in codes:
        concerned = found.get(code)
        if concerned is None or not concerned.path.startswith(unit.path):
            raise refusal(
                _("Unit %(code)s is unknown or not in your area.") % {"code": code},
                code="unit_not_in_area",
                field="sources",
            )
        require_higher(actor, concerned, HIGHER)


def _member_ids(values: Any) -> list[int]:
    try:
        return sorted({int(v) for v in values})
    except (TypeError, ValueError):
        raise refusal(
            _("A member of a part is not a person's number."),
            code="split_member_not_number",
            field="parts",
        ) from None


def _clean(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    if kind == Kind.MERGE:
        sources = [c.strip() for c in spec.get("sources", []) if c.strip()]
        if len(set(sources)) != len(sources):
            raise refusal(_("A unit is chosen twice."), code="unit_chosen_twice", field="sources")
        return {
            "sources": sources,
            "into": (spec.get("into") or "").strip(),
            "new_code": (spec.get("new_code") or "").strip(),
            "new_name": nfc(spec.get("new_name") or ""),
        }
    if kind == Kind.SPLIT:
        return {
            "unit": (spec.get("unit") or "").strip(),
            "parts": [
                {
                    "code": (p.get("code") or "").strip(),
                    "name": nfc(p.get("name") or ""),
                    "child_codes": sorted(p.get("child_codes", [])),
                    "member_ids": _member_ids(p.get("member_ids", [])),
                }
                for p in spec.get("parts", [])
            ],
        }
    if kind == Kind.RENAME:
        return {"unit": (spec.get("unit") or "").strip(), "name": nfc(spec.get("name") or "")}
    if kind == Kind.ABOLISH_LEVEL:
        return {"level": (spec.get("level") or "").strip()}
    raise refusal(_("Unknown kind of reorganization."), code="reorganization_kind", field="kind")


@action()
def reorganization_prepare(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    spec: dict[str, Any],
    effective_date: datetime.date,
) -> tuple[PreparedReorganization, reorganizing.Effects]:
    """Prepare a reorganization of units below `unit`; returns it with its preview.

    The preview is a dry run of the reorganizing action: whatever it refuses is refused here.
    """
    spec = _clean(kind, spec)
    _require_higher_over(actor, unit, kind, spec)
    require_date_between(effective_date, field="effective_date")
    prepared = PreparedReorganization(
        kind=kind, unit=unit, spec=spec, effective_date=effective_date, prepared_by=actor
    )
    effects = reorganizing.preview(actor=actor, prepared=prepared)
    prepared.save()
    audit.record(
        actor=actor,
        action="reorganization_prepare",
        obj=prepared,
        unit_path=unit.path,
        changes={
            "kind": kind,
            "spec": spec,
            "effective_date": effective_date,
            "fingerprint": effects.fingerprint,
        },
    )
    return prepared, effects


def _require_waiting(prepared: PreparedReorganization) -> None:
    if prepared.status != PreparedReorganization.Status.PREPARED:
        raise refusal(
            _("This reorganization is no longer waiting for confirmation."),
            code="reorganization_not_waiting",
        )


@action()
def reorganization_confirm(
    *, actor: Any, prepared: PreparedReorganization, fingerprint: str
) -> Reorganization:
    """Run a prepared reorganization exactly as its preview `fingerprint` showed it."""
    prepared = PreparedReorganization.objects.select_for_update().get(pk=prepared.pk)
    unit = Unit.objects.get(pk=prepared.unit_id)
    _require_higher_over(actor, unit, prepared.kind, prepared.spec)
    if prepared.kind == Kind.MERGE:
        require_distinct(
            actor,
            prepared.prepared_by,
            message=_("A merger is confirmed by another person than the one who prepared it."),
        )
    _require_waiting(prepared)
    reorg, effects = reorganizing.observe(actor=actor, prepared=prepared)
    if effects.fingerprint != fingerprint:
        raise refusal(
            _("The units changed since this preview; look at the new preview and confirm again."),
            code="reorganization_preview_stale",
        )
    prepared.status = PreparedReorganization.Status.CONFIRMED
    prepared.confirmed_by = actor
    prepared.decided_at = timezone.now()
    prepared.reorganization = reorg
    prepared.effects = effects.as_json()
    prepared.save()
    audit.record(
        actor=actor,
        action="reorganization_confirm",
        obj=prepared,
        unit_path=unit.path,
        changes={
            "kind": prepared.kind,
            "reorganization": reorg.pk,
            "prepared_by": prepared.prepared_by_id,
            "fingerprint": fingerprint,
        },
    )
    return reorg


@action()
def reorganization_withdraw(*, actor: Any, prepared: PreparedReorganization) -> None:
    unit = Unit.objects.get(pk=prepared.unit_id)
    require_role(actor, unit, HIGHER)
    _require_waiting(prepared)
    prepared.status = PreparedReorganization.Status.WITHDRAWN
    prepared.decided_at = timezone.now()
    prepared.confirmed_by = actor
    prepared.save(update_fields=["status", "decided_at", "confirmed_by"])
    audit.record(
        actor=actor,
        action="reorganization_withdraw",
        obj=prepared,
        unit_path=unit.path,
        changes={"kind": prepared.kind},
    )

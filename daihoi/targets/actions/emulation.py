"""Emulation movements (Law 06/2022/QH15 art. 16-18): launch, registration, results, scores,
commendations and their revocation."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role, user_of
from daihoi.accounts.models import Role
from daihoi.core import audit, clock
from daihoi.core.errors import field_errors, refusal
from daihoi.organizations.models import Unit
from daihoi.rulebooks.loader import load_rulebook
from daihoi.targets.models import Commendation, Criterion, Movement, Registration, Result

ORGANIZER = [Role.ORGANIZER]


def _rules(rulebook_id: str) -> Any:
    rules = load_rulebook(rulebook_id).emulation
    if rules is None:
        raise ValidationError(_("The rulebook has no emulation rules."), code="no_emulation_rules")
    return rules


@action(system=True)
def movement_launch(
    *,
    actor: Any,
    unit: Unit,
    theme: str,
    goals: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    criteria: Sequence[tuple[str, str, Any]],
    rulebook_id: str,
) -> Movement:
    """A movement for `unit`'s subtree with weighted criteria (code, name, weight)."""
    require_role(actor, unit, ORGANIZER)
    rules = _rules(rulebook_id)
    errors: dict[str, ValidationError] = {}
    if not theme.strip():
        errors["theme"] = refusal(_("A movement needs a theme."), code="required")
    if not goals.strip():
        errors["goals"] = refusal(_("State the movement's goals."), code="required")
    if ends_on < starts_on:
        errors["ends_on"] = refusal(_("The period ends before it starts."), code="period_reversed")
    weights: list[Decimal] = []
    for _code, _name, weight in criteria:
        try:
            weights.append(Decimal(str(weight)))
        except InvalidOperation:
            weights.append(Decimal(-1))
    codes = [c for c, _n, _w in criteria]
    if not criteria:
        errors["criteria"] = refusal(_("Give at least one criterion."), code="no_criteria")
    elif any(w <= 0 for w in weights) or any(not n.strip() for _c, n, _w in criteria):
        errors["criteria"] = refusal(
            _("Every criterion needs a name and a positive weight."), code="invalid_criterion"
        )
    elif len(set(codes)) != len(codes):
        errors["criteria"] = refusal(_("Criterion codes must differ."), code="duplicate")
    if errors:
        raise field_errors(errors)
    movement = Movement.objects.create(
        unit=unit,
        theme=theme.strip(),
        goals=goals.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        stage=rules.stages.value[0],
        rulebook_id=rulebook_id,
        launched_by=user_of(actor),
    )
    Criterion.objects.bulk_create(
        [
            Criterion(movement=movement, code=c, name=n.strip(), weight=w)
            for (c, n, _w), w in zip(criteria, weights, strict=True)
        ]
    )
    audit.record(
        actor=actor,
        action="movement_launch",
        obj=movement,
        unit_path=unit.path,
        changes={
            "theme": movement.theme,
            "criteria": [[c, str(w)] for c, w in zip(codes, weights, strict=True)],
        },
    )
    return movement


@action(system=True)
def movement_advance(*, actor: Any, movement: Movement) -> Movement:
    """The next stage: launch, implementation, preliminary review, final review."""
    require_role(actor, movement.unit, ORGANIZER)
    stages = list(_rules(movement.rulebook_id).stages.value)
    index = stages.index(movement.stage) if movement.stage in stages else 0
    if index + 1 >= len(stages):
        raise ValidationError(_("The movement is at its final stage."), code="final_stage")
    before, movement.stage = movement.stage, stages[index + 1]
    movement.save(update_fields=["stage"])
    audit.record(
        actor=actor,
        action="movement_advance",
        obj=movement,
        unit_path=movement.unit.path,
        changes={"stage": [before, movement.stage]},
    )
    return movement


@action(system=True)
def registration_create(
    *, actor: Any, movement: Movement, unit: Unit, commitment: str
) -> Registration:
    """A unit of the movement's subtree registers with its commitment."""
    require_role(actor, unit, ORGANIZER)
    errors: dict[str, ValidationError] = {}
    if not unit.path.startswith(movement.unit.path) or unit.pk == movement.unit.pk:
        errors["unit"] = refusal(
            _("Only units below the launching unit register."), code="outside_movement"
        )
    if Registration.objects.filter(movement=movement, unit=unit).exists():
        errors["unit"] = refusal(_("This unit is already registered."), code="duplicate")
    if not commitment.strip():
        errors["commitment"] = refusal(_("State the unit's commitment."), code="required")
    if errors:
        raise field_errors(errors)
    registration = Registration.objects.create(
        movement=movement,
        unit=unit,
        commitment=commitment.strip(),
        registered_on=clock.today(),
    )
    audit.record(
        actor=actor,
        action="movement_register",
        obj=registration,
        unit_path=unit.path,
        changes={"movement": movement.pk, "commitment": registration.commitment},
    )
    return registration


@action(system=True)
def result_report(
    *, actor: Any, registration: Registration, criterion: Criterion, evidence: str
) -> Result:
    """The registered unit reports its result on a criterion, with evidence."""
    require_role(actor, registration.unit, ORGANIZER)
    if criterion.movement_id != registration.movement_id:
        raise refusal(
            _("Not a criterion of this movement."), code="wrong_movement", field="criterion"
        )
    if not evidence.strip():
        raise refusal(_("Give the evidence."), code="required", field="evidence")
    result, _created = Result.objects.update_or_create(
        registration=registration,
        criterion=criterion,
        defaults={"evidence": evidence.strip(), "reported_on": clock.today()},
    )
    audit.record(
        actor=actor,
        action="movement_result_report",
        obj=result,
        unit_path=registration.unit.path,
        changes={"criterion": criterion.code, "evidence": result.evidence},
    )
    return result


@action(system=True)
def result_score(*, actor: Any, result: Result, score: Any) -> Result:
    """The launching unit scores a reported result from 0 to 100."""
    movement = result.registration.movement
    require_role(actor, movement.unit, ORGANIZER)
    try:
        value = Decimal(str(score))
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(100):
        raise refusal(_("A score lies between 0 and 100."), code="score_range", field="score")
    before, result.score = result.score, value
    result.save(update_fields=["score"])
    audit.record(
        actor=actor,
        action="movement_result_score",
        obj=result,
        unit_path=movement.unit.path,
        changes={"score": [before, value], "unit": result.registration.unit.code},
    )
    return result


@action(system=True)
def commendation_award(
    *,
    actor: Any,
    registration: Registration,
    level: str,
    decision_ref: str,
    awarded_on: datetime.date,
) -> Commendation:
    movement = registration.movement
    require_role(actor, movement.unit, ORGANIZER)
    levels = [lv.code for lv in _rules(movement.rulebook_id).commendation_levels.value]
    errors: dict[str, ValidationError] = {}
    if level not in levels:
        errors["level"] = refusal(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(levels)}, code="invalid_choice"
        )
    if not decision_ref.strip():
        errors["decision_ref"] = refusal(_("Cite the commendation decision."), code="required")
    if errors:
        raise field_errors(errors)
    commendation = Commendation.objects.create(
        registration=registration,
        level=level,
        decision_ref=decision_ref.strip(),
        awarded_on=awarded_on,
    )
    audit.record(
        actor=actor,
        action="commendation_award",
        obj=commendation,
        unit_path=movement.unit.path,
        changes={
            "unit": registration.unit.code,
            "level": level,
            "decision": commendation.decision_ref,
        },
    )
    return commendation


@action()
def commendation_revoke(*, actor: Any, commendation: Commendation, reason: str) -> Commendation:
    """A commendation obtained by fraud is revoked; the reason is kept and audited."""
    movement = commendation.registration.movement
    require_role(actor, movement.unit, ORGANIZER)
    if commendation.revoked_on is not None:
        raise ValidationError(_("This commendation is already revoked."), code="already_revoked")
    if not reason.strip():
        raise refusal(_("Give the reason for revocation."), code="required", field="reason")
    commendation.revoked_on = clock.today()
    commendation.revoked_reason = reason.strip()
    commendation.revoked_by = user_of(actor)
    commendation.save(update_fields=["revoked_on", "revoked_reason", "revoked_by"])
    audit.record(
        actor=actor,
        action="commendation_revoke",
        obj=commendation,
        unit_path=movement.unit.path,
        changes={
            "unit": commendation.registration.unit.code,
            "reason": commendation.revoked_reason,
        },
    )
    return commendation

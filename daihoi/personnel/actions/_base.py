"""Shared helpers of the personnel actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daihoi.accounts.authority import require_role, user_of
from daihoi.accounts.models import Role
from daihoi.personnel.models import Plan

ORGANIZER = (Role.ORGANIZER,)


def locked_plan(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update()
        .select_related("congress__unit", "congress__cycle")
        .get(pk=plan.pk)
    )


def require_plan_organizer(actor: Any, plan: Plan) -> None:
    require_role(actor, plan.congress.unit, ORGANIZER)


def require_open(plan: Plan) -> None:
    """An approved plan is frozen: it must be re-opened (audited) before any change."""
    if plan.state == Plan.State.APPROVED:
        raise ValidationError(
            _("The plan is approved and frozen; re-open it to change it."), code="plan_frozen"
        )


def touch(plan: Plan, actor: Any) -> None:
    plan.last_changed_by = user_of(actor)
    plan.save(update_fields=["last_changed_by"])

"""The congress lifecycle: gate facts, refusals said for the user, transitions, exemptions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_higher, require_role
from daihoi.congresses import queries, workflow
from daihoi.congresses.actions._base import ORGANIZER, is_user
from daihoi.congresses.models import (
    CascadeExemption,
    Congress,
    CongressEvent,
)
from daihoi.core import audit, hooks
from daihoi.core.errors import field_errors, refusal
from daihoi.rulebooks.loader import load_rulebook


def refusal_message(refusal: workflow.Refusal) -> str:
    """A gate's refusal, said for the user."""
    p = refusal.params
    messages: dict[str, Callable[[], str]] = {
        "wrong_state": lambda: (
            _("A congress in state “%(state)s” cannot be %(t)s.")
            % {"state": state_label(str(p["state"])), "t": transition_label(str(p["transition"]))}
        ),
        "plan_not_approved": lambda: _(
            "The plan for this unit has not been approved by the higher level."
        ),
        "children_not_done": lambda: (
            _(
                "%(open)s of %(total)s child congresses not concluded, and the higher level has "
                "recorded no exemption."
            )
            % p
        ),
        "before_window": lambda: _("%(on)s is before the window opens on %(earliest)s.") % p,
        "after_window": lambda: (
            _(
                "%(on)s is after the window closed on %(latest)s; the higher level must approve "
                "a postponement first."
            )
            % p
        ),
        "not_approved_to_convene": lambda: _(
            "The higher level has not approved this congress to convene."
        ),
        "ends_before_start": lambda: (
            _("It cannot end on %(on)s, before it started on %(starts_on)s.") % p
        ),
        "too_long": lambda: (
            _("It would last %(days)s days; the rulebook allows at most %(allowed)s.") % p
        ),
        "reason_required": lambda: _("Give a reason."),
        "new_latest_required": lambda: _("Give the new latest date."),
        "new_latest_not_later": lambda: _("The new latest date must be after %(latest)s.") % p,
        "pilots_first": lambda: (
            _("%(n)s pilot congresses beside this one have not concluded; pilots go first.") % p
        ),
    }
    make = messages.get(refusal.code)
    return make() if make else refusal.code


def state_label(code: str) -> str:
    labels = {
        workflow.PLANNED: _("planned"),
        workflow.PREPARING: _("preparing"),
        workflow.APPROVED: _("approved to convene"),
        workflow.IN_SESSION: _("in session"),
        workflow.CONCLUDED: _("concluded"),
        workflow.CONFIRMED: _("results confirmed"),
        workflow.CANCELLED: _("cancelled"),
        workflow.POSTPONED: _("postponed"),
    }
    return labels.get(code, code)


def transition_label(code: str) -> str:
    labels = {
        "prepare": _("start preparing"),
        "approve": _("approve to convene"),
        "convene": _("convene"),
        "conclude": _("conclude"),
        "confirm": _("confirm results"),
        "postpone": _("postpone"),
        "resume": _("resume preparing"),
        "cancel": _("cancel"),
        "reopen": _("reopen"),
    }
    return labels.get(code, code)


def gather_facts(
    congress: Congress,
    *,
    on: datetime.date,
    reason: str = "",
    new_latest: datetime.date | None = None,
    gates: tuple[workflow.Gate, ...] | None = None,
) -> workflow.Facts:
    """The facts `gates` look at (all of them when None); facts no gate needs are not queried."""

    def needed(gate: workflow.Gate) -> bool:
        return gates is None or gate in gates

    cascade = needed(workflow.gate_children_done)
    children = queries.children_of_congress(congress) if cascade else queries.ChildCount(0, 0)
    return workflow.Facts(
        on=on,
        earliest=congress.earliest,
        latest=congress.latest,
        extended_latest=congress.extended_latest,
        children_total=children.total,
        children_done=children.done,
        exempted=cascade and CascadeExemption.objects.filter(congress=congress).exists(),
        convene_approved=congress.convene_approved_by_id is not None
        or congress.convene_approved_on is not None,
        plan_approved=needed(workflow.gate_plan_approved)
        and queries.plan_approved_for(congress.cycle, congress.unit),
        starts_on=congress.starts_on,
        max_duration_days=congress.max_duration_days,
        reason=reason,
        new_latest=new_latest,
    )


def pilots_refusal(congress: Congress, t: workflow.Transition) -> workflow.Refusal | None:
    """Pilot congresses go first where the rulebook says so (checked on convening)."""
    if t.code != "convene" or congress.pilot:
        return None
    book = load_rulebook(congress.cycle.rulebook_id)
    try:
        pilots_first = book.schedule_for(congress.unit.level).pilots_first.value
    except KeyError:
        return None
    if not pilots_first:
        return None
    n = queries.open_sibling_pilots(congress)
    return workflow.Refusal("pilots_first", {"n": n}) if n else None


def transition_refusal_errors(
    *,
    congress: Congress,
    transition: str,
    on: datetime.date,
    reason: str = "",
    new_latest: datetime.date | None = None,
) -> list[ValidationError]:
    """Why `transition` cannot be taken now: one error per gate, with the gate's code."""
    t = workflow.transition(transition)
    if t is None:
        return [
            ValidationError(
                _("Unknown transition: %(t)s") % {"t": transition}, code="unknown_transition"
            )
        ]
    facts = gather_facts(congress, on=on, reason=reason, new_latest=new_latest, gates=t.gates)
    refusals = workflow.check(t, congress.state, facts)
    if not refusals:
        pilots = pilots_refusal(congress, t)
        refusals = [pilots] if pilots else []
    return [ValidationError(refusal_message(r), code=r.code) for r in refusals]


def transition_refusals(
    *,
    congress: Congress,
    transition: str,
    on: datetime.date,
    reason: str = "",
    new_latest: datetime.date | None = None,
) -> list[str]:
    """Why `transition` cannot be taken now, said for the user; empty when it can."""
    errors = transition_refusal_errors(
        congress=congress, transition=transition, on=on, reason=reason, new_latest=new_latest
    )
    return [e.messages[0] for e in errors]


@action(system=True)
def congress_transition(
    *,
    actor: Any,
    congress: Congress,
    transition: str,
    on: datetime.date | None = None,
    reason: str = "",
    new_latest: datetime.date | None = None,
) -> Congress:
    """Move a congress along its lifecycle if the transition's gates allow it.

    Refuses with a ValidationError on "transition" listing every reason.
    """
    congress = (
        Congress.objects.select_for_update().select_related("unit", "cycle").get(pk=congress.pk)
    )
    t = workflow.transition(transition)
    if t is None:
        raise refusal(
            _("Unknown transition: %(t)s") % {"t": transition},
            code="unknown_transition",
            field="transition",
        )
    if t.authority == "higher":
        require_higher(actor, congress.unit)
    else:
        require_role(actor, congress.unit, ORGANIZER)
    on = on or queries.today()
    if on > queries.today():
        raise refusal(
            _("A step cannot be recorded for a future date."),
            code="step_cannot_recorded_future",
            field="on",
        )
    reason = reason.strip()
    problems = transition_refusal_errors(
        congress=congress, transition=transition, on=on, reason=reason, new_latest=new_latest
    )
    if problems:
        raise field_errors({"transition": problems})
    before = congress.state
    fields = ["state"]
    congress.state = t.target
    if t.code == "approve":
        congress.convene_approved_by = actor if is_user(actor) else None
        congress.convene_approved_on = on
        fields += ["convene_approved_by", "convene_approved_on"]
    elif t.code == "convene":
        congress.starts_on = on
        fields.append("starts_on")
    elif t.code == "conclude":
        congress.ends_on = congress.concluded_on = on
        fields += ["ends_on", "concluded_on"]
    elif t.code == "postpone":
        congress.extended_latest = new_latest
        fields.append("extended_latest")
    congress.save(update_fields=fields)
    CongressEvent.objects.create(
        congress=congress,
        transition=t.code,
        from_state=before,
        to_state=t.target,
        on=on,
        reason=reason,
        actor=actor if is_user(actor) else None,
    )
    audit.record(
        actor=actor,
        action=f"congress_{t.code}",
        obj=congress,
        unit_path=congress.unit.path,
        changes={
            "state": [before, t.target],
            "on": on,
            "reason": reason,
            **({"new_latest": new_latest} if new_latest else {}),
        },
    )
    hooks.congress_transitioned(actor=actor, congress=congress, transition=t.code)
    return congress


@action()
def congress_exempt_from_cascade(
    *, actor: Any, congress: Congress, reason: str
) -> CascadeExemption:
    """The higher level lets a congress convene before all its children's have concluded."""
    require_higher(actor, congress.unit)
    reason = reason.strip()
    if not reason:
        raise refusal(
            _("An exemption needs a reason."), code="exemption_needs_reason", field="reason"
        )
    if congress.state not in workflow.PENDING:
        raise refusal(
            _("Only a congress not yet held can be exempted."),
            code="only_congress_not_held",
            field="reason",
        )
    exemption, _created = CascadeExemption.objects.update_or_create(
        congress=congress,
        defaults={"reason": reason, "granted_by": actor if is_user(actor) else None},
    )
    audit.record(
        actor=actor,
        action="congress_exempt_from_cascade",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"reason": reason},
    )
    return exemption

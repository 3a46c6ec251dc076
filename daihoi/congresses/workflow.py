"""The congress lifecycle as data: states, allowed transitions and their gates.

Pure Python, no Django import. A transition names who may take it (the unit's own organizers
or the higher level's) and the gates it must pass; a gate answers with a `Refusal` that says
why, which the actions translate for the user. Like an OpenSlides workflow, adding a state
or a transition is a change to the tables below, not to the code that runs them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

PLANNED = "planned"
PREPARING = "preparing"
APPROVED = "approved"
IN_SESSION = "in_session"
CONCLUDED = "concluded"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"
POSTPONED = "postponed"

STATES: tuple[str, ...] = (
    PLANNED,
    PREPARING,
    APPROVED,
    IN_SESSION,
    CONCLUDED,
    CONFIRMED,
    CANCELLED,
    POSTPONED,
)
# Not yet held: a reorganization or a new rulebook may still re-plan these.
PENDING: frozenset[str] = frozenset({PLANNED, PREPARING, APPROVED, POSTPONED})
# Held: these count as done for the cascade.
DONE: frozenset[str] = frozenset({CONCLUDED, CONFIRMED})
FINAL: frozenset[str] = frozenset({CONFIRMED, CANCELLED})

Authority = Literal["unit", "higher"]


@dataclass(frozen=True)
class Refusal:
    """Why a gate refuses: a code and the numbers or dates that explain it."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """What the gates look at, gathered once by the action."""

    on: datetime.date
    earliest: datetime.date | None
    latest: datetime.date | None
    extended_latest: datetime.date | None
    children_total: int
    children_done: int
    exempted: bool
    convene_approved: bool
    plan_approved: bool
    starts_on: datetime.date | None
    max_duration_days: Decimal | None
    reason: str = ""
    new_latest: datetime.date | None = None

    @property
    def effective_latest(self) -> datetime.date | None:
        return self.extended_latest or self.latest


Gate = Callable[[Facts], Refusal | None]


def gate_plan_approved(facts: Facts) -> Refusal | None:
    if not facts.plan_approved:
        return Refusal("plan_not_approved")
    return None


def gate_children_done(facts: Facts) -> Refusal | None:
    """A congress convenes only after every child unit's congress has concluded (DESIGN §4.2)."""
    open_children = facts.children_total - facts.children_done
    if open_children > 0 and not facts.exempted:
        return Refusal("children_not_done", {"open": open_children, "total": facts.children_total})
    return None


def gate_within_window(facts: Facts) -> Refusal | None:
    if facts.earliest is not None and facts.on < facts.earliest:
        return Refusal("before_window", {"on": facts.on, "earliest": facts.earliest})
    latest = facts.effective_latest
    if latest is not None and facts.on > latest:
        return Refusal("after_window", {"on": facts.on, "latest": latest})
    return None


def gate_convene_approved(facts: Facts) -> Refusal | None:
    if not facts.convene_approved:
        return Refusal("not_approved_to_convene")
    return None


def gate_not_before_start(facts: Facts) -> Refusal | None:
    if facts.starts_on is not None and facts.on < facts.starts_on:
        return Refusal("ends_before_start", {"on": facts.on, "starts_on": facts.starts_on})
    return None


def gate_within_duration(facts: Facts) -> Refusal | None:
    if facts.starts_on is None or facts.max_duration_days is None:
        return None
    days = (facts.on - facts.starts_on).days + 1
    # A half-day congress still takes one calendar day.
    allowed = max(1, int(facts.max_duration_days.to_integral_value(rounding="ROUND_CEILING")))
    if days > allowed:
        return Refusal("too_long", {"days": days, "allowed": facts.max_duration_days})
    return None


def gate_reason_given(facts: Facts) -> Refusal | None:
    if not facts.reason.strip():
        return Refusal("reason_required")
    return None


def gate_new_latest_after_window(facts: Facts) -> Refusal | None:
    if facts.new_latest is None:
        return Refusal("new_latest_required")
    latest = facts.effective_latest
    if latest is not None and facts.new_latest <= latest:
        return Refusal("new_latest_not_later", {"latest": latest})
    return None


@dataclass(frozen=True)
class Transition:
    code: str
    sources: frozenset[str]
    target: str
    authority: Authority
    gates: tuple[Gate, ...] = ()


TRANSITIONS: tuple[Transition, ...] = (
    Transition("prepare", frozenset({PLANNED}), PREPARING, "unit", (gate_plan_approved,)),
    # The higher level's approval to convene.
    Transition("approve", frozenset({PREPARING}), APPROVED, "higher"),
    Transition(
        "convene",
        frozenset({APPROVED}),
        IN_SESSION,
        "unit",
        (gate_convene_approved, gate_children_done, gate_within_window),
    ),
    Transition(
        "conclude",
        frozenset({IN_SESSION}),
        CONCLUDED,
        "unit",
        (gate_not_before_start, gate_within_duration),
    ),
    Transition("confirm", frozenset({CONCLUDED}), CONFIRMED, "higher"),
    # Only the higher level reopens a finished congress, and says why.
    Transition(
        "reopen", frozenset({CONCLUDED, CONFIRMED}), IN_SESSION, "higher", (gate_reason_given,)
    ),
    Transition(
        "postpone",
        frozenset({PLANNED, PREPARING, APPROVED}),
        POSTPONED,
        "higher",
        (gate_reason_given, gate_new_latest_after_window),
    ),
    Transition("resume", frozenset({POSTPONED}), PREPARING, "unit"),
    Transition(
        "cancel",
        frozenset({PLANNED, PREPARING, APPROVED, POSTPONED}),
        CANCELLED,
        "higher",
        (gate_reason_given,),
    ),
)
BY_CODE: dict[str, Transition] = {t.code: t for t in TRANSITIONS}


def transition(code: str) -> Transition | None:
    return BY_CODE.get(code)


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]


def check(t: Transition, state: str, facts: Facts) -> list[Refusal]:
    """Every reason `t` may not be taken now; empty when it may."""
    if state not in t.sources:
        return [Refusal("wrong_state", {"state": state, "transition": t.code})]
    return [r for r in (gate(facts) for gate in t.gates) if r is not None]

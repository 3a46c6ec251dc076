"""Writes for cycles, congresses and directives: permission-checked, atomic, audited.

`actor=None` means the system (management commands, the demo loader). The public API other
apps use is `congress_transition(...)`; its gates live in `workflow.py`.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role
from daihoi.accounts.queries import require_role
from daihoi.congresses import planning, queries, workflow
from daihoi.congresses.models import (
    ATTACHMENT_EXTENSIONS,
    Acknowledgement,
    CascadeExemption,
    Congress,
    CongressEvent,
    Cycle,
    Directive,
    PlanApproval,
    StudySession,
)
from daihoi.core import audit
from daihoi.core.text import nfc
from daihoi.organizations.models import CURRENT_STATUSES, Person, Reorganization, Unit
from daihoi.organizations.queries import unit_parent
from daihoi.rulebooks.loader import RulebookError, load_rulebook

ORGANIZER = [Role.ORGANIZER]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def require_higher(actor: Any, unit: Unit) -> None:
    """The higher level's organizers decide for a unit; for a root unit, the administrators."""
    if actor is None:  # the system
        return
    parent = unit_parent(unit)
    if parent is None:
        require_role(actor, unit, [Role.ADMIN])
    else:
        require_role(actor, parent, ORGANIZER)


def _rulebook(rulebook_id: str, field: str = "rulebook_id") -> Any:
    try:
        return load_rulebook(rulebook_id)
    except RulebookError:
        raise ValidationError(
            {field: _("There is no rulebook %(id)s.") % {"id": rulebook_id}}
        ) from None


def _terms(book: Any, unit: Unit, *, merged: bool = False) -> planning.PlanTerms:
    try:
        return planning.terms_for(book, unit.level, merged=merged)
    except KeyError:
        raise ValidationError(
            {
                "unit": _("Rulebook %(book)s has no level %(level)s (unit %(code)s).")
                % {"book": book.id, "level": unit.level, "code": unit.code}
            }
        ) from None


def _apply_terms(congress: Congress, terms: planning.PlanTerms) -> None:
    congress.congress_type = terms.congress_type
    congress.contents = list(terms.contents)
    congress.bodies = terms.bodies
    congress.earliest = terms.earliest
    congress.latest = terms.latest
    congress.max_duration_days = terms.max_duration_days


# Cycle and plan ---------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *, actor: Any, name: str, term_start: int, term_end: int, rulebook_id: str, root: Unit
) -> Cycle:
    require_role(actor, root, ORGANIZER)
    name = nfc(name.strip())
    if not name:
        raise ValidationError({"name": _("A cycle needs a name.")})
    if term_end <= term_start:
        raise ValidationError({"term_end": _("The term must end after it starts.")})
    _rulebook(rulebook_id)
    cycle = Cycle.objects.create(
        name=name, term_start=term_start, term_end=term_end, rulebook_id=rulebook_id, root=root
    )
    audit.record(
        actor=actor,
        action="cycle_create",
        obj=cycle,
        unit_path=root.path,
        changes={"name": name, "term": [term_start, term_end], "rulebook": rulebook_id},
    )
    return cycle


@transaction.atomic
def cycle_generate_plan(*, actor: Any, cycle: Cycle, pilots: Sequence[str] = ()) -> int:
    """One congress for every active unit of the cycle's tree that has none yet.

    Idempotent: running it again plans only units added since. `pilots` are unit codes
    whose congresses go first. Returns how many congresses were planned.
    """
    root = Unit.objects.get(pk=cycle.root_id)
    require_role(actor, root, ORGANIZER)
    book = _rulebook(cycle.rulebook_id)
    planned = set(Congress.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
    units = [
        u
        for u in Unit.objects.filter(path__startswith=root.path, active_until__isnull=True)
        .order_by("path")
        .iterator(chunk_size=2000)
        if u.pk not in planned
    ]
    known = {u.code for u in Unit.objects.filter(code__in=list(pilots))}
    unknown = sorted(set(pilots) - known)
    if unknown:
        raise ValidationError(
            {"pilots": _("No such units: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    terms_by_level: dict[str, planning.PlanTerms] = {}
    new: list[Congress] = []
    for unit in units:
        if unit.level not in terms_by_level:
            terms_by_level[unit.level] = _terms(book, unit)
        congress = Congress(cycle=cycle, unit=unit, pilot=unit.code in set(pilots))
        _apply_terms(congress, terms_by_level[unit.level])
        new.append(congress)
    Congress.objects.bulk_create(new, batch_size=2000)
    audit.record(
        actor=actor,
        action="cycle_generate_plan",
        obj=cycle,
        unit_path=root.path,
        changes={"planned": len(new), "pilots": sorted(pilots), "rulebook": cycle.rulebook_id},
    )
    return len(new)


@transaction.atomic
def congress_set_pilot(*, actor: Any, congress: Congress, pilot: bool) -> Congress:
    """The higher level chooses the pilot congresses that go first."""
    require_higher(actor, congress.unit)
    if congress.state not in workflow.PENDING:
        raise ValidationError({"pilot": _("Only a congress not yet held can become a pilot.")})
    Congress.objects.filter(pk=congress.pk).update(pilot=pilot)
    congress.pilot = pilot
    audit.record(
        actor=actor,
        action="congress_set_pilot",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"pilot": pilot},
    )
    return congress


@transaction.atomic
def plan_submit(*, actor: Any, cycle: Cycle, unit: Unit) -> PlanApproval:
    """An organizer of `unit` submits its subtree's plan for the higher level's approval."""
    require_role(actor, unit, ORGANIZER)
    if not unit.path.startswith(cycle.root.path):
        raise ValidationError({"unit": _("This unit is not part of the cycle.")})
    approval, created = PlanApproval.objects.get_or_create(
        cycle=cycle, unit=unit, defaults={"prepared_by": actor if _is_user(actor) else None}
    )
    if not created:
        raise ValidationError({"unit": _("This plan has already been submitted.")})
    audit.record(actor=actor, action="plan_submit", obj=approval, unit_path=unit.path, changes={})
    return approval


@transaction.atomic
def plan_approve(*, actor: Any, cycle: Cycle, unit: Unit) -> PlanApproval:
    """Four eyes: the higher level approves a plan someone else prepared."""
    require_higher(actor, unit)
    approval = PlanApproval.objects.select_for_update().filter(cycle=cycle, unit=unit).first()
    if approval is None:
        raise ValidationError({"unit": _("No plan has been submitted for this unit.")})
    if approval.approved_at is not None:
        raise ValidationError({"unit": _("This plan is already approved.")})
    if actor is not None and approval.prepared_by_id == getattr(actor, "pk", None):
        raise ValidationError(
            {"approved_by": _("The plan must be approved by someone other than who prepared it.")}
        )
    approval.approved_by = actor if _is_user(actor) else None
    approval.approved_at = timezone.now()
    approval.save(update_fields=["approved_by", "approved_at"])
    audit.record(
        actor=actor,
        action="plan_approve",
        obj=approval,
        unit_path=unit.path,
        changes={"prepared_by": approval.prepared_by_id},
    )
    return approval


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


# Lifecycle --------------------------------------------------------------------------------


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


def transition_refusals(
    *,
    congress: Congress,
    transition: str,
    on: datetime.date,
    reason: str = "",
    new_latest: datetime.date | None = None,
) -> list[str]:
    """Why `transition` cannot be taken now, said for the user; empty when it can."""
    t = workflow.transition(transition)
    if t is None:
        return [_("Unknown transition: %(t)s") % {"t": transition}]
    facts = gather_facts(congress, on=on, reason=reason, new_latest=new_latest, gates=t.gates)
    refusals = workflow.check(t, congress.state, facts)
    if not refusals:
        pilots = pilots_refusal(congress, t)
        refusals = [pilots] if pilots else []
    return [refusal_message(r) for r in refusals]


@transaction.atomic
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
        raise ValidationError({"transition": _("Unknown transition: %(t)s") % {"t": transition}})
    if t.authority == "higher":
        require_higher(actor, congress.unit)
    else:
        require_role(actor, congress.unit, ORGANIZER)
    on = on or queries.today()
    if on > queries.today():
        raise ValidationError({"on": _("A step cannot be recorded for a future date.")})
    reason = reason.strip()
    problems = transition_refusals(
        congress=congress, transition=transition, on=on, reason=reason, new_latest=new_latest
    )
    if problems:
        raise ValidationError({"transition": problems})
    before = congress.state
    fields = ["state"]
    congress.state = t.target
    if t.code == "approve":
        congress.convene_approved_by = actor if _is_user(actor) else None
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
        actor=actor if _is_user(actor) else None,
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
    return congress


@transaction.atomic
def congress_exempt_from_cascade(
    *, actor: Any, congress: Congress, reason: str
) -> CascadeExemption:
    """The higher level lets a congress convene before all its children's have concluded."""
    require_higher(actor, congress.unit)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("An exemption needs a reason.")})
    if congress.state not in workflow.PENDING:
        raise ValidationError({"reason": _("Only a congress not yet held can be exempted.")})
    exemption, _created = CascadeExemption.objects.update_or_create(
        congress=congress,
        defaults={"reason": reason, "granted_by": actor if _is_user(actor) else None},
    )
    audit.record(
        actor=actor,
        action="congress_exempt_from_cascade",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"reason": reason},
    )
    return exemption


# Rulebook migration -----------------------------------------------------------------------


@transaction.atomic
def cycle_migrate_rulebook(
    *, actor: Any, cycle: Cycle, rulebook_id: str, fingerprint: str
) -> queries.MigrationPreview:
    """Move a running cycle to another rulebook, applying exactly the preview shown.

    `fingerprint` is the preview's; if the plan changed since, nothing is written.
    """
    cycle = Cycle.objects.select_for_update().select_related("root").get(pk=cycle.pk)
    require_role(actor, cycle.root, ORGANIZER)
    if rulebook_id == cycle.rulebook_id:
        raise ValidationError({"rulebook_id": _("The cycle already follows this rulebook.")})
    new_book = _rulebook(rulebook_id)
    levels = set(
        Congress.objects.filter(cycle=cycle, state__in=sorted(workflow.PENDING))
        .values_list("unit__level", flat=True)
        .distinct()
    )
    missing = sorted(lv for lv in levels if lv not in {x.code for x in new_book.levels})
    if missing:
        raise ValidationError(
            {
                "rulebook_id": _("Rulebook %(id)s has no level %(levels)s.")
                % {"id": rulebook_id, "levels": ", ".join(missing)}
            }
        )
    preview = queries.cycle_migration_preview(cycle, rulebook_id)
    if preview.fingerprint != fingerprint:
        raise ValidationError(
            {"fingerprint": _("The plan changed since the preview; preview the migration again.")}
        )
    by_id = Congress.objects.in_bulk([c.congress_id for c in preview.changes])
    for change in preview.changes:
        congress = by_id[change.congress_id]
        for name, value in change.new_terms().items():
            setattr(congress, name, list(value) if isinstance(value, tuple) else value)
    Congress.objects.bulk_update(list(by_id.values()), list(planning.FIELDS), batch_size=1000)
    old = cycle.rulebook_id
    cycle.rulebook_id = rulebook_id
    cycle.save(update_fields=["rulebook_id"])
    audit.record(
        actor=actor,
        action="cycle_migrate_rulebook",
        obj=cycle,
        unit_path=cycle.root.path,
        changes={
            "rulebook": [old, rulebook_id],
            "fingerprint": fingerprint,
            "congresses": [asdict(c) for c in preview.changes],
        },
    )
    return preview


# Reorganization ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplanStep:
    """One change a reorganization makes to a cycle's plan."""

    cycle_id: int
    unit_code: str
    step: str  # "cancel", "create" or "retype"
    successor_code: str = ""
    congress_type: str = ""


_collector: contextvars.ContextVar[list[ReplanStep] | None] = contextvars.ContextVar(
    "daihoi_replan_collector", default=None
)


class _DryRun(Exception):
    pass


def reorganization_preview(run: Callable[[], object]) -> list[ReplanStep]:
    """What re-planning a reorganization would do: runs `run` (a reorganizing action) and
    rolls it all back. It takes the same code path as applying, so the two cannot diverge."""
    steps: list[ReplanStep] = []
    token = _collector.set(steps)
    try:
        with transaction.atomic():
            run()
            raise _DryRun
    except _DryRun:
        pass
    finally:
        _collector.reset(token)
    return steps


def replan_after_reorganization(*, actor: Any, reorganization: Reorganization) -> None:
    """Listener for `hooks.on_reorganization`: re-plan the pending congresses it touches.

    Merged and newly formed units get the rulebook's type for merged units; pending
    congresses of units that closed are cancelled and linked to their successor's.
    """
    replan_steps(actor=actor, reorganization=reorganization)


def replan_steps(*, actor: Any, reorganization: Reorganization) -> list[ReplanStep]:
    """Re-plan after `reorganization` and return the steps taken."""
    links = list(reorganization.lineage.select_related("predecessor", "successor"))
    if reorganization.kind == Reorganization.Kind.RENAME or not links:
        return []
    new_units = reorganization.kind in (Reorganization.Kind.MERGE, Reorganization.Kind.SPLIT)
    predecessors = {link.predecessor_id for link in links}
    steps: list[ReplanStep] = []
    cycles = Cycle.objects.filter(congresses__unit_id__in=predecessors).distinct().order_by("pk")
    for cycle in cycles.select_related("root"):
        steps += _replan_cycle(
            actor=actor, cycle=cycle, reorganization=reorganization, links=links, merged=new_units
        )
    collected = _collector.get()
    if collected is not None:
        collected.extend(steps)
    return steps


def _replan_cycle(
    *, actor: Any, cycle: Cycle, reorganization: Reorganization, links: list[Any], merged: bool
) -> list[ReplanStep]:
    book = _rulebook(cycle.rulebook_id)
    steps: list[ReplanStep] = []
    successors: dict[int, Congress | None] = {}
    for link in sorted(links, key=lambda lk: lk.successor.code):
        successor = Unit.objects.get(pk=link.successor_id)
        if link.successor_id in successors or not successor.path.startswith(cycle.root.path):
            continue
        congress = Congress.objects.filter(cycle=cycle, unit=successor).first()
        if congress is None and successor.is_active:
            congress = Congress(cycle=cycle, unit=successor, merged=merged)
            _apply_terms(congress, _terms(book, successor, merged=merged))
            congress.save()
            steps.append(
                ReplanStep(cycle.pk, successor.code, "create", congress_type=congress.congress_type)
            )
        elif congress is not None and merged and congress.state in workflow.PENDING:
            terms = _terms(book, successor, merged=True)
            if not congress.merged or congress.congress_type != terms.congress_type:
                congress.merged = True
                _apply_terms(congress, terms)
                congress.save()
                steps.append(
                    ReplanStep(
                        cycle.pk, successor.code, "retype", congress_type=congress.congress_type
                    )
                )
        successors[link.successor_id] = congress
    for link in sorted(links, key=lambda lk: lk.predecessor.code):
        old = Congress.objects.filter(cycle=cycle, unit_id=link.predecessor_id).first()
        if old is None or old.successor_id is not None:
            continue
        old.successor = successors.get(link.successor_id)
        fields = ["successor"]
        if old.state in workflow.PENDING:
            before = old.state
            old.state = workflow.CANCELLED
            old.note = _("Cancelled by reorganization: %(d)s") % {"d": reorganization.description}
            fields += ["state", "note"]
            CongressEvent.objects.create(
                congress=old,
                transition="cancel",
                from_state=before,
                to_state=workflow.CANCELLED,
                on=reorganization.effective_date,
                reason=old.note,
                actor=actor if _is_user(actor) else None,
            )
            steps.append(ReplanStep(cycle.pk, link.predecessor.code, "cancel", link.successor.code))
        old.save(update_fields=fields)
    if steps:
        audit.record(
            actor=actor,
            action="cycle_replan",
            obj=cycle,
            unit_path=cycle.root.path,
            changes={
                "reorganization": reorganization.pk,
                "steps": [asdict(s) for s in steps],
            },
        )
    return steps


# Directives -------------------------------------------------------------------------------


@transaction.atomic
def directive_publish(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    number: str,
    issued_on: datetime.date,
    title: str,
    attachment: UploadedFile | None = None,
    cycle: Cycle | None = None,
) -> Directive:
    """A unit publishes a directive, guidance or plan to its subtree."""
    require_role(actor, unit, [Role.ORGANIZER, Role.DOCUMENT_EDITOR])
    number, title = nfc(number.strip()), nfc(title.strip())
    errors: dict[str, str] = {}
    if kind not in Directive.Kind.values:
        errors["kind"] = _("Choose directive, guidance or plan.")
    if not number:
        errors["number"] = _("Give the document's number, such as 45-CT/TW.")
    elif Directive.objects.filter(unit=unit, number=number).exists():
        errors["number"] = _("This unit has already published %(n)s.") % {"n": number}
    if not title:
        errors["title"] = _("Give the document's title.")
    if attachment is not None:
        ext = (attachment.name or "").rsplit(".", 1)[-1].lower()
        if ext not in ATTACHMENT_EXTENSIONS:
            errors["attachment"] = _("Attach a file of type %(types)s.") % {
                "types": ", ".join(ATTACHMENT_EXTENSIONS)
            }
        elif (attachment.size or 0) > MAX_ATTACHMENT_BYTES:
            errors["attachment"] = _("The file is larger than 10 MB.")
    if errors:
        raise ValidationError(errors)
    directive = Directive(
        unit=unit,
        cycle=cycle,
        kind=kind,
        number=number,
        issued_on=issued_on,
        title=title,
        published_by=actor if _is_user(actor) else None,
    )
    if attachment is not None:
        directive.attachment.save(attachment.name or "attachment", attachment, save=False)
    directive.save()
    audit.record(
        actor=actor,
        action="directive_publish",
        obj=directive,
        unit_path=unit.path,
        changes={"kind": kind, "number": number, "title": title, "file": directive.attachment.name},
    )
    return directive


@transaction.atomic
def directive_acknowledge(*, actor: Any, directive: Directive, unit: Unit) -> Acknowledgement:
    """`unit` (in the directive's subtree) has received the directive. Idempotent."""
    require_role(actor, unit, ORGANIZER)
    if not unit.path.startswith(directive.unit.path) or unit.pk == directive.unit_id:
        raise ValidationError({"unit": _("This directive is not addressed to this unit.")})
    ack, created = Acknowledgement.objects.get_or_create(
        directive=directive, unit=unit, defaults={"by": actor if _is_user(actor) else None}
    )
    if created:
        audit.record(
            actor=actor,
            action="directive_acknowledge",
            obj=directive,
            unit_path=unit.path,
            changes={"unit": unit.code},
        )
    return ack


@transaction.atomic
def study_session_record(
    *,
    actor: Any,
    directive: Directive,
    unit: Unit,
    held_on: datetime.date,
    attendee_ids: Sequence[int],
) -> StudySession:
    """A unit studied a directive; attendance lists its current members who came."""
    require_role(actor, unit, ORGANIZER)
    if not unit.path.startswith(directive.unit.path):
        raise ValidationError({"unit": _("This directive is not addressed to this unit.")})
    members = set(
        Person.objects.filter(
            unit__path__startswith=unit.path, status__in=CURRENT_STATUSES, pk__in=list(attendee_ids)
        ).values_list("pk", flat=True)
    )
    strangers = sorted(set(attendee_ids) - members)
    if strangers:
        raise ValidationError(
            {
                "attendees": _("Not members of %(unit)s: %(ids)s")
                % {"unit": unit.code, "ids": ", ".join(map(str, strangers))}
            }
        )
    session = StudySession.objects.create(directive=directive, unit=unit, held_on=held_on)
    session.attendees.set(sorted(members))
    audit.record(
        actor=actor,
        action="study_session_record",
        obj=session,
        unit_path=unit.path,
        changes={"directive": directive.number, "held_on": held_on, "attendees": len(members)},
    )
    return session

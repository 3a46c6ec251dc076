"""Receiving cases: a member from their account, an inspector recording a letter or a visit,
and the public form without an account."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role, require_signed_in, user_of
from daihoi.cases import queries, rules
from daihoi.cases.actions._base import INSPECTOR, text
from daihoi.cases.models import Case
from daihoi.conduct.models import Delegate
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.core.inputs import require_date_between
from daihoi.organizations.models import Person, Unit
from daihoi.personnel.models import PlanCandidate


@dataclass(frozen=True)
class CaseInput:
    kind: str
    unit: Unit
    subject: str
    content: str
    congress: Congress | None = None
    person: Person | None = None
    topic: str = ""


@dataclass(frozen=True)
class Sender:
    name: str = ""
    address: str = ""
    contact: str = ""
    signers: int = 1


def _validate(item: CaseInput, *, person_required: bool = True) -> dict[str, Any]:
    if item.kind not in Case.Kind.values:
        raise refusal(_("Choose what kind of case this is."), code="unknown_kind", field="kind")
    if item.congress is not None and not item.unit.path.startswith(item.congress.unit.path):
        raise refusal(
            _("The congress must be of the unit concerned or above it."),
            code="congress_outside_unit",
            field="congress",
        )
    topic = item.topic
    if item.kind == Case.Kind.FEEDBACK:
        if topic not in Case.Topic.values:
            raise refusal(_("Choose a topic."), code="unknown_topic", field="topic")
    else:
        topic = ""
        if item.kind == Case.Kind.DENUNCIATION and item.person is None and person_required:
            raise refusal(
                _("A denunciation names the person it is about."),
                code="person_required",
                field="person",
            )
    return {
        "kind": item.kind,
        "unit": item.unit,
        "congress": item.congress,
        "person": item.person,
        "topic": topic,
        "subject": text(item.subject, field="subject", limit=200),
        "content": text(item.content, field="content", limit=20000),
    }


def _links(person: Person | None, congress: Congress | None) -> dict[str, Any]:
    """The candidacy and the roster line of the person concerned, when there is one."""
    if person is None:
        return {}
    candidates = PlanCandidate.objects.filter(person=person, removed_at__isnull=True)
    delegates = Delegate.objects.filter(person=person)
    if congress is not None:
        candidates = candidates.filter(plan__congress=congress)
        delegates = delegates.filter(congress=congress)
    else:
        candidates = candidates.exclude(plan__congress__state__in=["concluded", "cancelled"])
        delegates = delegates.none()
    candidate = candidates.select_related("plan__congress").order_by("-plan__congress_id").first()
    links: dict[str, Any] = {
        "candidate": candidate,
        "delegate": delegates.first(),
    }
    if candidate is not None and congress is None:
        links["congress"] = candidate.plan.congress
    return links


def _create(
    *,
    actor: Any,
    fields: dict[str, Any],
    channel: str,
    sender: Sender,
    received_on: datetime.date,
    postmark_on: datetime.date | None = None,
    sender_user: Any = None,
) -> Case:
    require_date_between(received_on, field="received_on", latest=queries.today())
    if postmark_on is not None and postmark_on > received_on:
        raise refusal(
            _("The postmark cannot be later than the date of receipt."),
            code="postmark_after_receipt",
            field="postmark_on",
        )
    require_date_between(postmark_on, field="postmark_on")
    if sender.signers < 1 or sender.signers > 500:
        raise refusal(_("Give how many people signed."), code="bad_signers", field="signers")
    fields = {**fields, **{k: v for k, v in _links(fields["person"], fields["congress"]).items()}}
    dated = rules.effective_date(received_on, postmark_on)
    case = Case.objects.create(
        **fields,
        channel=channel,
        sender_user=sender_user,
        sender_name=text(sender.name, field="sender_name", limit=200, required=False),
        sender_address=text(sender.address, field="sender_address", limit=300, required=False),
        sender_contact=text(sender.contact, field="sender_contact", limit=200, required=False),
        signers=sender.signers,
        received_on=received_on,
        postmark_on=postmark_on,
        dated_on=dated,
        inside_cutoff=queries.is_inside_cutoff(
            kind=fields["kind"], congress=fields.get("congress"), dated=dated
        ),
        recorded_by=user_of(actor)
        if channel in (Case.Channel.LETTER, Case.Channel.VISIT)
        else None,
    )
    audit.record(
        actor=actor,
        action="case_receive",
        obj=case,
        unit_path=case.unit.path,
        # The sender is not written into the audit trail: it is read more widely than the case.
        changes={
            "kind": case.kind,
            "channel": channel,
            "dated_on": dated.isoformat(),
            "inside_cutoff": case.inside_cutoff,
            "person": case.person.member_code if case.person else "",
        },
    )
    return case


@action()
def case_submit(*, actor: Any, item: CaseInput) -> Case:
    """A member sends a complaint, a denunciation or feedback from their own account."""
    require_signed_in(actor)
    fields = _validate(item)
    person = getattr(actor, "person", None) if getattr(actor, "person_id", None) else None
    name = person.full_name if person is not None else actor.get_full_name() or actor.get_username()
    return _create(
        actor=actor,
        fields=fields,
        channel=Case.Channel.ACCOUNT,
        sender=Sender(name=name, contact=actor.email),
        received_on=queries.today(),
        sender_user=actor,
    )


@action(system=True)
def case_record(
    *,
    actor: Any,
    item: CaseInput,
    channel: str,
    sender: Sender,
    received_on: datetime.date,
    postmark_on: datetime.date | None = None,
) -> Case:
    """An inspector records a letter (with its postmark) or a visit in person."""
    require_role(actor, item.unit, INSPECTOR)
    if channel not in (Case.Channel.LETTER, Case.Channel.VISIT):
        raise refusal(_("Choose letter or visit."), code="unknown_channel", field="channel")
    if channel == Case.Channel.VISIT:
        postmark_on = None
    return _create(
        actor=actor,
        fields=_validate(item),
        channel=channel,
        sender=sender,
        received_on=received_on,
        postmark_on=postmark_on,
    )


@action(public=True)
def case_submit_public(*, item: CaseInput, sender: Sender) -> Case:
    """The public form, without an account (rate limit and challenge are the page's). A
    denunciation may name its person in words: the form never says whether a member code
    exists, so the inspector links the person."""
    from daihoi.accounts.authority import SYSTEM

    return _create(
        actor=SYSTEM,
        fields=_validate(item, person_required=False),
        channel=Case.Channel.PUBLIC_FORM,
        sender=Sender(name=sender.name, address=sender.address, contact=sender.contact),
        received_on=queries.today(),
    )

"""Dossiers with verified provenance: items, their verification, vetting conclusions, and the
log of every view. Only verified items from a competent authority can be cited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_distinct, require_role, user_of
from daihoi.core import audit
from daihoi.core.errors import refusals
from daihoi.personnel import queries
from daihoi.personnel.actions._base import ORGANIZER
from daihoi.personnel.models import DossierItem, DossierView, PlanCandidate, VettingConclusion

MAX_FILE_BYTES = 10 * 1024 * 1024


def citation_rule(candidate: PlanCandidate) -> str:
    rule = queries.personnel_rules(candidate.plan.congress).dossier.citation_rule
    return f"{rule.value.get(get_language() or 'vi')} ({rule.source})"


@action(system=True)
def dossier_item_record(
    *,
    actor: Any,
    candidate: PlanCandidate,
    provenance: str,
    summary: str,
    kind: str = "",
    authority: str = "",
    number: str = "",
    issued_on: datetime.date | None = None,
    file: UploadedFile | None = None,
) -> DossierItem:
    """Record a dossier document from a competent authority, or a lead (social network,
    internet, anonymous letter, hearsay) that is kept but can never be verified or cited."""
    congress = candidate.plan.congress
    require_role(actor, congress.unit, ORGANIZER)
    errors: dict[str, str] = {}
    if provenance not in DossierItem.Provenance.values:
        errors["provenance"] = _("Choose where the information comes from.")
    if not summary.strip():
        errors["summary"] = _("Say what the item is.")
    codes = {c.value.code for c in queries.personnel_rules(congress).dossier.items}
    if provenance == DossierItem.Provenance.AUTHORITY:
        if kind not in codes:
            errors["kind"] = _("Choose the dossier item.")
        if not authority.strip():
            errors["authority"] = _("Name the issuing authority.")
        if not number.strip():
            errors["number"] = _("Give the document number.")
        if issued_on is None:
            errors["issued_on"] = _("Give the date of issue.")
    elif kind:
        errors["kind"] = _("A lead is not a dossier item and fills no place in the checklist.")
    if file is not None and file.size and file.size > MAX_FILE_BYTES:
        errors["file"] = _("The file is larger than 10 MB.")
    if errors:
        raise refusals(errors, code="dossier_item_invalid")
    item = DossierItem.objects.create(
        candidate=candidate,
        kind=kind,
        provenance=provenance,
        summary=summary.strip()[:300],
        authority=authority.strip(),
        number=number.strip(),
        issued_on=issued_on,
        recorded_by=user_of(actor),
    )
    if file is not None:
        item.file.save(file.name or "document", file, save=True)
    audit.record(
        actor=actor,
        action="dossier_item_record",
        obj=item,
        unit_path=congress.unit.path,
        changes={
            "candidate": candidate.pk,
            "kind": kind,
            "provenance": provenance,
            "number": item.number,
        },
    )
    return item


@action(system=True)
def dossier_item_verify(*, actor: Any, item: DossierItem, against: str) -> DossierItem:
    """A second person verifies an authority's document against its original or register."""
    candidate = item.candidate
    require_role(actor, candidate.plan.congress.unit, ORGANIZER)
    require_distinct(
        actor,
        item.recorded_by,
        message=_("The item must be verified by someone other than who recorded it."),
    )
    if item.is_lead:
        raise ValidationError(
            _("A lead cannot be verified or cited. %(rule)s") % {"rule": citation_rule(candidate)},
            code="lead_not_verifiable",
        )
    if item.verified_at is not None:
        raise ValidationError(_("This item is already verified."), code="already_verified")
    if not against.strip():
        raise refusals(
            {"against": _("Say what the item was verified against.")}, code="against_required"
        )
    item.verified_by, item.verified_at = user_of(actor), timezone.now()
    item.verified_against = against.strip()[:300]
    item.save(update_fields=["verified_by", "verified_at", "verified_against"])
    audit.record(
        actor=actor,
        action="dossier_item_verify",
        obj=item,
        unit_path=candidate.plan.congress.unit.path,
        changes={"against": item.verified_against},
    )
    return item


@action(system=True)
def vetting_conclusion_record(
    *, actor: Any, candidate: PlanCandidate, text: str, cited: list[DossierItem]
) -> VettingConclusion:
    """A vetting conclusion may cite only verified items from a competent authority."""
    require_role(actor, candidate.plan.congress.unit, ORGANIZER)
    if not text.strip():
        raise refusals({"text": _("Write the conclusion.")}, code="text_required")
    if not cited:
        raise refusals(
            {"cited": _("A conclusion cites the verified items it rests on.")},
            code="citation_required",
        )
    for item in cited:
        if item.candidate_id != candidate.pk or not item.citable:
            raise refusals(
                {
                    "cited": _("“%(item)s” cannot be cited. %(rule)s")
                    % {"item": item.summary, "rule": citation_rule(candidate)}
                },
                code="citation_not_allowed",
            )
    conclusion = VettingConclusion.objects.create(
        candidate=candidate, text=text.strip(), concluded_by=user_of(actor)
    )
    conclusion.cited.set(cited)
    audit.record(
        actor=actor,
        action="vetting_conclusion_record",
        obj=conclusion,
        unit_path=candidate.plan.congress.unit.path,
        changes={"candidate": candidate.pk, "cited": [i.pk for i in cited]},
    )
    return conclusion


@action()
def dossier_view_record(*, actor: Any, candidate: PlanCandidate) -> DossierView:
    """Log that `actor` opened the dossier (every view is logged: who and when)."""
    require_role(actor, candidate.plan.congress.unit, queries.DOSSIER_ROLES)
    view = DossierView.objects.create(candidate=candidate, viewer=user_of(actor))
    audit.record(
        actor=actor,
        action="dossier_view_record",
        obj=view,
        unit_path=candidate.plan.congress.unit.path,
        changes={"candidate": candidate.pk},
    )
    return view

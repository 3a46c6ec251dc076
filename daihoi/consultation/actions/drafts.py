"""Drafts and their versions (imported from DOCX, Markdown or text), and opening a
consultation on a version."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_role, user_of
from daihoi.congresses.models import Congress
from daihoi.consultation import drafting
from daihoi.consultation.models import (
    Consultation,
    Draft,
    DraftVersion,
    Paragraph,
    Section,
)
from daihoi.consultation.queries.access import EDITOR
from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.core.text import nfc
from daihoi.organizations.models import Unit


def _document_error(error: drafting.DocumentError) -> str:
    messages = {
        "empty": _("The document has no paragraphs."),
        "not_docx": _("The file is not a readable DOCX document."),
        "encoding": _("The file is not UTF-8 text."),
        "format": _("Choose Markdown, plain text or DOCX."),
        "too_large": _("The file is larger than 10 MB, the limit for a draft."),
        "zip_bomb": _("The DOCX file unpacks to far more than a draft holds; it is refused."),
    }
    return messages.get(error.code, str(error))


@action(system=True)
def draft_create(*, actor: Any, congress: Congress, kind: str, title: str) -> Draft:
    require_role(actor, congress.unit, EDITOR)
    title = nfc(title)
    if not title:
        raise refusal(_("A draft needs a title."), code="draft_needs_title", field="title")
    if kind not in Draft.Kind.values:
        raise refusal(_("Unknown kind of draft."), code="unknown_kind_draft", field="kind")
    draft = Draft.objects.create(
        congress=congress, kind=kind, title=title, created_by=user_of(actor)
    )
    audit.record(
        actor=actor,
        action="draft_create",
        obj=draft,
        unit_path=congress.unit.path,
        changes={"congress": congress.pk, "kind": kind, "title": title},
    )
    return draft


@action(system=True)
def draft_version_import(
    *, actor: Any, draft: Draft, source_format: str, data: bytes | str, note: str = ""
) -> DraftVersion:
    """Import a new version; paragraphs similar to the previous version's keep their anchors."""
    unit = draft.congress.unit
    require_role(actor, unit, EDITOR)
    try:
        parsed = drafting.parse(source_format, data)
    except drafting.DocumentError as error:
        raise refusal(_document_error(error), code=error.code, field="source") from error
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    previous = draft.versions.order_by("-number").first()
    old_paragraphs: list[tuple[str, str]] = []
    old_sections: list[tuple[str, str]] = []
    if previous is not None:
        old_paragraphs = list(previous.paragraphs.order_by("number").values_list("anchor", "text"))
        old_sections = list(previous.sections.order_by("number").values_list("anchor", "title"))

    def next_paragraph_anchor() -> str:
        draft.last_paragraph_anchor += 1
        return f"p{draft.last_paragraph_anchor}"

    def next_section_anchor() -> str:
        draft.last_section_anchor += 1
        return f"s{draft.last_section_anchor}"

    paragraph_anchors = drafting.match_anchors(
        old_paragraphs, parsed.paragraphs, new_anchor=next_paragraph_anchor
    )
    titled = [s.title for s in parsed.sections if s.title]
    section_anchors = iter(
        drafting.match_anchors(
            [(a, t) for a, t in old_sections if t], titled, new_anchor=next_section_anchor
        )
    )
    version = DraftVersion.objects.create(
        draft=draft,
        number=(previous.number + 1) if previous else 1,
        source_format=source_format,
        note=nfc(note),
        created_by=user_of(actor),
    )
    anchors = iter(paragraph_anchors)
    number = 0
    paragraphs: list[Paragraph] = []
    for section_number, parsed_section in enumerate(parsed.sections, start=1):
        section = None
        if parsed_section.title:
            section = Section.objects.create(
                version=version,
                anchor=next(section_anchors),
                number=section_number,
                title=parsed_section.title[:500],
            )
        for text in parsed_section.paragraphs:
            number += 1
            paragraphs.append(
                Paragraph(
                    version=version, section=section, anchor=next(anchors), number=number, text=text
                )
            )
    Paragraph.objects.bulk_create(paragraphs)
    draft.save(update_fields=["last_paragraph_anchor", "last_section_anchor"])
    kept = len({a for a, _t in old_paragraphs} & set(paragraph_anchors))
    audit.record(
        actor=actor,
        action="draft_version_import",
        obj=version,
        unit_path=unit.path,
        changes={
            "draft": draft.pk,
            "number": version.number,
            "format": source_format,
            "paragraphs": len(paragraphs),
            "anchors_kept": kept,
        },
    )
    return version


# ---- consultations ------------------------------------------------------------------------


@action(system=True)
def consultation_open(
    *,
    actor: Any,
    version: DraftVersion,
    audience: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    audience_unit: Unit | None = None,
) -> Consultation:
    unit = version.draft.congress.unit
    require_role(actor, unit, EDITOR)
    if audience not in Consultation.Audience.values:
        raise refusal(_("Choose who may comment."), code="choose_who_may_comment", field="audience")
    audience_unit = audience_unit or unit
    if not audience_unit.path.startswith(unit.path):
        raise refusal(
            _("The audience must be the draft's unit or a unit below it."),
            code="audience_draft_s_unit",
            field="audience_unit",
        )
    if closes_at <= opens_at:
        raise refusal(
            _("The consultation must close after it opens."),
            code="consultation_close_after_opens",
            field="closes_at",
        )
    consultation = Consultation.objects.create(
        draft_version=version,
        audience=audience,
        audience_unit=audience_unit,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=user_of(actor),
    )
    audit.record(
        actor=actor,
        action="consultation_open",
        obj=consultation,
        unit_path=unit.path,
        changes={
            "version": version.pk,
            "audience": audience,
            "audience_unit": audience_unit.code,
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
    )
    return consultation

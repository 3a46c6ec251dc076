"""Synthesis and roll-up reports as PDF (WeasyPrint) and XLSX (the one export helper)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.consultation import queries
from daihoi.consultation.models import CommentGroup, Consultation
from daihoi.core.documents import render_pdf
from daihoi.core.exports import XLSX_TYPE, file_response, pdf_response, xlsx_bytes
from daihoi.organizations.models import Unit

LEVEL_COLUMNS = ["national", "province", "above_grassroots", "grassroots", "cell", "public"]


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    return render_pdf(render_to_string(template, context))


def _disposition_cells(group: CommentGroup) -> list[Any]:
    disposition = getattr(group, "disposition", None)
    if disposition is None:
        return ["", "", ""]
    return [disposition.status, disposition.version_number or "", disposition.reason]


def synthesis_context(consultation: Consultation) -> dict[str, Any]:
    groups = list(
        CommentGroup.objects.filter(consultation=consultation)
        .select_related("paragraph", "representative", "disposition")
        .order_by("paragraph__number", "kind", "-size", "pk")
    )
    return {
        "consultation": consultation,
        "draft": consultation.draft_version.draft,
        "figures": queries.paragraph_figures(consultation),
        "totals": queries.consultation_totals(consultation),
        "groups": [g for g in groups if g.kind != CommentGroup.Kind.TOPIC],
        "topics": [g for g in groups if g.kind == CommentGroup.Kind.TOPIC],
        "levels": LEVEL_COLUMNS,
        "generated_at": timezone.localtime(),
    }


def synthesis_xlsx(consultation: Consultation) -> HttpResponse:
    context = synthesis_context(consultation)
    paragraphs = [
        [
            f.paragraph.number if f.paragraph else "",
            f.paragraph.anchor if f.paragraph else "general",
            f.comments,
            f.amendments,
            f.units,
            *[f.by_level.get(level, 0) for level in LEVEL_COLUMNS],
            f.groups,
            f.topics,
            f.unhandled,
        ]
        for f in context["figures"]
    ]
    groups = [
        [
            g.pk,
            g.paragraph.number if g.paragraph else "",
            g.kind,
            g.size,
            g.keywords,
            g.representative.text if g.representative else "",
            *_disposition_cells(g),
        ]
        for g in context["groups"] + context["topics"]
    ]
    body = xlsx_bytes(
        sheets=[
            (
                "paragraphs",
                [
                    "paragraph",
                    "anchor",
                    "comments",
                    "amendments",
                    "units",
                    *LEVEL_COLUMNS,
                    "groups",
                    "topics",
                    "unhandled",
                ],
                paragraphs,
            ),
            (
                "groups",
                [
                    "group",
                    "paragraph",
                    "kind",
                    "size",
                    "keywords",
                    "representative",
                    "disposition",
                    "version",
                    "reason",
                ],
                groups,
            ),
        ]
    )
    return file_response(body, filename=f"synthesis-{consultation.pk}.xlsx", content_type=XLSX_TYPE)


def synthesis_pdf(consultation: Consultation) -> HttpResponse:
    body = _pdf("consultation/report_synthesis.html", synthesis_context(consultation))
    return pdf_response(body, f"synthesis-{consultation.pk}.pdf", inline=False)


def rollup_xlsx(unit: Unit) -> HttpResponse:
    rows = queries.rollup(unit)
    by_level = [
        [
            r.consultation.draft_version.draft.title,
            r.consultation.draft_version.draft.congress.unit.code,
            r.total,
            *[r.by_level.get(level, 0) for level in LEVEL_COLUMNS[:-1]],
            r.unhandled,
        ]
        for r in rows
    ]
    by_child = [
        [r.consultation.draft_version.draft.title, child.code, child.name, n]
        for r in rows
        for child, n in ([(unit, r.own)] if r.own else []) + r.by_child
    ]
    body = xlsx_bytes(
        sheets=[
            (
                "by level",
                ["draft", "owner", "comments", *LEVEL_COLUMNS[:-1], "unhandled"],
                by_level,
            ),
            ("by unit", ["draft", "unit code", "unit", "comments"], by_child),
        ]
    )
    return file_response(body, filename=f"rollup-{unit.code}.xlsx", content_type=XLSX_TYPE)


def rollup_pdf(unit: Unit) -> HttpResponse:
    context = {
        "unit": unit,
        "rows": queries.rollup(unit),
        "levels": LEVEL_COLUMNS[:-1],
        "generated_at": timezone.localtime(),
    }
    body = _pdf("consultation/report_rollup.html", context)
    return pdf_response(body, f"rollup-{unit.code}.pdf", inline=False)


def paragraph_groups_xlsx(consultation: Consultation, paragraph: Any) -> HttpResponse:
    """One row per group and topic of the paragraph: size, comments by level, keywords, the
    representative text and the disposition. Cells go through the one export helper."""
    groups = list(queries.paragraph_groups(consultation, paragraph)) + list(
        queries.paragraph_groups(consultation, paragraph, kind=CommentGroup.Kind.TOPIC)
    )
    breakdown = queries.topic_breakdown(groups)
    rows = [
        [
            g.pk,
            g.get_kind_display(),
            g.size,
            *[breakdown.get(g.pk, ({}, []))[0].get(level, 0) for level in LEVEL_COLUMNS],
            g.keywords,
            g.representative.text if g.representative else "",
            *_disposition_cells(g),
        ]
        for g in groups
    ]
    headers = [
        _("group"),
        _("kind"),
        _("comments"),
        *LEVEL_COLUMNS,
        _("keywords"),
        _("representative comment"),
        _("disposition"),
        _("into version"),
        _("reason"),
    ]
    anchor = paragraph.anchor if paragraph is not None else "general"
    body = xlsx_bytes(sheets=[(anchor, headers, rows)])
    return file_response(
        body, filename=f"synthesis-{consultation.pk}-{anchor}.xlsx", content_type=XLSX_TYPE
    )

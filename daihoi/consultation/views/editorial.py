"""Pages for the editorial team: synthesis runs, groups, dispositions, reports and the
roll-up a higher unit receives."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.accounts.models import Role
from daihoi.consultation import actions, queries, reports
from daihoi.consultation.models import CommentGroup, Disposition
from daihoi.consultation.queries.access import EDITOR
from daihoi.consultation.views._base import _int
from daihoi.core.access import scoped
from daihoi.core.errors import flash_errors
from daihoi.organizations.queries import access_unit_by_code


@scoped
def synthesis(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_by_id(request.user, consultation_id, roles=EDITOR)
    context = {
        "consultation": consultation,
        "draft": consultation.draft_version.draft,
        "figures": queries.paragraph_figures(consultation),
        "totals": queries.consultation_totals(consultation),
        "run": queries.latest_run(consultation),
    }
    return render(request, "consultation/synthesis.html", context)


@scoped
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    run = queries.access_run_by_id(request.user, run_id)
    return render(request, "consultation/_run.html", {"run": run})


@scoped
@require_POST
def synthesis_start(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_by_id(request.user, consultation_id, roles=EDITOR)
    try:
        actions.synthesis_start(actor=request.user, consultation=consultation)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("consultation:synthesis", consultation.pk)


def _editor_paragraph(request: HttpRequest, consultation_id: int, anchor: str) -> tuple[Any, Any]:
    """The consultation (document editors only) and its paragraph `anchor` (None: general)."""
    consultation = queries.access_consultation_by_id(request.user, consultation_id, roles=EDITOR)
    if anchor == "general":
        return consultation, None
    paragraph = consultation.draft_version.paragraphs.filter(anchor=anchor).first()
    if paragraph is None:
        raise Http404
    return consultation, paragraph


@scoped
def synthesis_paragraph(request: HttpRequest, consultation_id: int, anchor: str) -> HttpResponse:
    consultation, paragraph = _editor_paragraph(request, consultation_id, anchor)
    figures = next(
        f
        for f in queries.paragraph_figures(consultation)
        if (f.paragraph.pk if f.paragraph else None) == (paragraph.pk if paragraph else None)
    )
    groups = list(queries.paragraph_groups(consultation, paragraph))
    topics = list(queries.paragraph_groups(consultation, paragraph, kind=CommentGroup.Kind.TOPIC))
    breakdown = queries.topic_breakdown(topics)
    for topic in topics:
        topic.by_level, topic.by_unit = breakdown.get(topic.pk, ({}, []))  # type: ignore[attr-defined]
    wanted = {cid for g in groups + topics for cid in g.representatives}
    shown = queries.comments_by_id(wanted)
    for group in groups + topics:
        group.shown = [shown[c] for c in group.representatives if c in shown]  # type: ignore[attr-defined]
    ungrouped = queries.keyset_page(
        queries.ungrouped_comments(consultation, paragraph),
        after=_int(request.GET.get("after")),
        size=settings.DAIHOI_PAGE_SIZE,
    )
    context = {
        "consultation": consultation,
        "paragraph": paragraph,
        "figures": figures,
        "groups": groups,
        "topics": topics,
        "ungrouped": ungrouped,
        "statuses": Disposition.Status.choices,
        "next_version": consultation.draft_version.draft.versions.count() + 1,
        "highlight": _int(request.GET.get("group")),
    }
    return render(request, "consultation/synthesis_paragraph.html", context)


@scoped
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = queries.access_group_by_id(request.user, group_id)
    members = group.topic_members if group.kind == CommentGroup.Kind.TOPIC else group.members
    page = queries.keyset_page(
        members.select_related("unit"),
        after=_int(request.GET.get("after")),
        size=settings.DAIHOI_PAGE_SIZE,
    )
    return render(request, "consultation/group.html", {"group": group, "page": page})


@scoped
@require_POST
def disposition_post(request: HttpRequest) -> HttpResponse:
    group = comment = None
    if request.POST.get("group"):
        group = queries.access_group_by_id(request.user, _int(request.POST["group"]) or 0)
        consultation = group.consultation
        paragraph = group.paragraph
    else:
        comment = queries.access_comment_by_id(
            request.user, _int(request.POST.get("comment")) or 0, roles=EDITOR
        )
        consultation = comment.consultation
        paragraph = comment.paragraph
    try:
        actions.disposition_record(
            actor=request.user,
            group=group,
            comment=comment,
            status=request.POST.get("status", ""),
            version_number=_int(request.POST.get("version_number")),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Disposition recorded."))
    anchor = paragraph.anchor if paragraph else "general"
    return redirect("consultation:synthesis_paragraph", consultation.pk, anchor)


# ---- reports ------------------------------------------------------------------------------


@scoped
def paragraph_export(request: HttpRequest, consultation_id: int, anchor: str) -> HttpResponse:
    """The paragraph's groups and topics with their dispositions, as XLSX."""
    consultation, paragraph = _editor_paragraph(request, consultation_id, anchor)
    return reports.paragraph_groups_xlsx(consultation, paragraph)


@scoped
def synthesis_report(request: HttpRequest, consultation_id: int, fmt: str) -> HttpResponse:
    consultation = queries.access_consultation_by_id(request.user, consultation_id, roles=EDITOR)
    if fmt == "pdf":
        return reports.synthesis_pdf(consultation)
    return reports.synthesis_xlsx(consultation)


@scoped
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit_by_code(request.user, code, roles=[Role.DOCUMENT_EDITOR, Role.ORGANIZER])
    return render(request, "consultation/rollup.html", {"unit": unit, "rows": queries.rollup(unit)})


@scoped
def rollup_report(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    unit = access_unit_by_code(request.user, code, roles=[Role.DOCUMENT_EDITOR, Role.ORGANIZER])
    if fmt == "pdf":
        return reports.rollup_pdf(unit)
    return reports.rollup_xlsx(unit)

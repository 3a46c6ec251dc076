"""Pages for drafts, commenting, moderation, synthesis and dispositions.

Views read through queries and write through actions; every view is @scoped or @public.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from daihoi.accounts.models import Role
from daihoi.accounts.queries import in_scope, unit_scope_q
from daihoi.congresses.models import Congress
from daihoi.consultation import actions, drafting, guard, queries, reports
from daihoi.consultation.models import Comment, CommentGroup, Consultation, Disposition, Draft
from daihoi.core.access import public, scoped
from daihoi.organizations.queries import access_unit_by_code


def _errors(request: HttpRequest, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for problem in problems:
                messages.error(request, f"{field}: {problem}")
    else:
        for problem in error.messages:
            messages.error(request, problem)


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


# ---- index and drafts ---------------------------------------------------------------------


@scoped
def index(request: HttpRequest) -> HttpResponse:
    editor_congresses = (
        Congress.objects.filter(
            unit_scope_q(request.user, roles=queries.EDITOR, field="unit__path")
        )
        .select_related("unit", "cycle")
        .order_by("unit__path")[:200]
    )
    context = {
        "drafts": queries.drafts_visible(request.user)[:200],
        "open_consultations": queries.consultations_open_to(request.user)[:100],
        "editor_congresses": editor_congresses,
        "kinds": Draft.Kind.choices,
    }
    return render(request, "consultation/index.html", context)


@scoped
@require_POST
def draft_create(request: HttpRequest) -> HttpResponse:
    congress = (
        Congress.objects.filter(
            unit_scope_q(request.user, field="unit__path"),
            pk=_int(request.POST.get("congress")) or 0,
        )
        .select_related("unit")
        .first()
    )
    if congress is None:
        raise Http404
    try:
        draft = actions.draft_create(
            actor=request.user,
            congress=congress,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("consultation:index")
    return redirect("consultation:draft", draft.pk)


@scoped
def draft_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = queries.access_draft_by_id(request.user, draft_id)
    versions = list(queries.draft_versions(draft))
    latest = versions[-1] if versions else None
    context = {
        "draft": draft,
        "versions": versions,
        "latest": latest,
        "paragraphs": list(queries.version_paragraphs(latest)) if latest else [],
        "consultations": Consultation.objects.filter(draft_version__draft=draft)
        .select_related("draft_version", "audience_unit")
        .order_by("-opens_at"),
        "can_edit": in_scope(request.user, draft.congress.unit, roles=queries.EDITOR),
        "formats": drafting.FORMATS,
        "audiences": Consultation.Audience.choices,
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "in_month": (timezone.localtime() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
    }
    return render(request, "consultation/draft.html", context)


@scoped
@require_POST
def version_import(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = queries.access_draft_by_id(request.user, draft_id)
    upload = request.FILES.get("file")
    source_format = request.POST.get("source_format", "")
    data: bytes | str = upload.read() if upload else request.POST.get("text", "")
    if upload and upload.name and upload.name.lower().endswith(".docx"):
        source_format = drafting.DOCX
    try:
        version = actions.draft_version_import(
            actor=request.user,
            draft=draft,
            source_format=source_format,
            data=data,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied as error:
        raise Http404 from error
    else:
        messages.success(request, _("Version %(n)d imported.") % {"n": version.number})
    return redirect("consultation:draft", draft.pk)


@scoped
def version_diff(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = queries.access_draft_by_id(request.user, draft_id)
    versions = {v.number: v for v in queries.draft_versions(draft)}
    if not versions:
        raise Http404
    newest = max(versions)
    to_number = _int(request.GET.get("to")) or newest
    from_number = _int(request.GET.get("from")) or max(1, to_number - 1)
    if from_number not in versions or to_number not in versions:
        raise Http404

    def rows(number: int) -> list[tuple[str, int, str]]:
        return list(
            versions[number].paragraphs.order_by("number").values_list("anchor", "number", "text")
        )

    diff = drafting.diff_versions(rows(from_number), rows(to_number))
    context = {
        "draft": draft,
        "versions": sorted(versions),
        "from_number": from_number,
        "to_number": to_number,
        "rows": diff,
        "changed": sum(1 for r in diff if r.status != "same"),
    }
    return render(request, "consultation/diff.html", context)


def _datetime(value: str) -> datetime.datetime | None:
    parsed = parse_datetime(value or "")
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@scoped
@require_POST
def consultation_open(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = queries.access_draft_by_id(request.user, draft_id)
    version = draft.versions.filter(number=_int(request.POST.get("version")) or 0).first()
    opens_at = _datetime(request.POST.get("opens_at", ""))
    closes_at = _datetime(request.POST.get("closes_at", ""))
    audience_unit = None
    if request.POST.get("audience_unit"):
        audience_unit = access_unit_by_code(request.user, request.POST["audience_unit"])
    if version is None or opens_at is None or closes_at is None:
        messages.error(
            request, _("Choose a version and give when the consultation opens and closes.")
        )
        return redirect("consultation:draft", draft.pk)
    try:
        consultation = actions.consultation_open(
            actor=request.user,
            version=version,
            audience=request.POST.get("audience", ""),
            opens_at=opens_at,
            closes_at=closes_at,
            audience_unit=audience_unit,
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("consultation:draft", draft.pk)
    except PermissionDenied as error:
        raise Http404 from error
    return redirect("consultation:consultation", consultation.pk)


# ---- commenting ---------------------------------------------------------------------------


def _paragraph_context(consultation: Consultation) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "draft": consultation.draft_version.draft,
        "paragraphs": list(queries.version_paragraphs(consultation.draft_version)),
        "is_open": consultation.is_open(),
    }


@scoped
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_for_comment(request.user, consultation_id)
    unit = queries.consultation_unit(consultation)
    context = _paragraph_context(consultation)
    context |= {
        "may_comment": queries.may_comment(request.user, consultation)
        and getattr(request.user, "person", None) is not None,
        "may_enter": in_scope(request.user, unit, roles=actions.ENTRY_ROLES)
        or in_scope(request.user, consultation.audience_unit, roles=actions.ENTRY_ROLES),
        "is_editor": in_scope(request.user, unit, roles=queries.EDITOR),
        "is_moderator": in_scope(request.user, unit, roles=queries.MODERATOR),
        "channels": Comment.Channel.choices,
        "mine": Comment.objects.filter(
            consultation=consultation, author_id=request.user.pk
        ).values_list("paragraph_id", flat=True),
    }
    return render(request, "consultation/consultation.html", context)


@scoped
@require_POST
def comment_post(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_for_comment(request.user, consultation_id)
    post = request.POST
    item = actions.CommentInput(
        text=post.get("text", ""),
        paragraph=post.get("paragraph") or None,
        kind=post.get("kind", Comment.Kind.COMMENT),
        proposed_text=post.get("proposed_text", ""),
        channel=post.get("channel", Comment.Channel.ONLINE),
        unit=post.get("unit") or None,
        meeting_ref=post.get("meeting_ref", ""),
        meeting_date=parse_date(post.get("meeting_date", "")) if post.get("meeting_date") else None,
        sender=post.get("sender", ""),
    )
    anchor = f"#{item.paragraph}" if item.paragraph else "#general"
    try:
        actions.comment_submit(actor=request.user, consultation=consultation, item=item)
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. Your comment was recorded."))
    return redirect(reverse("consultation:consultation", args=[consultation.pk]) + anchor)


@scoped
def my_comments(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.my_comments(request.user), settings.DAIHOI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for comment in page:
        comment.effective = queries.effective_disposition(comment)  # type: ignore[attr-defined]
    return render(request, "consultation/mine.html", {"page": page})


# ---- public participation -----------------------------------------------------------------

CHALLENGE_MESSAGES = {
    "expired": gettext_lazy("The form expired. Please answer the new question."),
    "invalid": gettext_lazy("The form was altered. Please answer the new question."),
    "too_fast": gettext_lazy("The form was sent too fast. Please take a moment and send it again."),
    "wrong": gettext_lazy("The answer to the question is not right."),
    "replayed": gettext_lazy("This form was already sent. Please answer the new question."),
}


@public
def public_consultation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_public_consultation(consultation_id)
    context = _paragraph_context(consultation)
    status = 200
    if request.method == "POST":
        if guard.rate_limited(request, scope=f"c{consultation.pk}"):
            context["challenge"] = guard.issue_challenge()
            context["form_error"] = _(
                "Too many comments from your address in the last hour. Please try again later."
            )
            return render(request, "consultation/public.html", context, status=429)
        problem = guard.check_challenge(
            token=request.POST.get("challenge", ""),
            answer=request.POST.get("answer", ""),
            honeypot=request.POST.get(guard.HONEYPOT, ""),
        )
        if problem == "honeypot":
            # say nothing useful to a script
            return render(request, "consultation/public_thanks.html", context)
        if problem is not None:
            context["form_error"] = CHALLENGE_MESSAGES[problem]
            status = 400
        else:
            item = actions.CommentInput(
                text=request.POST.get("text", ""),
                paragraph=request.POST.get("paragraph") or None,
                kind=request.POST.get("kind", Comment.Kind.COMMENT),
                proposed_text=request.POST.get("proposed_text", ""),
            )
            try:
                actions.comment_submit_public(
                    consultation=consultation,
                    item=item,
                    public_name=request.POST.get("name", ""),
                    public_contact=request.POST.get("contact", ""),
                )
            except ValidationError as error:
                context["form_error"] = "; ".join(
                    str(m) for ms in error.message_dict.values() for m in ms
                )
                status = 400
            except PermissionDenied as error:
                raise Http404 from error
            else:
                return render(request, "consultation/public_thanks.html", context)
        context["posted"] = request.POST
    context["challenge"] = guard.issue_challenge()
    return render(request, "consultation/public.html", context, status=status)


# ---- moderation ---------------------------------------------------------------------------


@scoped
def moderation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_by_id(
        request.user, consultation_id, roles=queries.MODERATOR
    )
    comments = Comment.objects.filter(consultation=consultation).select_related("paragraph", "unit")
    if request.GET.get("hidden") == "1":
        comments = comments.filter(hidden=True)
    page = Paginator(comments.order_by("-created_at", "-pk"), settings.DAIHOI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "consultation/moderation.html", {"consultation": consultation, "page": page}
    )


@scoped
@require_POST
def comment_moderate(request: HttpRequest, comment_id: int, verb: str) -> HttpResponse:
    comment = queries.access_comment_by_id(request.user, comment_id, roles=queries.MODERATOR)
    try:
        if verb == "hide":
            actions.comment_hide(
                actor=request.user, comment=comment, reason=request.POST.get("reason", "")
            )
        else:
            actions.comment_restore(actor=request.user, comment=comment)
    except ValidationError as error:
        _errors(request, error)
    return redirect("consultation:moderation", comment.consultation_id)


# ---- synthesis ----------------------------------------------------------------------------


@scoped
def synthesis(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_by_id(
        request.user, consultation_id, roles=queries.EDITOR
    )
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
    consultation = queries.access_consultation_by_id(
        request.user, consultation_id, roles=queries.EDITOR
    )
    try:
        actions.synthesis_start(actor=request.user, consultation=consultation)
    except ValidationError as error:
        _errors(request, error)
    return redirect("consultation:synthesis", consultation.pk)


@scoped
def synthesis_paragraph(request: HttpRequest, consultation_id: int, anchor: str) -> HttpResponse:
    consultation = queries.access_consultation_by_id(
        request.user, consultation_id, roles=queries.EDITOR
    )
    paragraph = None
    if anchor != "general":
        paragraph = consultation.draft_version.paragraphs.filter(anchor=anchor).first()
        if paragraph is None:
            raise Http404
    figures = next(
        f
        for f in queries.paragraph_figures(consultation)
        if (f.paragraph.pk if f.paragraph else None) == (paragraph.pk if paragraph else None)
    )
    groups = list(queries.paragraph_groups(consultation, paragraph))
    topics = list(queries.paragraph_groups(consultation, paragraph, kind=CommentGroup.Kind.TOPIC))
    wanted = {cid for g in groups + topics for cid in g.representatives}
    shown = queries.comments_by_id(wanted)
    for group in groups + topics:
        group.shown = [shown[c] for c in group.representatives if c in shown]  # type: ignore[attr-defined]
    ungrouped = Paginator(
        queries.ungrouped_comments(consultation, paragraph), settings.DAIHOI_PAGE_SIZE
    ).get_page(request.GET.get("page"))
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
    page = Paginator(
        members.select_related("unit").order_by("created_at", "pk"), settings.DAIHOI_PAGE_SIZE
    ).get_page(request.GET.get("page"))
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
            request.user, _int(request.POST.get("comment")) or 0, roles=queries.EDITOR
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
        _errors(request, error)
    else:
        messages.success(request, _("Disposition recorded."))
    anchor = paragraph.anchor if paragraph else "general"
    return redirect("consultation:synthesis_paragraph", consultation.pk, anchor)


# ---- reports ------------------------------------------------------------------------------


@scoped
def synthesis_report(request: HttpRequest, consultation_id: int, fmt: str) -> HttpResponse:
    consultation = queries.access_consultation_by_id(
        request.user, consultation_id, roles=queries.EDITOR
    )
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

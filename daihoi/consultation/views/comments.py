"""Pages for commenting: members and entered minutes, the public form with its challenge,
moderation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from daihoi.accounts.authority import in_scope
from daihoi.consultation import actions, guard, queries
from daihoi.consultation.actions.comments import ENTRY_ROLES
from daihoi.consultation.models import Comment, Consultation
from daihoi.consultation.queries.access import EDITOR, MODERATOR
from daihoi.consultation.views._base import _int
from daihoi.core.access import public, scoped
from daihoi.core.errors import error_text, flash_errors


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
        "may_enter": in_scope(request.user, unit, roles=ENTRY_ROLES)
        or in_scope(request.user, consultation.audience_unit, roles=ENTRY_ROLES),
        "is_editor": in_scope(request.user, unit, roles=EDITOR),
        "is_moderator": in_scope(request.user, unit, roles=MODERATOR),
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
        flash_errors(request, error)
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


@public
def public_consultation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_public_consultation(consultation_id)
    context = _paragraph_context(consultation)
    status = 200
    if request.method == "POST":
        screening = guard.screen(
            request,
            scope=f"c{consultation.pk}",
            too_many=_(
                "Too many comments from your address in the last hour. Please try again later."
            ),
        )
        if screening.honeypot:  # say nothing useful to a script
            return render(request, "consultation/public_thanks.html", context)
        if not screening.passed:
            context["form_error"] = screening.message
            status = screening.status
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
                context["form_error"] = error_text(error)
                status = 400
            except PermissionDenied as error:
                raise Http404 from error
            else:
                return render(request, "consultation/public_thanks.html", context)
        context["posted"] = request.POST
    context["challenge"] = guard.issue_challenge()
    return render(request, "consultation/public.html", context, status=status)


# ---- moderation ---------------------------------------------------------------------------


def _moderation_filters(request: HttpRequest, consultation: Any) -> dict[str, Any]:
    source = request.POST if request.method == "POST" else request.GET
    group_id = _int(source.get("group"))
    return {
        "query": source.get("q", "").strip()[:200],
        "group": (
            queries.access_group_for_moderation(request.user, consultation, group_id)
            if group_id
            else None
        ),
        "hidden": {"1": True, "0": False}.get(source.get("hidden", "")),
    }


@scoped
def moderation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_by_id(request.user, consultation_id, roles=MODERATOR)
    filters = _moderation_filters(request, consultation)
    page = queries.keyset_page(
        queries.moderation_comments(consultation, **filters),
        after=_int(request.GET.get("after")),
        size=settings.DAIHOI_PAGE_SIZE,
    )
    keep = {
        "q": filters["query"],
        "group": filters["group"].pk if filters["group"] else "",
        "hidden": {True: "1", False: "0"}.get(filters["hidden"], ""),
    }
    base = urlencode({k: v for k, v in keep.items() if v != ""})
    context = {
        "consultation": consultation,
        "page": page,
        "filters": filters,
        "base_query": base,
        "batches": queries.moderation_batches(consultation),
        "scoped": bool(filters["query"] or filters["group"]),
    }
    return render(request, "consultation/moderation.html", context)


@scoped
@require_POST
def moderation_bulk(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = queries.access_consultation_by_id(request.user, consultation_id, roles=MODERATOR)
    filters = _moderation_filters(request, consultation)
    try:
        batch = actions.comments_moderate_bulk(
            actor=request.user,
            consultation=consultation,
            verb=request.POST.get("verb", ""),
            reason=request.POST.get("reason", ""),
            query=filters["query"],
            group=filters["group"],
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if batch.verb == batch.Verb.HIDE:
            message = ngettext("%(n)d comment hidden.", "%(n)d comments hidden.", batch.count) % {
                "n": batch.count
            }
        else:
            message = ngettext(
                "%(n)d comment restored.", "%(n)d comments restored.", batch.count
            ) % {"n": batch.count}
        messages.success(request, message)
    return redirect("consultation:moderation", consultation.pk)


@scoped
@require_POST
def moderation_undo(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = queries.access_batch_by_id(request.user, batch_id)
    try:
        actions.moderation_batch_undo(actor=request.user, batch=batch)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Moderation undone."))
    return redirect("consultation:moderation", batch.consultation_id)


@scoped
@require_POST
def comment_moderate(request: HttpRequest, comment_id: int, verb: str) -> HttpResponse:
    comment = queries.access_comment_by_id(request.user, comment_id, roles=MODERATOR)
    try:
        if verb == "hide":
            actions.comment_hide(
                actor=request.user, comment=comment, reason=request.POST.get("reason", "")
            )
        else:
            actions.comment_restore(actor=request.user, comment=comment)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("consultation:moderation", comment.consultation_id)

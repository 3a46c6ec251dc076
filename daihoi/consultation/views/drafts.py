"""Pages for drafts: the list, a draft, importing a version, the diff, opening a
consultation."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.accounts.authority import in_scope, unit_scope_q
from daihoi.congresses.models import Congress
from daihoi.congresses.queries import pick_congresses
from daihoi.consultation import actions, drafting, queries
from daihoi.consultation.models import Consultation, Draft
from daihoi.consultation.queries.access import EDITOR
from daihoi.consultation.views._base import _int
from daihoi.core.access import scoped
from daihoi.core.errors import flash_errors
from daihoi.organizations.queries import access_unit_by_code


@scoped
def index(request: HttpRequest) -> HttpResponse:
    # The first few, then the picker searches them all (congresses.views.pick_congress).
    editor_congresses, editor_total = pick_congresses(request.user, roles=EDITOR, limit=10)
    context = {
        "editor_total": editor_total,
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
        flash_errors(request, error)
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
        "can_edit": in_scope(request.user, draft.congress.unit, roles=EDITOR),
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
        flash_errors(request, error)
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
        flash_errors(request, error)
        return redirect("consultation:draft", draft.pk)
    except PermissionDenied as error:
        raise Http404 from error
    return redirect("consultation:consultation", consultation.pk)

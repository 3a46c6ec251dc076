"""Delegate accounts, their login letters and the one-time code login."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daihoi.conduct import actions, documents, queries
from daihoi.conduct.actions.accounts import login_valid_until
from daihoi.conduct.views._base import require_duty
from daihoi.core import ratelimit
from daihoi.core.access import public, scoped
from daihoi.core.errors import error_text
from daihoi.core.exports import pdf_response


@scoped
@require_http_methods(["GET", "POST"])
def delegate_accounts(request: HttpRequest, congress_id: int) -> HttpResponse:
    """Accounts for the roster, made in bulk; their login letters; ending them."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, None)
    if request.method == "POST":
        try:
            if request.POST.get("op") == "end":
                count = actions.delegate_accounts_end(actor=request.user, congress=congress)
                messages.success(request, _("%(n)s delegate accounts ended.") % {"n": count})
            else:
                made = actions.delegate_accounts_create(actor=request.user, congress=congress)
                messages.success(
                    request,
                    _("%(created)s accounts made, %(linked)s existing accounts linked.")
                    % {"created": made.created, "linked": made.linked},
                )
        except ValidationError as error:
            messages.error(request, error_text(error))
        return redirect("conduct:delegate_accounts", congress.pk)
    logins = queries.delegate_logins(congress).order_by("delegate__person__full_name", "pk")
    page = Paginator(logins, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"congress": congress, "page": page, "valid_until": login_valid_until(congress)}
    return render(request, "conduct/accounts.html", context)


@scoped
@require_POST
def login_letters_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    """New one-time codes for every account, printed one letter per page (voids old ones)."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, None)
    try:
        letters = actions.delegate_login_codes_issue(actor=request.user, congress=congress)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("conduct:delegate_accounts", congress.pk)
    pdf = documents.login_letters_pdf(
        congress,
        letters,
        login_url=request.build_absolute_uri(reverse("conduct:code_login")),
        valid_until=login_valid_until(congress),
        request=request,
    )
    return pdf_response(pdf, f"login-letters-{congress.pk}.pdf")


@public
@require_http_methods(["GET", "POST"])
def code_login(request: HttpRequest) -> HttpResponse:
    """A delegate logs in with the one-time code of their letter (scanned or typed).

    GET only shows the form (a link preview must not spend the code); POST spends it."""
    code = request.POST.get("code", request.GET.get("code", ""))
    context: dict[str, Any] = {"code": code}
    if request.method == "POST":
        limit = int(getattr(settings, "DAIHOI_CODE_LOGINS_PER_HOUR", 20))
        if ratelimit.hit("code-login", ratelimit.client_address(request), limit=limit):
            context["error"] = _("Too many attempts from this address. Try again in an hour.")
            return render(request, "conduct/code_login.html", context, status=429)
        try:
            user = actions.delegate_login_redeem(code=code)
        except ValidationError as error:
            context["error"] = error_text(error)
            return render(request, "conduct/code_login.html", context, status=400)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s.") % {"name": user.person or user})
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "conduct/code_login.html", context)

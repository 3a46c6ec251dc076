"""Login, logout, password change, role grants and API tokens."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from daihoi.accounts import actions, authority, queries
from daihoi.accounts.models import Role, User
from daihoi.core.access import public, scoped
from daihoi.organizations.queries import access_unit_by_code

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())


class AuditedPasswordChangeForm(PasswordChangeForm):
    """A user's own password change, saved through `user_password_set`: audited, and every
    API token of the user ends with the old password."""

    def save(self, commit: bool = True) -> Any:
        return actions.user_password_set(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"]
        )


password_change = scoped(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        form_class=AuditedPasswordChangeForm,
        success_url=reverse_lazy("accounts:password_change_done"),
    )
)
password_change_done = scoped(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


class GrantForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[c for c in Role.choices if c[0] != Role.ADMIN]
    )
    unit_code = forms.CharField(label=gettext_lazy("Unit code"), max_length=40)
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@scoped
def grants(request: HttpRequest) -> HttpResponse:
    """Organizers see and manage the role grants within their own subtree."""
    if authority.scope_paths(request.user, roles=[Role.ORGANIZER]) == []:
        raise PermissionDenied
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            form.add_error("username", _("No user with this username."))
        else:
            try:
                unit = access_unit_by_code(request.user, data["unit_code"], roles=[Role.ORGANIZER])
                actions.role_grant(
                    actor=request.user,
                    user=user,
                    role=data["role"],
                    unit=unit,
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            except Exception:  # 404 from access: the unit is not in the organizer's subtree
                form.add_error("unit_code", _("No unit with this code in your area."))
            else:
                messages.success(request, _("Role granted."))
                return redirect("accounts:grants")
    return render(
        request,
        "accounts/grants.html",
        {"form": form, "grants": queries.grants_visible(request.user)[:500]},
    )


@scoped
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(queries.grants_visible(request.user), pk=grant_id)
    actions.role_revoke(actor=request.user, grant=grant)
    messages.success(request, _("Role revoked."))
    return redirect("accounts:grants")


@scoped
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (its key is shown once), revoke one."""
    new_key = None
    user = cast(User, request.user)
    if request.method == "POST":
        name = request.POST.get("name", "").strip() or _("API token")
        _token, new_key = actions.api_token_create(actor=user, user=user, name=name[:100])
    response = render(
        request,
        "accounts/tokens.html",
        {"tokens": user.api_tokens.filter(revoked_at__isnull=True), "new_key": new_key},
    )
    response["Cache-Control"] = "no-store"  # a new key must not stay in any cache
    return response


@scoped
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = cast(User, request.user)
    token = get_object_or_404(user.api_tokens.filter(revoked_at__isnull=True), pk=token_id)
    actions.api_token_revoke(actor=user, token=token)
    messages.success(request, _("Token revoked. Programs using it are refused from now on."))
    return redirect("accounts:tokens")

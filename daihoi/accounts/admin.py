"""The Django admin for accounts: every write it can make goes through an audited action."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from daihoi.accounts import actions
from daihoi.accounts.models import ApiToken, RoleGrant, User

_admin_actor: ContextVar[Any] = ContextVar("daihoi_admin_actor", default=None)


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "set password" form, saved through `user_password_set` (audited; it ends
    the user's API tokens too)."""

    def save(self, commit: bool = True) -> Any:
        if self.cleaned_data.get("set_usable_password", True) is False:
            raise ValidationError(_("Deactivate the account instead."), code="unusable_password")
        return actions.user_password_set(
            actor=_admin_actor.get(), user=self.user, password=self.cleaned_data["password1"]
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users are created, changed, given a password and deleted through audited actions.
    Django's groups and permissions are not used (roles are `RoleGrant`s), so not shown."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "person")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active")
    raw_id_fields = ("person",)
    change_password_form = AuditedPasswordChangeForm
    actions = ["deactivate_users"]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        token = _admin_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _admin_actor.reset(token)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            actions.user_admin_update(actor=request.user, user=obj, changed=form.changed_data)
            return
        password = form.cleaned_data.get("password1")
        created = actions.user_create(
            actor=request.user,
            username=obj.username,
            password=password if form.cleaned_data.get("usable_password", True) else None,
        )
        obj.pk = created.pk
        obj._state.adding = False
        obj.password = created.password

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """No many-to-many of the user is edited here (no groups, no permissions)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and RoleGrant.objects.filter(user=obj).exists():
            return False  # deactivate instead: the grants are the record
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        actions.user_delete(actor=request.user, user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            try:
                actions.user_delete(actor=request.user, user=user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)

    @admin.action(description=_("Deactivate the selected users"))
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset.filter(is_active=True):
            user.is_active = False
            try:
                actions.user_admin_update(actor=request.user, user=user, changed=["is_active"])
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Grants go through the `role_grant` action, so the admin is checked and audited too."""

    list_display = ("user", "role", "unit", "valid_from", "valid_until", "revoked_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    raw_id_fields = ("user", "unit", "granted_by")
    readonly_fields = ("granted_by", "revoked_at")
    actions = ["revoke_grants"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # deleting many grants at once would not be audited
        return found

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        granted = actions.role_grant(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            unit=obj.unit,
            valid_from=obj.valid_from,
            valid_until=obj.valid_until,
        )
        obj.pk = granted.pk

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        actions.role_revoke(actor=request.user, grant=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and obj.revoked_at is None

    @admin.action(description=_("Revoke the selected grants"))
    def revoke_grants(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        for grant in queryset.filter(revoked_at__isnull=True):
            actions.role_revoke(actor=request.user, grant=grant)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners (Tokens page); here they can only be revoked."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "key_hash",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke_tokens"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        found = super().get_actions(request)
        found.pop("delete_selected", None)
        return found

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            actions.api_token_revoke(actor=request.user, token=token)

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from daihoi.accounts import actions
from daihoi.accounts.models import ApiToken, RoleGrant, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("daihoi", {"fields": ("person",)}))  # type: ignore[misc]
    raw_id_fields = ("person",)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Grants go through the `role_grant` action, so the admin is checked and audited too."""

    list_display = ("user", "role", "unit", "valid_from", "valid_until", "revoked_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    raw_id_fields = ("user", "unit", "granted_by")
    readonly_fields = ("granted_by", "revoked_at")

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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")

"""The Django admin of the kernel: the audit log (read-only), and the rule that every write
the admin can make goes through an audited action.

Models whose admin pages are not backed by actions are shown read-only (`ReadOnlyAdmin`);
that includes third-party ones registered before us (groups, login attempts, task results).
`tests/test_admin_writes.py` checks every registered model.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from daihoi.core.models import AuditCheckpoint, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("chain", "seq", "at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("action", "actor_label", "object_id")


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("at", "reason", "digest")


def make_read_only(model: Any) -> None:
    """Re-register `model`'s admin page with its add, change and delete switched off."""
    if not admin.site.is_registered(model):
        return
    current = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(f"ReadOnly{current.__name__}", (ReadOnlyAdmin, current), {}))


# Django's groups and permissions are not how daihoi decides (roles are grants on units).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# Registered by libraries before us (they come first in INSTALLED_APPS); their writes
# (unlocking a login, editing a task result) would not be audited. `daihoi axes_reset_username`
# unlocks an account.
for _label in (
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult",
):
    make_read_only(apps.get_model(_label))

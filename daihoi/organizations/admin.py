from django.contrib import admin
from treebeard.admin import TreeAdmin

from daihoi.core.admin import ReadOnlyAdmin
from daihoi.organizations.models import Membership, Person, Reorganization, Unit


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    """Read-only: units change through reorganization actions, which are audited."""

    list_display = ("name", "code", "level", "active_from", "active_until")
    search_fields = ("code", "name_folded")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read-only: people are added, changed and leave through audited actions and imports."""

    list_display = ("full_name", "member_code", "unit", "status")
    list_filter = ("status", "gender")
    search_fields = ("member_code", "name_folded")
    raw_id_fields = ("unit",)


admin.site.register(Reorganization, ReadOnlyAdmin)
admin.site.register(Membership, ReadOnlyAdmin)

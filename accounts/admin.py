from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Organization, User


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "phone", "email", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "organization", "role"]
    list_filter = ["role", "organization", "is_active", "is_staff"]
    list_select_related = ["organization"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("IPS Portal", {"fields": ("organization", "role", "job_title", "phone")}),
    )
    add_fieldsets = (
        *(UserAdmin.add_fieldsets or ()),
        ("IPS Portal", {"fields": ("organization", "role")}),
    )

    # Fields that decide what someone may see. Nobody sets their own: an
    # administrator who needs member access asks another administrator.
    SCOPE_FIELDS = ("organization", "role", "is_staff", "is_superuser", "is_active")

    def get_readonly_fields(
        self, request: HttpRequest, obj: User | None = None
    ) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += (*self.SCOPE_FIELDS, "groups", "user_permissions")
        return readonly

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
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


def admin_sign_in(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's sign-in page, replaced by the portal's own.

    The admin's form checks only a password: the portal's sign-in adds the
    lockout and the second step, and comes back to the admin afterwards.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
    if not admin.site.has_permission(request):
        raise PermissionDenied
    return redirect("admin:index")


admin.site.login = admin_sign_in  # type: ignore[method-assign]  # see admin_sign_in

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from providers.models import County, CountyAlias, ProviderSite, ServiceArea


class CountyAliasInline(admin.TabularInline):
    model = CountyAlias
    extra = 0
    fields = ["spelling"]


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    """Iowa has 99 counties: they can be corrected, never added or removed."""

    list_display = ["name", "fips_code"]
    search_fields = ["name", "fips_code"]
    readonly_fields = ["fips_code"]
    inlines = [CountyAliasInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: County | None = None
    ) -> bool:
        return False


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0
    autocomplete_fields = ["county"]


@admin.register(ProviderSite)
class ProviderSiteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "medicaid_provider_number", "city"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "medicaid_provider_number"]
    inlines = [ServiceAreaInline]


@admin.register(ServiceArea)
class ServiceAreaAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "county", "status"]
    list_filter = ["status", "provider"]
    list_select_related = ["provider__organization", "county"]

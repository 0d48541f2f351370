from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from providers.models import County, CountyAlias, ProviderSite, ServiceArea


class CountyAliasInline(admin.TabularInline):
    model = CountyAlias
    extra = 0
    fields = ["spelling"]


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "fips_code"]
    search_fields = ["name", "fips_code"]
    inlines = [CountyAliasInline]


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

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from payers.models import FeeRate, FeeSchedule, Payer


@admin.register(Payer)
class PayerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "organization"]
    list_filter = ["kind"]


class FeeRateInline(admin.TabularInline):
    model = FeeRate
    extra = 0


@admin.register(FeeRate)
class FeeRateAdmin(SimpleHistoryAdmin):
    """Rates also have their own page, so each rate's history can be read."""

    list_display = ["schedule", "service", "rate"]
    list_filter = ["schedule", "service"]
    list_select_related = ["schedule"]


@admin.register(FeeSchedule)
class FeeScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "payer", "effective_on", "ends_on"]
    list_filter = ["payer"]
    inlines = [FeeRateInline]

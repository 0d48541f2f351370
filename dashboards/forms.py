"""The dashboards' filters, read from the query string."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms

from core.dates import add_months
from core.forms import DateField
from dashboards.rules import MOST_MONTHS_IN_A_PERIOD, default_period
from dashboards.scope import DashboardFilters, DashboardScope
from payers.models import Payer
from providers.models import County, ProviderSite


class ProviderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.organization.name


class DashboardFilterForm(forms.Form):
    """Provider (within the user's scope), county, payer and period.

    Empty fields mean "all"; an empty period is the last four quarters.
    Choices outside the user's scope are refused like any unknown value.
    """

    provider = ProviderChoice(
        queryset=ProviderSite.objects.none(),
        required=False,
        empty_label="All providers",
    )
    county = forms.ModelChoiceField(
        queryset=County.objects.all(), required=False, empty_label="All counties"
    )
    payer = forms.ModelChoiceField(
        queryset=Payer.objects.all(),
        required=False,
        empty_label="All payers",
        help_text="For amounts, the payer of the service.",
    )
    period_from = DateField(label="Period from", required=False)
    period_to = DateField(label="Period to", required=False)

    def __init__(
        self,
        data: Any,
        *,
        scope: DashboardScope,
        as_of: datetime.date,
    ) -> None:
        super().__init__(data)
        self.scope = scope
        self.as_of = as_of
        providers = ProviderSite.objects.select_related("organization").order_by(
            "organization__name"
        )
        provider = cast(forms.ModelChoiceField, self.fields["provider"])
        if scope.provider_ids is not None:
            providers = providers.filter(pk__in=sorted(scope.provider_ids))
            provider.empty_label = "Your provider"
        provider.queryset = providers
        first, last = default_period(as_of)
        self.fields["period_from"].widget.attrs["placeholder"] = f"{first:%m/%d/%Y}"
        self.fields["period_to"].widget.attrs["placeholder"] = f"{last:%m/%d/%Y}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        default_from, default_to = default_period(self.as_of)
        first = cleaned.get("period_from") or default_from
        last = cleaned.get("period_to") or default_to
        if "period_from" in self.errors or "period_to" in self.errors:
            return cleaned
        if first > self.as_of:
            self.add_error("period_from", "The period cannot begin after today.")
        elif last < first:
            self.add_error("period_to", "The period cannot end before it begins.")
        elif last >= add_months(first, MOST_MONTHS_IN_A_PERIOD):
            self.add_error(
                "period_to",
                f"Choose a period of at most {MOST_MONTHS_IN_A_PERIOD // 12} years.",
            )
        cleaned["period_from"], cleaned["period_to"] = first, last
        return cleaned

    def filters(self) -> DashboardFilters:
        """The validated filters; call only after ``is_valid()``."""
        data = self.cleaned_data
        return DashboardFilters(
            period_from=data["period_from"],
            period_to=data["period_to"],
            as_of=self.as_of,
            provider_id=data["provider"].pk if data.get("provider") else None,
            county_id=data["county"].pk if data.get("county") else None,
            payer_id=data["payer"].pk if data.get("payer") else None,
        )


def filters_query(filters: DashboardFilters) -> str:
    """The query string that asks for these filters again (CSV, charts)."""
    parts = {
        "provider": filters.provider_id,
        "county": filters.county_id,
        "payer": filters.payer_id,
        "period_from": filters.period_from.isoformat(),
        "period_to": filters.period_to.isoformat(),
    }
    return "&".join(f"{key}={value}" for key, value in parts.items() if value)

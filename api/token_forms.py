"""The administrator's form for issuing an API token."""

import datetime

from django import forms

from accounts.models import Organization
from core.dates import IOWA
from core.forms import DateField


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        # The kind decides what a token may be granted: say it.
        kind = obj.get_kind_display()
        return obj.name if obj.name == kind else f"{obj.name} ({kind})"


class TokenIssueForm(forms.Form):
    organization = OrganizationChoiceField(
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose an organization",
        help_text="The token sees what this organization's own people see.",
    )
    name = forms.CharField(
        label="Which system uses it",
        max_length=120,
        help_text="For example “Nightly sync with the claims system”.",
    )
    can_log_achievements = forms.BooleanField(
        label="May log milestone achievements", required=False
    )
    can_log_coaching = forms.BooleanField(label="May log coaching", required=False)
    expires_on = DateField(
        label="Last day it works",
        required=False,
        help_text="It stops working at midnight after this day, Iowa time. Leave "
        "empty for a token that works until it is revoked.",
    )

    GRANTS = ("can_log_achievements", "can_log_coaching")

    def expires_at(self) -> datetime.datetime | None:
        """Midnight in Iowa at the end of the last day, or None."""
        last_day = self.cleaned_data.get("expires_on")
        if last_day is None:
            return None
        return datetime.datetime.combine(
            last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=IOWA
        )

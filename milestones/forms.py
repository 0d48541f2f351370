from typing import Any

from django import forms

from core.forms import DateField, MonthField
from payers.models import Payer


class AuthorizationRoundForm(forms.Form):
    payer = forms.ModelChoiceField(
        queryset=Payer.objects.order_by("name"), empty_label="Choose a payer"
    )
    authorized_on = DateField(
        label="Authorization date",
        help_text="Rates are those in force for the payer on this date.",
    )
    plan_dated_on = DateField(label="Service plan (PCSP) date")
    plan_reference = forms.CharField(label="Service plan reference", max_length=60)
    plan_starts_on = DateField(
        label="Plan start",
        required=False,
        help_text="With the expected job month, used to propose the windows.",
    )
    job_expected_in = MonthField(
        label="Month the first day on the job is expected", required=False
    )
    cap_warning_seen = forms.BooleanField(
        label="I have seen the monthly cap warning: authorize anyway",
        required=False,
    )


class MilestoneLineForm(forms.Form):
    include = forms.BooleanField(label="Authorize this milestone", required=False)
    window_begins_on = DateField(label="Window begins", required=False)
    window_ends_on = DateField(label="Window ends", required=False)
    authorization_number = forms.CharField(
        label="Authorization number", max_length=40, required=False
    )

    def __init__(self, *args: Any, milestone: int, label: str, **kwargs: Any) -> None:
        kwargs["prefix"] = f"m{milestone}"
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.label = label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("include"):
            return cleaned
        for field, message in (
            ("window_begins_on", "Enter the date the window begins."),
            ("window_ends_on", "Enter the date the window ends."),
            (
                "authorization_number",
                "Enter the authorization number the payer issued.",
            ),
        ):
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
        return cleaned

from django import forms

from coaching.models import CoachingEntry, CoachingPeriod
from core.forms import DateField
from payers.models import Payer


class CoachingPeriodForm(forms.Form):
    tier = forms.TypedChoiceField(
        coerce=int, choices=[("", "Choose a tier"), *CoachingPeriod.Tier.choices]
    )
    tier_5_hours = forms.DecimalField(
        label="Hours per month covered (tier 5 only)",
        max_digits=5,
        decimal_places=2,
        min_value=26,
        max_value=744,
        required=False,
    )
    begins_on = DateField(label="Period begins", help_text="It runs 90 days.")
    authorization_number = forms.CharField(max_length=40)
    payer = forms.ModelChoiceField(queryset=Payer.objects.order_by("name"))
    authorized_on = DateField(label="Authorization date")
    after_billing_reason = forms.CharField(
        label="Why it changes coaching already billed",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history of the periods it changes. The bill "
        "stays as it was until the provider's billing voids its line.",
    )


class CoachingEntryForm(forms.Form):
    coached_on = DateField(label="Date")
    minutes = forms.IntegerField(min_value=1, max_value=1440)
    kind = forms.ChoiceField(
        label="How", choices=[("", "Choose one"), *CoachingEntry.Kind.choices]
    )
    note = forms.CharField(label="Short note", max_length=500, required=False)
    cap_warning_seen = forms.BooleanField(
        label="I have seen the monthly cap warning: log it anyway", required=False
    )
    after_billing_reason = forms.CharField(
        label="Why it is logged after its month was billed",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

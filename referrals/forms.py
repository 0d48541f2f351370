from typing import Any, cast

from django import forms

from accounts.models import User
from core.forms import DateField
from members.models import Member
from providers.models import ProviderSite
from providers.selectors import ProviderSuggestions
from referrals.models import Episode, Referral

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ReferralForm(forms.Form):
    """A referral with the employment conversation. No readiness questions.

    Provider choices are grouped by how they serve the member's county; any
    provider may be chosen, since a member in a county nobody serves yet is
    still referred.
    """

    provider = forms.TypedChoiceField(coerce=int, label="IPS provider")
    referred_on = DateField(label="Referral date")
    wants_to_work = forms.BooleanField(
        label="The member wants to work",
        error_messages={
            "required": "IPS is for members who want to work. Ask again when the "
            "member is interested; nothing else is needed."
        },
    )
    job_hopes = forms.CharField(
        label="Hopes for a job, and how it would help", required=False, widget=TEXTAREA
    )
    concerns = forms.CharField(
        label="Concerns about working", required=False, widget=TEXTAREA
    )
    knows_benefit_changes = forms.ChoiceField(
        label="Knows how benefits change with part- or full-time work",
        choices=[("", "Not discussed"), *Referral.KnowsBenefitChanges.choices],
        required=False,
    )
    importance = forms.IntegerField(
        label="How important is a job? (1–10)",
        min_value=1,
        max_value=10,
        required=False,
    )
    confidence = forms.IntegerField(
        label="How confident about getting one? (1–10)",
        min_value=1,
        max_value=10,
        required=False,
    )
    helpful_supports = forms.CharField(
        label="Supports that would help", required=False, widget=TEXTAREA
    )
    start_timing = forms.ChoiceField(
        label="How soon to start",
        choices=[("", "Not discussed"), *Referral.StartTiming.choices],
        required=False,
    )
    next_step = forms.CharField(
        label="Agreed next step", required=False, widget=TEXTAREA
    )
    benefits_planning = forms.ChoiceField(
        label="Benefits planning", choices=Member.BenefitsPlanning.choices
    )
    benefits_planning_on = DateField(label="Benefits planning date", required=False)

    def __init__(
        self, *args: Any, suggestions: ProviderSuggestions, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        county = suggestions.county.name
        groups = [
            (f"Serve {county} County now", suggestions.serving),
            (f"Plan to serve {county} County", suggestions.planned),
            ("Other providers", suggestions.others),
        ]
        self.sites = {site.pk: site for _, sites in groups for site in sites}
        provider_field = cast(forms.TypedChoiceField, self.fields["provider"])
        provider_field.choices = [("", "Choose a provider")] + [
            (label, [(site.pk, site.name) for site in sites])
            for label, sites in groups
            if sites
        ]

    def clean_provider(self) -> ProviderSite:
        return self.sites[self.cleaned_data["provider"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("benefits_planning") not in (
            None,
            Member.BenefitsPlanning.NOT_YET,
        ) and not cleaned.get("benefits_planning_on"):
            self.add_error(
                "benefits_planning_on",
                "Give the date benefits planning took place or is scheduled.",
            )
        return cleaned


class AcceptForm(forms.Form):
    specialist = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Assign to",
        empty_label="Choose a specialist",
    )
    accepted_on = DateField(label="Accepted on")

    def __init__(self, *args: Any, specialists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["specialist"]).queryset = specialists


class RedirectForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=ProviderSite.objects.none(),
        label="Redirect to",
        empty_label="Choose a provider",
    )
    reason = forms.CharField(label="Why", widget=TEXTAREA, max_length=2000)

    def __init__(self, *args: Any, exclude: ProviderSite, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = (
            ProviderSite.objects.select_related("organization")
            .filter(organization__is_active=True)
            .exclude(pk=exclude.pk)
            .order_by("organization__name")
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why the member no longer wants services",
        widget=TEXTAREA,
        max_length=2000,
    )


class ReassignForm(forms.Form):
    episodes = forms.ModelMultipleChoiceField(
        queryset=Episode.objects.none(),
        label="Members to move",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one member to move."},
    )
    specialist = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Move to", empty_label="Choose a specialist"
    )

    def __init__(
        self, *args: Any, episodes: Any, specialists: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        episodes_field = cast(forms.ModelMultipleChoiceField, self.fields["episodes"])
        episodes_field.queryset = episodes
        cast(forms.ModelChoiceField, self.fields["specialist"]).queryset = specialists

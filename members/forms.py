from typing import Any, cast

from django import forms

from accounts.models import User
from core.forms import DateField
from members.models import Member
from payers.models import Payer
from providers.models import County


class MemberSearchForm(forms.Form):
    search = forms.CharField(
        label="Name or Medicaid ID",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MemberForm(forms.Form):
    """A member's record, as a case manager keeps it.

    The managing organization is not a field: it is the case manager's own.
    """

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    birth_date = DateField(label="Date of birth")
    county = forms.ModelChoiceField(
        queryset=County.objects.order_by("name"), empty_label="Choose a county"
    )
    payer = forms.ModelChoiceField(
        queryset=Payer.objects.order_by("name"), empty_label="Choose a payer"
    )
    medicaid_id = forms.CharField(
        label="Medicaid ID",
        max_length=20,
        required=False,
        help_text="Seven digits and a letter. Required for IME and MCO members.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    diagnosis_category = forms.ChoiceField(
        choices=[("", "Choose a category"), *Member.DiagnosisCategory.choices]
    )
    case_manager = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Not assigned"
    )
    ivrs_counselor_name = forms.CharField(
        label="IVRS counselor", max_length=120, required=False
    )
    ivrs_counselor_phone = forms.CharField(
        label="IVRS counselor phone", max_length=40, required=False
    )
    ivrs_counselor_email = forms.EmailField(
        label="IVRS counselor email", required=False
    )
    benefits_planning = forms.ChoiceField(
        label="Benefits planning", choices=Member.BenefitsPlanning.choices
    )
    benefits_planning_on = DateField(label="Benefits planning date", required=False)
    duplicate_seen = forms.BooleanField(
        label="This is a different person: save anyway",
        required=False,
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["case_manager"]
        ).queryset = User.objects.filter(
            organization=actor.organization,
            role=User.Role.CASE_MANAGER,
            is_active=True,
        ).order_by("last_name", "first_name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("benefits_planning")
        if status != Member.BenefitsPlanning.NOT_YET and not cleaned.get(
            "benefits_planning_on"
        ):
            self.add_error(
                "benefits_planning_on",
                "Give the date benefits planning took place or is scheduled.",
            )
        return cleaned

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        return {
            field: getattr(member, field)
            for field in cls.base_fields
            if field != "duplicate_seen"
        }

from typing import Any, cast

from django import forms

from core.forms import DateField, MonthField
from jobends.models import TeamMeeting
from jobs.models import Job
from milestones.models import EvidenceDocument
from payers.models import Payer


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TeamMeeting) -> str:
        return f"{obj.met_on:%m/%d/%Y}: {obj.get_reason_display()}"


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
    meeting = MeetingChoiceField(
        queryset=TeamMeeting.objects.none(),
        label="The team meeting this reauthorization follows",
        required=False,
        empty_label="Choose the meeting",
    )

    def __init__(self, *args: Any, meetings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["meeting"])
        if meetings is None:
            del self.fields["meeting"]
            return
        field.queryset = meetings
        field.required = True
        field.error_messages["required"] = (
            "Before milestones are authorized again, record the team meeting."
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


class JobChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Job) -> str:
        return f"{obj.title} at {obj.employer}, first day {obj.first_day_on:%m/%d/%Y}"


class AchievementForm(forms.Form):
    """Log a milestone: a date for milestone 1, a job for milestones 2–4.

    The evidence fields are added for the milestone's own document kinds.
    """

    achieved_on = DateField(label="Date the employment plan was completed")
    job = JobChoiceField(queryset=Job.objects.none(), empty_label="Choose a job")

    def __init__(
        self,
        *args: Any,
        milestone: int,
        jobs: Any,
        evidence_kinds: tuple[str, ...],
        required_kind: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if milestone == 1:
            del self.fields["job"]
        else:
            del self.fields["achieved_on"]
            job_field = cast(JobChoiceField, self.fields["job"])
            job_field.queryset = jobs
            if len(jobs) == 1 and not self.is_bound:
                job_field.initial = jobs[0]
        for kind in evidence_kinds:
            self.fields[f"evidence_{kind}"] = forms.FileField(
                label=EvidenceDocument.Kind(kind).label,
                required=kind == required_kind,
                help_text="A PDF, PNG or JPEG file of at most 10 MB.",
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/png,image/jpeg"}
                ),
            )

    def evidence_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("evidence_")]


class WindowChangeForm(forms.Form):
    window_begins_on = DateField(label="Window begins")
    window_ends_on = DateField(label="Window ends")
    reason = forms.CharField(label="Why the window changes", max_length=500)
    cap_warning_seen = forms.BooleanField(
        label="I have seen the monthly cap warning: change it anyway", required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        begins, ends = cleaned.get("window_begins_on"), cleaned.get("window_ends_on")
        if begins and ends and ends < begins:
            self.add_error("window_ends_on", "The window ends before it begins.")
        return cleaned


class FitWindowsForm(forms.Form):
    cap_warning_seen = forms.BooleanField(
        label="I have seen the monthly cap warning: fit the windows anyway",
        required=False,
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Why this entry is wrong",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of document")
    file = forms.FileField(
        label="File",
        help_text="A PDF, PNG or JPEG file of at most 10 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg"}
        ),
    )

    def __init__(self, *args: Any, kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (kind, EvidenceDocument.Kind(kind).label) for kind in kinds
        ]

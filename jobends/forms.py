from typing import Any, cast

from django import forms

from core.forms import DateField
from jobends.models import (
    JobEnd,
    JobEndPerspective,
    TeamLogEntry,
    TeamMeeting,
)
from members.models import Member
from referrals.models import Episode

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class JobEndForm(forms.Form):
    ended_on = DateField(label="Last day worked")
    how_ended = forms.ChoiceField(
        label="How the job ended",
        choices=[("", "Choose one"), *JobEnd.HowEnded.choices],
    )
    how_ended_other = forms.CharField(
        label="If other, in a few words", max_length=200, required=False
    )


class JobEndFormForm(forms.Form):
    """The Iowa job-end form's questions, and what the member now wants."""

    differed_from_expectations = forms.ChoiceField(
        label="Did the job differ from what the member expected?",
        choices=[("", "Not discussed"), *JobEnd.Answer.choices],
        required=False,
    )
    differed_notes = forms.CharField(
        label="How it differed", required=False, widget=TEXTAREA
    )
    duties_changed = forms.ChoiceField(
        label="Did the duties change?",
        choices=[("", "Not discussed"), *JobEnd.Answer.choices],
        required=False,
    )
    duties_notes = forms.CharField(
        label="How the duties changed", required=False, widget=TEXTAREA
    )
    job_support_needs = forms.CharField(
        label="Job support needs now", required=False, widget=TEXTAREA
    )
    disclosure = forms.ChoiceField(
        label="Disclosure decision", choices=Member.Disclosure.choices
    )
    disclosure_notes = forms.CharField(
        label="About disclosure", required=False, widget=TEXTAREA
    )
    job_preferences = forms.CharField(
        label="Job preferences now", required=False, widget=TEXTAREA
    )


class PerspectiveForm(forms.Form):
    source = forms.ChoiceField(
        label="Whose perspective", choices=JobEndPerspective.Source.choices
    )
    text = forms.CharField(
        label="Their view of the ending", widget=TEXTAREA, max_length=4000
    )


class ConsentForm(forms.Form):
    given_on = DateField(label="Consent given on")


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = DateField(label="Consent withdrawn on")


class JobEndChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: JobEnd) -> str:
        return f"{obj.job.title} at {obj.job.employer}, ended {obj.ended_on:%m/%d/%Y}"


class TeamMeetingForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why the team meets", choices=TeamMeeting.Reason.choices
    )
    job_end = JobEndChoiceField(
        queryset=JobEnd.objects.none(),
        label="The job end it follows",
        required=False,
        empty_label="None",
    )
    met_on = DateField(label="Meeting date")
    member_attended = forms.BooleanField(label="The member", required=False)
    specialist_attended = forms.BooleanField(label="The IPS specialist", required=False)
    case_manager_attended = forms.BooleanField(label="The case manager", required=False)
    other_attendees = forms.CharField(
        label="Others who attended (names and roles)", max_length=300, required=False
    )
    lessons_learned = forms.CharField(
        label="Lessons learned", widget=TEXTAREA, max_length=4000
    )
    next_steps = forms.CharField(label="Next steps", widget=TEXTAREA, max_length=4000)

    def __init__(self, *args: Any, job_ends: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(JobEndChoiceField, self.fields["job_end"]).queryset = job_ends


class TeamLogForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of entry", choices=TeamLogEntry.Kind.choices)
    text = forms.CharField(label="Entry", widget=TEXTAREA, max_length=4000)


class ExitForm(forms.Form):
    exited_on = DateField(label="Exit date")
    reason = forms.ChoiceField(
        label="Reason", choices=[("", "Choose one"), *Episode.ExitReason.choices]
    )
    notes = forms.CharField(label="About the exit", required=False, widget=TEXTAREA)
    transition_plan = forms.CharField(
        label="Transition plan",
        help_text="The ongoing supports the case manager and clinicians will provide.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NextStepForm(forms.Form):
    next_step = forms.ChoiceField(choices=JobEnd.NextStep.choices)

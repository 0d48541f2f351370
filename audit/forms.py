from typing import Any

from django import forms

from audit.selectors import MEMBER_MATCHES_SHOWN, access_search_members
from core.forms import DateField
from members.models import Member


class AccessSearchForm(forms.Form):
    """A reviewer's search of the access log.

    The form is posted, never sent in a URL: a member's name or Medicaid ID
    is protected health information, and addresses end up in server logs,
    browser history and Referer headers.
    """

    who = forms.CharField(
        label="Who",
        max_length=100,
        required=False,
        help_text="A username, or part of a name or of an API token's name.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    member = forms.CharField(
        label="Member",
        max_length=100,
        required=False,
        help_text="A name, a Medicaid ID, or the id from the member's page.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    from_on = DateField(label="From", required=False)
    to_on = DateField(label="To", required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.members: list[Member] | None = None

    def clean_member(self) -> str:
        text: str = self.cleaned_data["member"].strip()
        if not text:
            return text
        members = access_search_members(self.actor, text)
        if not members:
            raise forms.ValidationError(
                "No member in the access log or in your scope matches this."
            )
        if len(members) > MEMBER_MATCHES_SHOWN:
            raise forms.ValidationError(
                f"More than {MEMBER_MATCHES_SHOWN} members match: add more of "
                "the name, or paste the member's id from their page."
            )
        self.members = members
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        from_on, to_on = cleaned.get("from_on"), cleaned.get("to_on")
        if from_on and to_on and to_on < from_on:
            self.add_error("to_on", "The last day is on or after the first.")
        return cleaned

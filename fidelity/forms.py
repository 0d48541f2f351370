import datetime
from typing import Any

from django import forms

from core.dates import iowa_today
from core.forms import DateField
from fidelity.rules import HIGHEST_SCORE, ITEMS, LOWEST_SCORE, Area, FidelityItem

SCORE_CHOICES = [
    (score, str(score)) for score in range(LOWEST_SCORE, HIGHEST_SCORE + 1)
]


class FidelityReviewForm(forms.Form):
    """A fidelity review: when, by whom, the 25 item scores, and notes.

    One choice field per item, named by the item's key, so the service's
    errors land next to the item they name.
    """

    reviewed_on = DateField(
        label="Review date", help_text="The day the review took place."
    )
    reviewers = forms.CharField(
        label="Reviewers",
        max_length=300,
        help_text="Everyone who did the review, e.g. Ada Brennholt and "
        "Tomasz Wierzbicki.",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="About the program's practice. No member names or details.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.label,
                choices=SCORE_CHOICES,
                coerce=int,
                # Five radios in a row (templates/fidelity/score_field.html):
                # Tab reaches the item, arrow keys move between its scores.
                widget=forms.RadioSelect,
                error_messages={"required": f"Score “{item.label}” from 1 to 5."},
            )

    def clean_reviewed_on(self) -> datetime.date:
        # The service refuses it too; saying so here shows it together with
        # any missing scores, instead of after they are fixed.
        reviewed_on: datetime.date = self.cleaned_data["reviewed_on"]
        if reviewed_on > iowa_today():
            raise forms.ValidationError("The review date cannot be in the future.")
        return reviewed_on

    def areas(self) -> list[tuple[Area, list[tuple[FidelityItem, forms.BoundField]]]]:
        """The score fields grouped by area, in the scale's order."""
        return [
            (area, [(item, self[item.key]) for item in ITEMS if item.area == area])
            for area in Area
        ]

    def unscored_count(self) -> int:
        """How many items an invalid form left without a valid score."""
        return sum(1 for item in ITEMS if item.key in self.errors)

    def scores(self) -> dict[str, int]:
        return {item.key: self.cleaned_data[item.key] for item in ITEMS}


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Why this review is wrong",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

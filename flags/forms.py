from django import forms


class DismissForm(forms.Form):
    note = forms.CharField(
        label="Why can this flag be set aside?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Kept with the flag's history. The flag stays closed while "
        "its condition lasts.",
    )

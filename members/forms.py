from django import forms


class MemberSearchForm(forms.Form):
    search = forms.CharField(
        label="Name or Medicaid ID",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

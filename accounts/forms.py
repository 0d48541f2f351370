from django import forms


class CodeForm(forms.Form):
    """The 6-digit code an authenticator app shows; spaces are ignored."""

    code = forms.CharField(
        label="6-digit code",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your app."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(
                "Enter the 6 digits your app shows now, without letters."
            )
        return code

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from accounts.sign_in import password_check


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


class AppSetUpForm(CodeForm):
    """Setting up an app while signed in: the password, then the new code.

    The password is checked first, as the sign-in checks it: a wrong one
    counts towards the lockout (accounts.sign_in.password_check), and no
    code is tried.
    """

    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Enter your password."},
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
    )

    field_order = ["password", "code"]

    def __init__(
        self, request: HttpRequest, user: User, *args: Any, **kwargs: Any
    ) -> None:
        self.request = request
        self.user = user
        super().__init__(*args, **kwargs)
        # The password comes first on the page, so the cursor starts there.
        self.fields["code"].widget.attrs.pop("autofocus")

    @sensitive_variables("password")
    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not password_check(self.request, self.user, password):
            raise forms.ValidationError("That is not your password.")
        return password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, with the current password checked as the sign-in checks it.

    A weak new password is refused next to the new password itself (Django
    puts the validators' messages under the repeat).
    """

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "That is not your current password.",
    }

    def __init__(
        self, request: HttpRequest, user: User, *args: Any, **kwargs: Any
    ) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].help_text = " ".join(
            password_validators_help_texts()
        )
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if not password_check(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    def clean(self) -> dict[str, Any]:
        # In place of Django's clean(), which names the repeat.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        new_password = self.cleaned_data.get("new_password1")
        if new_password and new_password == self.cleaned_data.get("old_password"):
            self.add_error(
                "new_password1", "Choose a password other than your current one."
            )
        return self.cleaned_data

"""Form pieces shared by every app."""

import datetime
import re
from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# Business dates live in this range; anything outside it is a typing slip
# (and year 9999 would overflow month arithmetic).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


class DateField(forms.DateField):
    widget = DateInput

    default_error_messages = {
        "invalid": "Enter a date like 05/29/2026.",
        "out_of_range": "Enter a date between 1900 and 2099.",
    }

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            )


class MonthField(forms.Field):
    """A calendar month, typed as YYYY-MM (type=month) or MM/YYYY."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {
        "invalid": "Enter a month like 2026-04 or 04/2026.",
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = str(value).strip()
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        us = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
        month = None
        try:
            if iso:
                month = datetime.date(int(iso[1]), int(iso[2]), 1)
            elif us:
                month = datetime.date(int(us[2]), int(us[1]), 1)
        except ValueError:
            month = None
        if month is not None and EARLIEST_DATE <= month <= LATEST_DATE:
            return month
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


def add_service_errors(forms_by_prefix: dict[str, forms.Form], error: Any) -> None:
    """Place a service's ValidationError next to the fields it names.

    Keys like ``m2-window_ends_on`` go to the form with prefix ``m2``; other
    keys go to the main form (prefix ""), and unknown fields become errors
    on that form as a whole.
    """
    main = forms_by_prefix[""]
    if not hasattr(error, "error_dict"):
        main.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        prefix, _, field = key.rpartition("-")
        form = forms_by_prefix.get(prefix, main)
        form.add_error(field if field in form.fields else None, messages)

from django import forms

from core.forms import DateField


class JobForm(forms.Form):
    employer = forms.CharField(max_length=200)
    title = forms.CharField(label="Job title", max_length=200)
    first_day_on = DateField(label="First day on the job")
    hours_per_week = forms.DecimalField(
        label="Hours per week", max_digits=5, decimal_places=2, min_value=0.25
    )
    hourly_wage = forms.DecimalField(
        label="Hourly wage ($)", max_digits=7, decimal_places=2, min_value=0.01
    )
    below_minimum_seen = forms.BooleanField(
        label="The wage is below $7.25: record it anyway (not competitive employment)",
        required=False,
    )

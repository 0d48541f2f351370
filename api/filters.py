"""Declared filters only: nothing reaches through a relation to hidden data."""

from typing import Any

import django_filters
from django.db.models import QuerySet

from members.models import Member


class MemberFilter(django_filters.FilterSet):
    provider = django_filters.CharFilter(
        method="at_provider", help_text="A provider site's slug, e.g. 43-north-iowa."
    )
    payer = django_filters.CharFilter(
        field_name="payer__short_name", help_text="A payer's short name."
    )

    class Meta:
        model = Member
        fields: list[str] = []

    def at_provider(
        self, queryset: QuerySet[Member], name: str, value: Any
    ) -> QuerySet[Member]:
        return queryset.filter(episodes__provider__slug=value).distinct()

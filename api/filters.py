"""Declared filters only: nothing reaches through a relation to hidden data.

Every queryset reaching a FilterSet is already limited to the caller's
scope, so a filter naming a member or provider outside it finds no rows.
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from coaching.models import CoachingPeriod
from jobends.models import JobEnd
from jobs.models import Job
from members.models import Member
from milestones.models import AuthorizationRound, MilestoneAuthorization
from referrals.models import Referral

MEMBER_HELP = "A member's id."
PROVIDER_HELP = "A provider site's slug, e.g. 43-north-iowa."
PAYER_HELP = "A payer's short name, e.g. Wellpoint."
WINDOW_FROM_HELP = (
    "Only rounds with a milestone window ending on or after this date; with "
    "window_to, a window overlapping the range."
)
WINDOW_TO_HELP = (
    "Only rounds with a milestone window beginning on or before this date; "
    "with window_from, a window overlapping the range."
)


class StrictFilterSet(django_filters.FilterSet):
    """A filter sent empty is refused (400), not quietly taken as absent.

    What the schema documents as a date or an id has to be one; a client
    leaves a filter out to not filter.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and str(self.data.get(name)).strip() == "":
                self.form.add_error(
                    name, "Leave this filter out rather than sending it empty."
                )
                valid = False
        return valid


def member_filter(path: str = "member__public_id") -> django_filters.UUIDFilter:
    return django_filters.UUIDFilter(field_name=path, help_text=MEMBER_HELP)


def provider_filter(path: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=path, help_text=PROVIDER_HELP)


def payer_filter() -> django_filters.CharFilter:
    return django_filters.CharFilter(
        field_name="payer__short_name", help_text=PAYER_HELP
    )


class MemberFilter(StrictFilterSet):
    provider = django_filters.CharFilter(method="at_provider", help_text=PROVIDER_HELP)
    payer = payer_filter()

    class Meta:
        model = Member
        fields: list[str] = []

    def at_provider(
        self, queryset: QuerySet[Member], name: str, value: str
    ) -> QuerySet[Member]:
        return queryset.filter(episodes__provider__slug=value).distinct()


class ReferralFilter(StrictFilterSet):
    member = member_filter()
    provider = provider_filter("provider__slug")
    status = django_filters.ChoiceFilter(
        choices=Referral.Status.choices, help_text="The referral's status."
    )

    class Meta:
        model = Referral
        fields: list[str] = []


class AuthorizationRoundFilter(StrictFilterSet):
    class Status:
        ACTIVE = "active"
        VOIDED = "voided"
        choices = [(ACTIVE, "Active"), (VOIDED, "Voided")]

    member = member_filter()
    provider = provider_filter("episode__provider__slug")
    payer = payer_filter()
    status = django_filters.ChoiceFilter(
        choices=Status.choices, method="with_status", help_text="active or voided."
    )
    window_from = django_filters.DateFilter(
        method="with_window_between", help_text=WINDOW_FROM_HELP
    )
    window_to = django_filters.DateFilter(
        method="with_window_between", help_text=WINDOW_TO_HELP
    )

    class Meta:
        model = AuthorizationRound
        fields: list[str] = []

    def with_status(
        self, queryset: QuerySet[AuthorizationRound], name: str, value: str
    ) -> QuerySet[AuthorizationRound]:
        return queryset.filter(voided_at__isnull=value == self.Status.ACTIVE)

    def with_window_between(
        self, queryset: QuerySet[AuthorizationRound], name: str, value: datetime.date
    ) -> QuerySet[AuthorizationRound]:
        """Rounds with a line whose window overlaps the range given.

        Both ends apply to the same line, so the filter runs once, for
        whichever end comes first.
        """
        begins_on = self.form.cleaned_data.get("window_from")
        ends_on = self.form.cleaned_data.get("window_to")
        if name == "window_to" and begins_on is not None:
            return queryset
        lines = MilestoneAuthorization.objects.filter(round=OuterRef("pk"))
        if begins_on is not None:
            lines = lines.filter(window_ends_on__gte=begins_on)
        if ends_on is not None:
            lines = lines.filter(window_begins_on__lte=ends_on)
        return queryset.filter(Exists(lines))


class JobFilter(StrictFilterSet):
    member = member_filter()
    provider = provider_filter("episode__provider__slug")

    class Meta:
        model = Job
        fields: list[str] = []


class JobEndFilter(StrictFilterSet):
    member = member_filter("job__member__public_id")
    provider = provider_filter("job__episode__provider__slug")

    class Meta:
        model = JobEnd
        fields: list[str] = []


class CoachingPeriodFilter(StrictFilterSet):
    member = member_filter()
    provider = provider_filter("episode__provider__slug")
    payer = payer_filter()
    window_from = django_filters.DateFilter(
        field_name="ends_on",
        lookup_expr="gte",
        help_text="Only periods that end on or after this date.",
    )
    window_to = django_filters.DateFilter(
        field_name="begins_on",
        lookup_expr="lte",
        help_text="Only periods that begin on or before this date.",
    )

    class Meta:
        model = CoachingPeriod
        fields: list[str] = []


class CoachingMonthFilter(StrictFilterSet):
    member = member_filter("public_id")

    class Meta:
        model = Member
        fields: list[str] = []

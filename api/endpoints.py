"""The API's resources. Each list is scoped by the access policy first.

Every list reads a fixed number of queries per page whatever the data:
related rows are joined (``select_related``) or fetched once per page
(``prefetch_related``).
"""

import base64
import binascii
import datetime
import re
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access.policy import scope_members, scope_referrals
from api.filters import (
    AuthorizationRoundFilter,
    CoachingMonthFilter,
    CoachingPeriodFilter,
    JobEndFilter,
    JobFilter,
    MemberFilter,
    ReferralFilter,
)
from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ChangeCursorPagination
from api.schema import READ_ERRORS, error_response, sync_schema
from api.serializers import (
    AuthorizationRoundSerializer,
    CoachingMonthSerializer,
    CoachingPeriodSerializer,
    FlagSerializer,
    JobEndSerializer,
    JobSerializer,
    MemberSerializer,
    ReferralSerializer,
)
from api.views import ApiViewMixin, SyncViewSet, updated_since
from coaching.models import CoachingPeriod
from coaching.rules import CoachingMonth, quarter_hours
from coaching.selectors import coaching_month_for_members
from core.dates import month_end
from flags.selectors import flags_for, flags_meant_for
from jobends.models import JobEnd
from jobs.models import Job
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from referrals.models import Referral


def members_in_scope(request: Request) -> QuerySet[Member]:
    return scope_members(request.user, Member.objects.all())


@sync_schema(MemberSerializer)
class MemberViewSet(SyncViewSet):
    """Members in the caller's scope: ids, name, birth date, county, payer."""

    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    member_path = "pk"

    def scoped_queryset(self) -> QuerySet[Any]:
        return scope_members(self.request.user, Member.objects.all()).select_related(
            "county", "payer", "managing_organization"
        )


@sync_schema(ReferralSerializer)
class ReferralViewSet(SyncViewSet):
    """Referrals in the caller's scope, with the provider they were made to.

    A provider sees every referral made to it, including the ones it
    redirected elsewhere.
    """

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def scoped_queryset(self) -> QuerySet[Any]:
        referrals = Referral.objects.select_related("member", "provider__organization")
        return scope_referrals(self.request.user, referrals)


@sync_schema(AuthorizationRoundSerializer)
class AuthorizationRoundViewSet(SyncViewSet):
    """Milestone authorization rounds of members in scope, with their lines.

    Each line shows its window, rate, authorization number and whether it
    is achieved (billable inside its window, or outside it until the
    window changes). A round's `changed_at` moves when the round, one of
    its lines, one of their achievements, or a job of its time in IPS
    changes, so `updated_since` brings it back; voided rounds and voided
    achievements stay, with their status.
    """

    serializer_class = AuthorizationRoundSerializer
    filterset_class = AuthorizationRoundFilter
    change_field = "changed_at"

    def scoped_queryset(self) -> QuerySet[Any]:
        achievements = MilestoneAchievement.objects.order_by("recorded_at")
        lines = MilestoneAuthorization.objects.order_by("milestone").prefetch_related(
            Prefetch("achievements", queryset=achievements)
        )
        return (
            AuthorizationRound.objects.filter(member__in=members_in_scope(self.request))
            .select_related("member", "payer", "episode__provider")
            .prefetch_related(Prefetch("lines", queryset=lines))
        )


@sync_schema(JobSerializer)
class JobViewSet(SyncViewSet):
    """Jobs of members in scope: hours, wage, retention dates and end date."""

    serializer_class = JobSerializer
    filterset_class = JobFilter

    def scoped_queryset(self) -> QuerySet[Any]:
        return Job.objects.filter(
            member__in=members_in_scope(self.request)
        ).select_related("member")


@sync_schema(JobEndSerializer)
class JobEndViewSet(SyncViewSet):
    """Job ends of members in scope: how and when, and where the form stands.

    The perspectives written on the job-end form are not shown here.
    """

    serializer_class = JobEndSerializer
    filterset_class = JobEndFilter

    def scoped_queryset(self) -> QuerySet[Any]:
        return JobEnd.objects.filter(
            job__member__in=members_in_scope(self.request)
        ).select_related("job__member")

    def member_ids_shown(self, rows: list[Any]) -> list[int]:
        return sorted({row.job.member_id for row in rows})


@sync_schema(CoachingPeriodSerializer)
class CoachingPeriodViewSet(SyncViewSet):
    """Coaching tier authorizations (90-day periods) of members in scope."""

    serializer_class = CoachingPeriodSerializer
    filterset_class = CoachingPeriodFilter

    def scoped_queryset(self) -> QuerySet[Any]:
        return CoachingPeriod.objects.filter(
            member__in=members_in_scope(self.request)
        ).select_related("member", "payer", "episode__provider")


@sync_schema(FlagSerializer)
class FlagViewSet(SyncViewSet):
    """The caller's open flags: what the monitors found needs attention.

    Without `updated_since` the list holds open flags only. With it, flags
    closed since (resolved by the monitors or dismissed by a person) come
    too, with their status, so a closed flag is seen to close. The flags
    are the ones the portal's inbox would show: for an MCO's token, those
    about its members that a case manager acts on; for a provider's, all
    of the provider's.
    """

    serializer_class = FlagSerializer
    change_field = "changed_at"

    def scoped_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        if self.action == "list" and updated_since(self.request) is None:
            flags = flags_for(user)
        else:
            flags = flags_meant_for(user)
        return flags.select_related("member")


# Coaching months ------------------------------------------------------------

MONTH_FORMAT = re.compile(r"^(\d{4})-(\d{2})$")
MONTH_HELP = "The month as YYYY-MM, e.g. 2026-09."


def requested_month(request: Request) -> datetime.date:
    """The required ``month`` parameter, as the month's first day."""
    match = MONTH_FORMAT.fullmatch(request.query_params.get("month", ""))
    if match is None or int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
        raise ValidationError({"month": ["Give the month as YYYY-MM, e.g. 2026-09."]})
    return datetime.date(int(match[1]), int(match[2]), 1)


def coaching_month_row(member: Member, summary: CoachingMonth) -> dict[str, Any]:
    return {
        "member": member.public_id,
        "month": f"{summary.month:%Y-%m}",
        "minutes": summary.minutes,
        "hours": Decimal(quarter_hours(summary.minutes)) / 4,
        "contacts": summary.contacts,
        "earned_tier": summary.earned_tier,
        "authorized_tier": summary.authorized_tier,
        "billable_tier": summary.billable_tier,
        "amount": summary.amount,
        "authorization_number": summary.authorization_number,
    }


class MemberCursorPagination(ChangeCursorPagination):
    """Pages of members in id order; the cursor names the last member shown.

    For lists worked out per member rather than read from rows that change:
    the same ``cursor`` and ``page_size`` parameters as every other list.
    """

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        try:
            size = int(request.query_params.get("page_size") or DEFAULT_PAGE_SIZE)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError({"page_size": ["A whole number, 1 to 500."]})
        cursor = request.query_params.get("cursor")
        if cursor:
            queryset = queryset.filter(public_id__gt=self.decode(cursor))
        rows = list(queryset.order_by("public_id")[: size + 1])
        self.has_next = len(rows) > size
        self.page = rows[:size]
        return self.page

    @staticmethod
    def decode(cursor: str) -> uuid.UUID:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            return uuid.UUID(raw.decode())
        except (ValueError, UnicodeDecodeError, binascii.Error):
            raise ValidationError(
                {"cursor": ["This cursor is not one the API gave."]}
            ) from None

    def next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        params = self.request.query_params.copy()
        last = str(self.page[-1].public_id).encode()
        params["cursor"] = base64.urlsafe_b64encode(last).decode().rstrip("=")
        return self.request.build_absolute_uri(
            f"{self.request.path}?{params.urlencode()}"
        )


@extend_schema(
    parameters=[
        OpenApiParameter(
            "month",
            str,
            required=True,
            description=MONTH_HELP,
            pattern=MONTH_FORMAT.pattern,
        )
    ],
    responses={
        200: CoachingMonthSerializer,
        **READ_ERRORS,
        400: error_response(
            "`month` is missing or not YYYY-MM, or `member`, `cursor` or "
            "`page_size` is not valid."
        ),
    },
)
class CoachingMonthViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """One month's long-term coaching, per member in scope, by the tier rules.

    Members in scope with a coaching period touching the month, whether or
    not they were coached in it. Worked out when asked, so this list takes
    no `updated_since`: it is paged by member id (`cursor`, `page_size`)
    and holds at most one row per member. Minutes count on days with an
    authorization in force; hours are those minutes in whole quarter hours,
    rounded down; the amount is that of the lower of the earned and the
    authorized tier, under the authorization number of the period in force
    on the month's last contact.
    """

    serializer_class = CoachingMonthSerializer
    filterset_class = CoachingMonthFilter
    pagination_class = MemberCursorPagination

    def get_queryset(self) -> QuerySet[Member]:
        if getattr(self, "swagger_fake_view", False):
            return Member.objects.none()  # the schema generator asks
        month = requested_month(self.request)
        periods = CoachingPeriod.objects.filter(
            member=OuterRef("pk"), begins_on__lte=month_end(month), ends_on__gte=month
        )
        return members_in_scope(self.request).filter(Exists(periods))

    def member_ids_shown(self, rows: list[Any]) -> list[int]:
        return sorted(member.pk for member in rows)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        month = requested_month(request)
        members = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert members is not None  # noqa: S101 (the list is paginated)
        months = coaching_month_for_members([member.pk for member in members], month)

        # Every member listed has a period touching the month, so a summary.
        shown = [member for member in members if member.pk in months]
        rows = [coaching_month_row(member, months[member.pk][0]) for member in shown]
        self.record_read(shown)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

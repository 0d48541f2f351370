"""The dashboards' figures: one function per metric, each a few SQL aggregates.

Every function takes the user's ``DashboardScope`` and the
``DashboardFilters`` and returns plain dataclasses. Nothing here loops
over members in Python: counts, sums and medians are computed by the
database, and each function runs a fixed number of queries whatever the
number of records (given in its docstring). The only rollup read is
``CoachingMonthSummary`` (see ``dashboards.models`` for why).

Words used below:

- *in IPS during a span*: the member has an episode (at the provider in
  scope) that opened on or before the span's last day and had not closed
  before its first day.
- *worked in a competitive job during a span*: a job paying at least
  ``jobs.rules.IOWA_MINIMUM_WAGE`` whose first day is on or before the
  span's last day and whose last day worked, if any, is on or after its
  first day.
- *billable milestone*: an achievement not voided, of a round not voided,
  dated inside its line's window (as billing counts it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth

from accounts.models import User
from billing.selectors import MEDICAID_KINDS
from coaching.models import CoachingPeriod
from core.dates import IOWA, month_start
from core.money import to_cents
from dashboards.models import CoachingMonthSummary, RollupMark
from dashboards.rules import (
    FLAG_AGE_BUCKETS,
    Quarter,
    age_bucket_starts,
    quarters_between,
    share,
)
from dashboards.scope import (
    DashboardFilters,
    DashboardScope,
    member_condition,
    provider_condition,
)
from dashboards.sql import NO_MEDIAN, DaysBetween, Median, medians
from flags.models import Flag
from jobends.models import JobEnd, TeamMeeting
from jobs.models import Job
from jobs.rules import IOWA_MINIMUM_WAGE
from members.models import Member
from milestones.models import AuthorizationRound, MilestoneAchievement
from providers.models import ProviderSite
from referrals.models import Episode, Referral

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")
COACHING_SUMMARY = "coaching_months"


# Competitive employment ------------------------------------------------------


@dataclass(frozen=True)
class Benchmarks:
    """The field's benchmarks for the competitive employment rate.

    The three quarterly standards come from a 13-state learning
    collaborative; the trials' figure is cumulative (over a study's whole
    follow-up), so it is context, never a quarterly line.
    """

    minimal: Decimal
    average: Decimal
    excellent: Decimal
    cumulative_trials: Decimal


def outcome_benchmarks() -> Benchmarks:
    """The benchmarks held in ``settings.OUTCOME_BENCHMARKS``."""
    held: dict[str, Any] = settings.OUTCOME_BENCHMARKS
    quarterly = held["competitive_employment_quarterly"]
    return Benchmarks(
        minimal=Decimal(str(quarterly["minimal"])),
        average=Decimal(str(quarterly["average"])),
        excellent=Decimal(str(quarterly["excellent"])),
        cumulative_trials=Decimal(str(held["competitive_employment_cumulative"])),
    )


@dataclass(frozen=True)
class QuarterRate:
    """One quarter's competitive employment: who was in IPS, who worked."""

    quarter: Quarter
    active: int
    employed: int

    @property
    def rate(self) -> Decimal | None:
        return share(self.employed, self.active)


def _active_members(
    scope: DashboardScope,
    filters: DashboardFilters,
    first: datetime.date,
    last: datetime.date,
) -> QuerySet[Member]:
    """Members in scope with their episodes and paid jobs meeting the span.

    Two filtered joins: ``in_ips`` (episodes at a provider in scope meeting
    the span) and ``paid_job`` (jobs at or above the minimum wage meeting
    it). A member appears once per episode and job pair, so counts over
    this are distinct counts.
    """
    in_ips = (
        provider_condition(scope, filters, "episodes__provider_id")
        & Q(episodes__opened_on__lte=last)
        & (Q(episodes__closed_on__isnull=True) | Q(episodes__closed_on__gte=first))
    )
    paid_job = Q(
        jobs__hourly_wage__gte=IOWA_MINIMUM_WAGE, jobs__first_day_on__lte=last
    ) & (Q(jobs__ended_on__isnull=True) | Q(jobs__ended_on__gte=first))
    return (
        Member.objects.filter(member_condition(scope, filters))
        .alias(
            in_ips=FilteredRelation("episodes", condition=in_ips),
            paid_job=FilteredRelation("jobs", condition=paid_job),
        )
        .filter(in_ips__id__isnull=False)
    )


def _in_quarter(quarter: Quarter) -> tuple[Q, Q]:
    """Conditions on ``_active_members`` rows: in IPS, and also working."""
    active = Q(in_ips__opened_on__lte=quarter.last) & (
        Q(in_ips__closed_on__isnull=True) | Q(in_ips__closed_on__gte=quarter.first)
    )
    worked = Q(paid_job__first_day_on__lte=quarter.last) & (
        Q(paid_job__ended_on__isnull=True) | Q(paid_job__ended_on__gte=quarter.first)
    )
    return active, active & worked


def competitive_employment_by_quarter(
    scope: DashboardScope, filters: DashboardFilters
) -> list[QuarterRate]:
    """Return the competitive employment rate of each quarter of the period.

    Of the members in IPS at any time in the quarter, the share who worked
    in a competitive job at any time in it (DOMAIN.md, "Outcomes the field
    reports"). A quarter the period cuts (the current one, to date) counts
    only its days inside the period and is marked partial. One query: a
    pair of distinct counts per quarter.
    """
    quarters = quarters_between(filters.period_from, filters.period_end)
    if not quarters:
        return []
    counts: dict[str, Count] = {}
    for index, quarter in enumerate(quarters):
        active, employed = _in_quarter(quarter)
        counts[f"active_{index}"] = Count("pk", distinct=True, filter=active)
        counts[f"employed_{index}"] = Count("pk", distinct=True, filter=employed)
    found = _active_members(
        scope, filters, quarters[0].first, quarters[-1].last
    ).aggregate(**counts)
    return [
        QuarterRate(quarter, found[f"active_{index}"], found[f"employed_{index}"])
        for index, quarter in enumerate(quarters)
    ]


@dataclass(frozen=True)
class ProviderRate:
    provider_id: int
    active: int
    employed: int

    @property
    def rate(self) -> Decimal | None:
        return share(self.employed, self.active)


def competitive_employment_by_provider(
    scope: DashboardScope, filters: DashboardFilters, quarter: Quarter
) -> dict[int, ProviderRate]:
    """Each provider's competitive employment rate in one quarter. One query.

    A member in IPS at two providers in the quarter counts at both.
    """
    active, employed = _in_quarter(quarter)
    rows = (
        _active_members(scope, filters, quarter.first, quarter.last)
        .values(provider=F("in_ips__provider_id"))
        .annotate(
            active=Count("pk", distinct=True, filter=active),
            employed=Count("pk", distinct=True, filter=employed),
        )
        .order_by()
    )
    return {
        row["provider"]: ProviderRate(row["provider"], row["active"], row["employed"])
        for row in rows
    }


# The milestone funnel --------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    members: int
    # Of the members at the step before, and of all members referred.
    from_previous: Decimal | None
    from_referred: Decimal | None


@dataclass(frozen=True)
class Funnel:
    """Members referred in the period and the milestones they reached."""

    steps: list[FunnelStep]
    reached_by: datetime.date


FUNNEL_STEPS = (
    ("referred", "Referred"),
    ("plan", "Employment plan (milestone 1)"),
    ("first_day", "First day on a job (milestone 2)"),
    ("day_45", "45 days on the job (milestone 3)"),
    ("day_90", "90 days on the job (milestone 4)"),
)


def _reached(day_field: str, by: datetime.date) -> Q:
    """A job reached the day in ``day_field`` by ``by`` (rule — retention)."""
    return Q(**{f"{day_field}__lte": by}) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=F(day_field))
    )


def milestone_funnel(scope: DashboardScope, filters: DashboardFilters) -> Funnel:
    """Return the funnel: referred → plan → first day → 45 days → 90 days.

    A cohort: the members with a referral dated in the period (to a
    provider in scope; a referral the provider redirected counts at the
    provider it went to, not twice), then how many of them, in the episodes
    those referrals opened, reached each step by the period's end (today at
    the latest). The plan step is milestone 1 achieved (not voided, round
    not voided); the job steps are reached by the job itself (rule —
    retention days), whether or not the milestone was authorized. Each
    step counts members, so a member with two jobs counts once. Three
    queries.
    """
    by = filters.period_end
    cohort = Referral.objects.filter(
        member_condition(scope, filters, "member__"),
        provider_condition(scope, filters, "provider_id"),
        referred_on__range=(filters.period_from, by),
    ).exclude(status=Referral.Status.REDIRECTED)

    referred = cohort.aggregate(members=Count("member_id", distinct=True))["members"]
    plan = MilestoneAchievement.objects.filter(
        line__round__episode__referral__in=cohort.values("pk"),
        line__milestone=1,
        line__round__voided_at__isnull=True,
        voided_at__isnull=True,
        achieved_on__lte=by,
    ).aggregate(members=Count("line__round__member_id", distinct=True))["members"]
    jobs = Job.objects.filter(
        episode__referral__in=cohort.values("pk"), first_day_on__lte=by
    ).aggregate(
        first_day=Count("member_id", distinct=True),
        day_45=Count("member_id", distinct=True, filter=_reached("day_45_on", by)),
        day_90=Count("member_id", distinct=True, filter=_reached("day_90_on", by)),
    )

    counts = {"referred": referred, "plan": plan, **jobs}
    steps = []
    previous: int | None = None
    for key, label in FUNNEL_STEPS:
        members = counts[key]
        steps.append(
            FunnelStep(
                key,
                label,
                members,
                None if previous is None else share(members, previous),
                None if key == "referred" else share(members, referred),
            )
        )
        previous = members
    return Funnel(steps, by)


# Delays ------------------------------------------------------------------------


@dataclass(frozen=True)
class Delays:
    """Median whole days from referral to authorization and to a first job."""

    authorization: Median
    first_job: Median


def _episodes(scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Episode]:
    return Episode.objects.filter(
        member_condition(scope, filters, "member__"),
        provider_condition(scope, filters, "provider_id"),
    )


def _authorization_delays(
    scope: DashboardScope, filters: DashboardFilters
) -> QuerySet[Episode]:
    """Episodes first authorized in the period, with the days it took."""
    return (
        _episodes(scope, filters)
        .annotate(
            first_authorized_on=Min(
                "authorization_rounds__authorized_on",
                filter=Q(authorization_rounds__voided_at__isnull=True),
            )
        )
        .filter(first_authorized_on__range=(filters.period_from, filters.period_end))
        .annotate(
            median_value=DaysBetween("referral__referred_on", "first_authorized_on")
        )
    )


def delays(
    scope: DashboardScope, filters: DashboardFilters, *, method: str | None = None
) -> Delays:
    """Return the median authorization delay and time to a first job.

    Authorization delay: for each episode whose first authorization round
    (not voided) is dated in the period, the days from the referral that
    opened the episode to that round. Time to a first job: for each
    episode whose first competitive job started in the period, the days
    from that referral to the job's first day. A redirected member counts
    from the referral to the provider that took them. Two queries.
    """
    authorization = medians(
        _authorization_delays(scope, filters).annotate(median_group=Value(0)),
        method=method,
    )
    first_job = medians(
        _episodes(scope, filters)
        .annotate(
            first_job_on=Min(
                "jobs__first_day_on",
                filter=Q(jobs__hourly_wage__gte=IOWA_MINIMUM_WAGE),
            )
        )
        .filter(first_job_on__range=(filters.period_from, filters.period_end))
        .annotate(
            median_value=DaysBetween("referral__referred_on", "first_job_on"),
            median_group=Value(0),
        ),
        method=method,
    )
    return Delays(authorization.get(0, NO_MEDIAN), first_job.get(0, NO_MEDIAN))


def authorization_delay_by_provider(
    scope: DashboardScope, filters: DashboardFilters, *, method: str | None = None
) -> dict[int, Median]:
    """The median authorization delay of each provider. One query."""
    return medians(
        _authorization_delays(scope, filters).annotate(median_group=F("provider_id")),
        method=method,
    )


# Job ends, reauthorizations, exits -----------------------------------------------


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class Breakdown:
    """Counts by a choice, every choice listed (zeros included)."""

    rows: list[CountRow]
    total: int


def _breakdown(counted: dict[str, int], choices: list[tuple[str, str]]) -> Breakdown:
    total = sum(counted.values())
    rows = [
        CountRow(
            key, str(label), counted.get(key, 0), share(counted.get(key, 0), total)
        )
        for key, label in choices
    ]
    return Breakdown(rows, total)


def job_ends_by_how_ended(
    scope: DashboardScope, filters: DashboardFilters
) -> Breakdown:
    """Job ends whose last day worked is in the period, by how they ended.

    One query.
    """
    rows = (
        JobEnd.objects.filter(
            member_condition(scope, filters, "job__member__"),
            provider_condition(scope, filters, "job__episode__provider_id"),
            ended_on__range=(filters.period_from, filters.period_end),
        )
        .values("how_ended")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return _breakdown(
        {row["how_ended"]: row["count"] for row in rows}, JobEnd.HowEnded.choices
    )


@dataclass(frozen=True)
class Reauthorizations:
    """Help toward another job in the period: meetings, then milestones again."""

    meetings: int
    rounds: int
    milestones: int
    members: int


def reauthorizations(
    scope: DashboardScope, filters: DashboardFilters
) -> Reauthorizations:
    """Team meetings held and reauthorization rounds made in the period.

    A reauthorization round is any round after an episode's first: each
    follows a team meeting (the round names it). Voided rounds are left
    out. Two queries.
    """
    span = (filters.period_from, filters.period_end)
    meetings = TeamMeeting.objects.filter(
        member_condition(scope, filters, "member__"),
        provider_condition(scope, filters, "episode__provider_id"),
        met_on__range=span,
    ).count()
    rounds = AuthorizationRound.objects.filter(
        member_condition(scope, filters, "member__"),
        provider_condition(scope, filters, "episode__provider_id"),
        meeting__isnull=False,
        voided_at__isnull=True,
        authorized_on__range=span,
    ).aggregate(
        rounds=Count("pk", distinct=True),
        milestones=Count("lines"),
        members=Count("member_id", distinct=True),
    )
    return Reauthorizations(
        meetings, rounds["rounds"], rounds["milestones"], rounds["members"]
    )


def exits_by_reason(scope: DashboardScope, filters: DashboardFilters) -> Breakdown:
    """Episodes closed (exits from IPS) in the period, by reason. One query."""
    rows = (
        _episodes(scope, filters)
        .filter(closed_on__range=(filters.period_from, filters.period_end))
        .values("exit_reason")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return _breakdown(
        {row["exit_reason"]: row["count"] for row in rows},
        Episode.ExitReason.choices,
    )


# Caseloads -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialistCaseload:
    specialist_id: int
    name: str
    provider_id: int
    provider: str
    members: int
    limit: int

    @property
    def is_over_limit(self) -> bool:
        return self.members > self.limit


def caseload_limit() -> int:
    """IPS fidelity expects at most 20 members per specialist."""
    return int(settings.FLAG_THRESHOLDS["caseload_limit"])


def caseloads(
    scope: DashboardScope, filters: DashboardFilters
) -> list[SpecialistCaseload]:
    """Each specialist's caseload at the period's end, against the limit.

    A caseload is the episodes open on that day (opened by then, not yet
    closed) assigned to the specialist. Whole caseloads: the county and
    payer filters do not cut them, since the fidelity limit is about
    everyone a specialist serves. A case manager's scope still counts only
    their organization's members, and lists only the specialists serving
    them. Supervisors carrying a caseload are listed too. One query.
    """
    end = filters.period_end
    no_filters = DashboardFilters(filters.period_from, filters.period_to, end)
    open_then = (
        Q(caseload__opened_on__lte=end)
        & (Q(caseload__closed_on__isnull=True) | Q(caseload__closed_on__gt=end))
        & member_condition(scope, no_filters, "caseload__member__")
        & provider_condition(scope, filters, "caseload__provider_id")
    )
    team = Q(role=User.Role.IPS_SPECIALIST, is_active=True)
    if scope.organization_id is not None:
        team = Q(pk__in=[])
    rows = (
        User.objects.filter(
            provider_condition(scope, filters, "organization__provider_site__id"),
            role__in=[User.Role.IPS_SPECIALIST, User.Role.IPS_SUPERVISOR],
            organization__provider_site__isnull=False,
        )
        .annotate(members=Count("caseload", filter=open_then))
        .filter(team | Q(members__gt=0))
        .values(
            "pk",
            "first_name",
            "last_name",
            "username",
            "organization__provider_site__id",
            "organization__name",
            "members",
        )
        .order_by("organization__name", "last_name", "first_name", "pk")
    )
    limit = caseload_limit()
    return [
        SpecialistCaseload(
            row["pk"],
            f"{row['first_name']} {row['last_name']}".strip() or row["username"],
            row["organization__provider_site__id"],
            row["organization__name"],
            row["members"],
            limit,
        )
        for row in rows
    ]


# Money -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyRow:
    month: datetime.date
    payer_id: int
    payer: str
    payer_kind: str
    milestones: Decimal
    coaching: Decimal

    @property
    def total(self) -> Decimal:
        return self.milestones + self.coaching


@dataclass(frozen=True)
class Money:
    """Billable milestones and coaching by month and payer.

    ``coaching_as_of`` is when the coaching summaries were last brought up
    to date (None: never, so no coaching is counted yet).
    """

    months: list[datetime.date]
    rows: list[MoneyRow]
    coaching_as_of: datetime.datetime | None

    @property
    def payers(self) -> list[str]:
        return sorted({row.payer for row in self.rows})

    @property
    def milestones(self) -> Decimal:
        return sum((row.milestones for row in self.rows), ZERO)

    @property
    def coaching(self) -> Decimal:
        return sum((row.coaching for row in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return self.milestones + self.coaching


def _months(filters: DashboardFilters) -> list[datetime.date]:
    months = []
    month = month_start(filters.period_from)
    while month <= filters.period_end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _service_payer(filters: DashboardFilters, field: str) -> Q:
    """The payer filter applied to the payer of a service, for amounts."""
    if filters.payer_id is None:
        return Q()
    return Q(**{field: filters.payer_id})


def money_by_month(scope: DashboardScope, filters: DashboardFilters) -> Money:
    """Return milestone and coaching amounts by month and payer.

    Milestones: billable achievements, in the month achieved, at the line's
    units × rate, under the round's payer. Coaching: each member's month
    from the coaching summaries (coaching's own rule), under the payer of
    the period in force. A coaching month counts whole when the period
    starts inside it. Here the payer filter means the payer of the
    service; the county filter, the member's county. Three queries (the
    third reads when the summaries were refreshed).
    """
    months = _months(filters)
    member = member_condition(scope, filters, with_payer=False, path="member__")
    milestones = (
        MilestoneAchievement.objects.filter(
            member_condition(
                scope, filters, with_payer=False, path="line__round__member__"
            ),
            provider_condition(scope, filters, "line__round__episode__provider_id"),
            _service_payer(filters, "line__round__payer_id"),
            voided_at__isnull=True,
            line__round__voided_at__isnull=True,
            achieved_on__range=(filters.period_from, filters.period_end),
            achieved_on__gte=F("line__window_begins_on"),
            achieved_on__lte=F("line__window_ends_on"),
        )
        .annotate(month=TruncMonth("achieved_on"))
        .values(
            "month",
            payer_id=F("line__round__payer_id"),
            payer_name=F("line__round__payer__short_name"),
            payer_kind=F("line__round__payer__kind"),
        )
        .annotate(amount=Sum(F("line__units") * F("line__rate"), output_field=MONEY))
        .order_by()
    )
    coaching = (
        CoachingMonthSummary.objects.filter(
            member,
            provider_condition(scope, filters, "episode__provider_id"),
            _service_payer(filters, "payer_id"),
            month__range=(month_start(filters.period_from), filters.period_end),
            amount__gt=0,
        )
        .values(
            "month",
            "payer_id",
            payer_name=F("payer__short_name"),
            payer_kind=F("payer__kind"),
        )
        .annotate(amount=Sum("amount"))
        .order_by()
    )

    amounts: dict[tuple[datetime.date, int], list[Decimal]] = defaultdict(
        lambda: [ZERO, ZERO]
    )
    payers: dict[int, tuple[str, str]] = {}
    for row in milestones:
        amounts[(_as_date(row["month"]), row["payer_id"])][0] += to_cents(row["amount"])
        payers[row["payer_id"]] = (row["payer_name"], row["payer_kind"])
    for row in coaching:
        amounts[(row["month"], row["payer_id"])][1] += to_cents(row["amount"])
        payers[row["payer_id"]] = (row["payer_name"], row["payer_kind"])
    rows = [
        MoneyRow(month, payer_id, *payers[payer_id], milestone_amount, coaching_amount)
        for (month, payer_id), (milestone_amount, coaching_amount) in sorted(
            amounts.items(), key=lambda item: (item[0][0], payers[item[0][1]][0])
        )
    ]
    return Money(months, rows, coaching_summaries_as_of())


def _as_date(value: Any) -> datetime.date:
    """TruncMonth gives a date; some backends hand back a datetime."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def coaching_summaries_as_of() -> datetime.datetime | None:
    """When the coaching summaries were last refreshed. One query."""
    mark = RollupMark.objects.filter(name=COACHING_SUMMARY).first()
    return mark.refreshed_at if mark else None


@dataclass(frozen=True)
class MedicaidShare:
    """Members in IPS in the period, and how many Medicaid funds."""

    members: int
    fee_for_service: int
    managed_care: int

    @property
    def medicaid(self) -> int:
        return self.fee_for_service + self.managed_care

    @property
    def share(self) -> Decimal | None:
        return share(self.medicaid, self.members)


def medicaid_share(scope: DashboardScope, filters: DashboardFilters) -> MedicaidShare:
    """The share of members in IPS in the period funded by Medicaid.

    Medicaid is fee-for-service (IME) and the MCOs (``MEDICAID_KINDS``);
    the member's own payer decides. One query.
    """
    in_ips = Episode.objects.filter(
        provider_condition(scope, filters, "provider_id"),
        member_id=OuterRef("pk"),
        opened_on__lte=filters.period_end,
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=filters.period_from))
    found = (
        Member.objects.filter(member_condition(scope, filters))
        .filter(Exists(in_ips))
        .aggregate(
            members=Count("pk"),
            fee_for_service=Count("pk", filter=Q(payer__kind=MEDICAID_KINDS[0])),
            managed_care=Count("pk", filter=Q(payer__kind=MEDICAID_KINDS[1])),
        )
    )
    return MedicaidShare(
        found["members"], found["fee_for_service"], found["managed_care"]
    )


# Coaching tiers ----------------------------------------------------------------------


@dataclass(frozen=True)
class TierRow:
    tier: int | None
    label: str
    authorized_periods: int
    authorized_members: int
    earned_months: int


@dataclass(frozen=True)
class TierMix:
    rows: list[TierRow] = field(default_factory=list)

    @property
    def authorized_periods(self) -> int:
        return sum(row.authorized_periods for row in self.rows)

    @property
    def earned_months(self) -> int:
        return sum(row.earned_months for row in self.rows)


def coaching_tier_mix(scope: DashboardScope, filters: DashboardFilters) -> TierMix:
    """Authorized tiers of the periods in force in the period, and earned tiers.

    Authorized: coaching periods meeting the period, by tier (and the
    members holding them). Earned: member-months in the period by the
    tier their logged coaching earned (rule — tier from hours), from the
    coaching summaries; a month with a period but no contact earns none.
    The payer filter means the period's payer. Two queries.
    """
    member = member_condition(scope, filters, with_payer=False, path="member__")
    providers = provider_condition(scope, filters, "episode__provider_id")
    authorized = (
        CoachingPeriod.objects.filter(
            member,
            providers,
            _service_payer(filters, "payer_id"),
            begins_on__lte=filters.period_end,
            ends_on__gte=filters.period_from,
        )
        .values("tier")
        .annotate(periods=Count("pk"), members=Count("member_id", distinct=True))
        .order_by()
    )
    earned = (
        CoachingMonthSummary.objects.filter(
            member,
            providers,
            _service_payer(filters, "payer_id"),
            month__gte=month_start(filters.period_from),
            month__lte=filters.period_end,
        )
        .values("earned_tier")
        .annotate(months=Count("pk"))
        .order_by()
    )
    periods = {row["tier"]: (row["periods"], row["members"]) for row in authorized}
    months = {row["earned_tier"]: row["months"] for row in earned}
    rows = [
        TierRow(
            tier,
            str(label),
            periods.get(tier, (0, 0))[0],
            periods.get(tier, (0, 0))[1],
            months.get(tier, 0),
        )
        for tier, label in CoachingPeriod.Tier.choices
    ]
    rows.append(TierRow(None, "No contact in the month", 0, 0, months.get(None, 0)))
    return TierMix(rows)


# Flags -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagAgeRow:
    kind: str
    label: str
    by_age: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.by_age)


def open_flags_by_kind_and_age(
    scope: DashboardScope, filters: DashboardFilters
) -> list[FlagAgeRow]:
    """Open flags today, by kind and by age (days since they opened, in Iowa).

    A state of today, so the period does not apply. Flags about a member
    follow the member's scope and filters; flags about a specialist's
    caseload (no member) count for the provider, and drop out when a case
    manager's scope, a county or a payer is asked for. One query.
    """
    starts = [
        datetime.datetime.combine(day, datetime.time.min, tzinfo=IOWA)
        if day != datetime.date.min
        else None
        for day in age_bucket_starts(filters.as_of)
    ]
    buckets: dict[str, Count] = {}
    newer: datetime.datetime | None = None
    for index, start in enumerate(starts):
        condition = Q()
        if start is not None:
            condition &= Q(opened_at__gte=start)
        if newer is not None:
            condition &= Q(opened_at__lt=newer)
        buckets[f"age_{index}"] = Count("pk", filter=condition)
        newer = start
    member = member_condition(scope, filters, "member__")
    if member:
        member &= Q(member__isnull=False)
    rows = (
        Flag.objects.filter(
            member,
            provider_condition(scope, filters, "provider_id"),
            status=Flag.Status.OPEN,
        )
        .values("kind")
        .annotate(**buckets)
        .order_by()
    )
    found = {
        row["kind"]: tuple(
            cast(dict[str, int], row)[f"age_{index}"] for index in range(len(starts))
        )
        for row in rows
    }
    empty = (0,) * len(FLAG_AGE_BUCKETS)
    return [
        FlagAgeRow(kind, str(label), found.get(kind, empty))
        for kind, label in Flag.Kind.choices
    ]


# Providers side by side ------------------------------------------------------------


@dataclass(frozen=True)
class ProviderComparison:
    provider_id: int
    provider: str
    quarter: Quarter | None
    active: int
    employed: int
    rate: Decimal | None
    open_caseload: int
    specialists: int
    over_limit: int
    authorization_delay: Median
    fidelity_total: int | None

    @property
    def caseload_per_specialist(self) -> Decimal | None:
        if not self.specialists:
            return None
        return (Decimal(self.open_caseload) / self.specialists).quantize(Decimal("0.1"))


def provider_comparison(
    scope: DashboardScope,
    filters: DashboardFilters,
    specialist_caseloads: list[SpecialistCaseload],
) -> list[ProviderComparison]:
    """The providers side by side, for a reviewer. Three or four queries.

    The rate is of the period's latest quarter; caseloads come from
    ``caseloads`` (already computed for the page); the delay is the median
    authorization delay over the period; the fidelity total is the
    provider's latest review, when the fidelity app offers one.
    """
    quarters = quarters_between(filters.period_from, filters.period_end)
    latest = quarters[-1] if quarters else None
    rates = (
        competitive_employment_by_provider(scope, filters, latest)
        if latest is not None
        else {}
    )
    delay = authorization_delay_by_provider(scope, filters)
    fidelity = latest_fidelity_totals()
    providers = ProviderSite.objects.filter(
        provider_condition(scope, filters, "pk")
    ).select_related("organization")

    by_provider: dict[int, list[SpecialistCaseload]] = defaultdict(list)
    for row in specialist_caseloads:
        by_provider[row.provider_id].append(row)
    comparison = []
    for provider in providers:
        rate = rates.get(provider.pk, ProviderRate(provider.pk, 0, 0))
        team = by_provider.get(provider.pk, [])
        comparison.append(
            ProviderComparison(
                provider_id=provider.pk,
                provider=provider.name,
                quarter=latest,
                active=rate.active,
                employed=rate.employed,
                rate=rate.rate,
                open_caseload=sum(row.members for row in team),
                specialists=sum(1 for row in team if row.members),
                over_limit=sum(1 for row in team if row.is_over_limit),
                authorization_delay=delay.get(provider.pk, NO_MEDIAN),
                fidelity_total=fidelity.get(provider.pk),
            )
        )
    return comparison


def latest_fidelity_totals() -> dict[int, int]:
    """Each provider's latest standing fidelity review total. One query.

    The fidelity app is built alongside the dashboards; where it is not
    installed the column stays empty rather than the page failing.
    """
    try:
        from fidelity.selectors import fidelity_review_latest_list
    except ImportError:
        return {}
    return dict(fidelity_review_latest_list().values_list("provider_id", "total"))

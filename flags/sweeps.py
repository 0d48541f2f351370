"""The monitors: find, in SQL, every condition that needs a flag today.

Each kind of flag has a finder that asks the database, in one or a few
queries whatever the number of members, for the records whose condition
holds on ``today`` (the date in Iowa). ``sweep`` then brings the flags in
line with what was found: it opens the missing ones, moves due dates,
and closes the flags whose condition cleared. Running it twice changes
nothing the second time, and two sweeps at once queue behind one lock
(PostgreSQL) or one writer (SQLite), with the database's one-open-flag
constraint as the last word.

A finder restricted to some members (``member_ids``) serves the sweep the
portal queues after a change to one member's records, so a predicted gap
shows the day a job is recorded instead of the next morning.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import User
from billing.rules import is_over_cap
from billing.selectors import MEDICAID_KINDS, cap_totals_for_members
from coaching.models import CoachingPeriod
from core.business_days import authorization_delay_cutoff, authorization_due_on
from core.dates import add_months, iowa_today, month_end, month_start
from fidelity.monitors import find_fidelity_review_overdue
from flags.found import Finder, Found
from flags.models import Flag, FlagEvent
from jobends.models import JobEnd, TeamMeeting
from jobs.models import Job
from jobs.rules import IOWA_MINIMUM_WAGE
from milestones.models import AuthorizationRound, MilestoneAchievement
from milestones.models import MilestoneAuthorization as Line
from milestones.rules import MONTHLY_CAP
from referrals.models import Episode

Kind = Flag.Kind

# Any number will do, as long as nothing else in the database takes it.
SWEEP_LOCK = 7_231_06


@dataclass(frozen=True)
class Monitor:
    kind: str
    severity: str
    find: Finder
    # False for kinds about a specialist or a provider: a sweep of some
    # members still runs them whole, since they are cheap.
    about_members: bool = True
    # Flags outside what the finder looks at (old months) are left alone.
    in_view: Callable[[datetime.date], Q] | None = None


@dataclass
class SweepResult:
    opened: dict[str, int] = field(default_factory=dict)
    moved: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return sum(
            sum(counts.values()) for counts in (self.opened, self.moved, self.closed)
        )


def threshold(name: str) -> int:
    return int(settings.FLAG_THRESHOLDS[name])


def _members(queryset: QuerySet[Any], member_ids: list[int] | None, path: str) -> Any:
    if member_ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": member_ids})


def _active_achievement() -> Exists:
    return Exists(
        MilestoneAchievement.objects.filter(line=OuterRef("pk"), voided_at__isnull=True)
    )


# Coaching -------------------------------------------------------------------


def _last_coaching_periods(member_ids: list[int] | None) -> QuerySet[CoachingPeriod]:
    """Each member's latest coaching period, in an episode still open."""
    later = CoachingPeriod.objects.filter(
        member=OuterRef("member"), begins_on__gt=OuterRef("begins_on")
    )
    periods = CoachingPeriod.objects.filter(episode__closed_on__isnull=True).exclude(
        Exists(later)
    )
    return _members(periods, member_ids, "member_id")


def _coaching_found(periods: QuerySet[CoachingPeriod]) -> Iterable[Found]:
    rows = periods.values_list(
        "pk", "ends_on", "member_id", "episode__provider_id", "episode__specialist_id"
    )
    for pk, ends_on, member_id, provider_id, specialist_id in rows:
        yield Found(
            pk,
            ends_on,
            member_id=member_id,
            provider_id=provider_id,
            specialist_id=specialist_id,
            coaching_period_id=pk,
        )


def find_coaching_reauthorization_due(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A coaching period ends within the threshold and no next period exists."""
    days = datetime.timedelta(days=threshold("coaching_reauthorization_days"))
    periods = _last_coaching_periods(member_ids).filter(
        ends_on__range=(today, today + days)
    )
    return _coaching_found(periods)


def find_coaching_lapsed(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A coaching period has ended and no next period exists."""
    return _coaching_found(_last_coaching_periods(member_ids).filter(ends_on__lt=today))


# Milestones -----------------------------------------------------------------


def _open_lines(member_ids: list[int] | None) -> QuerySet[Line]:
    lines = Line.objects.filter(
        round__voided_at__isnull=True, round__episode__closed_on__isnull=True
    )
    return _members(lines, member_ids, "round__member_id")


def _line_found(rows: Iterable[tuple[Any, ...]]) -> Iterable[Found]:
    for pk, due_on, member_id, provider_id, specialist_id in rows:
        yield Found(
            pk,
            due_on,
            member_id=member_id,
            provider_id=provider_id,
            specialist_id=specialist_id,
            line_id=pk,
        )


LINE_PLACE = (
    "round__member_id",
    "round__episode__provider_id",
    "round__episode__specialist_id",
)


RETENTION_DAYS_BY_MILESTONE = {3: ("day_45_on", "day_45"), 4: ("day_90_on", "day_90")}


def find_milestone_window_closing(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A milestone's window ends within the threshold and it is not achieved.

    Milestones 3 and 4 are left out while a current job will reach its day
    45 or day 90 later inside the window: nothing can be done before that
    day, and the achievement is logged on it.
    """
    days = datetime.timedelta(days=threshold("milestone_window_closing_days"))
    on_its_way = Q()
    for milestone, (day_field, _) in RETENTION_DAYS_BY_MILESTONE.items():
        reaching = Job.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=F(day_field)),
            episode=OuterRef("round__episode"),
            hourly_wage__gte=IOWA_MINIMUM_WAGE,
            **{
                f"{day_field}__gt": today,
                f"{day_field}__gte": OuterRef("window_begins_on"),
                f"{day_field}__lte": OuterRef("window_ends_on"),
            },
        )
        on_its_way |= Q(Exists(reaching), milestone=milestone)
    lines = (
        _open_lines(member_ids)
        .filter(window_ends_on__range=(today, today + days))
        .exclude(_active_achievement())
        .exclude(on_its_way)
    )
    return _line_found(lines.values_list("pk", "window_ends_on", *LINE_PLACE))


def find_achievement_outside_window(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """An achievement lies outside its line's window: a window change awaits."""
    achievements = MilestoneAchievement.objects.filter(
        voided_at__isnull=True,
        line__round__voided_at__isnull=True,
        # After an exit no window can change: nothing is left to do.
        line__round__episode__closed_on__isnull=True,
    ).filter(
        Q(achieved_on__lt=F("line__window_begins_on"))
        | Q(achieved_on__gt=F("line__window_ends_on"))
    )
    achievements = _members(achievements, member_ids, "line__round__member_id")
    return _line_found(
        achievements.values_list(
            "line_id", "achieved_on", *(f"line__{path}" for path in LINE_PLACE)
        )
    )


def find_predicted_milestone_gap(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A job's day 45 or day 90 falls outside the window authorized for it.

    Looks at the milestone's lines in the job's episode that are not yet
    achieved: when there are some and none of their windows holds the
    job's date, the payment is at risk. Raised as soon as the job is
    recorded, weeks before the date. A job that ended before the date
    never reaches it and is left out.
    """
    # A job paying under the minimum wage earns no milestones.
    jobs = _members(
        Job.objects.filter(
            episode__closed_on__isnull=True, hourly_wage__gte=IOWA_MINIMUM_WAGE
        ),
        member_ids,
        "member_id",
    )
    for milestone, (day_field, qualifier) in RETENTION_DAYS_BY_MILESTONE.items():
        unachieved = Line.objects.filter(
            round__episode=OuterRef("episode"),
            round__voided_at__isnull=True,
            milestone=milestone,
        ).exclude(_active_achievement())
        holding_the_date = unachieved.filter(
            window_begins_on__lte=OuterRef(day_field),
            window_ends_on__gte=OuterRef(day_field),
        )
        at_risk = (
            jobs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=F(day_field)))
            .filter(Exists(unachieved))
            .exclude(Exists(holding_the_date))
            .annotate(
                line_id=Subquery(
                    unachieved.order_by("-round__authorized_on", "-pk").values("pk")[:1]
                )
            )
            .values_list(
                "pk",
                day_field,
                "member_id",
                "episode__provider_id",
                "episode__specialist_id",
                "line_id",
            )
        )
        for pk, due_on, member_id, provider_id, specialist_id, line_id in at_risk:
            yield Found(
                pk,
                due_on,
                qualifier=qualifier,
                member_id=member_id,
                provider_id=provider_id,
                specialist_id=specialist_id,
                line_id=line_id,
                job_id=pk,
            )


def find_authorization_delay(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """An accepted referral has no milestone authorization after N business days.

    The flag is about the referral; its due date is the last business day
    the authorization was on time.
    """
    authorized = AuthorizationRound.objects.filter(
        episode=OuterRef("pk"), voided_at__isnull=True
    )
    episodes = (
        Episode.objects.filter(
            closed_on__isnull=True, opened_on__lte=authorization_delay_cutoff(today)
        )
        .exclude(Exists(authorized))
        .values_list(
            "referral_id", "opened_on", "member_id", "provider_id", "specialist_id"
        )
    )
    for referral_id, opened_on, member_id, provider_id, specialist_id in _members(
        episodes, member_ids, "member_id"
    ):
        yield Found(
            referral_id,
            authorization_due_on(opened_on),
            member_id=member_id,
            provider_id=provider_id,
            specialist_id=specialist_id,
        )


# Job ends -------------------------------------------------------------------


def _job_end_found(job_ends: QuerySet[JobEnd], days: int) -> Iterable[Found]:
    rows = job_ends.values_list(
        "job_id",
        "ended_on",
        "job__member_id",
        "job__episode__provider_id",
        "job__episode__specialist_id",
    )
    for job_id, ended_on, member_id, provider_id, specialist_id in rows:
        yield Found(
            job_id,
            ended_on + datetime.timedelta(days=days),
            member_id=member_id,
            provider_id=provider_id,
            specialist_id=specialist_id,
            job_id=job_id,
        )


def _job_ends_older_than(
    days: int, today: datetime.date, member_ids: list[int] | None
) -> QuerySet[JobEnd]:
    # "After 14 days" is on the 15th day after the last day worked.
    job_ends = JobEnd.objects.filter(
        job__episode__closed_on__isnull=True,
        ended_on__lt=today - datetime.timedelta(days=days),
    )
    return _members(job_ends, member_ids, "job__member_id")


def find_job_end_form_missing(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A job end's form is not completed after the threshold."""
    days = threshold("job_end_form_days")
    job_ends = _job_ends_older_than(days, today, member_ids).filter(
        form_completed_at__isnull=True
    )
    return _job_end_found(job_ends, days)


def find_job_end_next_step_missing(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A job end has neither a team meeting nor an exit after the threshold."""
    days = threshold("job_end_next_step_days")
    met = TeamMeeting.objects.filter(job_end=OuterRef("pk"))
    job_ends = _job_ends_older_than(days, today, member_ids).exclude(Exists(met))
    return _job_end_found(job_ends, days)


# Money and caseloads --------------------------------------------------------


def _cap_months(today: datetime.date) -> list[datetime.date]:
    first = month_start(today)
    return [
        add_months(first, -back) for back in range(threshold("cap_months_back") + 1)
    ]


def _cap_months_in_view(today: datetime.date) -> Q:
    return Q(qualifier__in=[f"{month:%Y-%m}" for month in _cap_months(today)])


def find_month_over_cap(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A member's Medicaid services in a recent month add up to more than the cap.

    Only this month and the few before it are checked (a setting). Two
    grouped queries narrow the members to those who could be over: their
    billable Medicaid milestones in the month plus the highest coaching
    rate in force that month pass the cap (a tier 5 period, paid by the
    hour, always counts as could-be-over). Only those are totalled exactly,
    with the billing ledger's own set-wise count. A fixed number of queries
    a month.
    """
    for month in _cap_months(today):
        last = month_end(month)
        achievements = MilestoneAchievement.objects.filter(
            line__round__payer__kind__in=MEDICAID_KINDS,
            voided_at__isnull=True,
            achieved_on__range=(month, last),
            achieved_on__gte=F("line__window_begins_on"),
            achieved_on__lte=F("line__window_ends_on"),
        )
        milestones = dict(
            _members(achievements, member_ids, "line__round__member_id")
            .values_list("line__round__member_id")
            .annotate(
                total=Sum(
                    F("line__rate") * F("line__units"),
                    output_field=DecimalField(max_digits=12, decimal_places=2),
                )
            )
            .order_by()
        )
        periods = CoachingPeriod.objects.filter(
            payer__kind__in=MEDICAID_KINDS, begins_on__lte=last, ends_on__gte=month
        )
        coaching = dict(
            _members(periods, member_ids, "member_id")
            .values_list("member_id")
            .annotate(
                most=Max(
                    Case(
                        When(tier=5, then=Value(MONTHLY_CAP)),
                        default=F("rate"),
                        output_field=DecimalField(max_digits=10, decimal_places=2),
                    )
                )
            )
            .order_by()
        )
        could_be_over = {
            member_id
            for member_id in milestones.keys() | coaching.keys()
            if coaching.get(member_id, 0) >= MONTHLY_CAP
            or milestones.get(member_id, 0) + coaching.get(member_id, 0) > MONTHLY_CAP
        }
        if not could_be_over:
            continue
        place = {
            member_id: (provider_id, specialist_id)
            for member_id, provider_id, specialist_id in Episode.objects.filter(
                closed_on__isnull=True, member_id__in=could_be_over
            ).values_list("member_id", "provider_id", "specialist_id")
        }
        for member_id, total in cap_totals_for_members(list(place), month).items():
            if is_over_cap(total):
                provider_id, specialist_id = place[member_id]
                yield Found(
                    member_id,
                    last,
                    qualifier=f"{month:%Y-%m}",
                    member_id=member_id,
                    provider_id=provider_id,
                    specialist_id=specialist_id,
                )


def find_caseload_over_limit(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A specialist's active caseload is above the fidelity limit."""
    specialists = (
        User.objects.filter(
            role__in=[User.Role.IPS_SPECIALIST, User.Role.IPS_SUPERVISOR],
            is_active=True,
            organization__provider_site__isnull=False,
        )
        .annotate(active=Count("caseload", filter=Q(caseload__closed_on__isnull=True)))
        .filter(active__gt=threshold("caseload_limit"))
        .values_list("pk", "organization__provider_site")
    )
    for pk, provider_id in specialists:
        yield Found(pk, None, provider_id=provider_id, specialist_id=pk)


MONITORS: tuple[Monitor, ...] = (
    Monitor(
        Kind.COACHING_REAUTHORIZATION_DUE,
        Flag.Severity.WARNING,
        find_coaching_reauthorization_due,
    ),
    Monitor(Kind.COACHING_LAPSED, Flag.Severity.URGENT, find_coaching_lapsed),
    Monitor(
        Kind.MILESTONE_WINDOW_CLOSING,
        Flag.Severity.WARNING,
        find_milestone_window_closing,
    ),
    Monitor(
        Kind.PREDICTED_MILESTONE_GAP,
        Flag.Severity.URGENT,
        find_predicted_milestone_gap,
    ),
    Monitor(
        Kind.ACHIEVEMENT_OUTSIDE_WINDOW,
        Flag.Severity.URGENT,
        find_achievement_outside_window,
    ),
    Monitor(Kind.AUTHORIZATION_DELAY, Flag.Severity.URGENT, find_authorization_delay),
    Monitor(
        Kind.JOB_END_FORM_MISSING, Flag.Severity.WARNING, find_job_end_form_missing
    ),
    Monitor(
        Kind.JOB_END_NEXT_STEP_MISSING,
        Flag.Severity.WARNING,
        find_job_end_next_step_missing,
    ),
    Monitor(
        Kind.MONTH_OVER_CAP,
        Flag.Severity.URGENT,
        find_month_over_cap,
        in_view=_cap_months_in_view,
    ),
    Monitor(
        Kind.CASELOAD_OVER_LIMIT,
        Flag.Severity.WARNING,
        find_caseload_over_limit,
        about_members=False,
    ),
    Monitor(
        Kind.FIDELITY_REVIEW_OVERDUE,
        Flag.Severity.WARNING,
        find_fidelity_review_overdue,
        about_members=False,
    ),
)

# What a sweep may move on an open flag when the records behind it change.
PLACE_FIELDS = (
    "member_id",
    "provider_id",
    "specialist_id",
    "line_id",
    "coaching_period_id",
    "job_id",
)


def sweep(
    *,
    today: datetime.date | None = None,
    member_ids: Iterable[int] | None = None,
    kinds: Iterable[str] | None = None,
) -> SweepResult:
    """Bring the flags in line with the records, for everyone or some members.

    One transaction under one lock; a fixed number of queries per kind
    whatever the number of members. The result counts what changed.
    """
    now = timezone.now()
    today = today or iowa_today(now)
    ids = sorted(set(member_ids)) if member_ids is not None else None
    wanted = set(kinds) if kinds is not None else None
    result = SweepResult()
    with transaction.atomic():
        _lock()
        for monitor in MONITORS:
            if wanted is not None and monitor.kind not in wanted:
                continue
            _reconcile(monitor, today, now, ids, result)
    return result


def _lock() -> None:
    """Queue this sweep behind any other running one (PostgreSQL).

    SQLite lets one writer at a time in; the one-open-flag constraint
    catches whatever slips between the two.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])


def _reconcile(
    monitor: Monitor,
    today: datetime.date,
    now: datetime.datetime,
    member_ids: list[int] | None,
    result: SweepResult,
) -> None:
    scope = member_ids if monitor.about_members else None
    found = {(f.subject_id, f.qualifier): f for f in monitor.find(today, scope)}

    holding = Flag.objects.filter(kind=monitor.kind).filter(
        Q(status=Flag.Status.OPEN)
        | Q(status=Flag.Status.DISMISSED, cleared_at__isnull=True)
    )
    if scope is not None:
        holding = holding.filter(member_id__in=scope)
    if monitor.in_view is not None:
        holding = holding.filter(monitor.in_view(today))
    held = {(flag.subject_id, flag.qualifier): flag for flag in holding}

    new = [
        Flag(
            kind=monitor.kind,
            subject_id=f.subject_id,
            qualifier=f.qualifier,
            due_on=f.due_on or today,
            severity=monitor.severity,
            opened_at=now,
            changed_at=now,
            **{name: getattr(f, name) for name in PLACE_FIELDS},
        )
        for key, f in found.items()
        if key not in held
    ]
    moved: list[Flag] = []
    due_moved: list[Flag] = []
    closed: list[Flag] = []
    cleared: list[Flag] = []
    for key, flag in held.items():
        f = found.get(key)
        if f is None:
            (closed if flag.is_open else cleared).append(flag)
            continue
        if not flag.is_open:
            continue
        changed = False
        if f.due_on is not None and f.due_on != flag.due_on:
            flag.due_on = f.due_on
            due_moved.append(flag)
            changed = True
        # A flag follows its member to a new specialist without an event:
        # the history records due dates, not reassignments.
        for name in PLACE_FIELDS:
            if getattr(flag, name) != getattr(f, name):
                setattr(flag, name, getattr(f, name))
                changed = True
        if changed:
            flag.changed_at = now
            moved.append(flag)

    events: list[FlagEvent] = []
    if new:
        # A sweep that lost a race to another finds its flags already there.
        Flag.objects.bulk_create(new, ignore_conflicts=True)
        # The rows inserted are read back by instant, since ignore_conflicts
        # leaves their ids unset. An earlier sweep may share the instant (a
        # frozen or coarse clock): its flags were held, so they are not in
        # ``keys`` and get no second OPENED event.
        keys = {(flag.subject_id, flag.qualifier) for flag in new}
        opened = Flag.objects.filter(
            kind=monitor.kind, status=Flag.Status.OPEN, opened_at=now
        ).values_list("pk", "subject_id", "qualifier", "due_on")
        events += [
            FlagEvent(flag_id=pk, what=FlagEvent.What.OPENED, at=now, due_on=due_on)
            for pk, subject_id, qualifier, due_on in opened
            if (subject_id, qualifier) in keys
        ]
        result.opened[monitor.kind] = len(events)
    if moved:
        Flag.objects.bulk_update(moved, ["due_on", *PLACE_FIELDS, "changed_at"])
        events += [
            FlagEvent(
                flag=flag, what=FlagEvent.What.DUE_MOVED, at=now, due_on=flag.due_on
            )
            for flag in due_moved
        ]
        result.moved[monitor.kind] = len(moved)
    if closed:
        Flag.objects.filter(pk__in=[flag.pk for flag in closed]).update(
            status=Flag.Status.RESOLVED, closed_at=now, changed_at=now
        )
        events += [
            FlagEvent(flag=flag, what=FlagEvent.What.RESOLVED, at=now)
            for flag in closed
        ]
        result.closed[monitor.kind] = len(closed)
    if cleared:
        Flag.objects.filter(pk__in=[flag.pk for flag in cleared]).update(cleared_at=now)
    if events:
        FlagEvent.objects.bulk_create(events)

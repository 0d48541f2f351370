"""Time the monitors' sweep over a large made-up caseload (not a test).

Builds, with bulk inserts, ``--members`` invented members, each in IPS at
one of the provider sites with one authorization round of four milestones
(so 100,000 members make 100,000 rounds and 400,000 milestone lines),
jobs for most, achievements, job ends and coaching periods, with dates
spread over the past year so every kind of flag has work to do. Then runs
the sweep twice and prints the seconds and queries of each run.

Run it on its own database, never on one holding real records:

    scripts/benchmark-sweep [members]
"""

import argparse
import datetime
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organization, User
from coaching.models import CoachingPeriod
from core.dates import add_months, iowa_today, month_end
from flags.models import Flag
from flags.sweeps import sweep
from jobends.models import JobEnd, TeamMeeting
from jobs.models import Job
from members.models import Member
from milestones.models import AuthorizationRound, MilestoneAchievement
from milestones.models import MilestoneAuthorization as Line
from payers.models import Payer
from payers.services_catalog import Service
from providers.models import County, ProviderSite
from referrals.models import Episode, Referral

BATCH = 5_000
TWENTY_DAYS = datetime.timedelta(days=20)
NINETY_DAYS = datetime.timedelta(days=90)
MILESTONE_SERVICES = {
    1: Service.CAREER_DEVELOPMENT,
    2: Service.JOB_DEVELOPMENT_1,
    3: Service.JOB_DEVELOPMENT_2,
    4: Service.JOB_STABILIZATION,
}
RATES = {
    1: Decimal("1570.42"),
    2: Decimal("2394.53"),
    3: Decimal("2394.53"),
    4: Decimal("871.58"),
}


def build(members: int, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    today = iowa_today()
    sites = list(ProviderSite.objects.select_related("organization"))
    specialists = {
        site.pk: list(
            User.objects.filter(
                organization=site.organization, role=User.Role.IPS_SPECIALIST
            )
        )
        for site in sites
    }
    sites = [site for site in sites if specialists[site.pk]]
    payer = Payer.objects.get(short_name="Wellpoint")
    mco = Organization.objects.get(name="Wellpoint Iowa")
    case_manager, _ = User.objects.get_or_create(
        username="bench.case-manager",
        defaults={"organization": mco, "role": User.Role.CASE_MANAGER},
    )
    county = County.objects.get(name="Polk")
    author = specialists[sites[0].pk][0]
    now = timezone.now()

    start = Member.objects.count()
    with transaction.atomic():
        made = Member.objects.bulk_create(
            [
                Member(
                    first_name=f"Bench{start + n}",
                    last_name="Example",
                    name_search_key=f"example bench{start + n}",
                    birth_date=datetime.date(1980, 1, 1),
                    county=county,
                    payer=payer,
                    managing_organization=mco,
                    case_manager=case_manager,
                    diagnosis_category=Member.DiagnosisCategory.SMI,
                )
                for n in range(members)
            ],
            batch_size=BATCH,
        )
        placed = [(member, rng.choice(sites)) for member in made]
        opened = {
            member.pk: today - datetime.timedelta(days=rng.randint(5, 360))
            for member in made
        }
        referrals = Referral.objects.bulk_create(
            [
                Referral(
                    member=member,
                    provider=site,
                    status=Referral.Status.ACCEPTED,
                    referred_by=case_manager,
                    referred_on=opened[member.pk] - datetime.timedelta(days=3),
                )
                for member, site in placed
            ],
            batch_size=BATCH,
        )
        episodes = Episode.objects.bulk_create(
            [
                Episode(
                    referral=referral,
                    member=member,
                    provider=site,
                    specialist=rng.choice(specialists[site.pk]),
                    opened_on=opened[member.pk],
                )
                for referral, (member, site) in zip(referrals, placed, strict=True)
            ],
            batch_size=BATCH,
        )
        # Most are authorized a few days after acceptance; some are late.
        authorized = [e for e in episodes if rng.random() < 0.97]
        rounds = AuthorizationRound.objects.bulk_create(
            [
                AuthorizationRound(
                    member_id=episode.member_id,
                    episode=episode,
                    payer=payer,
                    authorized_on=episode.opened_on + datetime.timedelta(days=3),
                    plan_dated_on=episode.opened_on + datetime.timedelta(days=3),
                    plan_reference=f"PCSP-BENCH-{episode.pk}",
                    authorized_by=case_manager,
                )
                for episode in authorized
            ],
            batch_size=BATCH,
        )
        lines = []
        for authorization in rounds:
            plan_start = authorization.authorized_on
            job_month = add_months(plan_start, 2)
            windows = {
                1: (plan_start, job_month - datetime.timedelta(days=1)),
                2: (job_month, month_end(job_month)),
                3: (add_months(job_month, 1), month_end(add_months(job_month, 1))),
                4: (add_months(job_month, 3), month_end(add_months(job_month, 3))),
            }
            for number, (begins, ends) in windows.items():
                lines.append(
                    Line(
                        round=authorization,
                        milestone=number,
                        service=MILESTONE_SERVICES[number],
                        window_begins_on=begins,
                        window_ends_on=max(begins, ends),
                        rate=RATES[number],
                        authorization_number=f"BENCH-{authorization.pk}-{number}",
                    )
                )
        Line.objects.bulk_create(lines, batch_size=BATCH)

        by_round: dict[int, list[Line]] = {}
        for line in lines:
            by_round.setdefault(line.round_id, []).append(line)
        jobs: list[Job] = []
        achievements: list[tuple[Line, datetime.date, Job | None]] = []
        for authorization in rounds:
            own = by_round[authorization.pk]
            # Most plans are done inside milestone 1's window; a few late.
            plan_days = (own[0].window_ends_on - own[0].window_begins_on).days
            late = rng.random() < 0.02
            plan_done = own[0].window_begins_on + datetime.timedelta(
                days=plan_days + 3 if late else rng.randint(0, plan_days)
            )
            if plan_done > today:
                continue
            achievements.append((own[0], plan_done, None))
            # First days early in the month fit the month windows; some
            # later ones make the milestone gaps the monitors look for.
            first_day = own[1].window_begins_on + datetime.timedelta(
                days=rng.randint(0, 27) if rng.random() < 0.05 else rng.randint(3, 14)
            )
            if first_day > today:
                continue
            jobs.append(
                Job(
                    member_id=authorization.member_id,
                    episode_id=authorization.episode_id,
                    employer="Bench Employer",
                    title="Clerk",
                    first_day_on=first_day,
                    day_45_on=first_day + datetime.timedelta(days=44),
                    day_90_on=first_day + datetime.timedelta(days=89),
                    hours_per_week=Decimal("20"),
                    hourly_wage=Decimal("12.00"),
                    recorded_by=author,
                )
            )
        Job.objects.bulk_create(jobs, batch_size=BATCH)
        job_of = {job.episode_id: job for job in jobs}
        for authorization in rounds:
            job = job_of.get(authorization.episode_id)
            if job is None:
                continue
            own = by_round[authorization.pk]
            for line, reached in ((own[1], job.first_day_on), (own[2], job.day_45_on)):
                if reached <= today:
                    achievements.append((line, reached, job))
        MilestoneAchievement.objects.bulk_create(
            [
                MilestoneAchievement(
                    line=line, job=job, achieved_on=day, recorded_by=author
                )
                for line, day, job in achievements
            ],
            batch_size=BATCH,
        )
        ended = [
            job
            for job in jobs
            if rng.random() < 0.1 and job.first_day_on + TWENTY_DAYS <= today
        ]
        job_ends = JobEnd.objects.bulk_create(
            [
                JobEnd(
                    job=job,
                    ended_on=job.first_day_on + TWENTY_DAYS,
                    how_ended=JobEnd.HowEnded.QUIT,
                    recorded_by=author,
                    # Most teams complete the form and meet in time.
                    form_completed_at=now if rng.random() < 0.95 else None,
                    form_completed_by=author,
                )
                for job in ended
            ],
            batch_size=BATCH,
        )
        TeamMeeting.objects.bulk_create(
            [
                TeamMeeting(
                    member_id=job_end.job.member_id,
                    episode_id=job_end.job.episode_id,
                    job_end=job_end,
                    reason=TeamMeeting.Reason.AFTER_JOB_END,
                    met_on=job_end.ended_on + datetime.timedelta(days=7),
                    lessons_learned="Made up for the benchmark.",
                    next_steps="Made up for the benchmark.",
                    recorded_by=author,
                )
                for job_end in job_ends
                if rng.random() < 0.95
            ],
            batch_size=BATCH,
        )
        # Coaching follows day 90 in 90-day periods up to today; for a
        # few the last period has lapsed.
        periods: list[CoachingPeriod] = []
        for job in jobs:
            if job.day_90_on > today or rng.random() < 0.4:
                continue
            begins = job.day_90_on + datetime.timedelta(days=1)
            lapses = rng.random() < 0.03
            while begins <= today - (NINETY_DAYS if lapses else datetime.timedelta()):
                periods.append(
                    CoachingPeriod(
                        member_id=job.member_id,
                        episode_id=job.episode_id,
                        payer=payer,
                        tier=rng.randint(1, 4),
                        begins_on=begins,
                        ends_on=begins + NINETY_DAYS - datetime.timedelta(days=1),
                        authorization_number=f"BENCH-C-{job.pk}-{len(periods)}",
                        rate=Decimal("436.40"),
                        authorized_on=begins,
                        authorized_by=case_manager,
                    )
                )
                begins += NINETY_DAYS
        CoachingPeriod.objects.bulk_create(periods, batch_size=BATCH)


def timed_sweep(label: str) -> None:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = sweep()
    seconds = time.perf_counter() - started
    print(
        f"{label}: {seconds:.2f} s, {len(queries)} queries, "
        f"{sum(result.opened.values())} opened, {sum(result.moved.values())} moved, "
        f"{sum(result.closed.values())} closed"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("members", type=int, nargs="?", default=100_000)
    options = parser.parse_args(argv)
    started = time.perf_counter()
    build(options.members)
    print(
        f"built {options.members} members in {time.perf_counter() - started:.0f} s: "
        f"{AuthorizationRound.objects.count()} rounds, {Line.objects.count()} lines, "
        f"{Job.objects.count()} jobs, "
        f"{MilestoneAchievement.objects.count()} achievements, "
        f"{CoachingPeriod.objects.count()} coaching periods"
    )
    timed_sweep("first sweep")
    timed_sweep("second sweep")
    print(f"open flags: {Flag.objects.filter(status=Flag.Status.OPEN).count()}")

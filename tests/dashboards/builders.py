"""A small hand-made caseload whose dashboard figures are worked out by hand.

Today is ``AS_OF`` (July 10, 2026); the period is the first half of 2026,
so its quarters are Q1 (Jan 1–Mar 31) and Q2 (Apr 1–Jun 30), both whole.
Provider A is 43 North Iowa, provider B Robert Young Center; "Wellpoint"
members are managed by Wellpoint Iowa (the case manager's MCO), "ITC"
members by Iowa Total Care (the outsider's). Records are written directly,
with the dates each test needs; every name here is invented.

Eight members (names say nothing about real people):

- Ada (Wellpoint; payer Wellpoint; Polk): referred to A 12/01/2025, in
  IPS at A from 12/05/2025 with sA1; works from 02/02 at $12.00.
- Ben (Wellpoint; Wellpoint; Cerro Gordo): referred to A 02/10, in IPS from
  02/12 with sA1; a $7.00 job 04/06–04/30 (he quit), a $10.00 one from 07/01.
- Cleo (Wellpoint; IVRS; Polk): referred to A 03/02, in IPS from 03/04
  with sA2, exited 05/29 (moved); a $7.25 job on 03/31 only (temporary).
- Dora (Wellpoint; Wellpoint; Polk): referred to A 04/01, still waiting.
- Eli (Wellpoint; Wellpoint; Polk): referred to B 01/05, in IPS from 01/07
  with sB1; works from 01/20 at $15.00.
- Fay (ITC; ITC; Scott): referred to A 01/08, in IPS from 01/09 with sA2;
  works from 03/02 at $9.00.
- Gus (ITC; IME; Scott): referred to B 02/01, in IPS from 02/03 with sB1;
  a $6.50 job 02/20–03/15 (let go).
- Hal (Wellpoint; Wellpoint; Polk): referred to B 03/10, redirected to A
  (03/12), waiting there.

Authorization rounds (first authorization, so the delay from referral):
Ada 12/10/2025; Ben 02/20 (10 days) and a reauthorization 05/08 after a
team meeting on 05/05 (milestones 2–4); Cleo 03/20 (18), payer IVRS; Eli
01/12 (7); Fay 01/30 (22), payer ITC; Gus a round of 02/05 voided, then
02/11 (10), payer IME.

Achievements (billable unless said): Ada 1 on 01/15 (and a voided entry
on 01/05), 2 on 02/02, 3 on 03/18, 4 on 05/02; Ben 1 on 03/10, and 2 of
the reauthorization on 07/01 (after the period); Cleo 1 on 03/20; Eli 1
on 01/15; Fay 1 on 02/15, outside its window (01/30–02/10), so not
billable; Gus 1 on 02/06 on the voided round.

Coaching: Ada tier 2 from 05/03 (to 07/31), Wellpoint, $436.40; 180
minutes in May, 30 in June. Fay tier 1 from 05/31 (to 08/28), ITC, no
contact logged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import Organization, User
from coaching.models import CoachingEntry, CoachingPeriod
from core.dates import IOWA
from flags.models import Flag
from jobends.models import JobEnd, TeamMeeting
from jobs.models import Job
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from payers.models import Payer
from payers.services_catalog import Service
from providers.models import County, ProviderSite
from referrals.models import Episode, Referral
from tests.factories import UserFactory, provider_site

D = datetime.date
AS_OF = D(2026, 7, 10)
PERIOD = (D(2026, 1, 1), D(2026, 6, 30))

SERVICES = {
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


def iowa_time(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=IOWA)


@dataclass
class People:
    """The staff the dataset's records name (shared by every copy)."""

    specialist_a1: User
    specialist_a2: User
    specialist_b1: User
    case_manager: User
    author: User


@dataclass
class Dataset:
    people: People
    members: dict[str, Member] = field(default_factory=dict)


def people_make() -> People:
    site_a = provider_site("43-north-iowa")
    site_b = provider_site("robert-young-center")
    wellpoint = Organization.objects.get(name="Wellpoint Iowa")

    def staff(site: ProviderSite, first: str, last: str) -> User:
        user: User = UserFactory(
            organization=site.organization,
            role=User.Role.IPS_SPECIALIST,
            first_name=first,
            last_name=last,
        )
        return user

    return People(
        specialist_a1=staff(site_a, "Avery", "Testspecialist"),
        specialist_a2=staff(site_a, "Blair", "Testspecialist"),
        specialist_b1=staff(site_b, "Casey", "Testspecialist"),
        case_manager=UserFactory(organization=wellpoint, role=User.Role.CASE_MANAGER),
        author=UserFactory(organization=wellpoint, role=User.Role.CASE_MANAGER),
    )


class _Maker:
    """Writes one copy of the dataset; ``copy`` keeps copies apart."""

    def __init__(self, people: People, copy: int) -> None:
        self.people = people
        self.copy = copy
        self.site_a = provider_site("43-north-iowa")
        self.site_b = provider_site("robert-young-center")
        self.org = {
            "Wellpoint": Organization.objects.get(name="Wellpoint Iowa"),
            "ITC": Organization.objects.get(name="Iowa Total Care"),
        }
        self.payer = {p.short_name: p for p in Payer.objects.all()}
        self.county = {
            name: County.objects.get(name=name)
            for name in ("Polk", "Cerro Gordo", "Scott")
        }

    def member(self, name: str, org: str, payer: str, county: str) -> Member:
        return Member.objects.create(
            first_name=name,
            last_name=f"Dashboardtest{self.copy}",
            birth_date=D(1988, 3, 1),
            county=self.county[county],
            payer=self.payer[payer],
            managing_organization=self.org[org],
            diagnosis_category=Member.DiagnosisCategory.SMI,
        )

    def referral(
        self,
        member: Member,
        site: ProviderSite,
        on: datetime.date,
        status: str = Referral.Status.ACCEPTED,
    ) -> Referral:
        return Referral.objects.create(
            member=member,
            provider=site,
            status=status,
            referred_by=self.people.case_manager,
            referred_on=on,
        )

    def episode(
        self,
        referral: Referral,
        specialist: User,
        opened_on: datetime.date,
        **extra: Any,
    ) -> Episode:
        return Episode.objects.create(
            referral=referral,
            member=referral.member,
            provider=referral.provider,
            specialist=specialist,
            opened_on=opened_on,
            **extra,
        )

    def round(
        self,
        episode: Episode,
        payer: str,
        on: datetime.date,
        windows: dict[int, tuple[datetime.date, datetime.date]],
        **extra: Any,
    ) -> dict[int, MilestoneAuthorization]:
        authorization = AuthorizationRound.objects.create(
            member=episode.member,
            episode=episode,
            payer=self.payer[payer],
            authorized_on=on,
            plan_dated_on=on,
            plan_reference=f"PCSP-DASH-{self.copy}",
            authorized_by=self.people.case_manager,
            **extra,
        )
        return {
            number: MilestoneAuthorization.objects.create(
                round=authorization,
                milestone=number,
                service=SERVICES[number],
                window_begins_on=begins,
                window_ends_on=ends,
                rate=RATES[number],
                authorization_number=f"DASH-{self.copy}-{authorization.pk}-{number}",
            )
            for number, (begins, ends) in windows.items()
        }

    def achieve(
        self,
        line: MilestoneAuthorization,
        on: datetime.date,
        job: Job | None = None,
        *,
        voided: bool = False,
    ) -> None:
        MilestoneAchievement.objects.create(
            line=line,
            job=job,
            achieved_on=on,
            recorded_by=self.people.author,
            voided_at=timezone.now() if voided else None,
            void_reason="Entered on the wrong member." if voided else "",
        )

    def job(
        self,
        episode: Episode,
        first_day: datetime.date,
        wage: str,
        ended_on: datetime.date | None = None,
        how_ended: str | None = None,
    ) -> Job:
        job = Job.objects.create(
            member=episode.member,
            episode=episode,
            employer="Example Employer (test)",
            title="Clerk",
            first_day_on=first_day,
            hours_per_week=Decimal("20"),
            hourly_wage=Decimal(wage),
            ended_on=ended_on,
            recorded_by=self.people.author,
        )
        if ended_on is not None and how_ended is not None:
            JobEnd.objects.create(
                job=job,
                ended_on=ended_on,
                how_ended=how_ended,
                recorded_by=self.people.author,
            )
        return job

    def coaching(
        self,
        episode: Episode,
        payer: str,
        tier: int,
        begins_on: datetime.date,
        rate: str,
        entries: list[tuple[datetime.date, int]],
    ) -> None:
        CoachingPeriod.objects.create(
            member=episode.member,
            episode=episode,
            payer=self.payer[payer],
            tier=tier,
            begins_on=begins_on,
            ends_on=begins_on + datetime.timedelta(days=89),
            authorization_number=f"DASH-C-{self.copy}-{episode.pk}",
            rate=Decimal(rate),
            authorized_on=begins_on,
            authorized_by=self.people.case_manager,
        )
        for day, minutes in entries:
            CoachingEntry.objects.create(
                member=episode.member,
                coached_on=day,
                minutes=minutes,
                kind=CoachingEntry.Kind.IN_PERSON,
                logged_by=self.people.author,
            )

    def flag(
        self,
        kind: str,
        member: Member | None,
        site: ProviderSite,
        opened_at: datetime.datetime,
        *,
        status: str = Flag.Status.OPEN,
        specialist: User | None = None,
    ) -> None:
        Flag.objects.create(
            kind=kind,
            subject_id=member.pk if member else specialist.pk if specialist else 0,
            qualifier=f"copy-{self.copy}",
            member=member,
            provider=site,
            specialist=specialist,
            due_on=opened_at.date(),
            severity=Flag.Severity.WARNING,
            status=status,
            opened_at=opened_at,
            closed_at=opened_at if status != Flag.Status.OPEN else None,
        )


def build(people: People, copy: int = 0) -> Dataset:
    """Write one copy of the dataset in the module docstring."""
    make = _Maker(people, copy)
    a1, a2, b1 = people.specialist_a1, people.specialist_a2, people.specialist_b1
    A, B = make.site_a, make.site_b
    data = Dataset(people)
    month = {
        m: (
            D(2026, m, 1),
            D(2026, m, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31),
        )
        for m in range(1, 13)
    }

    # Ada: in IPS since December, working since February; all four
    # milestones, and coaching after day 90.
    ada = make.member("Ada", "Wellpoint", "Wellpoint", "Polk")
    ada_episode = make.episode(
        make.referral(ada, A, D(2025, 12, 1)), a1, D(2025, 12, 5)
    )
    lines = make.round(
        ada_episode,
        "Wellpoint",
        D(2025, 12, 10),
        {1: (D(2025, 12, 10), D(2026, 1, 31)), 2: month[2], 3: month[3], 4: month[5]},
    )
    ada_job = make.job(ada_episode, D(2026, 2, 2), "12.00")
    make.achieve(lines[1], D(2026, 1, 5), voided=True)
    make.achieve(lines[1], D(2026, 1, 15))
    make.achieve(lines[2], D(2026, 2, 2), ada_job)
    make.achieve(lines[3], D(2026, 3, 18), ada_job)
    make.achieve(lines[4], D(2026, 5, 2), ada_job)
    make.coaching(
        ada_episode,
        "Wellpoint",
        2,
        D(2026, 5, 3),
        "436.40",
        [
            (D(2026, 5, 5), 60),
            (D(2026, 5, 12), 60),
            (D(2026, 5, 19), 60),
            (D(2026, 6, 10), 30),
        ],
    )

    # Ben: a job below the minimum wage ends; a meeting, a reauthorization,
    # and a competitive job after the period.
    ben = make.member("Ben", "Wellpoint", "Wellpoint", "Cerro Gordo")
    ben_episode = make.episode(
        make.referral(ben, A, D(2026, 2, 10)), a1, D(2026, 2, 12)
    )
    lines = make.round(
        ben_episode,
        "Wellpoint",
        D(2026, 2, 20),
        {1: (D(2026, 2, 20), D(2026, 3, 31)), 2: month[4], 3: month[5], 4: month[7]},
    )
    make.achieve(lines[1], D(2026, 3, 10))
    first_job = make.job(
        ben_episode, D(2026, 4, 6), "7.00", D(2026, 4, 30), JobEnd.HowEnded.QUIT
    )
    meeting = TeamMeeting.objects.create(
        member=ben,
        episode=ben_episode,
        job_end=first_job.job_end,
        reason=TeamMeeting.Reason.AFTER_JOB_END,
        met_on=D(2026, 5, 5),
        lessons_learned="Mornings suit better.",
        next_steps="Look for morning shifts.",
        recorded_by=people.author,
    )
    again = make.round(
        ben_episode,
        "Wellpoint",
        D(2026, 5, 8),
        {2: month[7], 3: month[8], 4: month[10]},
        meeting=meeting,
    )
    second_job = make.job(ben_episode, D(2026, 7, 1), "10.00")
    make.achieve(again[2], D(2026, 7, 1), second_job)

    # Cleo: IVRS pays; a one-day job at exactly the minimum wage on the
    # quarter's last day; exits in May.
    cleo = make.member("Cleo", "Wellpoint", "IVRS", "Polk")
    cleo_episode = make.episode(
        make.referral(cleo, A, D(2026, 3, 2)),
        a2,
        D(2026, 3, 4),
        closed_on=D(2026, 5, 29),
        exit_reason=Episode.ExitReason.MOVED,
    )
    lines = make.round(
        cleo_episode, "IVRS", D(2026, 3, 20), {1: (D(2026, 3, 20), D(2026, 3, 31))}
    )
    make.achieve(lines[1], D(2026, 3, 20))
    make.job(
        cleo_episode,
        D(2026, 3, 31),
        "7.25",
        D(2026, 3, 31),
        JobEnd.HowEnded.TEMPORARY_ENDED,
    )

    # Dora: referred in April, still waiting for provider A.
    dora = make.member("Dora", "Wellpoint", "Wellpoint", "Polk")
    make.referral(dora, A, D(2026, 4, 1), Referral.Status.PENDING)

    # Eli: Wellpoint's member at provider B, working since January.
    eli = make.member("Eli", "Wellpoint", "Wellpoint", "Polk")
    eli_episode = make.episode(make.referral(eli, B, D(2026, 1, 5)), b1, D(2026, 1, 7))
    lines = make.round(
        eli_episode, "Wellpoint", D(2026, 1, 12), {1: (D(2026, 1, 12), D(2026, 1, 31))}
    )
    make.achieve(lines[1], D(2026, 1, 15))
    make.job(eli_episode, D(2026, 1, 20), "15.00")

    # Fay: ITC's member at provider A; her plan was logged after its window.
    fay = make.member("Fay", "ITC", "ITC", "Scott")
    fay_episode = make.episode(make.referral(fay, A, D(2026, 1, 8)), a2, D(2026, 1, 9))
    lines = make.round(
        fay_episode, "ITC", D(2026, 1, 30), {1: (D(2026, 1, 30), D(2026, 2, 10))}
    )
    make.achieve(lines[1], D(2026, 2, 15))
    make.job(fay_episode, D(2026, 3, 2), "9.00")
    make.coaching(fay_episode, "ITC", 1, D(2026, 5, 31), "81.68", [])

    # Gus: ITC's member at provider B, paid by IME; a voided round, and a
    # job below the minimum wage that ends.
    gus = make.member("Gus", "ITC", "IME", "Scott")
    gus_episode = make.episode(make.referral(gus, B, D(2026, 2, 1)), b1, D(2026, 2, 3))
    voided = make.round(
        gus_episode,
        "IME",
        D(2026, 2, 5),
        {1: (D(2026, 2, 5), D(2026, 2, 28))},
        voided_at=timezone.now(),
        voided_by=people.case_manager,
        void_reason="Wrong payer.",
    )
    make.achieve(voided[1], D(2026, 2, 6))
    make.round(
        gus_episode, "IME", D(2026, 2, 11), {1: (D(2026, 2, 11), D(2026, 3, 31))}
    )
    make.job(
        gus_episode, D(2026, 2, 20), "6.50", D(2026, 3, 15), JobEnd.HowEnded.LET_GO
    )

    # Hal: referred to B, which redirected him to A; waiting there.
    hal = make.member("Hal", "Wellpoint", "Wellpoint", "Polk")
    to_a = make.referral(hal, A, D(2026, 3, 12), Referral.Status.PENDING)
    to_b = make.referral(hal, B, D(2026, 3, 10), Referral.Status.REDIRECTED)
    to_b.redirected_to = to_a
    to_b.save(update_fields=["redirected_to"])

    # Open flags of every age bucket, and a resolved one.
    kind = Flag.Kind
    make.flag(kind.AUTHORIZATION_DELAY, dora, A, iowa_time(AS_OF))
    make.flag(kind.COACHING_LAPSED, ada, A, iowa_time(D(2026, 7, 3), 0, 1))
    make.flag(kind.COACHING_LAPSED, fay, A, iowa_time(D(2026, 7, 2), 23, 59))
    make.flag(kind.MILESTONE_WINDOW_CLOSING, eli, B, iowa_time(D(2026, 6, 10)))
    make.flag(kind.JOB_END_FORM_MISSING, ben, A, iowa_time(D(2026, 6, 9)))
    make.flag(
        kind.CASELOAD_OVER_LIMIT, None, A, iowa_time(D(2026, 5, 1)), specialist=a1
    )
    make.flag(
        kind.MONTH_OVER_CAP,
        ada,
        A,
        iowa_time(D(2026, 6, 1)),
        status=Flag.Status.RESOLVED,
    )

    data.members = {
        "Ada": ada,
        "Ben": ben,
        "Cleo": cleo,
        "Dora": dora,
        "Eli": eli,
        "Fay": fay,
        "Gus": gus,
        "Hal": hal,
    }
    return data

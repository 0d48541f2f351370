"""The portal warns before an entry pushes a month over the cap."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from coaching.services import coaching_entry_log, coaching_period_authorize
from jobs.services import job_record
from milestones.models import MilestoneAchievement
from milestones.rules import Window
from milestones.services import CapWarning, EvidenceUpload, achievement_log
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 12, 1, 18, tzinfo=datetime.UTC)):
        yield


def test_logging_milestone_2_in_milestone_1s_month_warns_then_records_when_seen(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    authorization = authorize(
        case_manager,
        member,
        windows={
            1: Window(D(2026, 2, 1), D(2026, 4, 30)),
            2: Window(D(2026, 4, 1), D(2026, 4, 30)),
            3: Window(D(2026, 5, 1), D(2026, 5, 31)),
            4: Window(D(2026, 7, 1), D(2026, 7, 31)),
        },
        cap_warning_seen=True,
    )
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 4, 2),
        evidence=[
            EvidenceUpload("employment_plan", SimpleUploadedFile("p.pdf", b"%PDF-1.4"))
        ],
    )
    job = job_record(
        actor=specialist,
        member=member,
        employer="Prairie Grocers (demo)",
        title="Stocker",
        first_day_on=D(2026, 4, 20),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("12"),
    )

    def log_first_day(seen: bool) -> MilestoneAchievement:
        return achievement_log(
            actor=specialist,
            line=authorization.lines.get(milestone=2),
            job=job,
            cap_warning_seen=seen,
            evidence=[
                EvidenceUpload(
                    "service_documentation", SimpleUploadedFile("n.pdf", b"%PDF-1.4")
                )
            ],
        )

    with pytest.raises(CapWarning) as warning:
        log_first_day(seen=False)

    assert [(r.month, r.total) for r in warning.value.risks] == [
        (D(2026, 4, 1), Decimal("3964.95"))
    ]
    assert log_first_day(seen=True).achieved_on == D(2026, 4, 20)


def test_coaching_that_would_push_a_month_over_the_cap_asks_first(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    authorization = authorize(case_manager, member)  # milestone 2 window: April
    job = job_record(
        actor=specialist,
        member=member,
        employer="Prairie Grocers (demo)",
        title="Stocker",
        first_day_on=D(2026, 4, 6),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("12"),
    )
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=2),
        job=job,
        evidence=[
            EvidenceUpload(
                "service_documentation", SimpleUploadedFile("n.pdf", b"%PDF-1.4")
            )
        ],
    )
    coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=4,
        begins_on=D(2026, 4, 1),
        authorization_number="CO-4",
        authorized_on=D(2026, 3, 25),
    )
    coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=D(2026, 4, 7),
        minutes=16 * 60,
        kind="worksite",
    )

    # 17 hours earn tier 4: $1,362.84 on top of $2,394.53 is over the cap.
    with pytest.raises(CapWarning) as warning:
        coaching_entry_log(
            actor=specialist,
            member=member,
            coached_on=D(2026, 4, 8),
            minutes=60,
            kind="worksite",
        )

    assert warning.value.risks[0].total == Decimal("3757.37")
    coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=D(2026, 4, 8),
        minutes=60,
        kind="worksite",
        cap_warning_seen=True,
    )

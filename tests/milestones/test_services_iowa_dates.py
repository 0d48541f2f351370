"""Money rides on the calendar date in Iowa, not on the UTC date."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from jobs.models import Job
from jobs.services import job_record
from milestones.models import AuthorizationRound
from milestones.services import EvidenceUpload, achievement_log
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db

IOWA = ZoneInfo("America/Chicago")
# 22:30 on May 29, 2026 in Iowa (CDT) is already 03:30 on May 30 in UTC.
EVENING_OF_DAY_45 = datetime.datetime(2026, 5, 29, 22, 30, tzinfo=IOWA)
EVENING_BEFORE_DAY_45 = datetime.datetime(2026, 5, 28, 22, 30, tzinfo=IOWA)


@pytest.fixture
def setup(
    case_manager: User, specialist: User, provider_a: Any
) -> tuple[AuthorizationRound, Job]:
    with time_machine.travel(
        datetime.datetime(2026, 4, 20, 12, tzinfo=IOWA), tick=False
    ):
        member = MemberFactory(managing_organization=case_manager.organization)
        EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
        authorization = authorize(case_manager, member)
        job = job_record(
            actor=specialist,
            member=member,
            employer="Prairie Library (demo)",
            title="Shelver",
            first_day_on=datetime.date(2026, 4, 15),
            hours_per_week=20,
            hourly_wage=12,
        )
    return authorization, job


def log_day_45(specialist: User, authorization: AuthorizationRound, job: Job) -> Any:
    return achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=3),
        job=job,
        evidence=[
            EvidenceUpload(
                "service_documentation",
                SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n"),
            )
        ],
    )


def test_a_22_30_entry_in_iowa_is_dated_that_iowa_day(
    specialist: User, setup: tuple[AuthorizationRound, Job]
) -> None:
    authorization, job = setup

    with time_machine.travel(EVENING_OF_DAY_45, tick=False):
        assert datetime.datetime.now(datetime.UTC).date() == datetime.date(2026, 5, 30)
        achievement = log_day_45(specialist, authorization, job)

    assert achievement.achieved_on == datetime.date(2026, 5, 29)
    assert achievement.is_billable


def test_at_22_30_the_evening_before_day_45_is_still_to_come(
    specialist: User, setup: tuple[AuthorizationRound, Job]
) -> None:
    authorization, job = setup

    with time_machine.travel(EVENING_BEFORE_DAY_45, tick=False):
        # The UTC date is already May 29, but in Iowa it is May 28.
        assert datetime.datetime.now(datetime.UTC).date() == datetime.date(2026, 5, 29)
        with pytest.raises(ValidationError, match="still to come"):
            log_day_45(specialist, authorization, job)

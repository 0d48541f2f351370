"""Once only, under two simultaneous submissions, on the real PostgreSQL.

SQLite serializes writers, so the race only means something on PostgreSQL;
CI runs this suite there.
"""

import datetime
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import User
from jobs.services import job_record
from milestones.models import MilestoneAchievement
from milestones.services import ALREADY_ACHIEVED, EvidenceUpload, achievement_log
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.uploads import pdf

LATER = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@time_machine.travel(LATER, tick=False)
def test_two_simultaneous_logs_of_one_milestone_make_one_record_and_one_message(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The race needs PostgreSQL's concurrent writers (CI runs it).")
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    line = authorize(case_manager, member).lines.get(milestone=2)
    job = job_record(
        actor=specialist,
        member=member,
        employer="Prairie Grocers (demo)",
        title="Stocker",
        first_day_on=datetime.date(2026, 4, 15),
        hours_per_week=20,
        hourly_wage=12,
    )

    start = threading.Barrier(2)
    outcomes: list[str] = []

    def log_it() -> None:
        try:
            start.wait()
            achievement_log(
                actor=specialist,
                line=line,
                job=job,
                evidence=[EvidenceUpload("service_documentation", pdf())],
            )
            outcomes.append("saved")
        except ValidationError as refusal:
            outcomes.append(" ".join(refusal.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=log_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted(["saved", ALREADY_ACHIEVED])
    assert MilestoneAchievement.objects.filter(line=line).count() == 1

"""job_record: the service that records a member's job."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from jobs.models import Job
from jobs.services import BelowMinimumWage, job_record
from members.models import Member
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date

# Late in 2026, so every date of the Iowa example is in the past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def record(actor: User, member: Member, **changes: Any) -> Job:
    arguments: dict[str, Any] = {
        "actor": actor,
        "member": member,
        "employer": "Cedar Prairie Grocers",
        "title": "Stock clerk",
        "first_day_on": D(2026, 4, 15),
        "hours_per_week": Decimal("20"),
        "hourly_wage": Decimal("15.50"),
    }
    arguments.update(changes)
    return job_record(**arguments)


def test_a_job_is_recorded_on_the_open_episode_with_its_retention_dates(
    specialist: User, member: Member
) -> None:
    job = record(specialist, member, employer="  Cedar Prairie Grocers ")

    job.refresh_from_db()
    assert job.member == member
    assert job.episode == member.episodes.get()
    assert job.employer == "Cedar Prairie Grocers"
    assert job.recorded_by == specialist
    assert job.ended_on is None
    assert job.is_competitive
    assert (job.day_45_on, job.day_90_on) == (D(2026, 5, 29), D(2026, 7, 13))


def test_history_names_the_specialist_who_recorded_the_job(
    specialist: User, member: Member
) -> None:
    job = record(specialist, member)

    assert job.history.get().history_user == specialist


def test_a_supervisor_may_record_a_job(supervisor: User, member: Member) -> None:
    job = record(supervisor, member)

    assert job.recorded_by == supervisor
    assert job.history.get().history_user == supervisor


@pytest.mark.parametrize(
    "person",
    ["case_manager", "reviewer", "administrator", "outsider_case_manager"],
)
def test_roles_without_service_logging_may_not_record_a_job(
    request: pytest.FixtureRequest, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        record(actor, member)

    assert not Job.objects.exists()


def test_a_member_never_in_ips_cannot_have_a_job_recorded(
    specialist: User, case_manager: User
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)

    # Never referred to the specialist's provider: not theirs to work.
    with pytest.raises(PermissionDenied):
        record(specialist, member)

    assert not Job.objects.exists()


def test_a_member_whose_episode_closed_cannot_have_a_job_recorded(
    specialist: User, member: Member
) -> None:
    member.episodes.update(closed_on=D(2026, 3, 31))

    # The provider that served the member no longer works for them.
    with pytest.raises(PermissionDenied):
        record(specialist, member)

    assert not Job.objects.exists()


@pytest.mark.parametrize("hours", ["-5", "0", "80.01", "168", "999.99"])
def test_hours_per_week_outside_0_to_80_are_refused_next_to_the_field(
    specialist: User, member: Member, hours: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, member, hours_per_week=Decimal(hours))

    assert refusal.value.message_dict == {
        "hours_per_week": ["Hours per week are more than 0 and at most 80."]
    }
    assert not Job.objects.exists()


@pytest.mark.parametrize("hours", ["0.25", "80"])
def test_hours_per_week_inside_the_bounds_are_accepted(
    specialist: User, member: Member, hours: str
) -> None:
    job = record(specialist, member, hours_per_week=Decimal(hours))

    job.refresh_from_db()
    assert job.hours_per_week == Decimal(hours)


@pytest.mark.parametrize("wage", ["-1", "0", "250.01", "1000", "15500"])
def test_hourly_wages_outside_0_to_250_are_refused_next_to_the_field(
    specialist: User, member: Member, wage: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, member, hourly_wage=Decimal(wage))

    assert refusal.value.message_dict == {
        "hourly_wage": ["An hourly wage is more than $0 and at most $250."]
    }
    assert not Job.objects.exists()


def test_a_wage_of_250_an_hour_is_accepted(specialist: User, member: Member) -> None:
    job = record(specialist, member, hourly_wage=Decimal("250.00"))

    assert job.hourly_wage == Decimal("250.00")


def test_every_bad_figure_is_reported_at_once(specialist: User, member: Member) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(
            specialist,
            member,
            hours_per_week=Decimal("0"),
            hourly_wage=Decimal("-3"),
            first_day_on=D(2026, 1, 9),
        )

    assert set(refusal.value.message_dict) == {
        "hours_per_week",
        "hourly_wage",
        "first_day_on",
    }


def test_a_wage_under_iowa_minimum_asks_before_recording(
    specialist: User, member: Member
) -> None:
    with pytest.raises(BelowMinimumWage):
        record(specialist, member, hourly_wage=Decimal("7.24"))

    assert not Job.objects.exists()


def test_a_wage_under_iowa_minimum_is_recorded_once_seen_and_is_not_competitive(
    specialist: User, member: Member
) -> None:
    job = record(
        specialist, member, hourly_wage=Decimal("7.24"), below_minimum_seen=True
    )

    job.refresh_from_db()
    assert job.hourly_wage == Decimal("7.24")
    assert not job.is_competitive


def test_a_wage_of_exactly_iowa_minimum_is_competitive_without_asking(
    specialist: User, member: Member
) -> None:
    job = record(specialist, member, hourly_wage=Decimal("7.25"))

    assert job.is_competitive


def test_an_absurd_wage_is_refused_even_when_the_minimum_warning_was_seen(
    specialist: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, member, hourly_wage=Decimal("0"), below_minimum_seen=True)

    assert list(refusal.value.message_dict) == ["hourly_wage"]
    assert not Job.objects.exists()


def test_first_day_before_the_member_joined_ips_is_refused(
    specialist: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, member, first_day_on=D(2026, 1, 9))

    assert refusal.value.message_dict == {
        "first_day_on": [
            "The first day cannot be before the member joined IPS (01/10/2026)."
        ]
    }
    assert not Job.objects.exists()


def test_first_day_on_the_day_the_member_joined_ips_is_accepted(
    specialist: User, member: Member
) -> None:
    job = record(specialist, member, first_day_on=D(2026, 1, 10))

    assert job.first_day_on == D(2026, 1, 10)


def test_a_member_may_hold_two_jobs_at_once(specialist: User, member: Member) -> None:
    first = record(specialist, member, first_day_on=D(2026, 4, 15))
    second = record(
        specialist,
        member,
        employer="Riverbend Library",
        title="Shelver",
        first_day_on=D(2026, 5, 4),
        hours_per_week=Decimal("10"),
    )

    assert set(member.jobs.all()) == {first, second}
    assert first.ended_on is None
    assert second.ended_on is None


def test_a_first_day_more_than_a_year_ahead_is_a_typing_mistake(
    specialist: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, member, first_day_on=D(2099, 4, 15))

    assert list(refusal.value.message_dict) == ["first_day_on"]
    assert not Job.objects.exists()

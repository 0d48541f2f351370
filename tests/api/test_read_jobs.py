"""GET /api/v1/jobs/ and /api/v1/job-ends/: jobs, and how and when they ended."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from jobends.models import JobEnd, JobEndPerspective
from jobends.services import job_end_form_complete, perspective_add
from jobs.services import job_record
from tests.api.conftest import token_client
from tests.api.read_builders import (
    NOW,
    World,
    member_in_ips,
    member_with_everything,
    record_job,
    record_job_end,
)

pytestmark = pytest.mark.django_db
LATER = NOW + datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(case_manager: User, specialist: User) -> World:
    return member_with_everything(case_manager, specialist)


def get(client: Any, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(page: Any) -> list[str]:
    return [row["id"] for row in page["results"]]


def test_a_job_shows_its_dates_hours_and_wage_as_strings(
    mco_token: str, world: World
) -> None:
    url = reverse("api:job-detail", args=[world.job.public_id])

    assert get(token_client(mco_token), url) == {
        "id": str(world.job.public_id),
        "member": str(world.member.public_id),
        "employer": "Cedar Valley Print Shop (demo)",
        "title": "Press assistant",
        "first_day_on": "2026-04-15",
        "day_45_on": "2026-05-29",
        "day_90_on": "2026-07-13",
        "hours_per_week": "22.50",
        "hourly_wage": "14.25",
        "ended_on": "2026-08-31",
        "is_competitive": True,
        "updated_at": "2026-12-01T12:00:00-06:00",
    }


def test_a_job_under_the_minimum_wage_is_not_competitive(
    mco_token: str, case_manager: User, specialist: User
) -> None:
    member = member_in_ips(case_manager, specialist)
    job = job_record(
        actor=specialist,
        member=member,
        employer="Sheltered workshop (demo)",
        title="Sorter",
        first_day_on=datetime.date(2026, 10, 1),
        hours_per_week=Decimal("10"),
        hourly_wage=Decimal("4.10"),
        below_minimum_seen=True,
    )

    url = reverse("api:job-detail", args=[job.public_id])
    shown = get(token_client(mco_token), url)

    assert (shown["is_competitive"], shown["hourly_wage"]) == (False, "4.10")


@pytest.mark.parametrize(
    ("endpoint", "params", "shown"),
    [
        ("job", {"provider": "43-north-iowa"}, True),
        ("job", {"provider": "robert-young-center"}, False),
        ("job-end", {"provider": "43-north-iowa"}, True),
        ("job-end", {"provider": "robert-young-center"}, False),
    ],
)
def test_filters_by_provider(
    endpoint: str, params: dict[str, str], shown: bool, mco_token: str, world: World
) -> None:
    row = world.job if endpoint == "job" else world.job_end

    page = get(token_client(mco_token), reverse(f"api:{endpoint}-list"), **params)

    assert ids(page) == ([str(row.public_id)] if shown else [])


@pytest.mark.parametrize("endpoint", ["job", "job-end"])
def test_filters_by_member(
    endpoint: str,
    mco_token: str,
    case_manager: User,
    specialist: User,
    world: World,
) -> None:
    other = member_with_everything(case_manager, specialist)
    url = reverse(f"api:{endpoint}-list")
    row = other.job if endpoint == "job" else other.job_end

    page = get(token_client(mco_token), url, member=other.member.public_id)

    assert ids(page) == [str(row.public_id)]


def test_a_job_end_shows_how_it_ended_and_where_the_form_stands(
    mco_token: str, world: World
) -> None:
    url = reverse("api:job-end-detail", args=[world.job_end.public_id])

    assert get(token_client(mco_token), url) == {
        "id": str(world.job_end.public_id),
        "job": str(world.job.public_id),
        "member": str(world.member.public_id),
        "ended_on": "2026-08-31",
        "how_ended": "temporary_ended",
        "form_completed": False,
        "form_completed_at": None,
        "next_step": None,
        "updated_at": "2026-12-01T12:00:00-06:00",
    }


def test_a_completed_form_brings_the_job_end_back_in_a_sync(
    provider_token: str,
    specialist: User,
    world: World,
    clock: time_machine.Traveller,
) -> None:
    client = token_client(provider_token)
    url = reverse("api:job-end-list")
    clock.move_to(LATER)
    assert ids(get(client, url, updated_since=LATER.isoformat())) == []

    job_end_form_complete(
        actor=specialist,
        job_end=world.job_end,
        answers={
            "differed_from_expectations": JobEnd.Answer.NO,
            "duties_changed": JobEnd.Answer.YES,
            "duties_notes": "Moved to the night shift.",
        },
    )

    (row,) = get(client, url, updated_since=LATER.isoformat())["results"]
    assert row["form_completed"] is True
    assert row["form_completed_at"] == "2026-12-01T13:00:00-06:00"


def test_the_job_end_perspectives_are_not_shown(
    mco_token: str, specialist: User, world: World
) -> None:
    perspective_add(
        actor=specialist,
        job_end=world.job_end,
        source=JobEndPerspective.Source.MEMBER,
        text="The commute was too long.",
    )

    response = token_client(mco_token).get(reverse("api:job-end-list"))

    assert "The commute was too long." not in response.content.decode()


def test_a_job_end_brings_the_job_back_in_a_sync_with_its_end_date(
    mco_token: str,
    case_manager: User,
    specialist: User,
    clock: time_machine.Traveller,
) -> None:
    job = record_job(specialist, member_in_ips(case_manager, specialist))
    clock.move_to(LATER)
    record_job_end(specialist, job, datetime.date(2026, 11, 20))

    page = get(
        token_client(mco_token),
        reverse("api:job-list"),
        updated_since=LATER.isoformat(),
    )

    assert [(row["id"], row["ended_on"]) for row in page["results"]] == [
        (str(job.public_id), "2026-11-20")
    ]

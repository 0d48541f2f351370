"""Syncing through every read list: ``updated_since``, the cursor, query counts.

Each list is ordered by its rows' last change, then by id. A client that
stores the newest change it saw gets exactly the rows changed at or after
it next time; one that pages while rows are added never misses or repeats
one. A page costs the same number of queries whatever it holds.
"""

import datetime
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from flags.sweeps import sweep
from jobs.models import Job
from tests.api.conftest import token_client
from tests.api.read_builders import (
    NOW,
    TODAY,
    authorize_coaching,
    authorize_iowa_example,
    member_in_ips,
    member_with_everything,
    record_job,
    record_job_end,
)

pytestmark = pytest.mark.django_db
D = datetime.date
HOUR = datetime.timedelta(hours=1)
MICROSECOND = datetime.timedelta(microseconds=1)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# One new row of each list, for a new member, made now.

Maker = Callable[[User, User], uuid.UUID]


def new_member(case_manager: User, specialist: User) -> uuid.UUID:
    return member_in_ips(case_manager, specialist).public_id


def new_referral(case_manager: User, specialist: User) -> uuid.UUID:
    return member_in_ips(case_manager, specialist).referrals.get().public_id


def new_round(case_manager: User, specialist: User) -> uuid.UUID:
    member = member_in_ips(case_manager, specialist)
    return authorize_iowa_example(case_manager, member).public_id


def new_job(case_manager: User, specialist: User) -> uuid.UUID:
    return record_job(specialist, member_in_ips(case_manager, specialist)).public_id


def new_job_end(case_manager: User, specialist: User) -> uuid.UUID:
    job = record_job(specialist, member_in_ips(case_manager, specialist))
    return record_job_end(specialist, job, D(2026, 6, 30)).public_id


def new_coaching_period(case_manager: User, specialist: User) -> uuid.UUID:
    member = member_in_ips(case_manager, specialist)
    return authorize_coaching(case_manager, member).public_id


def new_flag(case_manager: User, specialist: User) -> uuid.UUID:
    """A member accepted in January with nothing authorized: a delay flag."""
    member = member_in_ips(case_manager, specialist)
    sweep(today=TODAY, member_ids=[member.pk])
    return member.flags.get().public_id


MAKERS: dict[str, Maker] = {
    "member": new_member,
    "referral": new_referral,
    "authorization": new_round,
    "job": new_job,
    "job-end": new_job_end,
    "coaching-authorization": new_coaching_period,
    "flag": new_flag,
}


def listed(client: Any, endpoint: str, **params: Any) -> Any:
    response = client.get(reverse(f"api:{endpoint}-list"), params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(page: Any) -> list[str]:
    return [row["id"] for row in page["results"]]


@pytest.mark.parametrize("endpoint", MAKERS)
def test_updated_since_returns_exactly_the_rows_changed_at_or_after_it(
    endpoint: str,
    case_manager: User,
    specialist: User,
    mco_token: str,
    clock: time_machine.Traveller,
) -> None:
    make = MAKERS[endpoint]
    client = token_client(mco_token)
    first = make(case_manager, specialist)
    clock.move_to(NOW + HOUR)
    second = make(case_manager, specialist)

    def since(moment: datetime.datetime) -> list[str]:
        return ids(listed(client, endpoint, updated_since=moment.isoformat()))

    assert since(NOW) == [str(first), str(second)]
    assert since(NOW + MICROSECOND) == [str(second)]
    assert since(NOW + HOUR) == [str(second)]
    assert since(NOW + HOUR + MICROSECOND) == []


def test_updated_since_takes_any_offset_for_the_same_moment(
    case_manager: User, specialist: User, mco_token: str
) -> None:
    job = new_job(case_manager, specialist)
    iowa_noon = "2026-12-01T12:00:00-06:00"  # NOW, as Iowa writes it

    page = listed(token_client(mco_token), "job", updated_since=iowa_noon)

    assert ids(page) == [str(job)]


@pytest.mark.parametrize(
    "moment", ["yesterday", "2026-12-01", "2026-12-01T12:00:00", "2026-13-01T00:00Z"]
)
def test_updated_since_without_an_offset_or_unreadable_is_a_400(
    moment: str, mco_token: str
) -> None:
    response = token_client(mco_token).get(
        reverse("api:job-list"), {"updated_since": moment}
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "updated_since" in error["fields"]


@pytest.mark.parametrize("endpoint", MAKERS)
def test_the_cursor_neither_skips_nor_repeats_rows_added_between_pages(
    endpoint: str,
    case_manager: User,
    specialist: User,
    mco_token: str,
    clock: time_machine.Traveller,
) -> None:
    make = MAKERS[endpoint]
    client = token_client(mco_token)
    # Three rows in the same instant (ties go by id), then two an hour on.
    made = [make(case_manager, specialist) for _ in range(3)]
    clock.move_to(NOW + HOUR)
    made += [make(case_manager, specialist) for _ in range(2)]

    first = listed(client, endpoint, page_size=2)
    clock.move_to(NOW + 2 * HOUR)
    added = make(case_manager, specialist)
    seen = ids(first)
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += ids(page)

    assert sorted(seen) == sorted(str(public_id) for public_id in [*made, added])
    assert len(seen) == len(set(seen)) == 6
    assert seen[-1] == str(added)


def test_a_cursor_the_api_did_not_give_is_a_400(mco_token: str) -> None:
    response = token_client(mco_token).get(
        reverse("api:authorization-list"), {"cursor": "not-a-cursor"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "cursor": ["This cursor is not one the API gave."]
    }


LISTS = {
    "member": {},
    "referral": {},
    "authorization": {},
    "job": {},
    "job-end": {},
    "coaching-authorization": {},
    "coaching-month": {"month": "2026-09"},
    "flag": {},
}


def queries_and_rows(client: Any) -> dict[str, tuple[int, int]]:
    """For each list: the queries one page took, and the rows it held."""
    counts = {}
    for endpoint, params in LISTS.items():
        with CaptureQueriesContext(connection) as queries:
            page = listed(client, endpoint, **params)
        counts[endpoint] = (len(queries), len(page["results"]))
    return counts


def test_every_list_takes_the_same_queries_for_2_and_10_members(
    case_manager: User, specialist: User, mco_token: str
) -> None:
    client = token_client(mco_token)
    for _ in range(2):
        member_with_everything(case_manager, specialist)
    sweep(today=TODAY)
    small = queries_and_rows(client)

    for _ in range(8):
        member_with_everything(case_manager, specialist)
    sweep(today=TODAY)
    large = queries_and_rows(client)

    for endpoint in LISTS:
        assert large[endpoint][0] == small[endpoint][0], endpoint
        assert large[endpoint][1] > small[endpoint][1] >= 2, endpoint
    assert Job.objects.count() == 10

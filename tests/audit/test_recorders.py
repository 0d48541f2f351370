"""What the recorder keeps of a read: who, when, what, from where.

The address is read as the API reads it (api.authentication
.client_address): the connection's, or behind NUM_PROXIES proxies the one
the last of them names — never a forwarding header on its own.
"""

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.policy import Action
from accounts.models import User
from audit.models import AccessEvent
from audit.purposes import purpose_in_words
from audit.recorders import record_access
from members.models import Member
from tests.audit.helpers import last_event, member_ids_of, read_now
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 2, 15, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User) -> Member:
    return MemberFactory(managing_organization=case_manager.organization)


@pytest.fixture
def behind_one_proxy(settings: Any) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def record_with(user: User, member: Member, **meta: str) -> AccessEvent:
    request = RequestFactory().get("/members/", **meta)
    record_access(
        actor=user, member_ids=[member.pk], purpose="member.list", request=request
    )
    return last_event(user)


def test_a_page_read_keeps_who_when_what_and_where_without_the_query(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)
    url = reverse("members:detail", args=[member.public_id])

    client.get(
        f"{url}?search=Sample", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox"
    )

    event = last_event(case_manager)
    assert (event.purpose, event.method, event.path) == ("member.view", "GET", url)
    assert (event.remote_addr, event.user_agent) == ("192.0.2.10", "Firefox")
    assert (event.read_at, event.token, event.member_count) == (NOW, None, 1)
    assert member_ids_of(event) == [member.pk]


def test_a_forwarding_header_is_ignored_when_no_proxy_is_trusted(
    case_manager: User, member: Member
) -> None:
    event = record_with(
        case_manager,
        member,
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )

    assert event.remote_addr == "192.0.2.10"


def test_behind_one_proxy_the_address_is_the_one_it_names(
    case_manager: User, member: Member, behind_one_proxy: None
) -> None:
    event = record_with(
        case_manager,
        member,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7",
    )

    assert event.remote_addr == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["unknown", "fe80::1%eth0", "999.1.1.1"])
def test_an_address_that_is_not_one_is_kept_as_unknown(
    case_manager: User, member: Member, behind_one_proxy: None, forwarded: str
) -> None:
    event = record_with(
        case_manager, member, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )

    assert event.remote_addr is None
    assert member_ids_of(event) == [member.pk]


def test_an_ipv6_address_is_kept_in_its_short_form(
    case_manager: User, member: Member
) -> None:
    event = record_with(case_manager, member, REMOTE_ADDR="2001:db8:0:0:0:0:0:1")

    assert event.remote_addr == "2001:db8::1"


def test_a_read_outside_a_request_keeps_no_path_or_address(
    case_manager: User, member: Member
) -> None:
    event = read_now(case_manager, [member], purpose="flags.digest")

    assert (event.method, event.path, event.remote_addr) == ("", "", None)
    assert member_ids_of(event) == [member.pk]


def test_a_read_that_showed_nobody_is_not_kept(case_manager: User) -> None:
    record_access(
        actor=case_manager, member_ids=[], purpose="member.list", request=None
    )

    assert not AccessEvent.objects.exists()


def test_each_member_is_kept_once_however_often_a_read_names_them(
    case_manager: User, member: Member
) -> None:
    event = read_now(case_manager, [member, member, member])

    assert (event.member_count, member_ids_of(event)) == (1, [member.pk])


@pytest.mark.parametrize("how_many", [1, 3, 300])
def test_a_read_takes_two_inserts_whatever_the_number_of_members(
    case_manager: User, how_many: int
) -> None:
    members = MemberFactory.create_batch(
        how_many, managing_organization=case_manager.organization
    )

    with CaptureQueriesContext(connection) as queries:
        read_now(case_manager, members)

    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 2
    assert last_event(case_manager).member_count == how_many


def recorded_purposes() -> set[str]:
    """Every purpose the portal's code passes to record_member_read.

    Read from the source: each call site names its purpose as a literal,
    and pages opened through member_get record the action they ask for.
    """
    root = Path(__file__).resolve().parents[2]
    literal = re.compile(r'purpose="([a-z_.]+)"')
    found = {str(action) for action in Action}
    for path in root.glob("*/*.py"):
        if path.parts[-2] in {"tests", ".venv"}:
            continue
        found |= set(literal.findall(path.read_text()))
    return found


def test_every_purpose_the_code_records_reads_as_words() -> None:
    purposes = recorded_purposes()
    assert "document.job_end_form" in purposes  # the scan reaches the views

    unworded = sorted(p for p in purposes if purpose_in_words(p) == p)

    # The actions no page records a read for need no words.
    assert unworded == sorted(
        str(action)
        for action in (
            Action.RESPOND_TO_REFERRAL,
            Action.REASSIGN_CASELOAD,
            Action.BILL_CLAIMS,
            Action.VIEW_DASHBOARD,
            Action.RECORD_FIDELITY_REVIEW,
        )
    )

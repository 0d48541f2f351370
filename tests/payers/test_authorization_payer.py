"""An authorization names the member's payer: its claims go to that payer.

A tester authorized a Wellpoint member's coaching under Iowa Total Care and
the claim batch billed Iowa Total Care. Milestone rounds and coaching
periods are both held to the member's payer, in the service and on the page.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from coaching.models import CoachingPeriod
from coaching.services import coaching_period_authorize
from members.models import Member
from milestones.models import AuthorizationRound
from payers.models import Payer
from tests.api.read_builders import member_in_ips
from tests.milestones.helpers import authorize
from tests.pages import errors_next_to_named as errors_next_to

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
REFUSED = (
    "The member's payer is {name}. An authorization names that payer; if the "
    "member's funding has changed, update the member's record first."
)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User) -> Member:
    return member_in_ips(case_manager, specialist)


@pytest.fixture
def another_payer(member: Member) -> Payer:
    payer = (
        Payer.objects.exclude(pk=member.payer_id).filter(kind="medicaid_mco").first()
    )
    assert payer is not None
    return payer


def authorize_coaching(case_manager: User, member: Member, payer: Payer) -> Any:
    return coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=payer,
        tier=2,
        begins_on=datetime.date(2026, 11, 1),
        authorization_number="CO-1",
        authorized_on=datetime.date(2026, 10, 28),
    )


def test_a_milestone_round_under_another_payer_is_refused(
    case_manager: User, member: Member, another_payer: Payer
) -> None:
    with pytest.raises(ValidationError) as refused:
        authorize(case_manager, member, payer=another_payer)

    assert refused.value.message_dict == {
        "payer": [REFUSED.format(name=member.payer.name)]
    }
    assert not AuthorizationRound.objects.filter(member=member).exists()


def test_coaching_under_another_payer_is_refused(
    case_manager: User, member: Member, another_payer: Payer
) -> None:
    with pytest.raises(ValidationError) as refused:
        authorize_coaching(case_manager, member, another_payer)

    assert refused.value.message_dict == {
        "payer": [REFUSED.format(name=member.payer.name)]
    }
    assert not CoachingPeriod.objects.filter(member=member).exists()


def test_the_members_own_payer_is_taken(case_manager: User, member: Member) -> None:
    assert authorize(case_manager, member).payer == member.payer
    assert authorize_coaching(case_manager, member, member.payer).payer == (
        member.payer
    )


def test_the_coaching_page_says_so_next_to_the_payer_and_keeps_the_input(
    case_manager: User, member: Member, another_payer: Payer
) -> None:
    client = Client()
    client.force_login(case_manager)

    answer = client.post(
        reverse("coaching:authorize", args=[member.public_id]),
        {
            "tier": "2",
            "begins_on": "11/01/2026",
            "authorization_number": "CO-2026-12",
            "payer": str(another_payer.pk),
            "authorized_on": "10/28/2026",
        },
    )

    page = answer.content.decode()
    assert errors_next_to(page, "payer") == REFUSED.format(name=member.payer.name)
    assert 'value="CO-2026-12"' in page
    assert not CoachingPeriod.objects.filter(member=member).exists()

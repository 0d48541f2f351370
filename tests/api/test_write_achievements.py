"""POST /api/v1/achievements/: the web form's rules, through a token.

A provider's token with the achievements grant logs as its own service
account; everyone else is refused, and a round outside the caller's scope
answers exactly like one that does not exist.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organization, User
from api.models import ApiRequest
from api.tokens import IssuedToken, api_token_issue
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import AuthorizationRound, MilestoneAchievement
from milestones.rules import Window
from milestones.services import ALREADY_ACHIEVED
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db
D = datetime.date

# Noon in Iowa on December 1, 2026: the whole Iowa example lies behind it.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
URL = "/api/v1/achievements/"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    # Throttle counters and failed-token counts live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def authorization(case_manager: User, member: Member) -> AuthorizationRound:
    """The Iowa example: Feb 1–Mar 31, April, May and July 2026."""
    return authorize(case_manager, member)


def job_for(specialist: User, member: Member, first_day_on: datetime.date) -> Job:
    return job_record(
        actor=specialist,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=first_day_on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


def issue(
    administrator: User, organization: Organization, **grants: bool
) -> IssuedToken:
    return api_token_issue(
        actor=administrator,
        organization=organization,
        name="Example case system",
        **grants,
    )


@pytest.fixture
def logging_token(administrator: User, provider_a: ProviderSite) -> IssuedToken:
    return issue(administrator, provider_a.organization, can_log_achievements=True)


def post(secret: str, body: dict[str, Any], **headers: str) -> Any:
    return APIClient().post(
        URL, body, format="json", HTTP_AUTHORIZATION=f"Bearer {secret}", **headers
    )


def plan_body(
    authorization_round: AuthorizationRound, **changes: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "authorization": str(authorization_round.public_id),
        "milestone": 1,
        "achieved_on": "2026-03-12",
    }
    body.update(changes)
    return body


def test_the_url_is_named_in_the_api_namespace() -> None:
    assert reverse("api:achievement-log") == URL


def test_provider_token_with_the_grant_logs_milestone_1_as_its_service_account(
    logging_token: IssuedToken, authorization: AuthorizationRound
) -> None:
    response = post(logging_token.secret, plan_body(authorization))

    assert response.status_code == 201
    achievement = MilestoneAchievement.objects.get()
    assert response.json() == {
        "id": str(achievement.public_id),
        "authorization": str(authorization.public_id),
        "member": str(authorization.member.public_id),
        "milestone": 1,
        "achieved_on": "2026-03-12",
        "job": None,
        "billable": True,
        "status": "achieved",
        "documents_to_attach": ["employment_plan"],
        "recorded_at": response.json()["recorded_at"],
    }
    client = logging_token.token.client
    assert achievement.recorded_by == client
    assert client.is_api_client
    assert achievement.history.get().history_user == client


def test_milestone_3_takes_day_45_of_the_job_and_the_job_id(
    logging_token: IssuedToken,
    authorization: AuthorizationRound,
    specialist: User,
) -> None:
    job = job_for(specialist, authorization.member, D(2026, 4, 15))

    response = post(
        logging_token.secret,
        {
            "authorization": str(authorization.public_id),
            "milestone": 3,
            "job": str(job.public_id),
        },
    )

    assert response.status_code == 201
    assert response.json()["achieved_on"] == "2026-05-29"
    assert response.json()["job"] == str(job.public_id)
    assert response.json()["status"] == "achieved"


def test_a_date_sent_for_milestone_2_must_be_the_jobs_first_day(
    logging_token: IssuedToken,
    authorization: AuthorizationRound,
    specialist: User,
) -> None:
    job = job_for(specialist, authorization.member, D(2026, 4, 15))
    body = {
        "authorization": str(authorization.public_id),
        "milestone": 2,
        "job": str(job.public_id),
    }

    wrong = post(logging_token.secret, body | {"achieved_on": "2026-04-16"})
    right = post(logging_token.secret, body | {"achieved_on": "2026-04-15"})

    assert wrong.status_code == 400
    assert "2026-04-15" in wrong.json()["error"]["fields"]["achieved_on"][0]
    assert right.status_code == 201


def test_milestone_2_without_a_job_is_refused_with_the_services_message(
    logging_token: IssuedToken, authorization: AuthorizationRound
) -> None:
    body = plan_body(authorization, milestone=2)
    del body["achieved_on"]

    response = post(logging_token.secret, body)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "job": ["Choose one of the member's jobs in this time in IPS."]
    }
    assert not MilestoneAchievement.objects.exists()


def test_milestone_1_names_no_job(
    logging_token: IssuedToken, authorization: AuthorizationRound, specialist: User
) -> None:
    job = job_for(specialist, authorization.member, D(2026, 4, 15))

    response = post(
        logging_token.secret, plan_body(authorization, job=str(job.public_id))
    )

    assert response.status_code == 400
    assert "job" in response.json()["error"]["fields"]


def test_a_job_of_another_member_is_not_found(
    logging_token: IssuedToken,
    authorization: AuthorizationRound,
    specialist: User,
    provider_a: ProviderSite,
) -> None:
    other = MemberFactory()
    EpisodeFactory(member=other, provider=provider_a, specialist=specialist)
    theirs = job_for(specialist, other, D(2026, 4, 15))

    response = post(
        logging_token.secret,
        {
            "authorization": str(authorization.public_id),
            "milestone": 2,
            "job": str(theirs.public_id),
        },
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_second_post_for_the_same_milestone_is_refused_on_the_milestone_field(
    logging_token: IssuedToken, authorization: AuthorizationRound
) -> None:
    first = post(logging_token.secret, plan_body(authorization))
    second = post(logging_token.secret, plan_body(authorization))

    assert first.status_code == 201
    assert second.status_code == 400
    assert second.json()["error"]["fields"] == {"milestone": [ALREADY_ACHIEVED]}
    assert MilestoneAchievement.objects.count() == 1


def test_today_is_accepted_and_tomorrow_refused_by_the_iowa_calendar(
    logging_token: IssuedToken, authorization: AuthorizationRound
) -> None:
    tomorrow = post(
        logging_token.secret, plan_body(authorization, achieved_on="2026-12-02")
    )
    today = post(
        logging_token.secret, plan_body(authorization, achieved_on="2026-12-01")
    )

    assert tomorrow.status_code == 400
    assert "still to come" in tomorrow.json()["error"]["fields"]["achieved_on"][0]
    # Outside the Feb–Mar window: recorded, not billable.
    assert today.status_code == 201
    assert today.json()["billable"] is False
    assert today.json()["status"] == "outside_window"


def test_fields_that_set_ownership_or_anything_unknown_are_refused(
    logging_token: IssuedToken, authorization: AuthorizationRound, specialist: User
) -> None:
    response = post(
        logging_token.secret,
        plan_body(
            authorization,
            recorded_by=specialist.pk,
            provider="robert-young-center",
            status="billable",
        ),
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {
        "provider",
        "recorded_by",
        "status",
    }
    assert not MilestoneAchievement.objects.exists()


def test_a_body_that_is_not_an_object_is_refused(
    logging_token: IssuedToken,
) -> None:
    response = post(logging_token.secret, ["milestone", 1])  # type: ignore[arg-type]

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_provider_token_without_the_achievements_grant_gets_403(
    administrator: User, provider_a: ProviderSite, authorization: AuthorizationRound
) -> None:
    coaching_only = issue(administrator, provider_a.organization, can_log_coaching=True)

    response = post(coaching_only.secret, plan_body(authorization))

    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403
    assert not MilestoneAchievement.objects.exists()


def test_an_mco_token_gets_403(
    administrator: User, mco: Organization, authorization: AuthorizationRound
) -> None:
    mco_token = issue(administrator, mco)

    response = post(mco_token.secret, plan_body(authorization))

    assert response.status_code == 403
    assert not MilestoneAchievement.objects.exists()


def test_another_providers_token_gets_the_same_404_as_for_no_round_at_all(
    administrator: User, provider_b: ProviderSite, authorization: AuthorizationRound
) -> None:
    outsider_token = issue(
        administrator, provider_b.organization, can_log_achievements=True
    )

    theirs = post(outsider_token.secret, plan_body(authorization))
    nothing = post(
        outsider_token.secret,
        plan_body(authorization, authorization="00000000-0000-4000-8000-000000000000"),
    )

    assert theirs.status_code == 404
    assert theirs.json() == nothing.json()
    assert theirs.json()["error"]["code"] == "not_found"
    assert not MilestoneAchievement.objects.exists()


def test_a_case_manager_signed_in_is_held_to_their_role(
    case_manager: User, authorization: AuthorizationRound
) -> None:
    client = APIClient()
    client.force_login(case_manager)

    response = client.post(URL, plan_body(authorization), format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not MilestoneAchievement.objects.exists()


def test_the_members_specialist_signed_in_logs_as_themself(
    specialist: User, authorization: AuthorizationRound
) -> None:
    client = APIClient()
    client.force_login(specialist)

    response = client.post(URL, plan_body(authorization), format="json")

    assert response.status_code == 201
    assert MilestoneAchievement.objects.get().recorded_by == specialist


def test_over_the_cap_answers_409_until_the_client_says_it_has_seen_it(
    logging_token: IssuedToken,
    case_manager: User,
    specialist: User,
    member: Member,
) -> None:
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
    post(logging_token.secret, plan_body(authorization, achieved_on="2026-04-02"))
    job = job_for(specialist, member, D(2026, 4, 20))
    first_day = {
        "authorization": str(authorization.public_id),
        "milestone": 2,
        "job": str(job.public_id),
    }

    warned = post(logging_token.secret, first_day)
    seen = post(logging_token.secret, first_day | {"cap_warning_seen": True})

    assert warned.status_code == 409
    error = warned.json()["error"]
    assert error["code"] == "cap_warning"
    assert "$3,692.34" in error["message"]
    assert "April 2026: $3,964.95" in error["message"]
    assert '"cap_warning_seen": true' in error["message"]
    assert seen.status_code == 201
    assert MilestoneAchievement.objects.count() == 2


def test_each_request_is_in_the_tokens_log_refused_ones_included(
    logging_token: IssuedToken, authorization: AuthorizationRound
) -> None:
    post(logging_token.secret, plan_body(authorization), REMOTE_ADDR="192.0.2.7")
    post(logging_token.secret, plan_body(authorization), REMOTE_ADDR="192.0.2.7")

    logged = list(
        ApiRequest.objects.order_by("pk").values_list(
            "token", "method", "path", "status_code", "remote_addr"
        )
    )
    token_pk = logging_token.token.pk
    assert logged == [
        (token_pk, "POST", URL, 201, "192.0.2.7"),
        (token_pk, "POST", URL, 400, "192.0.2.7"),
    ]

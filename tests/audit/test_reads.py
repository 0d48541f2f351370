"""Every kind of read of member records leaves an event in the access log.

Pages, lists and searches, downloads and exports, and the API with a
token: each records who read which members (a list the ids of the page it
showed), through access.policy.record_member_read.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from api.tokens import IssuedToken, api_token_issue
from billing.models import ClaimBatch
from billing.services import claim_batch_create
from flags.sweeps import sweep
from members.models import Member
from milestones.models import EvidenceDocument
from milestones.rules import Window
from providers.models import ProviderSite
from tests.api.read_builders import (
    NOW,
    World,
    line,
    log_achievement,
    member_in_ips,
    member_with_everything,
    record_job,
)
from tests.audit.helpers import last_event, member_ids_of, reads_by
from tests.factories import MemberFactory, ReferralFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db

D = datetime.date
APRIL = D(2026, 4, 1)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Scene:
    world: World
    batch: ClaimBatch
    evidence: EvidenceDocument

    @property
    def member(self) -> Member:
        return self.world.member


@pytest.fixture
def scene(
    case_manager: User, specialist: User, supervisor: User, provider_a: ProviderSite
) -> Scene:
    world = member_with_everything(case_manager, specialist)
    batch = claim_batch_create(
        actor=supervisor, provider=provider_a, month=datetime.date(2026, 4, 1)
    )
    assert batch is not None
    evidence = EvidenceDocument.objects.filter(
        achievement__line__round=world.authorization
    ).first()
    assert evidence is not None
    return Scene(world=world, batch=batch, evidence=evidence)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Pages


def test_the_member_page_records_a_view(scene: Scene, case_manager: User) -> None:
    url = reverse("members:detail", args=[scene.member.public_id])

    assert signed_in(case_manager).get(url).status_code == 200

    assert reads_by(case_manager) == [("member.view", [scene.member.pk])]


def test_the_member_list_records_the_members_on_the_page_shown(
    case_manager: User,
) -> None:
    MemberFactory.create_batch(53, managing_organization=case_manager.organization)
    by_name = list(
        Member.objects.order_by("last_name", "first_name", "pk").values_list(
            "pk", flat=True
        )
    )
    client = signed_in(case_manager)

    client.get(reverse("members:list"))
    client.get(reverse("members:list") + "?page=2")

    assert reads_by(case_manager) == [
        ("member.list", sorted(by_name[:50])),
        ("member.list", sorted(by_name[50:])),
    ]


def test_a_member_search_records_only_the_members_it_found(
    case_manager: User,
) -> None:
    wanted = MemberFactory(
        managing_organization=case_manager.organization, last_name="Quillfeather"
    )
    MemberFactory.create_batch(3, managing_organization=case_manager.organization)
    client = signed_in(case_manager)

    client.post(reverse("members:list"), {"search": "quillfeather"}, follow=True)

    event = last_event(case_manager)
    assert (event.purpose, member_ids_of(event)) == ("member.list", [wanted.pk])
    assert "quillfeather" not in event.path.lower()


def test_possible_duplicates_shown_while_adding_a_member_are_recorded(
    case_manager: User,
) -> None:
    existing = MemberFactory(managing_organization=case_manager.organization)
    data = {
        "first_name": existing.first_name,
        "last_name": existing.last_name,
        "birth_date": existing.birth_date.isoformat(),
        "county": existing.county_id,
        "payer": existing.payer_id,
        "medicaid_id": "7777777C",
        "diagnosis_category": Member.DiagnosisCategory.SMI,
        "benefits_planning": Member.BenefitsPlanning.NOT_YET,
    }

    response = signed_in(case_manager).post(reverse("members:create"), data)

    assert response.status_code == 200
    assert reads_by(case_manager) == [("member.duplicates", [existing.pk])]


def test_a_specialists_home_page_records_the_caseload_it_lists(
    scene: Scene, specialist: User
) -> None:
    assert signed_in(specialist).get(reverse("accounts:home")).status_code == 200

    assert reads_by(specialist) == [("home.view", [scene.member.pk])]


@pytest.mark.parametrize("role", ["case_manager", "supervisor"])
def test_a_home_page_records_the_waiting_referrals_it_lists(
    role: str,
    request: pytest.FixtureRequest,
    case_manager: User,
    provider_a: ProviderSite,
) -> None:
    waiting = ReferralFactory(
        member__managing_organization=case_manager.organization,
        provider=provider_a,
    )
    reader = request.getfixturevalue(role)

    response = signed_in(reader).get(reverse("accounts:home"))

    assert waiting.member.last_name in response.content.decode()
    assert reads_by(reader) == [("home.view", [waiting.member.pk])]


def test_a_home_page_that_lists_no_one_records_nothing(reviewer: User) -> None:
    assert signed_in(reviewer).get(reverse("accounts:home")).status_code == 200

    assert reads_by(reviewer) == []


def test_the_referral_page_records_a_read(scene: Scene, supervisor: User) -> None:
    url = reverse("referrals:detail", args=[scene.world.referral.public_id])

    assert signed_in(supervisor).get(url).status_code == 200

    assert reads_by(supervisor) == [("referral.view", [scene.member.pk])]


def test_the_caseload_page_records_every_member_on_it(
    scene: Scene, supervisor: User
) -> None:
    assert signed_in(supervisor).get(reverse("referrals:caseload")).status_code == 200

    assert reads_by(supervisor) == [("caseload.view", [scene.member.pk])]


def test_the_coaching_log_form_records_a_read(scene: Scene, specialist: User) -> None:
    url = reverse("coaching:log", args=[scene.member.public_id])

    assert signed_in(specialist).get(url).status_code == 200

    assert reads_by(specialist) == [("services.log", [scene.member.pk])]


def test_fitting_windows_to_a_job_records_a_read(
    scene: Scene, case_manager: User
) -> None:
    url = reverse("jobs:fit-windows", args=[scene.world.job.public_id])

    assert signed_in(case_manager).get(url).status_code == 200

    assert reads_by(case_manager) == [("job.fit_windows", [scene.member.pk])]


def test_the_flags_inbox_records_the_members_it_lists(
    scene: Scene, case_manager: User
) -> None:
    sweep(member_ids=[scene.member.pk])

    assert signed_in(case_manager).get(reverse("flags:inbox")).status_code == 200

    assert reads_by(case_manager) == [("flags.inbox", [scene.member.pk])]


# Downloads and exports


def test_an_evidence_download_records_a_read(scene: Scene, specialist: User) -> None:
    url = reverse("milestones:download-evidence", args=[scene.evidence.public_id])

    assert signed_in(specialist).get(url).status_code == 200

    assert reads_by(specialist) == [("evidence.download", [scene.member.pk])]


def test_a_claim_batch_page_and_its_csv_record_their_members(
    scene: Scene, supervisor: User
) -> None:
    client = signed_in(supervisor)

    client.get(reverse("billing:batch", args=[scene.batch.public_id]))
    download = client.get(reverse("billing:download", args=[scene.batch.public_id]))
    b"".join(download.streaming_content)  # type: ignore[attr-defined]

    assert reads_by(supervisor) == [
        ("claims.view", [scene.member.pk]),
        ("claims.export", [scene.member.pk]),
    ]


def test_claim_lines_held_over_the_cap_record_their_members(
    case_manager: User, specialist: User, supervisor: User, provider_a: ProviderSite
) -> None:
    """Milestones 1 and 2 both in April go over the month's cap: held."""
    member = member_in_ips(case_manager, specialist)
    windows = {
        1: Window(D(2026, 2, 1), D(2026, 4, 30)),
        2: Window(D(2026, 4, 1), D(2026, 4, 30)),
        3: Window(D(2026, 5, 1), D(2026, 5, 31)),
        4: Window(D(2026, 7, 1), D(2026, 7, 31)),
    }
    authorization = authorize(
        case_manager, member, windows=windows, cap_warning_seen=True
    )
    log_achievement(specialist, line(authorization, 1), achieved_on=D(2026, 4, 2))
    job = record_job(specialist, member, D(2026, 4, 20))
    log_achievement(specialist, line(authorization, 2), job=job)
    assert (
        claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL) is None
    )

    response = signed_in(supervisor).get(reverse("billing:home") + "?month=2026-04")

    assert response.status_code == 200
    assert reads_by(supervisor) == [("claims.held", [member.pk])]


# The API


@pytest.fixture
def token(administrator: User, case_manager: User) -> IssuedToken:
    assert case_manager.organization is not None
    return api_token_issue(
        actor=administrator,
        organization=case_manager.organization,
        name="Wellpoint nightly sync (test)",
    )


def api_client(token: IssuedToken) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    return client


def test_an_api_list_records_the_token_and_the_members_of_its_page(
    scene: Scene, case_manager: User, token: IssuedToken
) -> None:
    others = MemberFactory.create_batch(
        2, managing_organization=case_manager.organization
    )
    everyone = sorted([scene.member.pk, *(member.pk for member in others)])

    response = api_client(token).get(
        "/api/v1/members/?page_size=2", REMOTE_ADDR="198.51.100.20"
    )

    shown = sorted(
        Member.objects.filter(
            public_id__in=[row["id"] for row in response.json()["results"]]
        ).values_list("pk", flat=True)
    )
    event = last_event(token.token.client)
    assert (event.purpose, event.token, event.path) == (
        "api.member.list",
        token.token,
        "/api/v1/members/",
    )
    assert event.remote_addr == "198.51.100.20"
    assert member_ids_of(event) == shown
    assert len(shown) == 2 and set(shown) < set(everyone)


def test_an_api_detail_records_the_token_and_the_member(
    scene: Scene, token: IssuedToken
) -> None:
    url = f"/api/v1/members/{scene.member.public_id}/"

    assert api_client(token).get(url).status_code == 200

    event = last_event(token.token.client)
    assert (event.purpose, event.token, event.path) == (
        "api.member.detail",
        token.token,
        url,
    )
    assert member_ids_of(event) == [scene.member.pk]


def test_an_api_read_from_a_signed_in_session_has_no_token(
    scene: Scene, case_manager: User
) -> None:
    client = APIClient()
    client.force_login(case_manager)

    client.get(f"/api/v1/jobs/{scene.world.job.public_id}/")

    event = last_event(case_manager)
    assert (event.purpose, event.token) == ("api.job.detail", None)
    assert member_ids_of(event) == [scene.member.pk]

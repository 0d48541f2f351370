"""Adding documents to an achievement, and downloading them."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from members.models import Member
from milestones.models import AuthorizationRound, EvidenceDocument, MilestoneAchievement
from milestones.services import EvidenceUpload, achievement_log, achievement_void
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.pages import errors_next_to_named as errors_next_to
from tests.pages import field_block_named as field_block
from tests.uploads import (
    PDF_BYTES,
    empty_pdf,
    jpeg,
    pdf,
    png,
    png_bytes,
    text_named_pdf,
)

pytestmark = pytest.mark.django_db

D = datetime.date

# Late in 2026, so every date of the Iowa example is in the past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
TEN_MB = 10 * 1024 * 1024
OUTSIDERS = [
    "outsider",
    "outsider_supervisor",
    "outsider_case_manager",
    "administrator",
]
IN_SCOPE = ["specialist", "supervisor", "case_manager", "reviewer"]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


# Files


# Pages


# The member, the round, the achievement


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def authorization(case_manager: User, member: Member) -> AuthorizationRound:
    return authorize(case_manager, member)


@pytest.fixture
def achievement(
    specialist: User, authorization: AuthorizationRound
) -> MilestoneAchievement:
    """Milestone 1 logged with a PDF employment plan named after the member."""
    return achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 3, 20),
        evidence=[
            EvidenceUpload(
                EvidenceDocument.Kind.EMPLOYMENT_PLAN,
                pdf("Employment plan Testmember.pdf"),
            )
        ],
    )


@pytest.fixture
def document(achievement: MilestoneAchievement) -> EvidenceDocument:
    return achievement.documents.get()


def add_url(achievement: MilestoneAchievement) -> str:
    return reverse("milestones:add-evidence", args=[achievement.public_id])


def download_url(document: EvidenceDocument) -> str:
    return reverse("milestones:download-evidence", args=[document.public_id])


def member_url(member: Member) -> str:
    return reverse("members:detail", args=[member.public_id])


# Adding a document


def test_the_add_page_offers_only_this_milestones_kinds(
    client: Client, specialist: User, achievement: MilestoneAchievement
) -> None:
    client.force_login(specialist)

    response = client.get(add_url(achievement))

    block = field_block(response.content.decode(), "kind")
    assert 'value="service_plan"' in block
    assert 'value="employment_plan"' in block
    assert 'value="service_documentation"' not in block


@pytest.mark.parametrize(
    ("upload", "content_type", "extension"),
    [
        (pdf, "application/pdf", "pdf"),
        (png, "image/png", "png"),
        (jpeg, "image/jpeg", "jpg"),
    ],
)
def test_the_service_plan_is_added_as_a_pdf_png_or_jpeg(
    client: Client,
    specialist: User,
    member: Member,
    achievement: MilestoneAchievement,
    upload: Any,
    content_type: str,
    extension: str,
) -> None:
    client.force_login(specialist)

    response = client.post(
        add_url(achievement),
        {"kind": "service_plan", "file": upload("PCSP of Testmember.pdf")},
        follow=True,
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    assert "Document attached." in response.content.decode()
    added = achievement.documents.get(kind=EvidenceDocument.Kind.SERVICE_PLAN)
    assert (added.content_type, added.extension) == (content_type, extension)
    assert added.file.name == f"evidence/{added.public_id}.{extension}"
    assert "Testmember" not in added.file.name
    assert added.uploaded_by == specialist
    assert download_url(added) in response.content.decode()


def test_a_supervisor_may_add_a_document(
    client: Client, supervisor: User, achievement: MilestoneAchievement
) -> None:
    client.force_login(supervisor)

    response = client.post(
        add_url(achievement), {"kind": "service_plan", "file": pdf()}
    )

    assert response.status_code == 302
    assert achievement.documents.count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (text_named_pdf, "Upload a PDF, PNG or JPEG file."),
        (empty_pdf, "The submitted file is empty."),
        (lambda: pdf(size=TEN_MB + 1), "larger than the 10 MB limit"),
        (None, "This field is required."),
    ],
    ids=["text-renamed-pdf", "empty", "over-10-mb", "missing"],
)
def test_a_bad_file_is_refused_next_to_the_file_field_and_nothing_is_saved(
    client: Client,
    specialist: User,
    achievement: MilestoneAchievement,
    upload: Any,
    message: str,
) -> None:
    client.force_login(specialist)
    data: dict[str, Any] = {"kind": "service_plan"}
    if upload is not None:
        data["file"] = upload()

    response = client.post(add_url(achievement), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in errors_next_to(page, "file")
    assert errors_next_to(page, "kind") == ""
    assert "Nothing was saved." in page
    assert EvidenceDocument.objects.count() == 1
    assert MilestoneAchievement.objects.count() == 1


def test_a_kind_of_another_milestone_is_refused_next_to_the_kind(
    client: Client, specialist: User, achievement: MilestoneAchievement
) -> None:
    client.force_login(specialist)

    response = client.post(
        add_url(achievement), {"kind": "service_documentation", "file": pdf()}
    )

    assert "Select a valid choice" in errors_next_to(response.content.decode(), "kind")
    assert EvidenceDocument.objects.count() == 1


def test_a_voided_achievement_takes_no_more_documents(
    client: Client, specialist: User, achievement: MilestoneAchievement
) -> None:
    achievement_void(actor=specialist, achievement=achievement, reason="Duplicate.")
    client.force_login(specialist)

    response = client.post(
        add_url(achievement), {"kind": "service_plan", "file": pdf()}
    )

    assert response.context["form"].non_field_errors() == [
        "Documents cannot be added to a voided achievement."
    ]
    assert EvidenceDocument.objects.count() == 1


@pytest.mark.parametrize("person", OUTSIDERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_cannot_find_the_add_page(
    client: Client,
    request: pytest.FixtureRequest,
    achievement: MilestoneAchievement,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(
        add_url(achievement), {"kind": "service_plan", "file": pdf()}
    )

    assert response.status_code == 404
    assert EvidenceDocument.objects.count() == 1


@pytest.mark.parametrize("person", ["case_manager", "reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_roles_that_do_not_log_services_are_forbidden_the_add_page(
    client: Client,
    request: pytest.FixtureRequest,
    achievement: MilestoneAchievement,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(
        add_url(achievement), {"kind": "service_plan", "file": pdf()}
    )

    assert response.status_code == 403
    assert EvidenceDocument.objects.count() == 1


def test_a_former_provider_cannot_add_documents_to_another_providers_achievement(
    client: Client,
    specialist: User,
    outsider: User,
    case_manager: User,
    provider_a: ProviderSite,
    provider_b: ProviderSite,
) -> None:
    moved = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(
        member=moved,
        provider=provider_a,
        specialist=specialist,
        closed_on=D(2026, 3, 31),
    )
    EpisodeFactory(
        member=moved, provider=provider_b, specialist=outsider, opened_on=D(2026, 4, 1)
    )
    authorization = authorize(case_manager, moved, authorized_on=D(2026, 4, 2))
    theirs = achievement_log(
        actor=outsider,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 4, 20),
        evidence=[EvidenceUpload(EvidenceDocument.Kind.EMPLOYMENT_PLAN, pdf())],
    )
    client.force_login(specialist)

    response = client.post(add_url(theirs), {"kind": "service_plan", "file": pdf()})

    assert response.status_code in (403, 404)
    assert theirs.documents.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in_from_the_add_page(
    client: Client, achievement: MilestoneAchievement
) -> None:
    response = client.get(add_url(achievement))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# Downloading


@pytest.mark.parametrize("person", IN_SCOPE)
def test_people_in_scope_download_the_file_as_an_attachment(
    client: Client,
    request: pytest.FixtureRequest,
    document: EvidenceDocument,
    person: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = client.get(download_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # What the file is, never what it was called: scans are named after
    # members, and the name lands in download folders.
    assert response["Content-Disposition"] == (
        f'attachment; filename="{document.kind.replace("_", "-")}-'
        f'{str(document.public_id)[:8]}.pdf"'
    )
    assert "Testmember" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_the_download_is_typed_by_what_the_file_is_not_what_it_was_called(
    client: Client, specialist: User, achievement: MilestoneAchievement
) -> None:
    client.force_login(specialist)
    client.post(add_url(achievement), {"kind": "service_plan", "file": png("scan.pdf")})
    added = achievement.documents.get(kind=EvidenceDocument.Kind.SERVICE_PLAN)

    response = client.get(download_url(added))

    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.png"')
    assert b"".join(response.streaming_content) == png_bytes()


def test_a_voided_achievements_document_can_still_be_downloaded(
    client: Client,
    specialist: User,
    achievement: MilestoneAchievement,
    document: EvidenceDocument,
) -> None:
    achievement_void(actor=specialist, achievement=achievement, reason="Duplicate.")
    client.force_login(specialist)

    assert client.get(download_url(document)).status_code == 200


@pytest.mark.parametrize("person", OUTSIDERS)
def test_outsiders_and_the_administrator_cannot_find_the_file(
    client: Client,
    request: pytest.FixtureRequest,
    document: EvidenceDocument,
    person: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = client.get(download_url(document))

    assert response.status_code == 404
    assert PDF_BYTES not in response.content


def test_a_specialist_outside_the_caseload_cannot_find_the_file(
    client: Client, provider_a: ProviderSite, document: EvidenceDocument
) -> None:
    provider_a.specialists_see_own_caseload_only = True
    provider_a.save()
    colleague = User.objects.create_user(
        username="colleague",
        password="a-test-password-1",
        organization=provider_a.organization,
        role=User.Role.IPS_SPECIALIST,
    )
    client.force_login(colleague)

    assert client.get(download_url(document)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_for_a_download(
    client: Client, document: EvidenceDocument
) -> None:
    response = client.get(download_url(document))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))

"""Logging, voiding and re-windowing milestones through their pages."""

import datetime
import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    EvidenceDocument,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.rules import Window
from milestones.services import EvidenceUpload, achievement_log
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import IOWA_EXAMPLE, authorize
from tests.pages import errors_next_to_named as errors_next_to
from tests.pages import field_block_named as field_block
from tests.uploads import empty_pdf, jpeg, pdf, png, text_named_pdf

pytestmark = pytest.mark.django_db

D = datetime.date

# Late in 2026, so every date of the Iowa example is in the past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
TEN_MB = 10 * 1024 * 1024
APRIL_15 = D(2026, 4, 15)
OUTSIDERS = [
    "outsider",
    "outsider_supervisor",
    "outsider_case_manager",
    "administrator",
]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


# Files


# Pages


def page_text(content: bytes) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", content.decode())
    return " ".join(html.unescape(text).split())


# The member, the round, the job


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def authorization(case_manager: User, member: Member) -> AuthorizationRound:
    """The Iowa example: Feb 1–Mar 31, April, May and July 2026."""
    return authorize(case_manager, member)


def job_for(actor: User, member: Member, first_day_on: datetime.date = APRIL_15) -> Job:
    return job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=first_day_on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


@pytest.fixture
def job(specialist: User, member: Member) -> Job:
    return job_for(specialist, member)


@pytest.fixture
def achievement(
    specialist: User, authorization: AuthorizationRound
) -> MilestoneAchievement:
    """Milestone 1, logged on March 20, 2026 with the employment plan."""
    return achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 3, 20),
        evidence=[EvidenceUpload(EvidenceDocument.Kind.EMPLOYMENT_PLAN, pdf())],
    )


def achieve_url(authorization: AuthorizationRound, number: int) -> str:
    return reverse("milestones:achieve", args=[authorization.public_id, number])


def window_url(authorization: AuthorizationRound, number: int) -> str:
    return reverse("milestones:change-window", args=[authorization.public_id, number])


def void_url(achievement: MilestoneAchievement) -> str:
    return reverse("milestones:void-achievement", args=[achievement.public_id])


def member_url(member: Member) -> str:
    return reverse("members:detail", args=[member.public_id])


def nothing_saved() -> bool:
    return (
        not MilestoneAchievement.objects.exists()
        and not EvidenceDocument.objects.exists()
    )


# Logging a milestone


def test_milestone_1_page_asks_for_the_date_and_the_employment_plan(
    client: Client, specialist: User, authorization: AuthorizationRound
) -> None:
    client.force_login(specialist)

    response = client.get(achieve_url(authorization, 1))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="date"' in field_block(page, "achieved_on")
    assert "(optional)" not in field_block(page, "evidence_employment_plan")
    assert "(optional)" in field_block(page, "evidence_service_plan")
    assert 'name="job"' not in page
    assert "T2018 U3" in page_text(response.content)


def test_milestone_2_page_offers_the_members_only_job_already_chosen(
    client: Client, specialist: User, authorization: AuthorizationRound, job: Job
) -> None:
    client.force_login(specialist)

    response = client.get(achieve_url(authorization, 2))

    block = field_block(response.content.decode(), "job")
    assert "Stock clerk at Cedar Prairie Grocers, first day 04/15/2026" in block
    assert re.search(rf'<option value="{job.pk}" selected>', block)
    assert 'name="achieved_on"' not in response.content.decode()


def test_specialist_logs_milestone_1_and_the_member_page_shows_it_with_its_file(
    client: Client, specialist: User, member: Member, authorization: AuthorizationRound
) -> None:
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-03-20", "evidence_employment_plan": pdf()},
        follow=True,
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    shown = page_text(response.content)
    assert "Milestone 1 logged as achieved on 03/20/2026." in shown
    assert "Achieved 03/20/2026" in shown
    document = EvidenceDocument.objects.get()
    assert document.achievement.recorded_by == specialist
    download = reverse("milestones:download-evidence", args=[document.public_id])
    assert f'href="{download}"' in response.content.decode()


@pytest.mark.parametrize(
    ("number", "achieved_on"), [(2, "04/15/2026"), (3, "05/29/2026"), (4, "07/13/2026")]
)
def test_supervisor_logs_milestones_2_to_4_from_the_job(
    client: Client,
    supervisor: User,
    authorization: AuthorizationRound,
    job: Job,
    number: int,
    achieved_on: str,
) -> None:
    client.force_login(supervisor)

    response = client.post(
        achieve_url(authorization, number),
        {"job": str(job.pk), "evidence_service_documentation": pdf("notes.pdf")},
        follow=True,
    )

    assert f"Milestone {number} logged as achieved on {achieved_on}." in page_text(
        response.content
    )
    achievement = MilestoneAchievement.objects.get()
    assert (achievement.job, achievement.is_billable) == (job, True)


def test_an_achievement_outside_its_window_is_logged_with_a_warning(
    client: Client,
    specialist: User,
    member: Member,
    authorization: AuthorizationRound,
) -> None:
    late_april = job_for(specialist, member, D(2026, 4, 28))
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 3),
        {"job": str(late_april.pk), "evidence_service_documentation": pdf()},
        follow=True,
    )

    shown = page_text(response.content)
    assert (
        "Milestone 3 logged as achieved on 06/11/2026. It is outside the "
        "authorized window: not billable until the window changes."
    ) in shown
    assert "Achieved 06/11/2026: outside window, not billable" in shown
    assert "Achieved outside the window: not billable" in shown
    assert not MilestoneAchievement.objects.get().is_billable


def test_a_date_still_to_come_is_refused_next_to_the_date_and_kept(
    client: Client, specialist: User, authorization: AuthorizationRound
) -> None:
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-12-02", "evidence_employment_plan": pdf()},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "12/02/2026 is still to come" in errors_next_to(page, "achieved_on")
    assert 'value="2026-12-02"' in field_block(page, "achieved_on")
    assert "Nothing was saved." in page
    assert nothing_saved()


def test_a_job_that_ended_before_day_45_is_refused_next_to_the_job(
    client: Client,
    specialist: User,
    authorization: AuthorizationRound,
    job: Job,
) -> None:
    job.ended_on = D(2026, 5, 28)
    job.save()
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 3),
        {"job": str(job.pk), "evidence_service_documentation": pdf()},
    )

    errors = errors_next_to(response.content.decode(), "job")
    assert "This job ended on 05/28/2026, before its day 45 (05/29/2026)." in errors
    assert nothing_saved()


def test_a_job_of_another_member_is_not_a_choice(
    client: Client,
    specialist: User,
    case_manager: User,
    provider_a: ProviderSite,
    authorization: AuthorizationRound,
) -> None:
    other = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=other, provider=provider_a, specialist=specialist)
    their_job = job_for(specialist, other)
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 2),
        {"job": str(their_job.pk), "evidence_service_documentation": pdf()},
    )

    assert "Select a valid choice" in errors_next_to(response.content.decode(), "job")
    assert nothing_saved()


def test_a_second_entry_of_the_same_milestone_is_refused_above_the_form(
    client: Client,
    specialist: User,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
) -> None:
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-03-25", "evidence_employment_plan": pdf()},
    )

    assert "already been achieved" in response.context["form"].non_field_errors()[0]
    assert "already been achieved" in page_text(response.content)
    assert MilestoneAchievement.objects.get() == achievement
    assert EvidenceDocument.objects.count() == 1


def test_a_voided_round_refuses_achievements_above_the_form(
    client: Client,
    specialist: User,
    case_manager: User,
    authorization: AuthorizationRound,
) -> None:
    AuthorizationRound.objects.filter(pk=authorization.pk).update(
        voided_at=NOW, voided_by=case_manager, void_reason="Entered twice."
    )
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-03-20", "evidence_employment_plan": pdf()},
    )

    assert response.context["form"].non_field_errors() == [
        "This authorization is no longer open for achievements."
    ]
    assert nothing_saved()


def test_a_milestone_not_in_the_round_is_not_found(
    client: Client, specialist: User, member: Member, authorization: AuthorizationRound
) -> None:
    client.force_login(specialist)

    assert client.get(achieve_url(authorization, 5)).status_code == 404


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
def test_a_bad_or_missing_file_is_refused_next_to_its_field(
    client: Client,
    specialist: User,
    authorization: AuthorizationRound,
    upload: Any,
    message: str,
) -> None:
    client.force_login(specialist)
    data: dict[str, Any] = {"achieved_on": "2026-03-20"}
    if upload is not None:
        data["evidence_employment_plan"] = upload()

    response = client.post(achieve_url(authorization, 1), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in errors_next_to(page, "evidence_employment_plan")
    assert errors_next_to(page, "evidence_service_plan") == ""
    assert 'value="2026-03-20"' in field_block(page, "achieved_on")
    assert nothing_saved()


def test_a_bad_service_plan_beside_good_documentation_saves_nothing(
    client: Client, specialist: User, authorization: AuthorizationRound, job: Job
) -> None:
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 2),
        {
            "job": str(job.pk),
            "evidence_service_documentation": pdf("notes.pdf"),
            "evidence_service_plan": text_named_pdf(),
        },
    )

    page = response.content.decode()
    assert "Upload a PDF, PNG or JPEG file." in errors_next_to(
        page, "evidence_service_plan"
    )
    assert errors_next_to(page, "evidence_service_documentation") == ""
    assert nothing_saved()


@pytest.mark.parametrize(
    ("upload", "content_type"), [(png, "image/png"), (jpeg, "image/jpeg")]
)
def test_a_png_or_jpeg_is_accepted_as_evidence(
    client: Client,
    specialist: User,
    authorization: AuthorizationRound,
    upload: Any,
    content_type: str,
) -> None:
    client.force_login(specialist)

    response = client.post(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-03-20", "evidence_employment_plan": upload("plan.pdf")},
    )

    assert response.status_code == 302
    document = EvidenceDocument.objects.get()
    assert document.content_type == content_type
    assert "plan" not in document.file.name
    assert document.file.name.startswith(f"evidence/{document.public_id}.")


# Voiding


def test_voiding_needs_a_reason_next_to_its_field(
    client: Client, specialist: User, achievement: MilestoneAchievement
) -> None:
    client.force_login(specialist)

    response = client.post(void_url(achievement), {"reason": "   "})

    assert "This field is required." in errors_next_to(
        response.content.decode(), "reason"
    )
    achievement.refresh_from_db()
    assert not achievement.is_voided


def test_a_voided_entry_stays_on_the_member_page_and_the_milestone_opens_again(
    client: Client,
    specialist: User,
    member: Member,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
) -> None:
    client.force_login(specialist)

    response = client.post(
        void_url(achievement),
        {"reason": "Wrong date: signed in February."},
        follow=True,
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    shown = page_text(response.content)
    assert "Achievement voided. It stays on the record." in shown
    assert (
        f"Achieved 03/20/2026 voided by {specialist.get_full_name()}: "
        "Wrong date: signed in February."
    ) in shown
    assert achieve_url(authorization, 1) in response.content.decode()
    kept = MilestoneAchievement.objects.get()
    assert (kept.voided_at, kept.voided_by) == (NOW, specialist)

    again = client.post(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-02-27", "evidence_employment_plan": pdf()},
    )

    assert again.status_code == 302
    assert MilestoneAchievement.objects.count() == 2


# Changing a window


def test_case_manager_changes_a_window_with_a_reason_and_the_late_entry_bills(
    client: Client,
    specialist: User,
    case_manager: User,
    member: Member,
    authorization: AuthorizationRound,
) -> None:
    late_april = job_for(specialist, member, D(2026, 4, 28))
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=3),
        job=late_april,
        evidence=[EvidenceUpload(EvidenceDocument.Kind.SERVICE_DOCUMENTATION, pdf())],
    )
    client.force_login(case_manager)

    response = client.post(
        window_url(authorization, 3),
        {
            "window_begins_on": "2026-06-01",
            "window_ends_on": "2026-06-30",
            "reason": "Day 45 falls in June.",
        },
        follow=True,
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    assert "Milestone 3's window changed." in page_text(response.content)
    line = authorization.lines.get(milestone=3)
    assert line.window == Window(D(2026, 6, 1), D(2026, 6, 30))
    latest = line.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        case_manager,
        "Day 45 falls in June.",
    )
    assert MilestoneAchievement.objects.get().is_billable
    assert "Achieved inside the window" in page_text(response.content)


def test_the_window_page_starts_from_the_current_window(
    client: Client, case_manager: User, authorization: AuthorizationRound
) -> None:
    client.force_login(case_manager)

    page = client.get(window_url(authorization, 3)).content.decode()

    assert 'value="2026-05-01"' in field_block(page, "window_begins_on")
    assert 'value="2026-05-31"' in field_block(page, "window_ends_on")


def test_a_window_change_without_a_reason_is_refused_next_to_the_reason(
    client: Client, case_manager: User, authorization: AuthorizationRound
) -> None:
    client.force_login(case_manager)

    response = client.post(
        window_url(authorization, 3),
        {"window_begins_on": "2026-06-01", "window_ends_on": "2026-06-30"},
    )

    page = response.content.decode()
    assert "This field is required." in errors_next_to(page, "reason")
    assert 'value="2026-06-01"' in field_block(page, "window_begins_on")
    assert authorization.lines.get(milestone=3).window == IOWA_EXAMPLE[3]


def test_a_window_that_ends_before_it_begins_is_refused_next_to_the_end(
    client: Client, case_manager: User, authorization: AuthorizationRound
) -> None:
    client.force_login(case_manager)

    response = client.post(
        window_url(authorization, 3),
        {
            "window_begins_on": "2026-06-30",
            "window_ends_on": "2026-06-01",
            "reason": "Typo test.",
        },
    )

    assert "The window ends before it begins." in errors_next_to(
        response.content.decode(), "window_ends_on"
    )
    assert authorization.lines.get(milestone=3).window == IOWA_EXAMPLE[3]


def test_a_window_out_of_milestone_order_is_refused_above_the_form(
    client: Client, case_manager: User, authorization: AuthorizationRound
) -> None:
    client.force_login(case_manager)

    response = client.post(
        window_url(authorization, 3),
        {
            "window_begins_on": "2026-03-01",
            "window_ends_on": "2026-03-31",
            "reason": "Earlier.",
        },
    )

    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Milestone 3's window must not begin or end before")
    assert authorization.lines.get(milestone=3).window == IOWA_EXAMPLE[3]


def test_a_window_change_over_the_cap_asks_first_then_goes_through(
    client: Client, case_manager: User, authorization: AuthorizationRound
) -> None:
    client.force_login(case_manager)
    data = {
        "window_begins_on": "2026-04-01",
        "window_ends_on": "2026-04-30",
        "reason": "Could reach day 45 in April.",
    }

    warning = client.post(window_url(authorization, 3), data)

    assert "April 2026: $4,789.06" in page_text(warning.content)
    assert 'name="cap_warning_seen"' in warning.content.decode()
    assert authorization.lines.get(milestone=3).window == IOWA_EXAMPLE[3]

    confirmed = client.post(
        window_url(authorization, 3), {**data, "cap_warning_seen": "on"}
    )

    assert confirmed.status_code == 302
    assert authorization.lines.get(milestone=3).window.begins_on == D(2026, 4, 1)


# Who may open these pages


@pytest.mark.parametrize("person", OUTSIDERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_cannot_find_the_achieve_page(
    client: Client,
    request: pytest.FixtureRequest,
    authorization: AuthorizationRound,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-03-20", "evidence_employment_plan": pdf()},
    )

    assert response.status_code == 404
    assert nothing_saved()


@pytest.mark.parametrize("person", ["case_manager", "reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_roles_that_do_not_log_services_are_forbidden_the_achieve_page(
    client: Client,
    request: pytest.FixtureRequest,
    authorization: AuthorizationRound,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(
        achieve_url(authorization, 1),
        {"achieved_on": "2026-03-20", "evidence_employment_plan": pdf()},
    )

    assert response.status_code == 403
    assert nothing_saved()


@pytest.mark.parametrize("person", OUTSIDERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_cannot_find_the_window_page(
    client: Client,
    request: pytest.FixtureRequest,
    authorization: AuthorizationRound,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(
        window_url(authorization, 3),
        {
            "window_begins_on": "2026-06-01",
            "window_ends_on": "2026-06-30",
            "reason": "Day 45 falls in June.",
        },
    )

    assert response.status_code == 404
    assert MilestoneAuthorization.objects.get(milestone=3).window == IOWA_EXAMPLE[3]


@pytest.mark.parametrize("person", ["specialist", "supervisor", "reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_roles_that_do_not_authorize_are_forbidden_the_window_page(
    client: Client,
    request: pytest.FixtureRequest,
    authorization: AuthorizationRound,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(
        window_url(authorization, 3),
        {
            "window_begins_on": "2026-06-01",
            "window_ends_on": "2026-06-30",
            "reason": "Day 45 falls in June.",
        },
    )

    assert response.status_code == 403
    assert MilestoneAuthorization.objects.get(milestone=3).window == IOWA_EXAMPLE[3]


@pytest.mark.parametrize("person", OUTSIDERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_cannot_find_the_void_page(
    client: Client,
    request: pytest.FixtureRequest,
    achievement: MilestoneAchievement,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(void_url(achievement), {"reason": "Mine now."})

    assert response.status_code == 404
    achievement.refresh_from_db()
    assert not achievement.is_voided


@pytest.mark.parametrize("person", ["case_manager", "reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_roles_that_do_not_log_services_are_forbidden_the_void_page(
    client: Client,
    request: pytest.FixtureRequest,
    achievement: MilestoneAchievement,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(void_url(achievement), {"reason": "Not mine."})

    assert response.status_code == 403
    achievement.refresh_from_db()
    assert not achievement.is_voided


@pytest.mark.parametrize(
    "url_of",
    [
        lambda authorization, achievement: achieve_url(authorization, 2),
        lambda authorization, achievement: window_url(authorization, 2),
        lambda authorization, achievement: void_url(achievement),
    ],
    ids=["achieve", "change-window", "void"],
)
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
    url_of: Any,
) -> None:
    response = client.get(url_of(authorization, achievement))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.fixture
def moved_round(
    specialist: User,
    outsider: User,
    case_manager: User,
    provider_a: ProviderSite,
    provider_b: ProviderSite,
) -> AuthorizationRound:
    """A member who left provider A for provider B, authorized for B's episode."""
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
    return authorize(case_manager, moved, authorized_on=D(2026, 4, 2))


def test_a_former_provider_cannot_log_a_milestone_on_another_providers_round(
    client: Client, specialist: User, moved_round: AuthorizationRound
) -> None:
    client.force_login(specialist)

    response = client.post(
        achieve_url(moved_round, 1),
        {"achieved_on": "2026-04-20", "evidence_employment_plan": pdf()},
    )

    assert response.status_code in (403, 404)
    assert nothing_saved()


def test_a_former_provider_cannot_void_another_providers_achievement(
    client: Client, specialist: User, outsider: User, moved_round: AuthorizationRound
) -> None:
    theirs = achievement_log(
        actor=outsider,
        line=moved_round.lines.get(milestone=1),
        achieved_on=D(2026, 4, 20),
        evidence=[EvidenceUpload(EvidenceDocument.Kind.EMPLOYMENT_PLAN, pdf())],
    )
    client.force_login(specialist)

    response = client.post(void_url(theirs), {"reason": "Not ours, but we can."})

    assert response.status_code in (403, 404)
    theirs.refresh_from_db()
    assert not theirs.is_voided


def test_reviewer_reads_the_member_page_without_any_write_links(
    client: Client,
    reviewer: User,
    member: Member,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
) -> None:
    client.force_login(reviewer)

    response = client.get(member_url(member))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Achieved 03/20/2026" in page_text(response.content)
    assert achieve_url(authorization, 2) not in page
    assert window_url(authorization, 2) not in page
    assert void_url(achievement) not in page
    assert reverse("jobs:create", args=[member.public_id]) not in page


def test_specialist_sees_log_and_void_links_but_no_window_links(
    client: Client,
    specialist: User,
    member: Member,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
) -> None:
    client.force_login(specialist)

    page = client.get(member_url(member)).content.decode()

    assert achieve_url(authorization, 2) in page
    assert void_url(achievement) in page
    assert window_url(authorization, 2) not in page


def test_case_manager_sees_window_links_but_no_log_or_void_links(
    client: Client,
    case_manager: User,
    member: Member,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
) -> None:
    client.force_login(case_manager)

    page = client.get(member_url(member)).content.decode()

    assert window_url(authorization, 2) in page
    assert achieve_url(authorization, 2) not in page
    assert void_url(achievement) not in page

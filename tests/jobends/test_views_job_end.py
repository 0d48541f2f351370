"""Recording a job end, its page, the job-end form, perspectives and consent."""

import datetime
import html
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from jobends.models import EmployerContactConsent, JobEnd, JobEndPerspective
from jobends.services import employer_consent_record, job_end_record
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import EvidenceDocument
from milestones.services import EvidenceUpload, achievement_log
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.pages import errors_next_to, field_block

pytestmark = pytest.mark.django_db

D = datetime.date

# Noon in Iowa on December 1, 2026: every date of the spring job is past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
APRIL_15 = D(2026, 4, 15)

OUTSIDERS = ["outsider", "outsider_supervisor", "outsider_case_manager"]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def job_for(actor: User, member: Member, title: str = "Stock clerk") -> Job:
    return job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title=title,
        first_day_on=APRIL_15,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


@pytest.fixture
def job(specialist: User, member: Member) -> Job:
    return job_for(specialist, member)


@pytest.fixture
def job_end(specialist: User, job: Job) -> JobEnd:
    return job_end_record(
        actor=specialist,
        job=job,
        ended_on=D(2026, 5, 10),
        how_ended=JobEnd.HowEnded.QUIT,
    )


def record_url(job: Job) -> str:
    return reverse("jobends:record", args=[job.public_id])


def detail_url(job_end: JobEnd) -> str:
    return reverse("jobends:detail", args=[job_end.public_id])


def form_url(job_end: JobEnd) -> str:
    return reverse("jobends:form", args=[job_end.public_id])


def perspective_url(job_end: JobEnd) -> str:
    return reverse("jobends:add-perspective", args=[job_end.public_id])


def next_step_url(job_end: JobEnd) -> str:
    return reverse("jobends:next-step", args=[job_end.public_id])


def consent_url(member: Member) -> str:
    return reverse("jobends:consent", args=[member.public_id])


def member_url(member: Member) -> str:
    return reverse("members:detail", args=[member.public_id])


def page_text(content: bytes) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", content.decode())
    return " ".join(html.unescape(text).split())


# Recording a job end


def test_the_specialist_records_a_job_end_and_lands_on_its_page(
    client: Client, specialist: User, member: Member, job: Job
) -> None:
    client.force_login(specialist)

    response = client.post(
        record_url(job),
        {"ended_on": "2026-05-10", "how_ended": "laid_off"},
        follow=True,
    )

    job_end = JobEnd.objects.get()
    job.refresh_from_db()
    assert job.ended_on == D(2026, 5, 10)
    assert (job_end.job, job_end.recorded_by) == (job, specialist)
    assert response.redirect_chain == [(detail_url(job_end), 302)]
    shown = page_text(response.content)
    assert "Job end recorded. Help toward another job is always offered" in shown
    assert "worked there from 04/15/2026 to 05/10/2026" in shown
    assert "The member was laid off" in shown


def test_the_record_form_starts_at_todays_iowa_date(
    client: Client, specialist: User, job: Job
) -> None:
    client.force_login(specialist)

    response = client.get(record_url(job))

    assert 'value="2026-12-01"' in field_block(response.content.decode(), "id_ended_on")


def test_an_end_before_the_first_day_shows_next_to_the_date_and_keeps_the_typing(
    client: Client, specialist: User, job: Job
) -> None:
    client.force_login(specialist)

    response = client.post(
        record_url(job),
        {
            "ended_on": "2026-04-14",
            "how_ended": "other",
            "how_ended_other": "The store closed for a remodel",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(page, "id_ended_on") == (
        "The last day worked cannot be before the job's first day (04/15/2026)."
    )
    assert 'value="2026-04-14"' in field_block(page, "id_ended_on")
    assert 'value="The store closed for a remodel"' in page
    assert 'value="other" selected' in field_block(page, "id_how_ended")
    assert "Nothing was saved." in page
    job.refresh_from_db()
    assert job.ended_on is None
    assert not JobEnd.objects.exists()


def test_an_end_tomorrow_shows_next_to_the_date(
    client: Client, specialist: User, job: Job
) -> None:
    client.force_login(specialist)

    response = client.post(
        record_url(job), {"ended_on": "2026-12-02", "how_ended": "quit"}
    )

    assert errors_next_to(response.content.decode(), "id_ended_on") == (
        "The last day worked cannot be in the future."
    )
    assert not JobEnd.objects.exists()


def test_other_without_words_shows_next_to_the_words(
    client: Client, specialist: User, job: Job
) -> None:
    client.force_login(specialist)

    response = client.post(
        record_url(job), {"ended_on": "2026-05-10", "how_ended": "other"}
    )

    page = response.content.decode()
    assert errors_next_to(page, "id_how_ended_other") == (
        "Say in a few words how it ended."
    )
    assert 'value="2026-05-10"' in page
    assert not JobEnd.objects.exists()


def test_a_second_job_end_for_the_same_job_is_refused_on_the_page(
    client: Client, case_manager: User, job: Job, job_end: JobEnd
) -> None:
    client.force_login(case_manager)

    response = client.post(
        record_url(job), {"ended_on": "2026-06-01", "how_ended": "let_go"}
    )

    assert response.status_code == 200
    assert "This job's end is already recorded." in page_text(response.content)
    assert JobEnd.objects.get() == job_end
    job.refresh_from_db()
    assert job.ended_on == D(2026, 5, 10)


# The job on the member page after its end


def log_milestone_2(actor: User, authorization: Any, job: Job) -> None:
    pdf = SimpleUploadedFile(
        "notes.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
    )
    achievement_log(
        actor=actor,
        line=authorization.lines.get(milestone=2),
        job=job,
        evidence=[EvidenceUpload(EvidenceDocument.Kind.SERVICE_DOCUMENTATION, pdf)],
    )


def test_after_an_end_before_day_45_the_job_panel_says_so_and_keeps_milestone_2(
    client: Client, specialist: User, case_manager: User, member: Member, job: Job
) -> None:
    authorization = authorize(case_manager, member)
    log_milestone_2(specialist, authorization, job)
    client.force_login(specialist)
    client.post(record_url(job), {"ended_on": "2026-05-10", "how_ended": "quit"})

    shown = page_text(client.get(member_url(member)).content)

    assert "First day 04/15/2026 · last day worked 05/10/2026" in shown
    assert (
        "2 – first day 04/15/2026 04/01/2026 – 04/30/2026 Achieved inside the window"
    ) in shown
    assert (
        "3 – day 45 05/29/2026 05/01/2026 – 05/31/2026 The job ended before this day"
    ) in shown
    assert (
        "4 – day 90 07/13/2026 07/01/2026 – 07/31/2026 The job ended before this day"
    ) in shown
    assert "Job end 05/10/2026: the member quit" in shown
    assert "job-end form to complete" in shown


@pytest.mark.parametrize(
    ("ended_on", "day_45_check"),
    [
        ("2026-05-28", "The job ended before this day"),
        ("2026-05-29", "Inside the window"),
    ],
)
def test_a_job_ending_on_its_day_45_still_reaches_day_45(
    client: Client,
    specialist: User,
    case_manager: User,
    member: Member,
    job: Job,
    ended_on: str,
    day_45_check: str,
) -> None:
    authorize(case_manager, member)
    client.force_login(specialist)
    client.post(record_url(job), {"ended_on": ended_on, "how_ended": "let_go"})

    shown = page_text(client.get(member_url(member)).content)

    assert f"3 – day 45 05/29/2026 05/01/2026 – 05/31/2026 {day_45_check}" in shown
    assert (
        "4 – day 90 07/13/2026 07/01/2026 – 07/31/2026 The job ended before this day"
    ) in shown


def test_the_member_page_offers_to_record_the_end_only_while_the_job_is_current(
    client: Client, specialist: User, member: Member, job: Job
) -> None:
    client.force_login(specialist)
    assert record_url(job) in client.get(member_url(member)).content.decode()

    client.post(record_url(job), {"ended_on": "2026-05-10", "how_ended": "quit"})

    page = client.get(member_url(member)).content.decode()
    assert record_url(job) not in page
    assert detail_url(JobEnd.objects.get()) in page


# The job-end form


def form_post(**changes: str) -> dict[str, str]:
    data = {
        "differed_from_expectations": "yes",
        "differed_notes": "More lifting than the posting said.",
        "duties_changed": "no",
        "duties_notes": "",
        "job_support_needs": "A check-in during the first week of each schedule.",
        "disclosure": "partly",
        "disclosure_notes": "Tells supervisors, not coworkers.",
        "job_preferences": "Daytime hours; no heavy lifting.",
    }
    data.update(changes)
    return {f"form-{name}": value for name, value in data.items()}


def test_the_job_end_form_is_saved_with_who_completed_it_and_when(
    client: Client, case_manager: User, job_end: JobEnd
) -> None:
    client.force_login(case_manager)

    response = client.post(form_url(job_end), form_post(), follow=True)

    assert response.redirect_chain == [(detail_url(job_end), 302)]
    job_end.refresh_from_db()
    assert job_end.differed_from_expectations == JobEnd.Answer.YES
    assert job_end.differed_notes == "More lifting than the posting said."
    assert job_end.duties_changed == JobEnd.Answer.NO
    assert (job_end.form_completed_by, job_end.form_completed_at) == (
        case_manager,
        NOW,
    )
    shown = page_text(response.content)
    assert "Job-end form saved." in shown
    assert f"Completed by {case_manager.get_full_name()} on 12/01/2026." in shown
    assert "Not completed yet." not in shown


def test_the_job_end_form_updates_the_member_with_history_naming_the_actor(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    client.post(form_url(job_end), form_post())

    member.refresh_from_db()
    assert member.job_support_needs == (
        "A check-in during the first week of each schedule."
    )
    assert member.disclosure == Member.Disclosure.PARTLY
    assert member.disclosure_notes == "Tells supervisors, not coworkers."
    assert member.job_preferences == "Daytime hours; no heavy lifting."
    row = member.history.latest()
    assert row.history_user == specialist
    assert row.history_change_reason == "Updated from a job-end form"
    shown = page_text(client.get(member_url(member)).content)
    assert "Job preferences Daytime hours; no heavy lifting." in shown
    assert "Disclosure decision Tells some employers, or only some things" in shown


def test_the_job_end_form_opens_with_what_the_member_record_holds(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    member.job_preferences = "Outdoor work."
    member.save()
    client.force_login(specialist)

    page = client.get(detail_url(job_end)).content.decode()

    assert "Outdoor work." in field_block(page, "id_form-job_preferences")
    assert "Not completed yet." in page_text(page.encode())


def test_a_bad_job_end_form_keeps_the_typing_and_saves_nothing(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(
        form_url(job_end),
        form_post(disclosure="tells-everyone", differed_notes="Typed with care."),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice." in errors_next_to(page, "id_form-disclosure")
    assert "Typed with care." in field_block(page, "id_form-differed_notes")
    assert "Daytime hours; no heavy lifting." in field_block(
        page, "id_form-job_preferences"
    )
    job_end.refresh_from_db()
    member.refresh_from_db()
    assert not job_end.is_form_complete
    assert job_end.differed_notes == ""
    assert (member.disclosure, member.job_preferences) == ("undecided", "")


# Perspectives on the ending


def perspectives_shown(content: bytes) -> list[str]:
    articles = re.findall(
        r'<article class="card perspective">(.*?)</article>', content.decode(), re.S
    )
    return [page_text(article.encode()) for article in articles]


@pytest.mark.parametrize("source", JobEndPerspective.Source.choices)
@pytest.mark.parametrize("person", ["case_manager", "specialist"])
def test_each_perspective_is_added_and_shown_with_who_wrote_it_and_when(
    request: pytest.FixtureRequest,
    client: Client,
    case_manager: User,
    member: Member,
    job_end: JobEnd,
    source: tuple[str, str],
    person: str,
) -> None:
    value, label = source
    employer_consent_record(actor=case_manager, member=member, given_on=D(2026, 5, 1))
    actor = request.getfixturevalue(person)
    client.force_login(actor)

    response = client.post(
        perspective_url(job_end),
        {"view-source": value, "view-text": "Nights did not suit."},
        follow=True,
    )

    assert response.redirect_chain == [(detail_url(job_end), 302)]
    assert "Perspective added." in page_text(response.content)
    assert perspectives_shown(response.content) == [
        f"{label} Nights did not suit. Written by {actor.get_full_name()} on 12/01/2026"
    ]
    perspective = JobEndPerspective.objects.get()
    assert (perspective.source, perspective.written_by) == (value, actor)


def test_perspectives_from_both_sides_of_the_team_are_listed_in_order(
    client: Client, case_manager: User, specialist: User, job_end: JobEnd
) -> None:
    client.force_login(specialist)
    client.post(
        perspective_url(job_end),
        {"view-source": "member", "view-text": "I wanted more hours."},
    )
    client.force_login(case_manager)
    client.post(
        perspective_url(job_end),
        {"view-source": "case_manager", "view-text": "Transport was the barrier."},
    )

    shown = perspectives_shown(client.get(detail_url(job_end)).content)

    assert shown == [
        "The member I wanted more hours. "
        f"Written by {specialist.get_full_name()} on 12/01/2026",
        "The case manager Transport was the barrier. "
        f"Written by {case_manager.get_full_name()} on 12/01/2026",
    ]


def test_the_employers_view_without_consent_is_refused_next_to_whose_view(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(
        perspective_url(job_end),
        {"view-source": "employer", "view-text": "Typed before asking."},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert errors_next_to(page, "id_view-source") == (
        "No consent to contact the employer is on file. Record the member's "
        "consent first; the employer's view can be added after."
    )
    assert "Typed before asking." in field_block(page, "id_view-text")
    assert consent_url(member) in page
    assert not JobEndPerspective.objects.exists()


def test_consent_recorded_then_withdrawn_on_its_page_opens_then_closes_the_employer(
    client: Client,
    case_manager: User,
    specialist: User,
    member: Member,
    job_end: JobEnd,
) -> None:
    employer_post = {"view-source": "employer", "view-text": "Shifts were cut."}
    client.force_login(case_manager)

    given = client.post(consent_url(member), {"given_on": "2026-05-12"}, follow=True)
    assert "Consent to contact employers Given 05/12/2026" in page_text(given.content)
    client.force_login(specialist)
    accepted = client.post(perspective_url(job_end), employer_post)
    assert accepted.status_code == 302

    withdrawn = client.post(
        consent_url(member), {"withdrawn_on": "2026-11-20"}, follow=True
    )
    assert "Consent to contact employers Withdrawn 11/20/2026" in page_text(
        withdrawn.content
    )
    refused = client.post(perspective_url(job_end), employer_post)

    assert refused.status_code == 400
    assert errors_next_to(refused.content.decode(), "id_view-source") == (
        "The member withdrew consent to contact employers on 11/20/2026, so no "
        "new employer entries can be recorded."
    )
    assert JobEndPerspective.objects.count() == 1


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [
        ("2026-05-11", "Consent cannot be withdrawn before it was given."),
        ("2026-12-02", "The withdrawal date cannot be in the future."),
    ],
)
def test_a_withdrawal_before_consent_or_in_the_future_shows_next_to_the_date(
    client: Client, case_manager: User, member: Member, withdrawn_on: str, message: str
) -> None:
    employer_consent_record(actor=case_manager, member=member, given_on=D(2026, 5, 12))
    client.force_login(case_manager)

    response = client.post(consent_url(member), {"withdrawn_on": withdrawn_on})

    page = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(page, "id_withdrawn_on") == message
    assert f'value="{withdrawn_on}"' in page
    assert EmployerContactConsent.objects.get().withdrawn_on is None


def test_consent_given_in_the_future_shows_next_to_the_date(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)

    response = client.post(consent_url(member), {"given_on": "2026-12-02"})

    assert errors_next_to(response.content.decode(), "id_given_on") == (
        "The consent date cannot be in the future."
    )
    assert not EmployerContactConsent.objects.exists()


# What comes next


def test_help_toward_another_job_leads_to_the_meeting_for_this_job_end(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(next_step_url(job_end), {"next_step": "another_job"})

    meeting_url = reverse("jobends:meeting", args=[member.public_id])
    assert response["Location"] == f"{meeting_url}?job_end={job_end.public_id}"
    job_end.refresh_from_db()
    assert job_end.next_step == JobEnd.NextStep.ANOTHER_JOB
    meeting_page = client.get(response["Location"]).content.decode()
    assert f'value="{job_end.pk}" selected' in field_block(meeting_page, "id_job_end")


def test_education_next_returns_to_the_member_page_and_closes_the_notice(
    client: Client, case_manager: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(case_manager)
    notice = "After the job end on 05/10/2026: what comes next?"
    assert notice in page_text(client.get(member_url(member)).content)

    response = client.post(
        next_step_url(job_end), {"next_step": "education"}, follow=True
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    shown = page_text(response.content)
    assert "Noted: a training or education program comes next." in shown
    assert notice not in shown


def test_exit_next_leads_the_case_manager_to_the_exit_page(
    client: Client, case_manager: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(case_manager)

    response = client.post(next_step_url(job_end), {"next_step": "exit"}, follow=True)

    assert response.redirect_chain == [
        (reverse("jobends:exit", args=[member.public_id]), 302)
    ]
    assert response.status_code == 200


def test_a_specialist_is_not_offered_exit_and_cannot_choose_it(
    client: Client, specialist: User, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    page = client.get(reverse("jobends:detail", args=[job_end.public_id]))
    response = client.post(next_step_url(job_end), {"next_step": "exit"})

    assert "Exit from IPS" not in page.content.decode()
    assert response.status_code == 403
    job_end.refresh_from_db()
    assert job_end.next_step == ""


def test_an_unknown_next_step_is_not_found(
    client: Client, specialist: User, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(next_step_url(job_end), {"next_step": "traditional"})

    assert response.status_code == 404
    job_end.refresh_from_db()
    assert job_end.next_step == ""


# Who may open these pages


def requests_for(job: Job, job_end: JobEnd) -> dict[str, tuple[str, str, dict]]:
    return {
        "record-get": ("get", record_url(job), {}),
        "record": (
            "post",
            record_url(job),
            {"ended_on": "2026-11-20", "how_ended": "quit"},
        ),
        "detail": ("get", detail_url(job_end), {}),
        "form": ("post", form_url(job_end), form_post()),
        "add-perspective": (
            "post",
            perspective_url(job_end),
            {"view-source": "member", "view-text": "Not theirs to write."},
        ),
        "next-step": ("post", next_step_url(job_end), {"next_step": "education"}),
    }


@pytest.fixture
def second_job(specialist: User, member: Member, job_end: JobEnd) -> Job:
    """A current job beside the ended one, so its end can still be recorded."""
    return job_for(specialist, member, title="Library aide")


def nothing_changed(job_end: JobEnd, second_job: Job) -> bool:
    job_end.refresh_from_db()
    second_job.refresh_from_db()
    return (
        JobEnd.objects.count() == 1
        and second_job.ended_on is None
        and not job_end.is_form_complete
        and job_end.next_step == ""
        and not JobEndPerspective.objects.exists()
    )


def send(client: Client, how: tuple[str, str, dict]) -> Any:
    method, url, data = how
    return getattr(client, method)(url, data)


JOB_END_PAGES = ["record-get", "record", "detail", "form", "add-perspective"]
JOB_END_PAGES += ["next-step"]


@pytest.mark.parametrize("page", JOB_END_PAGES)
@pytest.mark.parametrize("person", [*OUTSIDERS, "administrator"])
def test_outsiders_cannot_find_the_job_end_pages(
    request: pytest.FixtureRequest,
    client: Client,
    job_end: JobEnd,
    second_job: Job,
    page: str,
    person: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = send(client, requests_for(second_job, job_end)[page])

    assert response.status_code == 404
    assert nothing_changed(job_end, second_job)


@pytest.mark.parametrize(
    "page",
    [
        "record-get",
        "record",
        "form",
        "add-perspective",
        "next-step",
    ],
)
def test_the_reviewer_is_forbidden_the_job_end_writes(
    client: Client, reviewer: User, job_end: JobEnd, second_job: Job, page: str
) -> None:
    client.force_login(reviewer)

    response = send(client, requests_for(second_job, job_end)[page])

    assert response.status_code == 403
    assert nothing_changed(job_end, second_job)


def test_the_reviewer_reads_the_job_end_page_without_its_forms(
    client: Client, reviewer: User, job_end: JobEnd
) -> None:
    client.force_login(reviewer)

    response = client.get(detail_url(job_end))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Job end: Stock clerk at Cedar Prairie Grocers" in page_text(
        response.content
    )
    for url in (form_url(job_end), perspective_url(job_end), next_step_url(job_end)):
        assert url not in page


@pytest.mark.parametrize("page", JOB_END_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_from_the_job_end_pages(
    client: Client, job_end: JobEnd, second_job: Job, page: str
) -> None:
    response = send(client, requests_for(second_job, job_end)[page])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert nothing_changed(job_end, second_job)


@pytest.mark.parametrize("page", ["record", "form", "add-perspective", "next-step"])
def test_the_former_provider_may_not_write_after_the_member_moved_on(
    client: Client,
    specialist: User,
    member: Member,
    job_end: JobEnd,
    second_job: Job,
    page: str,
) -> None:
    member.episodes.update(closed_on=D(2026, 11, 1))
    client.force_login(specialist)

    response = send(client, requests_for(second_job, job_end)[page])

    # Once the member moved on, the record is out of the former team's scope.
    assert response.status_code == 404
    assert nothing_changed(job_end, second_job)


# Words


def test_no_template_or_portal_code_says_job_loss() -> None:
    base = Path(settings.BASE_DIR)
    forbidden = re.compile(r"job[\s_-]*loss", re.IGNORECASE)
    checked = list((base / "templates").rglob("*.html"))
    for directory, subdirectories, files in os.walk(base):
        subdirectories[:] = [
            name
            for name in subdirectories
            if not (Path(directory) == base and name in {"tests", ".venv"})
        ]
        checked += [Path(directory) / name for name in files if name.endswith(".py")]

    saying_it = [
        str(path.relative_to(base))
        for path in checked
        if forbidden.search(path.read_text(encoding="utf-8"))
    ]

    assert len(checked) > 50
    assert saying_it == []

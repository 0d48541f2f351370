"""The job-end form as a PDF: what it carries, who may download it, its cost."""

import datetime
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access import policy
from accounts.models import User
from documents.render import CONFIDENTIALITY_NOTICE
from jobends.documents import job_end_form_pdf
from jobends.models import JobEnd, JobEndPerspective, TeamMeeting
from jobends.services import (
    employer_consent_record,
    employer_consent_withdraw,
    job_end_form_complete,
    job_end_record,
    perspective_add,
    team_meeting_record,
)
from jobs.services import job_record
from members.models import Member
from providers.models import ProviderSite
from tests.documents.pdf import (
    SIDE_MARGIN,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    pdf_text_off_the_page,
)
from tests.factories import EpisodeFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
Source = JobEndPerspective.Source

# Noon in Iowa on December 1, 2026: every date of the spring job is past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)

MEMBER_FIRST_NAME = "Zoë"
MEMBER_LAST_NAME = "Wanjirũ-O'Dea"
MEMBER_NAME = f"{MEMBER_FIRST_NAME} {MEMBER_LAST_NAME}"

DIFFERED_NOTES = (
    "The posting described shelving in the mornings. In practice most shifts "
    "were closing shifts that ran past the last bus, and the lifting was much "
    "heavier than the interview suggested.\n\n"
    "She said she would have asked about the schedule before accepting if she "
    "had known the late shifts were the usual pattern rather than the "
    "exception; next time the specialist will ask the employer for a sample "
    "two-week schedule before an offer is accepted."
)
DUTIES_NOTES = (
    "After the reset in June she was moved from shelving to the freight dock, "
    "unloading pallets alone on most evenings."
)
SUPPORT_NEEDS = (
    "A check-in during the first week of each new schedule.\n"
    "Help asking for a written schedule two weeks ahead."
)
DISCLOSURE_NOTES = "Tells supervisors about appointments, not coworkers."
PREFERENCES = "Daytime hours on a bus line; no heavy lifting; likes customer work."


@dataclass(frozen=True)
class Written:
    """A perspective as the test wrote it, and how the document should date it."""

    source: str
    label: str
    text: str
    writer: str
    shown_at: str


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    specialist.first_name, specialist.last_name = "Lan", "Nguyễn"
    specialist.save()
    case_manager.first_name, case_manager.last_name = "Aoife", "O'Brien"
    case_manager.save()
    member = MemberFactory(
        first_name=MEMBER_FIRST_NAME,
        last_name=MEMBER_LAST_NAME,
        managing_organization=case_manager.organization,
        case_manager=case_manager,
        ivrs_counselor_name="Dale Whitcomb",
    )
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def job_end(specialist: User, member: Member) -> JobEnd:
    job = job_record(
        actor=specialist,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=D(2026, 4, 15),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )
    return job_end_record(
        actor=specialist,
        job=job,
        ended_on=D(2026, 7, 10),
        how_ended=JobEnd.HowEnded.OTHER,
        how_ended_other="The store closed for a remodel",
    )


def colleague(like: User, first_name: str, last_name: str) -> User:
    """Another person in the same organization and role as ``like``."""
    return UserFactory(
        organization=like.organization,
        role=like.role,
        first_name=first_name,
        last_name=last_name,
    )


def write(
    job_end: JobEnd, actor: User, source: str, text: str, at: datetime.datetime
) -> None:
    with time_machine.travel(at, tick=False):
        perspective_add(actor=actor, job_end=job_end, source=source, text=text)


def complete_the_form(job_end: JobEnd, actor: User) -> None:
    job_end_form_complete(
        actor=actor,
        job_end=job_end,
        answers={
            "differed_from_expectations": JobEnd.Answer.YES,
            "differed_notes": DIFFERED_NOTES,
            "duties_changed": JobEnd.Answer.UNSURE,
            "duties_notes": DUTIES_NOTES,
            "job_support_needs": SUPPORT_NEEDS,
            "disclosure": Member.Disclosure.PARTLY,
            "disclosure_notes": DISCLOSURE_NOTES,
            "job_preferences": PREFERENCES,
        },
    )


def hold_the_meeting(job_end: JobEnd, actor: User, met_on: datetime.date) -> None:
    team_meeting_record(
        actor=actor,
        member=job_end.job.member,
        job_end=job_end,
        reason=TeamMeeting.Reason.AFTER_JOB_END,
        met_on=met_on,
        other_attendees="Mireille Okonkwo-Baptiste (peer support)",
        lessons_learned="Evening shifts and the bus schedule do not mix.",
        next_steps="Look for daytime retail work on the number 7 bus line.",
    )


@pytest.fixture
def perspectives(
    job_end: JobEnd, specialist: User, case_manager: User, supervisor: User
) -> list[Written]:
    """All six perspectives, each written by a different person at its own time."""
    employer_consent_record(
        actor=case_manager, member=job_end.job.member, given_on=D(2026, 5, 1)
    )
    supervisor.first_name, supervisor.last_name = "Ngozi", "Okafor-Ellis"
    supervisor.save()
    writers = {
        Source.MEMBER: specialist,
        Source.SPECIALIST: colleague(specialist, "Ирина", "Соколова"),
        Source.EMPLOYER: supervisor,
        Source.IVRS: colleague(specialist, "José María", "Ibáñez"),
        Source.CASE_MANAGER: case_manager,
        Source.NATURAL_SUPPORTS: colleague(case_manager, "Søren", "Ålund"),
    }
    texts = {
        Source.MEMBER: "I liked the people. The late buses were the problem.\n\n"
        "I want mornings next time, and work where I can talk with customers.",
        Source.SPECIALIST: "She was reliable for twelve weeks. "
        "We should have asked for a sample schedule before the offer.",
        Source.EMPLOYER: "Would hire her again once the store reopens.",
        Source.IVRS: "Transportation funding can cover a bus pass for the next job.",
        Source.CASE_MANAGER: "Her sleep was disrupted by the closing shifts.",
        Source.NATURAL_SUPPORTS: "Her sister says the evening commute worried "
        "the whole family.",
    }
    # Two of the moments fall before the end of daylight saving time.
    moments = {
        Source.MEMBER: (datetime.datetime(2026, 7, 14, 14, 5, tzinfo=UTC), "CDT"),
        Source.SPECIALIST: (datetime.datetime(2026, 7, 15, 21, 30, tzinfo=UTC), "CDT"),
        Source.EMPLOYER: (datetime.datetime(2026, 11, 2, 15, 0, tzinfo=UTC), "CST"),
        Source.IVRS: (datetime.datetime(2026, 11, 3, 22, 45, tzinfo=UTC), "CST"),
        Source.CASE_MANAGER: (datetime.datetime(2026, 11, 4, 4, 10, tzinfo=UTC), "CST"),
        Source.NATURAL_SUPPORTS: (
            datetime.datetime(2026, 11, 20, 17, 0, tzinfo=UTC),
            "CST",
        ),
    }
    shown_at = {
        Source.MEMBER: "07/14/2026 at 9:05 AM CDT",
        Source.SPECIALIST: "07/15/2026 at 4:30 PM CDT",
        Source.EMPLOYER: "11/02/2026 at 9:00 AM CST",
        Source.IVRS: "11/03/2026 at 4:45 PM CST",
        # 04:10 UTC on November 4 is still the evening of November 3 in Iowa.
        Source.CASE_MANAGER: "11/03/2026 at 10:10 PM CST",
        Source.NATURAL_SUPPORTS: "11/20/2026 at 11:00 AM CST",
    }

    written = []
    for source, label in Source.choices:
        writer, text = writers[Source(source)], texts[Source(source)]
        write(job_end, writer, source, text, moments[Source(source)][0])
        written.append(
            Written(source, label, text, writer.get_full_name(), shown_at[source])
        )
    return written


@pytest.fixture
def completed(
    job_end: JobEnd, perspectives: list[Written], case_manager: User
) -> JobEnd:
    """The job end with its form, all six perspectives and a team meeting."""
    complete_the_form(job_end, case_manager)
    hold_the_meeting(job_end, case_manager, D(2026, 11, 24))
    job_end.refresh_from_db()
    return job_end


def folded(text: str) -> str:
    return " ".join(text.split())


def form_text(pdf: bytes, reader: User) -> str:
    """The form's text as read, without the header and footer of each page.

    Notes that run onto the next page then read on as one passage.
    """
    pages = pdf_pages(pdf)
    running = [
        f"{reader.organization.name} Job-end form Produced 12/01/2026 12:00 PM CST "
        f"by {reader.get_full_name()}",
        folded(CONFIDENTIALITY_NOTICE),
    ]
    bodies = []
    for number, page in enumerate(pages, start=1):
        for text in [*running, f"Page {number} of {len(pages)}"]:
            assert text in page
            page = page.replace(text, "")
        bodies.append(page)
    return folded(" ".join(bodies))


def pdf_url(job_end: JobEnd) -> str:
    return reverse("jobends:form-pdf", args=[job_end.public_id])


# What the form carries


def test_every_perspective_shows_its_source_text_writer_and_iowa_time(
    completed: JobEnd, perspectives: list[Written], case_manager: User
) -> None:
    text = form_text(job_end_form_pdf(completed, case_manager), case_manager)

    for written in perspectives:
        assert (
            f"{written.label} Written by {written.writer} on {written.shown_at} "
            f"{folded(written.text)}"
        ) in text
    assert "Not recorded" not in text


def test_the_form_carries_the_member_the_team_and_the_job(
    completed: JobEnd, member: Member, case_manager: User
) -> None:
    text = form_text(job_end_form_pdf(completed, case_manager), case_manager)

    # The facts' labels print in small capitals, so they read back upper case.
    assert f"MEMBER {MEMBER_NAME} MEDICAID ID {member.medicaid_id}" in text
    provider = completed.job.episode.provider
    assert (
        f"IPS PROVIDER 43 North Iowa MEDICAID PROVIDER NUMBER "
        f"{provider.medicaid_provider_number} IPS SPECIALIST Lan Nguyễn"
    ) in text
    assert "CASE MANAGER Aoife O'Brien IVRS COUNSELOR Dale Whitcomb" in text
    assert (
        "JOB TITLE Stock clerk EMPLOYER Cedar Prairie Grocers "
        "FIRST DAY 04/15/2026 LAST DAY WORKED 07/10/2026 "
        "HOW IT ENDED Other: The store closed for a remodel "
        "JOB END RECORDED BY Lan Nguyễn on 12/01/2026 at 12:00 PM CST"
    ) in text


def test_the_form_carries_the_answers_the_updates_and_the_next_step(
    completed: JobEnd, case_manager: User
) -> None:
    text = form_text(job_end_form_pdf(completed, case_manager), case_manager)

    assert "Completed by Aoife O'Brien on 12/01/2026 at 12:00 PM CST." in text
    assert (
        "Did the job differ from what the member expected? Yes "
        f"{folded(DIFFERED_NOTES)}"
    ) in text
    assert f"Did the duties change? Not sure {folded(DUTIES_NOTES)}" in text
    assert f"Job support needs {folded(SUPPORT_NEEDS)}" in text
    assert "Disclosure decision Tells some employers, or only some things" in text
    assert f"About disclosure {DISCLOSURE_NOTES}" in text
    assert f"Job preferences {PREFERENCES}" in text
    assert "When the form was saved" not in text
    assert "Chosen: Help toward another job." in text


def test_the_form_carries_the_team_meeting_that_followed(
    completed: JobEnd, case_manager: User
) -> None:
    text = form_text(job_end_form_pdf(completed, case_manager), case_manager)

    assert "Team meeting on 11/24/2026" in text
    assert (
        "WHO ATTENDED The member, the IPS specialist, the case manager, "
        "Mireille Okonkwo-Baptiste (peer support) RECORDED BY Aoife O'Brien"
    ) in text
    assert (
        "LESSONS LEARNED Evening shifts and the bus schedule do not mix. "
        "NEXT STEPS Look for daytime retail work on the number 7 bus line."
    ) in text


def test_long_notes_wrap_onto_a_second_page_with_its_header_and_footer(
    job_end: JobEnd, specialist: User, case_manager: User
) -> None:
    paragraph = (
        "She kept a notebook of every shift, every bus she caught and missed, "
        "and how she felt at the end of each week; the pattern it shows is "
        "clearer than anything the team remembered. "
    ) * 6
    notes = "\n\n".join([paragraph.strip()] * 4)
    long_word = "Quillfeather-Tiberius-Vale" * 12
    job_end_form_complete(
        actor=case_manager,
        job_end=job_end,
        answers={"differed_from_expectations": "yes", "differed_notes": notes},
    )
    write(job_end, specialist, Source.MEMBER, long_word, NOW)

    pdf = job_end_form_pdf(job_end, case_manager)
    text = form_text(pdf, case_manager)

    assert len(pdf_pages(pdf)) >= 2
    assert f"expected? Yes {folded(notes)} Did the duties change?" in text
    # A word wider than the page wraps inside it: every letter is still there.
    assert long_word in text.replace(" ", "")


def test_a_long_address_in_how_it_ended_wraps_inside_the_margins(
    completed: JobEnd, case_manager: User
) -> None:
    # Under the form's 200 characters, with an address that has no space.
    other = (
        "Posting withdrawn, see https://www.governmentjobs.com/careers/"
        "desmoines/jobs/4412345/library-page-part-time"
    )
    completed.how_ended_other = other
    completed.save()

    pdf = job_end_form_pdf(completed, case_manager)

    assert pdf_text_off_the_page(pdf, margin=SIDE_MARGIN) == []
    text = form_text(pdf, case_manager)
    assert f"HOW IT ENDED Other: {other}" in text.replace("/ ", "/")
    assert "FIRST DAY 04/15/2026" in text


def test_names_and_notes_in_other_scripts_print_as_written(
    job_end: JobEnd,
    member: Member,
    specialist: User,
    case_manager: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    member.first_name, member.last_name = "محمد 王芳 Zoë", "မောင် Ngũgĩ"
    member.save()
    write(job_end, specialist, Source.MEMBER, "Liked ✓ → ≥ ≤ ★ mornings", NOW)
    caplog.set_level(logging.WARNING, logger="weasyprint")

    pdf = job_end_form_pdf(job_end, case_manager)

    text = form_text(pdf, case_manager)
    assert "MEMBER محمد 王芳 Zoë မောင် Ngũgĩ MEDICAID ID" in text
    assert "Liked ✓ → ≥ ≤ ★ mornings" in text
    assert {
        "Noto-Sans-Arabic-Bold",
        "WenQuanYi-Micro-Hei",
        "Noto-Sans-Myanmar-Bold",
        "Noto-Sans-Symbols2",
        "Noto-Sans-Math",
    } <= pdf_fonts(pdf)
    assert [r.message for r in caplog.records if ".notdef" in r.message] == []


def test_missing_perspectives_say_not_recorded_and_why_for_employer_and_ivrs(
    job_end: JobEnd, member: Member, case_manager: User
) -> None:
    member.ivrs_counselor_name = ""
    member.medicaid_id = None
    member.save()

    text = form_text(job_end_form_pdf(job_end, case_manager), case_manager)

    assert "MEDICAID ID None on file" in text
    assert (
        "The member Not recorded. "
        "The IPS specialist Not recorded. "
        "The employer Not recorded. No consent to contact employers is on file. "
        "The IVRS counselor Not recorded. No IVRS counselor is on the member's "
        "record. "
        "The case manager Not recorded. "
        "Natural supports (family, friends) Not recorded."
    ) in text
    assert "Not completed yet" in text
    assert "Did the job differ from what the member expected? Not answered yet" in (
        text
    )
    assert "Not chosen yet. Help toward another job is always offered." in text
    assert "No team meeting is linked to this job end yet." in text


@pytest.mark.parametrize(
    ("withdrawn_on", "words"),
    [
        (
            None,
            "The member's consent to contact employers is in force, given on "
            "05/12/2026.",
        ),
        (
            D(2026, 11, 20),
            "The member gave consent to contact employers on 05/12/2026 and "
            "withdrew it on 11/20/2026.",
        ),
    ],
)
def test_a_missing_employer_perspective_says_whether_consent_is_in_force(
    job_end: JobEnd,
    member: Member,
    case_manager: User,
    withdrawn_on: datetime.date | None,
    words: str,
) -> None:
    consent = employer_consent_record(
        actor=case_manager, member=member, given_on=D(2026, 5, 12)
    )
    if withdrawn_on is not None:
        employer_consent_withdraw(
            actor=case_manager, consent=consent, withdrawn_on=withdrawn_on
        )

    text = form_text(job_end_form_pdf(job_end, case_manager), case_manager)

    assert f"The employer Not recorded. {words} The IVRS counselor" in text


def test_updates_changed_since_the_form_show_the_forms_words_too(
    job_end: JobEnd, member: Member, specialist: User, case_manager: User
) -> None:
    with time_machine.travel(NOW - datetime.timedelta(days=5), tick=False):
        complete_the_form(job_end, case_manager)
    member.refresh_from_db()
    member.job_preferences = "Any daytime work near home."
    member.save()

    text = form_text(job_end_form_pdf(job_end, specialist), specialist)

    assert (
        "Job preferences Any daytime work near home. When the form was saved on "
        f"11/26/2026 at 12:00 PM CST: {PREFERENCES}"
    ) in text
    assert f"Job support needs {folded(SUPPORT_NEEDS)} Disclosure decision" in text


def test_the_form_never_says_job_loss(completed: JobEnd, case_manager: User) -> None:
    text = form_text(job_end_form_pdf(completed, case_manager), case_manager)

    assert not re.search(r"job[\s_-]*loss", text, re.IGNORECASE)


# Who may download it


def assert_is_the_form(response: Any, job_end: JobEnd) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == (
        f'attachment; filename="job-end-form-{str(job_end.public_id)[:8]}.pdf"'
    )
    for name in (MEMBER_FIRST_NAME, MEMBER_LAST_NAME, "Wanjir"):
        assert name not in disposition
    assert MEMBER_NAME in pdf_text(response.content)


@pytest.mark.parametrize(
    "person", ["specialist", "supervisor", "case_manager", "reviewer"]
)
def test_the_team_and_the_reviewer_download_the_form(
    request: pytest.FixtureRequest, client: Client, job_end: JobEnd, person: str
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = client.get(pdf_url(job_end))

    assert_is_the_form(response, job_end)


@pytest.mark.parametrize(
    "person", ["outsider", "outsider_case_manager", "administrator"]
)
def test_outsiders_and_the_administrator_cannot_find_the_form(
    request: pytest.FixtureRequest, client: Client, job_end: JobEnd, person: str
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = client.get(pdf_url(job_end))

    assert response.status_code == 404


def test_an_unknown_job_end_is_not_found(client: Client, specialist: User) -> None:
    client.force_login(specialist)

    response = client.get(
        reverse("jobends:form-pdf", args=["00000000-0000-4000-8000-000000000000"])
    )

    assert response.status_code == 404


def test_the_former_provider_cannot_find_the_form_after_the_member_moved_on(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    member.episodes.update(closed_on=D(2026, 11, 1))
    client.force_login(specialist)

    assert client.get(pdf_url(job_end)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, job_end: JobEnd
) -> None:
    response = client.get(pdf_url(job_end))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_job_end_page_links_to_the_form(
    client: Client, reviewer: User, job_end: JobEnd
) -> None:
    client.force_login(reviewer)

    page = client.get(reverse("jobends:detail", args=[job_end.public_id]))

    assert f'href="{pdf_url(job_end)}"' in page.content.decode()
    assert "Job-end form (PDF)" in page.content.decode()


recorded: list[dict[str, Any]] = []


def remember_read(**kwargs: Any) -> None:
    recorded.append(kwargs)


@pytest.fixture
def reads(settings: Any) -> Iterator[list[dict[str, Any]]]:
    """Every member read passed to the recording hook."""
    settings.MEMBER_READ_RECORDERS = [f"{__name__}.remember_read"]
    policy._recorders.cache_clear()
    recorded.clear()
    yield recorded
    policy._recorders.cache_clear()


def test_the_download_is_recorded_as_a_read_of_the_member(
    client: Client,
    case_manager: User,
    member: Member,
    job_end: JobEnd,
    reads: list[dict[str, Any]],
) -> None:
    client.force_login(case_manager)

    client.get(pdf_url(job_end))

    assert [(read["purpose"], read["member_ids"]) for read in reads] == [
        ("document.job_end_form", [member.pk])
    ]
    assert reads[0]["actor"] == case_manager


def test_a_refused_download_records_no_read(
    client: Client, outsider: User, job_end: JobEnd, reads: list[dict[str, Any]]
) -> None:
    client.force_login(outsider)

    client.get(pdf_url(job_end))

    assert reads == []


# What it costs


def queries_for_download(client: Client, job_end: JobEnd) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(pdf_url(job_end))
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_perspectives_or_meetings(
    client: Client, specialist: User, case_manager: User, job_end: JobEnd
) -> None:
    client.force_login(case_manager)
    complete_the_form(job_end, case_manager)
    write(job_end, specialist, Source.MEMBER, "Mornings next time.", NOW)
    one_each = queries_for_download(client, job_end)

    for source in (Source.SPECIALIST, Source.CASE_MANAGER, Source.NATURAL_SUPPORTS):
        write(job_end, case_manager, source, "Another view.", NOW)
        write(job_end, specialist, source, "And one more.", NOW)
    hold_the_meeting(job_end, case_manager, D(2026, 11, 24))
    hold_the_meeting(job_end, specialist, D(2026, 11, 30))

    assert queries_for_download(client, job_end) == one_each

"""The team meeting page and the authorize page after it, the log and exit."""

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
from jobends.models import JobEnd, TeamLogEntry, TeamMeeting
from jobends.services import job_end_record
from jobs.services import job_record
from members.models import Member
from milestones.models import AuthorizationRound
from milestones.rules import Window
from providers.models import ProviderSite
from referrals.models import Episode
from referrals.services import referral_accept, referral_create
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize, meeting_for
from tests.pages import errors_next_to, field_block

pytestmark = pytest.mark.django_db

D = datetime.date

# Noon in Iowa on December 1, 2026: every date of the spring job is past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
PLAN = "Case manager checks in monthly; the clinic keeps weekly therapy."

OUTSIDERS = ["outsider", "outsider_supervisor", "outsider_case_manager"]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def member_in_ips(case_manager: User, specialist: User, provider: Any) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider, specialist=specialist)
    return member


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    return member_in_ips(case_manager, specialist, provider_a)


def job_end_for(specialist: User, member: Member) -> JobEnd:
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
        ended_on=D(2026, 5, 10),
        how_ended=JobEnd.HowEnded.TEMPORARY_ENDED,
    )


@pytest.fixture
def job_end(specialist: User, member: Member) -> JobEnd:
    return job_end_for(specialist, member)


def meeting_url(member: Member) -> str:
    return reverse("jobends:meeting", args=[member.public_id])


def authorize_url(member: Member) -> str:
    return reverse("milestones:authorize", args=[member.public_id])


def log_url(member: Member) -> str:
    return reverse("jobends:team-log", args=[member.public_id])


def exit_url(member: Member) -> str:
    return reverse("jobends:exit", args=[member.public_id])


def consent_url(member: Member) -> str:
    return reverse("jobends:consent", args=[member.public_id])


def member_url(member: Member) -> str:
    return reverse("members:detail", args=[member.public_id])


def page_text(content: bytes) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", content.decode())
    return " ".join(html.unescape(text).split())


# The team meeting


def meeting_post(job_end: JobEnd | None, **changes: str) -> dict[str, str]:
    data = {
        "reason": "after_job_end",
        "job_end": str(job_end.pk) if job_end else "",
        "met_on": "2026-05-20",
        "member_attended": "on",
        "specialist_attended": "on",
        "other_attendees": "Dana Example, therapist",
        "lessons_learned": "Mornings suit the member; the commute was long.",
        "next_steps": "Look for work on the bus line.",
    }
    data.update(changes)
    return data


def test_the_case_manager_records_the_meeting_and_goes_on_to_authorize(
    client: Client, case_manager: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(case_manager)

    response = client.post(meeting_url(member), meeting_post(job_end))

    assert response.status_code == 302
    assert response["Location"] == authorize_url(member)
    meeting = TeamMeeting.objects.get()
    assert (meeting.job_end, meeting.met_on) == (job_end, D(2026, 5, 20))
    assert (
        meeting.member_attended,
        meeting.specialist_attended,
        meeting.case_manager_attended,
    ) == (True, True, False)
    assert meeting.other_attendees == "Dana Example, therapist"
    assert meeting.lessons_learned == "Mornings suit the member; the commute was long."
    assert meeting.next_steps == "Look for work on the bus line."
    assert meeting.recorded_by == case_manager


def test_the_specialist_records_the_meeting_and_sees_it_on_the_timeline(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(
        meeting_url(member),
        meeting_post(job_end, case_manager_attended="on"),
        follow=True,
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    shown = page_text(response.content)
    assert "Team meeting recorded." in shown
    assert "05/20/2026 Team meeting: after a job end" in shown
    assert "Attended: the member, the IPS specialist, the case manager" in shown
    assert "Dana Example, therapist" in shown
    assert "Lessons learned: Mornings suit the member; the commute was long." in shown
    assert "Next steps: Look for work on the bus line." in shown
    # The meeting answers the job end's "what comes next?".
    assert "After the job end on 05/10/2026: what comes next?" not in shown


def test_the_attendance_reads_as_a_list_when_the_case_manager_was_absent(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(meeting_url(member), meeting_post(job_end), follow=True)

    assert (
        "Attended: the member, the IPS specialist, Dana Example, therapist"
    ) in page_text(response.content)


def test_a_meeting_before_the_job_end_shows_next_to_its_date_and_keeps_the_typing(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(
        meeting_url(member), meeting_post(job_end, met_on="2026-05-09")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(page, "id_met_on") == (
        "The meeting cannot be dated before the job end (05/10/2026)."
    )
    assert 'value="2026-05-09"' in field_block(page, "id_met_on")
    assert "the commute was long." in field_block(page, "id_lessons_learned")
    assert not TeamMeeting.objects.exists()


def test_a_meeting_in_the_future_shows_next_to_its_date(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(
        meeting_url(member), meeting_post(job_end, met_on="2026-12-02")
    )

    assert errors_next_to(response.content.decode(), "id_met_on") == (
        "The meeting date cannot be in the future."
    )
    assert not TeamMeeting.objects.exists()


def test_a_meeting_after_a_job_end_without_the_job_end_shows_next_to_it(
    client: Client, specialist: User, member: Member, job_end: JobEnd
) -> None:
    client.force_login(specialist)

    response = client.post(meeting_url(member), meeting_post(None))

    assert errors_next_to(response.content.decode(), "id_job_end") == (
        "Choose the job end this meeting follows."
    )
    assert not TeamMeeting.objects.exists()


def test_another_members_job_end_is_neither_offered_nor_accepted(
    client: Client,
    case_manager: User,
    specialist: User,
    provider_a: ProviderSite,
    member: Member,
    job_end: JobEnd,
) -> None:
    other = member_in_ips(case_manager, specialist, provider_a)
    client.force_login(case_manager)

    offered = client.get(meeting_url(other)).content.decode()
    response = client.post(meeting_url(other), meeting_post(job_end))

    assert f'value="{job_end.pk}"' not in field_block(offered, "id_job_end")
    assert "Select a valid choice." in errors_next_to(
        response.content.decode(), "id_job_end"
    )
    assert not TeamMeeting.objects.exists()


def test_a_second_job_meeting_needs_no_job_end(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)

    client.post(meeting_url(member), meeting_post(None, reason="two_part_time"))

    meeting = TeamMeeting.objects.get()
    assert (meeting.reason, meeting.job_end) == ("two_part_time", None)


# The authorize page after the meeting

# Milestones 2–4 again, clear of the first round's months and the cap.
LATER = {
    2: Window(D(2026, 8, 1), D(2026, 8, 31)),
    3: Window(D(2026, 9, 1), D(2026, 9, 30)),
    4: Window(D(2026, 11, 1), D(2026, 11, 30)),
}


def reauthorize_post(member: Member, meeting: TeamMeeting | None) -> dict[str, str]:
    data = {
        "payer": str(member.payer_id),
        "authorized_on": "2026-06-15",
        "plan_dated_on": "2026-06-01",
        "plan_reference": "PCSP-0043",
        "meeting": str(meeting.pk) if meeting else "",
        "authorize": "1",
    }
    for n, window in LATER.items():
        data.update(
            {
                f"m{n}-include": "on",
                f"m{n}-window_begins_on": f"{window.begins_on:%Y-%m-%d}",
                f"m{n}-window_ends_on": f"{window.ends_on:%Y-%m-%d}",
                f"m{n}-authorization_number": f"PA-2026-10{n}",
            }
        )
    return data


def test_the_first_authorization_asks_for_no_meeting(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)

    response = client.get(authorize_url(member))

    shown = page_text(response.content)
    assert f"Authorize milestones for {member.full_name}" in shown
    assert "Authorize milestones again" not in shown
    assert 'id="id_meeting"' not in response.content.decode()


def test_a_reauthorization_shows_the_again_heading_and_the_meeting_to_follow(
    client: Client, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    meeting = meeting_for(member, D(2026, 6, 10))
    client.force_login(case_manager)

    response = client.get(authorize_url(member))

    page = response.content.decode()
    assert f"Authorize milestones again for {member.full_name}" in page_text(
        response.content
    )
    block = field_block(page, "id_meeting")
    assert "The team meeting this reauthorization follows" in block
    assert f'<option value="{meeting.pk}" selected>06/10/2026: A second job' in block
    assert "Record the team meeting first" not in page


def test_a_reauthorization_without_a_meeting_on_file_points_to_the_meeting_page(
    client: Client, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    client.force_login(case_manager)

    response = client.get(authorize_url(member))

    assert "Record the team meeting first" in page_text(response.content)
    assert meeting_url(member) in response.content.decode()


def test_posting_a_reauthorization_without_a_meeting_shows_why_and_saves_nothing(
    client: Client, case_manager: User, member: Member
) -> None:
    first = authorize(case_manager, member)
    meeting_for(member, D(2026, 6, 10))
    client.force_login(case_manager)

    response = client.post(authorize_url(member), reauthorize_post(member, None))

    page = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(page, "id_meeting") == (
        "Before milestones are authorized again, record the team meeting."
    )
    assert 'value="PA-2026-103"' in page
    assert list(AuthorizationRound.objects.all()) == [first]


def test_a_reauthorization_with_its_meeting_is_saved_and_shown_as_again(
    client: Client, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    meeting = meeting_for(member, D(2026, 6, 10))
    client.force_login(case_manager)

    response = client.post(
        authorize_url(member), reauthorize_post(member, meeting), follow=True
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    later = AuthorizationRound.objects.get(meeting=meeting)
    assert sorted(later.lines.values_list("milestone", flat=True)) == [2, 3, 4]
    assert "Milestones authorized again" in page_text(response.content)


def test_a_used_meeting_is_no_longer_offered(
    client: Client, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    meeting = meeting_for(member, D(2026, 6, 10))
    authorize(
        case_manager,
        member,
        windows=LATER,
        numbers=(2, 3, 4),
        meeting=meeting,
        authorized_on=D(2026, 6, 15),
    )
    client.force_login(case_manager)

    page = client.get(authorize_url(member)).content.decode()

    assert f'value="{meeting.pk}"' not in field_block(page, "id_meeting")
    assert "Record the team meeting first" in page_text(page.encode())


# The team log


@pytest.mark.parametrize("person", ["case_manager", "specialist"])
def test_the_team_writes_to_the_log_and_the_member_page_shows_who_when_and_kind(
    request: pytest.FixtureRequest, client: Client, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)
    client.force_login(actor)

    response = client.post(
        log_url(member),
        {"kind": "contact_phone", "text": "Called about the bus pass."},
        follow=True,
    )

    assert response.redirect_chain == [(member_url(member), 302)]
    shown = page_text(response.content)
    assert "Added to the team log." in shown
    assert (
        f"12/01/2026 · Contact: phone · {actor.get_full_name()} "
        "Called about the bus pass."
    ) in shown
    entry = TeamLogEntry.objects.get()
    assert (entry.written_by, entry.kind) == (actor, "contact_phone")


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_log_entry_shows_next_to_the_text_and_saves_nothing(
    client: Client, specialist: User, member: Member, text: str
) -> None:
    client.force_login(specialist)

    response = client.post(log_url(member), {"kind": "needs", "text": text})

    page = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(page, "id_text") == "This field is required."
    assert 'value="needs" selected' in field_block(page, "id_kind")
    assert not TeamLogEntry.objects.exists()


# Exit from IPS


def exit_post(**changes: str) -> dict[str, str]:
    data = {
        "exited_on": "2026-11-20",
        "reason": "goals_met",
        "transition_plan": PLAN,
        "notes": "Steady at the bakery.",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("person", ["case_manager", "supervisor"])
def test_an_exit_closes_the_episode_and_the_timeline_keeps_its_plan(
    request: pytest.FixtureRequest, client: Client, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)
    client.force_login(actor)

    response = client.post(exit_url(member), exit_post(), follow=True)

    episode = member.episodes.get()
    assert episode.closed_on == D(2026, 11, 20)
    assert (episode.exit_reason, episode.transition_plan) == ("goals_met", PLAN)
    assert episode.exited_by == actor
    if person == "supervisor":
        # The provider's part ends with the exit: back home, record closed.
        assert response.redirect_chain == [(reverse("accounts:home"), 302)]
        assert "Exit recorded with its transition plan." in page_text(response.content)
        client.force_login(request.getfixturevalue("case_manager"))
        response = client.get(member_url(member))
    else:
        assert response.redirect_chain == [(member_url(member), 302)]
        assert "Exit recorded with its transition plan." in page_text(response.content)
    shown = page_text(response.content)
    assert "Not in IPS at the moment" in shown
    assert (
        "11/20/2026 Exited IPS: employment goals met; supports continue elsewhere "
        f"Transition plan: {PLAN}"
    ) in shown


@pytest.mark.parametrize("plan", ["", "   "])
def test_an_exit_without_a_transition_plan_shows_next_to_it(
    client: Client, case_manager: User, member: Member, plan: str
) -> None:
    client.force_login(case_manager)

    response = client.post(exit_url(member), exit_post(transition_plan=plan))

    page = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(page, "id_transition_plan") == "This field is required."
    assert "Steady at the bakery." in field_block(page, "id_notes")
    assert member.episodes.get().is_open


@pytest.mark.parametrize(
    ("exited_on", "message"),
    [
        (
            "2026-01-09",
            "The exit cannot be before the member joined IPS (01/10/2026).",
        ),
        ("2026-12-02", "The exit date cannot be in the future."),
    ],
)
def test_an_exit_date_before_joining_or_in_the_future_shows_next_to_it(
    client: Client, case_manager: User, member: Member, exited_on: str, message: str
) -> None:
    client.force_login(case_manager)

    response = client.post(exit_url(member), exit_post(exited_on=exited_on))

    page = response.content.decode()
    assert errors_next_to(page, "id_exited_on") == message
    assert PLAN in field_block(page, "id_transition_plan")
    assert member.episodes.get().is_open


def test_after_an_exit_the_member_returns_and_the_earlier_time_stays_on_the_page(
    client: Client,
    case_manager: User,
    supervisor: User,
    specialist: User,
    member: Member,
) -> None:
    client.force_login(case_manager)
    client.post(exit_url(member), exit_post())
    assert "Refer to IPS" in page_text(client.get(member_url(member)).content)

    referral = referral_create(
        actor=case_manager,
        member=member,
        provider=member.episodes.get().provider,
        referred_on=D(2026, 11, 25),
        conversation={"wants_to_work": True},
    )
    second = referral_accept(
        actor=supervisor,
        referral=referral,
        specialist=specialist,
        accepted_on=D(2026, 11, 30),
    )

    shown = page_text(client.get(member_url(member)).content)
    assert second.is_open
    assert "In IPS with 43 North Iowa since 11/30/2026" in shown
    assert f"Transition plan: {PLAN}" in shown
    assert "11/30/2026 Accepted into IPS" in shown
    assert "exited 11/20/2026" in shown
    assert Episode.objects.filter(member=member).count() == 2


def test_the_exit_page_is_forbidden_once_the_member_has_left(
    client: Client, case_manager: User, member: Member
) -> None:
    member.episodes.update(closed_on=D(2026, 11, 1))
    client.force_login(case_manager)

    assert client.get(exit_url(member)).status_code == 403


# Who may open these pages


def member_requests(member: Member) -> dict[str, tuple[str, str, dict]]:
    return {
        "meeting-get": ("get", meeting_url(member), {}),
        "meeting": (
            "post",
            meeting_url(member),
            meeting_post(None, reason="hours_cut"),
        ),
        "consent-get": ("get", consent_url(member), {}),
        "consent": ("post", consent_url(member), {"given_on": "2026-11-20"}),
        "team-log-get": ("get", log_url(member), {}),
        "team-log": (
            "post",
            log_url(member),
            {"kind": "needs", "text": "Not theirs to write."},
        ),
        "exit-get": ("get", exit_url(member), {}),
        "exit": ("post", exit_url(member), exit_post()),
    }


MEMBER_PAGES = ["meeting-get", "meeting", "consent-get", "consent"]
MEMBER_PAGES += ["team-log-get", "team-log", "exit-get", "exit"]


def send(client: Client, how: tuple[str, str, dict]) -> Any:
    method, url, data = how
    return getattr(client, method)(url, data)


def nothing_written(member: Member) -> bool:
    return (
        not TeamMeeting.objects.exists()
        and not member.employer_consents.exists()
        and not TeamLogEntry.objects.exists()
        and member.episodes.get().is_open
    )


@pytest.mark.parametrize("page", MEMBER_PAGES)
@pytest.mark.parametrize("person", [*OUTSIDERS, "administrator"])
def test_outsiders_cannot_find_the_meeting_consent_log_and_exit_pages(
    request: pytest.FixtureRequest,
    client: Client,
    member: Member,
    page: str,
    person: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = send(client, member_requests(member)[page])

    assert response.status_code == 404
    assert nothing_written(member)


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_the_reviewer_is_forbidden_the_meeting_consent_log_and_exit_pages(
    client: Client, reviewer: User, member: Member, page: str
) -> None:
    client.force_login(reviewer)

    response = send(client, member_requests(member)[page])

    assert response.status_code == 403
    assert nothing_written(member)


@pytest.mark.parametrize("page", ["exit-get", "exit"])
def test_the_specialist_is_forbidden_the_exit_page(
    client: Client, specialist: User, member: Member, page: str
) -> None:
    client.force_login(specialist)

    response = send(client, member_requests(member)[page])

    assert response.status_code == 403
    assert nothing_written(member)


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_from_the_member_pages(
    client: Client, member: Member, page: str
) -> None:
    response = send(client, member_requests(member)[page])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert nothing_written(member)


@pytest.mark.parametrize("page", ["meeting", "consent", "team-log"])
def test_the_former_provider_may_not_write_after_the_exit(
    client: Client, specialist: User, member: Member, page: str
) -> None:
    member.episodes.update(closed_on=D(2026, 11, 1))
    client.force_login(specialist)

    response = send(client, member_requests(member)[page])

    # After the exit, the record is out of the former team's scope.
    assert response.status_code == 404
    assert not TeamMeeting.objects.exists()
    assert not member.employer_consents.exists()
    assert not TeamLogEntry.objects.exists()


@pytest.mark.parametrize(
    "value", ["not-a-uuid", "", "00000000-0000-4000-8000-000000000000"]
)
def test_a_meeting_link_with_a_strange_job_end_still_opens_the_form(
    client: Client, specialist: User, member: Member, value: str
) -> None:
    client.force_login(specialist)

    response = client.get(
        reverse("jobends:meeting", args=[member.public_id]), {"job_end": value}
    )

    assert response.status_code == 200
    assert response.context["form"]["job_end"].value() is None

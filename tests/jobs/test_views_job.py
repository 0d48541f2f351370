"""Recording a job, fitting windows to it, and the job on the member page."""

import datetime
import html
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import MilestoneAuthorization
from milestones.rules import Window
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import IOWA_EXAMPLE, authorize
from tests.pages import errors_next_to_named as errors_next_to
from tests.pages import field_block_named as field_block

pytestmark = pytest.mark.django_db

D = datetime.date

# Late in 2026, so every date of the Iowa example is in the past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def create_url(member: Member) -> str:
    return reverse("jobs:create", args=[member.public_id])


def fit_url(job: Job) -> str:
    return reverse("jobs:fit-windows", args=[job.public_id])


def member_url(member: Member) -> str:
    return reverse("members:detail", args=[member.public_id])


def job_post(**changes: str) -> dict[str, str]:
    data = {
        "employer": "Cedar Prairie Grocers",
        "title": "Stock clerk",
        "first_day_on": "2026-04-15",
        "hours_per_week": "20",
        "hourly_wage": "15.50",
    }
    data.update(changes)
    return data


def job_for(actor: User, member: Member, first_day_on: datetime.date) -> Job:
    return job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=first_day_on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


# A browser always sends the CSRF token, even with no box ticked: the fit
# form's only field is an optional checkbox.
AS_A_BROWSER = {"csrfmiddlewaretoken": "sent-by-every-browser"}


def page_text(content: bytes) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", content.decode())
    return " ".join(html.unescape(text).split())


# Recording a job


def test_specialist_records_a_job_and_hears_its_day_45_and_day_90(
    client: Client, specialist: User, member: Member
) -> None:
    client.force_login(specialist)

    response = client.post(create_url(member), job_post(), follow=True)

    job = Job.objects.get()
    assert (job.member, job.recorded_by) == (member, specialist)
    assert response.redirect_chain == [(member_url(member), 302)]
    assert "Job recorded. Day 45 is 05/29/2026, day 90 is 07/13/2026." in (
        page_text(response.content)
    )


def test_supervisor_records_a_job(
    client: Client, supervisor: User, member: Member
) -> None:
    client.force_login(supervisor)

    response = client.post(create_url(member), job_post())

    assert response.status_code == 302
    assert Job.objects.get().recorded_by == supervisor


def test_out_of_range_figures_show_next_to_their_fields_and_keep_the_typing(
    client: Client, specialist: User, member: Member
) -> None:
    client.force_login(specialist)

    response = client.post(
        create_url(member), job_post(hours_per_week="81", hourly_wage="300")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Hours per week are more than 0 and at most 80." in errors_next_to(
        page, "hours_per_week"
    )
    assert "An hourly wage is more than $0 and at most $250." in errors_next_to(
        page, "hourly_wage"
    )
    assert errors_next_to(page, "employer") == ""
    assert 'value="81"' in field_block(page, "hours_per_week")
    assert 'value="300"' in field_block(page, "hourly_wage")
    assert 'value="Cedar Prairie Grocers"' in field_block(page, "employer")
    assert "Nothing was saved." in page
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("hours_per_week", "-5"),
        ("hours_per_week", "0"),
        ("hourly_wage", "-1"),
        ("hourly_wage", "0"),
        ("hourly_wage", "lots"),
    ],
)
def test_negative_zero_or_nonsense_figures_are_refused_next_to_the_field(
    client: Client, specialist: User, member: Member, field: str, typed: str
) -> None:
    client.force_login(specialist)

    response = client.post(create_url(member), job_post(**{field: typed}))

    page = response.content.decode()
    assert errors_next_to(page, field) != ""
    assert f'value="{typed}"' in field_block(page, field)
    assert not Job.objects.exists()


def test_first_day_before_joining_ips_is_refused_next_to_the_date(
    client: Client, specialist: User, member: Member
) -> None:
    client.force_login(specialist)

    response = client.post(create_url(member), job_post(first_day_on="2026-01-09"))

    page = response.content.decode()
    assert "cannot be before the member joined IPS (01/10/2026)" in errors_next_to(
        page, "first_day_on"
    )
    assert 'value="2026-01-09"' in field_block(page, "first_day_on")
    assert not Job.objects.exists()


def test_after_an_exit_the_former_team_records_no_job(
    client: Client, specialist: User, member: Member
) -> None:
    member.episodes.update(closed_on=D(2026, 3, 31))
    client.force_login(specialist)

    response = client.post(create_url(member), job_post())

    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_wage_under_minimum_shows_a_warning_then_records_once_confirmed(
    client: Client, specialist: User, member: Member
) -> None:
    client.force_login(specialist)

    warning = client.post(create_url(member), job_post(hourly_wage="7.00"))

    page = warning.content.decode()
    assert warning.status_code == 200
    assert "is Iowa's minimum wage" in page
    assert 'name="below_minimum_seen"' in page
    assert 'value="7.00"' in field_block(page, "hourly_wage")
    assert not Job.objects.exists()

    confirmed = client.post(
        create_url(member), job_post(hourly_wage="7.00", below_minimum_seen="on")
    )

    assert confirmed.status_code == 302
    job = Job.objects.get()
    assert job.hourly_wage == Decimal("7.00")
    assert not job.is_competitive
    shown = page_text(client.get(member_url(member)).content)
    assert "below minimum wage: not competitive" in shown


def test_a_wage_at_minimum_shows_no_warning(
    client: Client, specialist: User, member: Member
) -> None:
    client.force_login(specialist)

    response = client.post(create_url(member), job_post(hourly_wage="7.25"))

    assert response.status_code == 302
    assert Job.objects.get().is_competitive


def test_the_form_has_no_minimum_wage_box_until_it_is_needed(
    client: Client, specialist: User, member: Member
) -> None:
    client.force_login(specialist)

    response = client.get(create_url(member))

    assert response.status_code == 200
    assert 'name="below_minimum_seen"' not in response.content.decode()


@pytest.mark.parametrize(
    "person", ["outsider", "outsider_supervisor", "outsider_case_manager"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_cannot_find_the_job_form(
    client: Client,
    request: pytest.FixtureRequest,
    member: Member,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(create_url(member), job_post())

    assert response.status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("person", ["case_manager", "reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_roles_that_do_not_log_services_are_forbidden_the_job_form(
    client: Client,
    request: pytest.FixtureRequest,
    member: Member,
    person: str,
    method: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(create_url(member), job_post())

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_administrator_sees_no_member_to_record_a_job_for(
    client: Client, administrator: User, member: Member
) -> None:
    client.force_login(administrator)

    assert client.get(create_url(member)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, member: Member) -> None:
    response = client.get(create_url(member))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_former_provider_cannot_record_a_job_on_another_providers_episode(
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
    client.force_login(specialist)

    response = client.post(create_url(moved), job_post())

    assert response.status_code in (403, 404)
    assert not Job.objects.exists()


# The job on the member page


def test_member_page_shows_a_mid_april_job_inside_the_iowa_example_windows(
    client: Client, specialist: User, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    client.force_login(specialist)
    client.post(create_url(member), job_post(first_day_on="2026-04-15"))

    response = client.get(member_url(member))

    shown = page_text(response.content)
    assert "Stock clerk at Cedar Prairie Grocers" in shown
    assert "2 – first day 04/15/2026 04/01/2026 – 04/30/2026 Inside the window" in (
        shown
    )
    assert "3 – day 45 05/29/2026 05/01/2026 – 05/31/2026 Inside the window" in shown
    assert "4 – day 90 07/13/2026 07/01/2026 – 07/31/2026 Inside the window" in shown
    assert "milestone gap" not in shown
    [(_, _, has_gap)] = response.context["jobs"]
    assert not has_gap


def test_member_page_marks_the_day_45_of_a_late_april_job_as_a_milestone_gap(
    client: Client, specialist: User, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    client.force_login(specialist)
    client.post(create_url(member), job_post(first_day_on="2026-04-28"))

    response = client.get(member_url(member))

    shown = page_text(response.content)
    assert (
        "3 – day 45 06/11/2026 05/01/2026 – 05/31/2026 "
        "Outside the window: milestone gap"
    ) in shown
    assert "4 – day 90 07/26/2026 07/01/2026 – 07/31/2026 Inside the window" in shown
    assert "The case manager can fit the windows to the job." in shown
    assert fit_url(Job.objects.get()) not in response.content.decode()


def test_case_manager_sees_the_gap_with_a_link_to_fit_the_windows(
    client: Client, specialist: User, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))
    client.force_login(case_manager)

    response = client.get(member_url(member))

    assert "milestone gap" in page_text(response.content)
    assert f'href="{fit_url(job)}"' in response.content.decode()


def test_reviewer_reads_the_member_page_with_its_jobs(
    client: Client, specialist: User, reviewer: User, member: Member
) -> None:
    job_for(specialist, member, D(2026, 4, 15))
    client.force_login(reviewer)

    response = client.get(member_url(member))

    assert response.status_code == 200
    assert "Stock clerk at Cedar Prairie Grocers" in page_text(response.content)
    assert create_url(member) not in response.content.decode()


# Fitting the windows to a job


def test_case_manager_sees_current_and_fitted_windows(
    client: Client, specialist: User, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))
    client.force_login(case_manager)

    response = client.get(fit_url(job))

    shown = page_text(response.content)
    assert response.status_code == 200
    assert "day 45 is 06/11/2026, day 90 is 07/26/2026" in shown
    assert "05/01/2026 – 05/31/2026 06/01/2026 – 06/30/2026" in shown


def test_case_manager_fits_the_windows_and_the_gap_goes_away(
    client: Client, specialist: User, case_manager: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))
    client.force_login(case_manager)

    response = client.post(fit_url(job), AS_A_BROWSER, follow=True)

    assert response.redirect_chain == [(member_url(member), 302)]
    line = authorization.lines.get(milestone=3)
    assert line.window == Window(D(2026, 6, 1), D(2026, 6, 30))
    assert line.history.first().history_user == case_manager
    shown = page_text(response.content)
    assert "Windows fitted to the job." in shown
    assert "3 – day 45 06/11/2026 06/01/2026 – 06/30/2026 Inside the window" in shown
    assert "milestone gap" not in shown


def test_fitting_windows_that_already_fit_says_so_and_changes_nothing(
    client: Client, specialist: User, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 15))
    client.force_login(case_manager)

    response = client.post(fit_url(job), AS_A_BROWSER)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The windows already fit this job."
    ]
    assert all(
        line.history.count() == 1 for line in MilestoneAuthorization.objects.all()
    )


def test_a_cap_warning_is_shown_then_the_fit_goes_through_once_seen(
    client: Client, specialist: User, case_manager: User, member: Member
) -> None:
    # A March job puts milestone 2 in March, beside milestone 1's window.
    authorization = authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 3, 10))
    client.force_login(case_manager)

    warning = client.post(fit_url(job), AS_A_BROWSER)

    shown = page_text(warning.content)
    assert warning.status_code == 200
    assert "Monthly cap warning." in shown
    assert "March 2026: $3,964.95" in shown
    assert 'name="cap_warning_seen"' in warning.content.decode()
    assert authorization.lines.get(milestone=2).window == IOWA_EXAMPLE[2]

    confirmed = client.post(fit_url(job), {**AS_A_BROWSER, "cap_warning_seen": "on"})

    assert confirmed.status_code == 302
    assert authorization.lines.get(milestone=2).window == Window(
        D(2026, 3, 1), D(2026, 3, 31)
    )


@pytest.mark.parametrize(
    "person", ["outsider", "outsider_supervisor", "outsider_case_manager"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_cannot_find_the_fit_windows_page(
    client: Client,
    request: pytest.FixtureRequest,
    specialist: User,
    case_manager: User,
    member: Member,
    person: str,
    method: str,
) -> None:
    authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(fit_url(job), AS_A_BROWSER)

    assert response.status_code == 404
    assert MilestoneAuthorization.objects.get(milestone=3).window == IOWA_EXAMPLE[3]


@pytest.mark.parametrize("person", ["specialist", "supervisor", "reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_roles_that_do_not_authorize_are_forbidden_to_fit_windows(
    client: Client,
    request: pytest.FixtureRequest,
    specialist: User,
    case_manager: User,
    member: Member,
    person: str,
    method: str,
) -> None:
    authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))
    client.force_login(request.getfixturevalue(person))

    response = getattr(client, method)(fit_url(job), AS_A_BROWSER)

    assert response.status_code == 403
    assert MilestoneAuthorization.objects.get(milestone=3).window == IOWA_EXAMPLE[3]


def test_administrator_cannot_find_a_job_to_fit(
    client: Client, specialist: User, administrator: User, member: Member
) -> None:
    job = job_for(specialist, member, D(2026, 4, 28))
    client.force_login(administrator)

    assert client.get(fit_url(job)).status_code == 404

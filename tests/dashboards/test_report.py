"""The dashboard report: the page's figures, charts and tables as one PDF.

The figures are those of the hand-made dataset (tests/dashboards/builders.py),
worked out in tests/dashboards/test_metrics.py; the report must show them
exactly as the page does.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from dashboards.report import (
    CHARTS,
    DashboardReportFiltersInvalid,
    board_sections,
    boards_visible,
    dashboard_report_get,
    dashboard_report_pdf,
    dashboard_report_store,
)
from dashboards.rollups import coaching_months_refresh
from dashboards.scope import DashboardFilters, DashboardScope
from dashboards.tables import Figures
from dashboards.tasks import render_report
from documents.render import ProjectAssetFetcher
from payers.models import Payer
from providers.models import County
from tests.dashboards.builders import AS_OF, PERIOD, Dataset, People, build, iowa_time
from tests.documents.pdf import pdf_pages, pdf_text
from tests.factories import UserFactory, provider_site
from tests.pages import errors_next_to_named

NOW = iowa_time(AS_OF, 12)
IN_PERIOD = {
    "period_from": f"{PERIOD[0]:%Y-%m-%d}",
    "period_to": f"{PERIOD[1]:%Y-%m-%d}",
}
QUERY = f"period_from={PERIOD[0]:%Y-%m-%d}&period_to={PERIOD[1]:%Y-%m-%d}"
ASK = "/dashboards/report.pdf"
REPORT_PAGE = re.compile(r"^/dashboards/reports/([0-9a-f-]{36})/\?(.*)$")


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def storage(settings: Any) -> None:
    """A storage of its own for each test: no report outlives its test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def report(user: User, **filters: str) -> str:
    return pdf_text(dashboard_report_pdf(user, {**IN_PERIOD, **filters}))


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# What the report holds


def test_a_supervisors_report_names_its_provider_period_and_filters(
    dataset: Dataset, supervisor: User
) -> None:
    text = report(supervisor)

    assert "Dashboard report" in text
    assert "43 North Iowa. Counts, rates and amounts only" in text
    assert "PERIOD 01/01/2026 – 06/30/2026" in text
    assert "PROVIDER 43 North Iowa" in text
    assert "COUNTY All counties" in text
    assert "PAYER All payers" in text
    assert "Robert Young Center" not in text


def test_a_chosen_county_and_payer_are_named(dataset: Dataset, reviewer: User) -> None:
    polk = County.objects.get(name="Polk")
    wellpoint = Payer.objects.get(short_name="Wellpoint")
    provider_a = provider_site("43-north-iowa")

    text = report(
        reviewer,
        county=str(polk.pk),
        payer=str(wellpoint.pk),
        provider=str(provider_a.pk),
    )

    assert "43 North Iowa. Counts" in text
    assert "COUNTY Polk" in text
    assert f"PAYER {wellpoint.name}" in text


def test_key_figures_are_the_metrics_of_the_page(
    dataset: Dataset, reviewer: User
) -> None:
    # Every provider, first half of 2026 (tests/dashboards/test_metrics.py):
    # Q2 3 of 6 in IPS worked competitively; 7 referred, 2 of them reached
    # 90 days; a median of 10 days to authorization over 5 episodes;
    # $11,942.32 of milestones and $518.08 of coaching; 6 open flags.
    text = report(reviewer)

    assert "COMPETITIVE EMPLOYMENT, Q2 2026 50.0% 3 of 6 members in IPS" in text
    assert "REFERRED IN THE PERIOD 7 2 of them reached 90 days on a job" in text
    assert "MEDIAN DAYS, REFERRAL TO AUTHORIZATION 10 over 5 episodes" in text
    assert (
        "MILESTONES AND COACHING $12,460.40 $11,942.32 milestones, $518.08 coaching"
        in text
    )
    assert "OPEN FLAGS TODAY 6" in text


def test_every_table_of_the_page_is_in_the_report_as_the_page_shows_it(
    dataset: Dataset,
    reviewer: User,
    scope_all: DashboardScope,
    period: DashboardFilters,
) -> None:
    text = report(reviewer)

    figures = Figures(scope_all, period)
    for board, _ in boards_visible(scope_all):
        for section in board_sections(board, figures):
            for table in section.tables:
                assert table.title in text
                assert " ".join(table.header) in text
                for row in table.rows:
                    assert " ".join(cell.text for cell in row) in text
    # Two rows worked out by hand, to be sure the page's tables are right too.
    assert "Q1 2026 6 4 66.7% Excellent or better" in text
    assert "All months All payers $11,942.32 $518.08 $12,460.40" in text


def test_each_chart_is_drawn_under_its_caption_and_nothing_is_fetched_from_outside(
    dataset: Dataset, supervisor: User
) -> None:
    fetcher = ProjectAssetFetcher()

    pdf = dashboard_report_pdf(supervisor, IN_PERIOD, fetcher=fetcher)

    assert fetcher.refused == []
    pages = pdf_pages(pdf)
    document = pypdfium2.PdfDocument(pdf)
    for chart in CHARTS.values():
        caption = f"Chart: {chart.title}."
        (number,) = [index for index, page in enumerate(pages) if caption in page]
        # A chart is drawn, not pasted: its bars, lines and letters are
        # paths, hundreds of them, on the page of its caption.
        paths = [
            each
            for each in document[number].get_objects(max_depth=4)
            if each.type == pdfium_c.FPDF_PAGEOBJ_PATH
        ]
        assert len(paths) > 150, chart.name


def test_a_case_managers_report_counts_their_organizations_members(
    dataset: Dataset, case_manager: User
) -> None:
    text = report(case_manager)

    assert "Members managed by Wellpoint Iowa. Counts" in text
    assert "Providers compared" not in text


def test_only_a_reviewers_report_compares_providers(
    dataset: Dataset, reviewer: User, supervisor: User
) -> None:
    text = report(reviewer)

    assert "Iowa IPS program. Counts" in text
    assert "Providers compared" in text
    assert "Robert Young Center" in text
    assert "Providers compared" not in report(supervisor)


def test_no_member_is_named_in_the_report(dataset: Dataset, reviewer: User) -> None:
    assert "Dashboardtest" not in report(reviewer)


def test_filters_the_page_refuses_are_refused(
    dataset: Dataset, supervisor: User, specialist: User, administrator: User
) -> None:
    other = provider_site("robert-young-center").pk

    with pytest.raises(DashboardReportFiltersInvalid) as refused:
        dashboard_report_pdf(supervisor, {"provider": str(other)})
    assert "provider" in refused.value.form.errors
    with pytest.raises(DashboardReportFiltersInvalid):
        dashboard_report_pdf(supervisor, {"period_from": "2026-13-45"})
    for user in (specialist, administrator):
        with pytest.raises(PermissionDenied):
            dashboard_report_pdf(user, {})


def test_the_report_runs_the_same_queries_for_four_times_the_data(
    people: People, reviewer: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboard_report_pdf(reviewer, IN_PERIOD)
        return len(captured)

    build(people, copy=0)
    coaching_months_refresh(today=AS_OF)
    small = queries()
    for copy in (1, 2, 3):
        build(people, copy=copy)
    coaching_months_refresh(today=AS_OF)
    large = queries()

    # Each metric of every board once, the provider comparison's own among
    # them; the form reads a choice only when one is made, and the program
    # has no provider to name.
    assert small == large == 22


# Asking for the report on the site


@pytest.fixture
def worker(
    monkeypatch: pytest.MonkeyPatch,
) -> list[tuple[str, dict[str, Any]]]:
    """Run each queued report at once, as the worker would; keep what was sent."""
    sent: list[tuple[str, dict[str, Any]]] = []

    def send_task(name: str, kwargs: dict[str, Any]) -> None:
        sent.append((name, kwargs))
        render_report(**kwargs)

    monkeypatch.setattr("dashboards.report.app.send_task", send_task)
    return sent


def ask(
    client: Client, capture: Callable[..., Any], query: str = QUERY
) -> tuple[str, str]:
    """Ask for a report; return its page's address and its id."""
    with capture(execute=True):
        response = client.get(f"{ASK}?{query}")
    assert response.status_code == 302
    found = REPORT_PAGE.match(response["Location"])
    assert found is not None, response["Location"]
    return response["Location"], found[1]


def test_a_supervisor_asks_for_their_providers_report_and_downloads_it(
    dataset: Dataset,
    supervisor: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = signed_in(supervisor)

    page, report_id = ask(client, django_capture_on_commit_callbacks)

    # The task carries ids and plain filter values, nothing about members.
    assert worker == [
        (
            "dashboards.render_report",
            {
                "user_id": supervisor.pk,
                "filters": {"provider": "", "county": "", "payer": "", **IN_PERIOD},
                "report_id": report_id,
            },
        )
    ]
    status = client.get(page)
    assert status.status_code == 200
    assert "Your report is ready." in status.text
    link = f"/dashboards/reports/{report_id}.pdf"
    assert f'href="{link}"' in status.text

    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="ips-dashboard-report-20260101-20260630.pdf"'
    )
    text = pdf_text(download.content)
    assert "PROVIDER 43 North Iowa" in text
    assert "Q1 2026 4 3 75.0%" in text  # provider A's own rate


def test_a_report_being_made_says_so_and_looks_again(
    dataset: Dataset,
    supervisor: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    monkeypatch.setattr("dashboards.report.app.send_task", lambda name, kwargs: None)
    client = signed_in(supervisor)

    page, report_id = ask(client, django_capture_on_commit_callbacks)

    status = client.get(page)
    assert "Your report is being prepared." in status.text
    assert status["Refresh"] == "3"
    assert client.get(f"/dashboards/reports/{report_id}.pdf").status_code == 404


def test_a_reviewer_gets_the_program_report(
    dataset: Dataset,
    reviewer: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = signed_in(reviewer)

    _, report_id = ask(client, django_capture_on_commit_callbacks)

    download = client.get(f"/dashboards/reports/{report_id}.pdf")
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    assert "Iowa IPS program. Counts" in text
    assert "Providers compared" in text


def test_a_supervisor_asking_for_another_providers_report_is_not_found(
    dataset: Dataset,
    supervisor: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    other = provider_site("robert-young-center").pk

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(supervisor).get(f"{ASK}?provider={other}&{QUERY}")

    assert response.status_code == 404
    assert worker == []


def test_only_the_person_who_asked_may_open_a_report(
    dataset: Dataset,
    supervisor: User,
    outsider_supervisor: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    page, report_id = ask(signed_in(supervisor), django_capture_on_commit_callbacks)
    colleague = UserFactory(
        organization=supervisor.organization, role=User.Role.IPS_SUPERVISOR
    )

    for other in (outsider_supervisor, colleague):
        client = signed_in(other)
        assert client.get(page).status_code == 404
        assert client.get(f"/dashboards/reports/{report_id}.pdf").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["specialist", "administrator"])
def test_specialists_and_administrators_are_refused_as_on_the_page(
    role: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))

    assert client.get(ASK).status_code == 403
    assert client.get("/dashboards/").status_code == 403


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in() -> None:
    response = Client().get(f"{ASK}?{QUERY}")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("period_from=2026-13-45", "period_from", "Enter a date"),
        (
            "period_from=2026-06-01&period_to=2026-01-01",
            "period_to",
            "cannot end before",
        ),
        ("county=abc", "county", "valid choice"),
    ],
)
def test_bad_filters_are_named_next_to_their_field_and_nothing_is_made(
    reviewer: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
    query: str,
    field: str,
    message: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(reviewer).get(f"{ASK}?{query}")

    assert response.status_code == 400
    assert message in errors_next_to_named(response.text, field)
    assert worker == []


def test_a_report_that_cannot_be_queued_says_it_could_not_be_made(
    reviewer: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broker_down(name: str, kwargs: dict[str, Any]) -> None:
        raise ConnectionError("No broker.")

    monkeypatch.setattr("dashboards.report.app.send_task", broker_down)
    client = signed_in(reviewer)

    page, _ = ask(client, django_capture_on_commit_callbacks)

    status = client.get(page)
    assert "The report could not be made." in status.text
    assert f'href="{ASK}?{QUERY.replace("&", "&amp;")}"' in status.text


def test_a_person_who_lost_their_dashboards_gets_no_report(
    dataset: Dataset,
    supervisor: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "dashboards.report.app.send_task", lambda name, kwargs: sent.append(kwargs)
    )
    _, report_id = ask(signed_in(supervisor), django_capture_on_commit_callbacks)
    supervisor.role = User.Role.IPS_SPECIALIST
    supervisor.save()

    assert dashboard_report_store(**sent[0]).state == "failed"
    supervisor.role = User.Role.IPS_SUPERVISOR
    supervisor.save()
    found = dashboard_report_get(supervisor, report_id)
    assert found is not None and found.state == "failed"


def test_reports_are_deleted_a_day_after_they_were_made(
    dataset: Dataset,
    supervisor: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    first_page, _ = ask(signed_in(supervisor), django_capture_on_commit_callbacks)

    # Each later visit signs in afresh: a session may not last a day.
    with time_machine.travel(NOW + datetime.timedelta(hours=23), tick=False):
        client = signed_in(supervisor)
        ask(client, django_capture_on_commit_callbacks)
        assert client.get(first_page).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(hours=24, minutes=1)):
        client = signed_in(supervisor)
        ask(client, django_capture_on_commit_callbacks)
        assert client.get(first_page).status_code == 404


def test_the_dashboard_page_links_to_the_report_with_its_filters(
    dataset: Dataset, supervisor: User
) -> None:
    page = signed_in(supervisor).get(f"/dashboards/money/?{QUERY}").text

    assert f'href="{ASK}?{QUERY.replace("&", "&amp;")}"' in page
    assert "Download this dashboard as a PDF report" in page

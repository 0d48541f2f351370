"""The dashboard report: the page's figures, charts and tables as one PDF.

The figures are those of the hand-made dataset (tests/dashboards/builders.py),
worked out in tests/dashboards/test_metrics.py; the report must show them
exactly as the page does.
"""

import datetime
import logging
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
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
from dashboards import charts
from dashboards.metrics import Money, MoneyRow, SpecialistCaseload
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
from tests.documents.pdf import (
    SIDE_MARGIN,
    pdf_pages,
    pdf_text,
    pdf_text_off_the_page,
)
from tests.factories import UserFactory, provider_site
from tests.pages import errors_next_to_named

NOW = iowa_time(AS_OF, 12)
ZERO = Decimal("0")
IN_PERIOD = {
    "period_from": f"{PERIOD[0]:%Y-%m-%d}",
    "period_to": f"{PERIOD[1]:%Y-%m-%d}",
}
QUERY = f"period_from={PERIOD[0]:%Y-%m-%d}&period_to={PERIOD[1]:%Y-%m-%d}"
ASK = "/dashboards/report.pdf"
REPORT_PAGE = re.compile(r"^/dashboards/reports/([0-9a-f-]{36})/$")


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


def test_a_long_provider_name_wraps_inside_the_margins(
    dataset: Dataset, supervisor: User
) -> None:
    organization = supervisor.organization
    organization.name = "North-Iowa-Supported-Employment-Partnership-of-Cerro-Gordo"
    organization.save()

    pdf = dashboard_report_pdf(supervisor, IN_PERIOD)

    assert pdf_text_off_the_page(pdf, margin=SIDE_MARGIN) == []


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
    # them, and a look at when coaching was last worked out; the form reads
    # a choice only when one is made, and the program has no provider to
    # name.
    assert small == large == 23


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
    client: Client, capture: Callable[..., Any], filters: dict[str, str] = IN_PERIOD
) -> tuple[str, str]:
    """Ask for a report with the page's button; return its page and its id."""
    with capture(execute=True):
        response = client.post(ASK, filters)
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
    # The page says what was asked for, as the report does.
    assert "01/01/2026 – 06/30/2026" in status.text
    assert "43 North Iowa" in status.text
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
        response = signed_in(supervisor).post(
            ASK, {"provider": str(other), **IN_PERIOD}
        )

    assert response.status_code == 404
    assert worker == []


def test_only_the_person_who_asked_may_open_a_report(
    dataset: Dataset,
    supervisor: User,
    outsider_supervisor: User,
    specialist: User,
    administrator: User,
    reviewer: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    page, report_id = ask(signed_in(supervisor), django_capture_on_commit_callbacks)
    colleague = UserFactory(
        organization=supervisor.organization, role=User.Role.IPS_SUPERVISOR
    )

    # Not found, whatever the role: not even whether such a report exists
    # is told, to those without dashboards (a specialist, the
    # administrator) as to those with them.
    for other in (outsider_supervisor, colleague, specialist, administrator, reviewer):
        client = signed_in(other)
        assert client.get(page).status_code == 404
        assert client.get(f"/dashboards/reports/{report_id}.pdf").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["specialist", "administrator"])
def test_specialists_and_administrators_are_refused_as_on_the_page(
    role: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))

    assert client.post(ASK, IN_PERIOD).status_code == 403
    assert client.get("/dashboards/").status_code == 403


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in() -> None:
    response = Client().post(ASK, IN_PERIOD)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"period_from": "2026-13-45"}, "period_from", "Enter a date"),
        (
            {"period_from": "2026-06-01", "period_to": "2026-01-01"},
            "period_to",
            "cannot end before",
        ),
        ({"county": "abc"}, "county", "valid choice"),
    ],
)
def test_bad_filters_are_named_next_to_their_field_and_nothing_is_made(
    reviewer: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
    filters: dict[str, str],
    field: str,
    message: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(reviewer).post(ASK, filters)

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
    # Asking again is the same button, with the same filters.
    assert button_filters(status.text) == {
        "provider": "",
        "county": "",
        "payer": "",
        **IN_PERIOD,
    }
    assert "Ask for it again" in status.text


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


def button_filters(page: str) -> dict[str, str]:
    """The hidden filter fields of the form that asks for the report."""
    form = re.search(rf'<form method="post" action="{ASK}".*?</form>', page, re.S)
    assert form is not None, "No button asks for the report."
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form[0])
    )
    assert fields.pop("csrfmiddlewaretoken")
    return fields


def test_the_dashboard_page_asks_for_the_report_with_its_filters(
    dataset: Dataset, supervisor: User
) -> None:
    page = signed_in(supervisor).get(f"/dashboards/money/?{QUERY}").text

    assert button_filters(page) == {
        "provider": "",
        "county": "",
        "payer": "",
        **IN_PERIOD,
    }
    assert "Download this dashboard as a PDF report" in page
    # No link asks for a report: a prefetch or a crawler would queue one.
    assert f'href="{ASK}' not in page


@pytest.mark.django_db
def test_asking_for_a_report_is_a_post_checked_against_forgery(
    supervisor: User,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)

    assert client.get(f"{ASK}?{QUERY}").status_code == 405
    assert client.post(ASK, IN_PERIOD).status_code == 403


def test_asking_again_while_a_report_is_made_hands_back_the_same_one(
    dataset: Dataset,
    supervisor: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "dashboards.report.app.send_task", lambda name, kwargs: sent.append(kwargs)
    )
    client = signed_in(supervisor)

    pages = {ask(client, django_capture_on_commit_callbacks)[0] for _ in range(10)}

    assert len(pages) == 1
    assert len(sent) == 1
    (page,) = pages
    assert "Your report is being prepared." in client.get(page).text


def test_a_report_made_minutes_ago_is_handed_back_and_a_later_one_is_made_anew(
    dataset: Dataset,
    supervisor: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = signed_in(supervisor)
    _, first = ask(client, django_capture_on_commit_callbacks)

    with time_machine.travel(NOW + datetime.timedelta(minutes=4), tick=False):
        _, again = ask(client, django_capture_on_commit_callbacks)
    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        _, later = ask(client, django_capture_on_commit_callbacks)

    assert again == first
    assert later != first
    assert len(worker) == 2


def test_other_filters_or_another_person_get_a_report_of_their_own(
    dataset: Dataset,
    supervisor: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    colleague = UserFactory(
        organization=supervisor.organization, role=User.Role.IPS_SUPERVISOR
    )
    polk = County.objects.get(name="Polk")

    _, first = ask(signed_in(supervisor), django_capture_on_commit_callbacks)
    _, in_polk = ask(
        signed_in(supervisor),
        django_capture_on_commit_callbacks,
        {**IN_PERIOD, "county": str(polk.pk)},
    )
    _, theirs = ask(signed_in(colleague), django_capture_on_commit_callbacks)

    assert len({first, in_polk, theirs}) == 3
    assert len(worker) == 3


def test_a_report_that_failed_is_made_again_when_asked_again(
    reviewer: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broker_down(name: str, kwargs: dict[str, Any]) -> None:
        raise ConnectionError("No broker.")

    monkeypatch.setattr("dashboards.report.app.send_task", broker_down)
    client = signed_in(reviewer)

    _, first = ask(client, django_capture_on_commit_callbacks)
    _, again = ask(client, django_capture_on_commit_callbacks)

    assert again != first


def test_a_report_file_name_names_the_filters_chosen(
    dataset: Dataset,
    reviewer: User,
    worker: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = signed_in(reviewer)
    polk = County.objects.get(name="Polk")
    wellpoint = Payer.objects.get(short_name="Wellpoint")
    provider_a = provider_site("43-north-iowa")
    chosen = {
        **IN_PERIOD,
        "provider": str(provider_a.pk),
        "county": str(polk.pk),
        "payer": str(wellpoint.pk),
    }

    _, every = ask(client, django_capture_on_commit_callbacks)
    page, narrowed = ask(client, django_capture_on_commit_callbacks, chosen)

    def filename(report_id: str) -> str:
        download = client.get(f"/dashboards/reports/{report_id}.pdf")
        return str(download["Content-Disposition"])

    assert filename(every) == (
        'attachment; filename="ips-dashboard-report-20260101-20260630.pdf"'
    )
    assert filename(narrowed) == (
        'attachment; filename="ips-dashboard-report-20260101-20260630-'
        '43-north-iowa-polk-wellpoint.pdf"'
    )
    status = client.get(page).text
    for name in ("43 North Iowa", "Polk", wellpoint.name):
        assert name in status


def test_the_report_works_out_coaching_not_yet_summarised(
    people: People, reviewer: User
) -> None:
    # The dataset without its coaching summaries: nobody has opened the
    # Money board, and the nightly refresh has not run.
    build(people)

    text = report(reviewer)

    assert "$11,942.32 milestones, $518.08 coaching" in text
    assert "Coaching as worked out at 07/10/2026 12:00" in text


def test_the_report_works_out_coaching_logged_since_stale_summaries(
    people: People, reviewer: User
) -> None:
    # The summaries were worked out an hour ago; every coaching period and
    # contact of the dataset was recorded since.
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        coaching_months_refresh()
    build(people)

    text = report(reviewer)

    assert "$11,942.32 milestones, $518.08 coaching" in text
    assert "Coaching as worked out at 07/10/2026 12:00" in text


def test_fresh_coaching_summaries_are_not_worked_out_again(
    dataset: Dataset, reviewer: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dashboards.rollups")

    report(reviewer)

    assert "Coaching summaries refreshed" not in caplog.text


# The report's charts


def test_a_caseload_over_the_limit_says_so_inside_the_chart() -> None:
    caseloads = [
        SpecialistCaseload(
            1, "Jasper Ruhnke", 1, "Hope Haven – Imagine the Possibilities", 22, 20
        ),
        SpecialistCaseload(
            2, "Dale Rasmussen", 2, "Vera French Community Mental Health Center", 8, 20
        ),
    ]

    figure = charts.caseload_figure(caseloads)

    figure.draw_without_rendering()
    (axes,) = figure.axes
    labels = {text.get_text(): text.get_window_extent() for text in axes.texts}
    assert set(labels) >= {"22 — over the limit", "8"}
    for label, box in labels.items():
        assert box.x1 <= figure.bbox.x1, label


def test_an_empty_money_chart_has_no_scale_and_a_small_one_whole_dollars() -> None:
    months = [datetime.date(2026, month, 1) for month in range(1, 7)]
    small = [
        MoneyRow(months[1], 1, "Wellpoint", "medicaid_mco", Decimal("3"), ZERO),
        MoneyRow(months[3], 1, "Wellpoint", "medicaid_mco", Decimal("1"), ZERO),
    ]

    def scale(money: Money) -> list[str]:
        """The amounts written on the chart's vertical axis."""
        figure = charts.money_figure(money)
        figure.draw_without_rendering()
        (axes,) = figure.axes
        top = axes.get_ylim()[1]
        ticks = zip(axes.get_yticks(), axes.get_yticklabels(), strict=True)
        return [label.get_text() for value, label in ticks if value <= top]

    assert scale(Money(months, [], None)) == []
    assert scale(Money(months, small, None)) == ["$0", "$1", "$2", "$3"]

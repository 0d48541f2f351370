"""The dashboard page, its CSV downloads and its charts, as each role gets them."""

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from dashboards.rollups import coaching_months_refresh
from tests.dashboards.builders import AS_OF, PERIOD, Dataset, People, build, iowa_time
from tests.factories import UserFactory, provider_site
from tests.pages import errors_next_to_named, field_block_named

PAGE = "/dashboards/"
BOARDS = ("outcomes", "milestones", "caseloads", "money")
TABLES_OF = {
    "outcomes": ("employment", "delays"),
    "milestones": ("funnel", "job-ends", "reauthorizations", "exits"),
    "caseloads": ("caseload", "flags"),
    "money": ("money", "medicaid", "coaching-tiers"),
    "providers": ("providers",),
}
CHART_ON = {
    "employment": "outcomes",
    "funnel": "milestones",
    "caseload": "caseloads",
    "money": "money",
}
IN_PERIOD = f"period_from={PERIOD[0]:%Y-%m-%d}&period_to={PERIOD[1]:%Y-%m-%d}"


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with time_machine.travel(iowa_time(AS_OF, 12), tick=False):
        yield


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


# Who may see the dashboards


@pytest.mark.parametrize("role", ["reviewer", "supervisor", "case_manager"])
def test_every_dashboard_opens_for_each_role_that_has_one(
    role: str, request: pytest.FixtureRequest, dataset: Dataset
) -> None:
    client = signed_in(request.getfixturevalue(role))

    first = client.get(f"{PAGE}?{IN_PERIOD}")
    assert first.status_code == 200
    assert "Competitive employment rate by quarter" in first.text
    assert 'href="/dashboards/"' in first.text  # the navigation link
    for board in BOARDS:
        response = client.get(f"{PAGE}{board}/?{IN_PERIOD}")
        assert response.status_code == 200
        assert f'href="/dashboards/{board}/?' in response.text  # its tab


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["specialist", "administrator"])
def test_specialists_and_administrators_are_refused(
    role: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))

    assert client.get(PAGE).status_code == 403
    assert client.get("/dashboards/tables/employment.csv").status_code == 403
    assert client.get("/dashboards/charts/employment.svg").status_code == 403
    assert 'href="/dashboards/"' not in client.get("/").text


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in() -> None:
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_only_a_reviewer_compares_providers(
    dataset: Dataset, reviewer: User, supervisor: User, case_manager: User
) -> None:
    assert "Providers compared" in signed_in(reviewer).get(PAGE).text
    assert signed_in(reviewer).get(f"{PAGE}providers/").status_code == 200
    for user in (supervisor, case_manager):
        client = signed_in(user)
        assert "Providers compared" not in client.get(PAGE).text
        assert client.get(f"{PAGE}providers/").status_code == 404
        assert client.get("/dashboards/tables/providers.csv").status_code == 404
    assert (
        signed_in(case_manager).get("/dashboards/tables/nothing.csv").status_code == 404
    )


def test_each_scope_shows_its_own_figures(
    dataset: Dataset, reviewer: User, supervisor: User, outsider_supervisor: User
) -> None:
    # Q1 employment: everyone 4 of 6 (66.7%), provider A 3 of 4 (75.0%),
    # provider B 1 of 2 (50.0%) (tests/dashboards/test_metrics.py).
    assert "66.7%" in signed_in(reviewer).get(f"{PAGE}?{IN_PERIOD}").text
    assert "75.0%" in signed_in(supervisor).get(f"{PAGE}?{IN_PERIOD}").text
    provider_b = signed_in(outsider_supervisor).get(f"{PAGE}?{IN_PERIOD}").text
    assert "66.7%" not in provider_b
    assert "Robert Young Center" in provider_b


def test_member_names_never_reach_the_pages(dataset: Dataset, reviewer: User) -> None:
    client = signed_in(reviewer)

    for board in (*BOARDS, "providers"):
        assert "Dashboardtest" not in client.get(f"{PAGE}{board}/?{IN_PERIOD}").text


# Filters


def test_a_supervisor_cannot_pick_another_provider(
    dataset: Dataset, supervisor: User
) -> None:
    other = provider_site("robert-young-center").pk
    client = signed_in(supervisor)

    response = client.get(f"{PAGE}?provider={other}")

    assert response.status_code == 200
    assert "valid choice" in errors_next_to_named(response.text, "provider")
    assert "Competitive employment rate by quarter" not in response.text
    assert (
        client.get(f"/dashboards/tables/employment.csv?provider={other}").status_code
        == 400
    )
    assert (
        client.get(f"/dashboards/charts/funnel.svg?provider={other}").status_code == 400
    )
    offered = field_block_named(client.get(PAGE).text, "provider")
    assert "43 North Iowa" in offered
    assert "Robert Young Center" not in offered


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("period_from=2026-13-45", "period_from", "Enter a date"),
        (
            "period_from=2026-06-01&period_to=2026-01-01",
            "period_to",
            "cannot end before",
        ),
        ("period_from=2020-01-01&period_to=2026-06-30", "period_to", "at most 3 years"),
        ("period_from=2027-01-01", "period_from", "cannot begin after today"),
        ("county=abc", "county", "valid choice"),
        ("payer=999999", "payer", "valid choice"),
    ],
)
def test_bad_filters_are_named_next_to_their_field(
    reviewer: User, query: str, field: str, message: str
) -> None:
    response = signed_in(reviewer).get(f"{PAGE}?{query}")

    assert response.status_code == 200
    assert message in errors_next_to_named(response.text, field)


def test_the_default_period_is_the_last_four_quarters(
    dataset: Dataset, reviewer: User
) -> None:
    # Today is 07/10/2026: Q4 2025 to Q3 2026, the last one to date.
    page = signed_in(reviewer).get(PAGE).text

    assert "10/01/2025 – 07/10/2026" in page
    assert "Q3 2026 (07/01–07/10/2026 only)" in page


# CSV


def test_each_table_downloads_as_csv_with_the_page_filters(
    dataset: Dataset, reviewer: User
) -> None:
    client = signed_in(reviewer)

    for board, slugs in TABLES_OF.items():
        page = client.get(f"{PAGE}{board}/?{IN_PERIOD}").text
        for slug in slugs:
            link = f"/dashboards/tables/{slug}.csv?{IN_PERIOD}"
            assert link.replace("&", "&amp;") in page
            response = client.get(link)
            assert response.status_code == 200
            assert response["Content-Type"] == "text/csv; charset=utf-8"
            assert "attachment" in response["Content-Disposition"]
            assert len(csv_rows(response)) >= 2


def test_csv_holds_the_figures_plainly(dataset: Dataset, reviewer: User) -> None:
    client = signed_in(reviewer)

    employment = csv_rows(client.get(f"/dashboards/tables/employment.csv?{IN_PERIOD}"))
    money = csv_rows(client.get(f"/dashboards/tables/money.csv?{IN_PERIOD}"))

    assert employment[0] == [
        "Quarter",
        "In IPS",
        "Worked competitively",
        "Rate",
        "Against the standards",
    ]
    assert employment[1] == ["Q1 2026", "6", "4", "66.7", "Excellent or better"]
    assert employment[2] == ["Q2 2026", "6", "3", "50.0", "Excellent or better"]
    assert ["03/2026", "Wellpoint", "3964.95", "0.00", "3964.95"] in money
    assert money[-1] == ["All months", "All payers", "11942.32", "518.08", "12460.40"]


def test_csv_text_that_looks_like_a_formula_is_neutralized(
    dataset: Dataset, supervisor: User, people: People
) -> None:
    people.specialist_a1.first_name = '=HYPERLINK("http://example.invalid")'
    people.specialist_a1.last_name = "+Sum"
    people.specialist_a1.save()

    rows = csv_rows(
        signed_in(supervisor).get(f"/dashboards/tables/caseload.csv?{IN_PERIOD}")
    )

    names = [row[0] for row in rows]
    assert '\'=HYPERLINK("http://example.invalid") +Sum' in names
    assert all(not name.startswith(("=", "+", "-", "@")) for name in names)
    # Counts stay numbers, never prefixed.
    assert [
        '\'=HYPERLINK("http://example.invalid") +Sum',
        "43 North Iowa",
        "2",
        "Within 20",
    ] in rows


# Charts


@pytest.mark.parametrize("name", ["employment", "funnel", "money", "caseload"])
def test_charts_are_svg_images_under_their_own_policy(
    name: str, dataset: Dataset, supervisor: User
) -> None:
    response = signed_in(supervisor).get(f"/dashboards/charts/{name}.svg?{IN_PERIOD}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml")
    assert b"<svg" in response.content
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "script-src 'none'" in policy


def test_the_page_shows_charts_as_images_with_words(
    dataset: Dataset, reviewer: User
) -> None:
    client = signed_in(reviewer)

    for name, board in CHART_ON.items():
        page = client.get(f"{PAGE}{board}/?{IN_PERIOD}").text
        assert (
            f'src="/dashboards/charts/{name}.svg?{IN_PERIOD.replace("&", "&amp;")}"'
            in page
        )
    page = client.get(f"{PAGE}?{IN_PERIOD}").text
    assert 'alt="Bar chart of the competitive employment rate' in page
    assert (
        "not a quarterly line"
        in signed_in(reviewer)
        .get(f"/dashboards/charts/employment.svg?{IN_PERIOD}")
        .content.decode()
    )


def test_an_unknown_chart_is_not_found(reviewer: User) -> None:
    assert signed_in(reviewer).get("/dashboards/charts/pie.svg").status_code == 404


# Queries


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(queries)


# Queries of each dashboard page for each role: the same for 1 and 4 copies
# of the dataset. The page's share is the session, the user and their
# organization, the navigation's flag count, the savepoint of the request
# and the filter form's choices; the rest are the metrics' own.
QUERIES = {
    "reviewer": {"outcomes": 12, "milestones": 16, "caseloads": 11, "money": 15},
    "supervisor": {"outcomes": 13, "milestones": 17, "caseloads": 12, "money": 16},
    "case_manager": {"outcomes": 12, "milestones": 16, "caseloads": 11, "money": 15},
}


@pytest.mark.parametrize("role", ["reviewer", "supervisor", "case_manager"])
def test_each_dashboard_runs_the_same_queries_for_four_times_the_data(
    role: str, request: pytest.FixtureRequest, people: People
) -> None:
    client = signed_in(request.getfixturevalue(role))
    urls = [f"{PAGE}{board}/?{IN_PERIOD}" for board in BOARDS] + [
        f"/dashboards/tables/money.csv?{IN_PERIOD}",
        f"/dashboards/charts/employment.svg?{IN_PERIOD}",
    ]
    if role == "reviewer":
        urls.append(f"{PAGE}providers/?{IN_PERIOD}")
    build(people, copy=0)
    coaching_months_refresh(today=AS_OF)
    client.get(urls[0])  # sessions and caches settle
    small = [page_queries(client, url) for url in urls]

    for copy in (1, 2, 3):
        build(people, copy=copy)
    coaching_months_refresh(today=AS_OF)
    large = [page_queries(client, url) for url in urls]

    assert small == large
    assert dict(zip(BOARDS, small, strict=False)) == QUERIES[role]


def test_the_page_queues_a_coaching_refresh_when_none_was_made(
    reviewer: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        "dashboards.queue.app.send_task",
        lambda name, kwargs: sent.append((name, kwargs)),
    )

    with django_capture_on_commit_callbacks(execute=True):
        page = signed_in(reviewer).get(f"{PAGE}money/").text

    assert "Coaching amounts are being worked out" in page
    assert sent == [("dashboards.refresh_coaching_months", {"changed_only": False})]


def test_a_specialist_named_like_a_member_is_still_staff(
    dataset: Dataset, reviewer: User
) -> None:
    # The caseload names specialists (staff), never members.
    UserFactory(
        organization=provider_site("43-north-iowa").organization,
        role=User.Role.IPS_SPECIALIST,
        first_name="Dana",
        last_name="Teststaff",
    )

    page = signed_in(reviewer).get(f"{PAGE}caseloads/?{IN_PERIOD}").text

    assert "Dana Teststaff" in page

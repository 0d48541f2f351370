"""Dashboards end to end: a supervisor and a reviewer filter and download.

Runs against the portal with its demo data. Each dashboard is opened from
the navigation and its tabs, a filter is applied through the form, a
table is downloaded as CSV, and every dashboard and chart is saved to
test-artifacts/ for a person to look at.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.browser.flows import open_from_navigation

pytestmark = pytest.mark.browser

# Each dashboard (a tab) and the chart it draws.
DASHBOARDS = {
    "Outcomes": "employment",
    "Milestones": "funnel",
    "Caseloads and flags": "caseload",
    "Money": "money",
}


def open_dashboards(page: Page, portal_url: str, username: str) -> None:
    sign_in(page, portal_url, username)
    open_from_navigation(page, "Dashboards")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes")


def open_tab(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="Dashboards").get_by_role(
        "link", name=title, exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def charts_drawn(page: Page) -> None:
    """Every chart image loaded and has a size (an SVG the browser drew)."""
    for image in page.locator("figure.chart img").all():
        image.scroll_into_view_if_needed()
        assert len(image.get_attribute("alt") or "") > 40
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0",
            arg=image.element_handle(),
        )


def save_every_dashboard(page: Page, prefix: str) -> None:
    """Visit each tab: its chart drawn, the page and the chart saved."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for title, chart in DASHBOARDS.items():
        open_tab(page, title)
        charts_drawn(page)
        slug = title.lower().split()[0]
        page.screenshot(path=SCREENSHOTS / f"{prefix}-{slug}.png", full_page=True)
        figure = page.locator(f"figure.chart:has(img[src*='/charts/{chart}.svg'])")
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=SCREENSHOTS / f"{prefix}-chart-{chart}.png")


def download_csv(page: Page, title: str) -> str:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download CSV: {title}").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    body = Path(download.path()).read_text(encoding="utf-8")
    assert body.startswith("\ufeff")
    return body.removeprefix("\ufeff")


def test_a_supervisor_filters_their_dashboards_and_downloads_a_table(
    page: Page, portal_url: str
) -> None:
    open_dashboards(page, portal_url, "supervisor.43-north-iowa")
    expect(
        page.get_by_text("The members referred to and served by 43 North Iowa.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Providers compared")).to_have_count(0)
    # Only their own provider is offered.
    expect(page.get_by_label("Provider", exact=True).locator("option")).to_have_text(
        ["Your provider", "43 North Iowa"]
    )
    save_every_dashboard(page, "dashboards-supervisor")

    # A county of theirs: the address keeps the filter, the tabs too.
    open_tab(page, "Outcomes")
    page.get_by_label("County", exact=True).select_option(label="Cerro Gordo")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"county=\d+"))
    expect(
        page.get_by_label("County", exact=True).locator("option:checked")
    ).to_have_text("Cerro Gordo")
    charts_drawn(page)
    page.screenshot(
        path=SCREENSHOTS / "dashboards-supervisor-cerro-gordo.png", full_page=True
    )
    open_tab(page, "Milestones")
    expect(page).to_have_url(re.compile(r"/dashboards/milestones/\?.*county=\d+"))

    body = download_csv(page, "Milestone funnel")
    assert body.splitlines()[0] == "Step,Members,Of the step before,Of those referred"
    assert body.splitlines()[1].startswith("Referred,")

    # A period that ends before it begins is named next to the field.
    page.get_by_label("Period from", exact=True).fill("2026-06-01")
    page.get_by_label("Period to", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The period cannot end before it begins.")).to_be_visible()


def test_a_reviewer_compares_providers_and_downloads_the_comparison(
    page: Page, portal_url: str
) -> None:
    open_dashboards(page, portal_url, "reviewer")
    save_every_dashboard(page, "dashboards-reviewer")

    open_tab(page, "Providers compared")
    comparison = page.locator("table").filter(has_text="Latest fidelity total")
    expect(comparison.locator("tbody tr")).to_have_count(8)
    page.screenshot(
        path=SCREENSHOTS / "dashboards-reviewer-providers.png", full_page=True
    )

    page.get_by_label("Provider", exact=True).select_option(label="Robert Young Center")
    page.get_by_role("button", name="Show").click()
    expect(comparison.locator("tbody tr")).to_have_count(1)
    expect(comparison).to_contain_text("Robert Young Center")

    body = download_csv(page, "Providers compared")
    lines = body.splitlines()
    assert lines[0].startswith("Provider,In IPS")
    assert len(lines) == 2
    assert lines[1].startswith("Robert Young Center,")

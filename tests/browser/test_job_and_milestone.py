"""Issue 4 end to end: a job is recorded and milestone 2 logged with a document."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.dates import add_months, iowa_today
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.browser.flows import (
    POLK_SPECIALIST,
    accept_referral,
    add_member_and_refer,
    authorize_with_proposed_windows,
    invented_surname,
    sign_out,
)

pytestmark = pytest.mark.browser


def test_specialist_records_a_job_and_logs_milestone_2_the_case_manager_sees_it(
    page: Page, portal_url: str, tmp_path: Path
) -> None:
    surname = invented_surname()
    today = iowa_today()
    # The job starts today, inside milestone 2's window (this month).
    plan_start, job_month = add_months(today, -1), add_months(today, 0)
    member_url = add_member_and_refer(page, portal_url, surname)
    accept_referral(page, portal_url, surname)
    authorize_with_proposed_windows(page, portal_url, member_url, plan_start, job_month)
    sign_out(page)

    # The specialist records the job.
    sign_in(page, portal_url, POLK_SPECIALIST)
    page.goto(member_url)
    page.get_by_role("link", name="Record a job").click()
    page.get_by_label("Employer").fill("Sunrise Bakery (demo)")
    page.get_by_label("Job title").fill("Baker's assistant")
    page.get_by_label("First day on the job").fill(today.isoformat())
    page.get_by_label("Hours per week").fill("20")
    page.get_by_label("Hourly wage ($)").fill("13.25")
    page.get_by_role("button", name="Record job").click()
    expect(page.get_by_text("Job recorded.")).to_be_visible()
    jobs = page.locator("section", has=page.get_by_role("heading", name="Jobs"))
    expect(jobs).to_contain_text("Baker's assistant at Sunrise Bakery (demo)")

    # ... and logs milestone 2 with its service documentation.
    notes = tmp_path / "service-notes.pdf"
    notes.write_bytes(b"%PDF-1.4\n% Invented service notes for a test.\n%%EOF\n")
    page.locator(".timeline tbody tr").nth(1).get_by_role(
        "link", name="Log achievement"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log milestone 2")
    page.get_by_label("Job", exact=True).select_option(index=1)
    page.get_by_label("Service documentation").set_input_files(notes)
    page.get_by_role("button", name="Log milestone").click()
    expect(
        page.get_by_text(f"Milestone 2 logged as achieved on {today:%m/%d/%Y}.")
    ).to_be_visible()
    sign_out(page)

    # The case manager sees it on the member page.
    sign_in(page, portal_url, "cm.wellpoint")
    page.goto(member_url)
    milestone_2 = page.locator(".timeline tbody tr").nth(1)
    expect(milestone_2).to_contain_text(f"Achieved {today:%m/%d/%Y}")
    expect(
        milestone_2.get_by_role("link", name="Service documentation")
    ).to_be_visible()
    expect(jobs).to_contain_text("Inside the window")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "member-after-milestone-2.png", full_page=True)

    with page.expect_download() as download:
        milestone_2.get_by_role("link", name="Service documentation").click()
    # Saved as what it is, never under the name it was uploaded with.
    assert re.fullmatch(
        r"service-documentation-[0-9a-f]{8}\.pdf", download.value.suggested_filename
    )

"""Issue 5 end to end: a job ends early, the team meets, milestones again."""

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


def record_job(page: Page, employer: str, title: str, first_day: str) -> None:
    page.get_by_role("link", name="Record a job").click()
    page.get_by_label("Employer").fill(employer)
    page.get_by_label("Job title").fill(title)
    page.get_by_label("First day on the job").fill(first_day)
    page.get_by_label("Hours per week").fill("16")
    page.get_by_label("Hourly wage ($)").fill("12.50")
    page.get_by_role("button", name="Record job").click()
    expect(page.get_by_text("Job recorded.")).to_be_visible()


def test_a_job_ends_early_the_team_meets_and_milestones_are_authorized_again(
    page: Page, portal_url: str, tmp_path: Path
) -> None:
    surname = invented_surname()
    today = iowa_today()
    plan_start, job_month = add_months(today, -1), add_months(today, 0)
    member_url = add_member_and_refer(page, portal_url, surname)
    accept_referral(page, portal_url, surname)
    authorize_with_proposed_windows(page, portal_url, member_url, plan_start, job_month)
    sign_out(page)

    # The specialist records a job that ends on its first day: before day 45.
    sign_in(page, portal_url, POLK_SPECIALIST)
    page.goto(member_url)
    record_job(page, "Riverbend Hotel (demo)", "Housekeeper", today.isoformat())
    page.get_by_role("link", name="Record the job end").click()
    page.get_by_label("Last day worked").fill(today.isoformat())
    page.get_by_label("How the job ended").select_option(label="The member quit")
    page.get_by_role("button", name="Record job end").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Job end")

    # The team fills in the job-end form and the specialist's perspective.
    page.get_by_label(
        "Did the job differ from what the member expected?"
    ).select_option(label="Yes")
    page.get_by_label("How it differed").fill(
        "Early mornings, not the evenings agreed."
    )
    page.get_by_label("Job preferences now").fill("Evening shifts, quieter places.")
    page.get_by_role("button", name="Save the job-end form").click()
    expect(page.get_by_text("Job-end form saved.")).to_be_visible()
    page.get_by_label("Whose perspective").select_option(label="The IPS specialist")
    page.get_by_label("Their view of the ending").fill(
        "The schedule did not fit; the member learned to ask about shifts."
    )
    page.get_by_role("button", name="Add perspective").click()
    expect(page.get_by_text("Written by Felix Ostrowski")).to_be_visible()

    # Help toward another job: the team meeting comes first.
    page.get_by_role(
        "button", name="Help toward another job: record the team meeting"
    ).click()
    page.get_by_label("Lessons learned").fill("Ask about shifts before accepting.")
    page.get_by_label("Next steps").fill("Job search for evening work.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Team meeting recorded.")).to_be_visible()
    sign_out(page)

    # The case manager authorizes milestones 2 to 4 again.
    sign_in(page, portal_url, "cm.wellpoint")
    page.goto(member_url)
    page.get_by_role("link", name="Authorize milestones").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("again")
    expect(page.get_by_label("Authorize milestone 1")).not_to_be_checked()
    page.get_by_label("Service plan (PCSP) date").fill(today.isoformat())
    page.get_by_label("Service plan reference").fill("PCSP-E2E-2")
    page.get_by_label("Plan start").fill(plan_start.isoformat())
    page.get_by_label("Month the first day on the job is expected").fill(
        f"{job_month:%Y-%m}"
    )
    page.get_by_role("button", name="Propose windows").click()
    for number in (2, 3, 4):
        page.get_by_label(f"Milestone {number}: Authorization number").fill(
            f"WP-E2E-R2-{number}"
        )
    page.get_by_role("button", name="Authorize milestones").click()
    expect(page.get_by_text("Milestones authorized.")).to_be_visible()
    sign_out(page)

    # The specialist records a new job and logs its first day.
    sign_in(page, portal_url, POLK_SPECIALIST)
    page.goto(member_url)
    record_job(page, "Blue Stem Café (demo)", "Evening dishwasher", today.isoformat())
    notes = tmp_path / "placement.pdf"
    notes.write_bytes(b"%PDF-1.4\n% Invented placement notes.\n%%EOF\n")
    newest_round = page.locator(".timeline__entry--round").first
    newest_round.get_by_role("link", name="Log achievement").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log milestone 2")
    page.get_by_label("Job", exact=True).select_option(
        label=f"Evening dishwasher at Blue Stem Café (demo), first day {today:%m/%d/%Y}"
    )
    page.get_by_label("Service documentation").set_input_files(notes)
    page.get_by_role("button", name="Log milestone").click()
    expect(page.get_by_text("Milestone 2 logged as achieved")).to_be_visible()

    # The member page shows both rounds, the job end and the meeting.
    timeline = page.locator(".timeline")
    expect(
        timeline.get_by_role("heading", name="Milestones authorized again")
    ).to_be_visible()
    expect(
        timeline.get_by_role("heading", name="Milestones authorized", exact=True)
    ).to_be_visible()
    expect(
        timeline.get_by_role(
            "heading", name="Job end: Housekeeper at Riverbend Hotel (demo)"
        )
    ).to_be_visible()
    expect(
        timeline.get_by_role("heading", name="Team meeting: after a job end")
    ).to_be_visible()
    jobs = page.locator("section", has=page.get_by_role("heading", name="Jobs"))
    expect(jobs).to_contain_text("The job ended before this day")
    expect(page.get_by_text("job loss", exact=False)).to_have_count(0)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS / "member-after-reauthorization.png", full_page=True
    )

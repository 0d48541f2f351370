"""Issue 3 end to end: find, refer, accept, authorize all four milestones."""

import random
import string

import pytest
from playwright.sync_api import Page, expect

from core.dates import add_months, iowa_today
from milestones.rules import milestone_windows_propose
from tests.browser.conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser


def invented_surname() -> str:
    """A made-up surname unlikely to collide with earlier runs on this portal."""
    letters = "".join(random.choices(string.ascii_lowercase, k=8))  # noqa: S311 (not security)
    return "Testperson" + letters


def open_from_navigation(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_case_manager_refers_supervisor_accepts_and_case_manager_authorizes(
    page: Page, portal_url: str
) -> None:
    surname = invented_surname()
    today = iowa_today()
    plan_start = add_months(today, 1)
    job_month = add_months(today, 3)
    windows = milestone_windows_propose(plan_start, job_month)
    medicaid_id = f"{random.randint(1_000_000, 8_999_999)}K"  # noqa: S311

    # The case manager adds the member, then finds them by a posted search.
    sign_in(page, portal_url, "cm.wellpoint")
    open_from_navigation(page, "Members")
    page.get_by_role("link", name="Add a member").click()
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill(surname)
    page.get_by_label("Date of birth").fill("1990-06-15")
    page.get_by_label("County").select_option(label="Polk")
    page.get_by_label("Payer").select_option(label="Wellpoint Iowa")
    page.get_by_label("Medicaid ID").fill(medicaid_id.lower())
    page.get_by_label("Diagnosis category").select_option(
        label="Serious mental illness (SMI)"
    )
    page.get_by_role("button", name="Save member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Robin {surname}")

    open_from_navigation(page, "Members")
    page.get_by_label("Name or Medicaid ID").fill(medicaid_id)
    page.get_by_role("button", name="Search").click()
    assert medicaid_id not in page.url
    page.get_by_role("link", name=f"{surname}, Robin").click()

    # Referral to the provider that serves Polk County now.
    page.get_by_role("link", name="Refer to IPS").click()
    provider = page.get_by_label("IPS provider")
    expect(
        provider.locator("optgroup[label='Serve Polk County now'] option")
    ).to_have_text(["Goodwill of Central Iowa / Eyerly Ball"])
    provider.select_option(label="Goodwill of Central Iowa / Eyerly Ball")
    page.get_by_label("Hopes for a job, and how it would help").fill(
        "Evening work at a bakery; money for a bus pass."
    )
    page.get_by_label("How important is a job? (1–10)").fill("9")
    page.get_by_role("button", name="Send referral").click()
    expect(
        page.get_by_text("Referred to Goodwill of Central Iowa / Eyerly Ball.")
    ).to_be_visible()
    member_url = page.url
    sign_out(page)

    # The provider's supervisor accepts and assigns a specialist.
    sign_in(page, portal_url, "supervisor.goodwill-central-eyerly-ball")
    page.get_by_role("link", name=f"{surname}, Robin").click()
    page.get_by_label("Assign to").select_option(label="Felix Ostrowski")
    page.get_by_role("button", name="Accept referral").click()
    expect(
        page.get_by_text("Accepted and assigned to Felix Ostrowski.")
    ).to_be_visible()
    sign_out(page)

    # The case manager authorizes all four with the proposed windows.
    sign_in(page, portal_url, "cm.wellpoint")
    page.goto(member_url)
    page.get_by_role("link", name="Authorize milestones").click()
    page.get_by_label("Service plan (PCSP) date").fill(today.isoformat())
    page.get_by_label("Service plan reference").fill("PCSP-E2E")
    page.get_by_label("Plan start").fill(plan_start.isoformat())
    page.get_by_label("Month the first day on the job is expected").fill(
        f"{job_month:%Y-%m}"
    )
    page.get_by_role("button", name="Propose windows").click()
    expect(page.get_by_label("Milestone 1: Window ends")).to_have_value(
        windows[1].ends_on.isoformat()
    )
    expect(page.get_by_label("Milestone 4: Window begins")).to_have_value(
        windows[4].begins_on.isoformat()
    )
    for number in range(1, 5):
        page.get_by_label(f"Milestone {number}: Authorization number").fill(
            f"WP-E2E-{number}"
        )
    page.get_by_role("button", name="Authorize milestones").click()

    # The member page tells the whole story.
    expect(page.get_by_text("Milestones authorized.")).to_be_visible()
    timeline = page.locator(".timeline")
    expect(
        timeline.get_by_role("heading", name="Milestones authorized")
    ).to_be_visible()
    expect(
        timeline.get_by_role(
            "heading",
            name="Accepted into IPS by Goodwill of Central Iowa / Eyerly Ball",
        )
    ).to_be_visible()
    expect(
        timeline.get_by_role(
            "heading", name="Referred to Goodwill of Central Iowa / Eyerly Ball"
        )
    ).to_be_visible()
    rows = timeline.locator("tbody tr")
    expect(rows).to_have_count(4)
    for number, row in enumerate(rows.all(), start=1):
        window = windows[number]
        expect(row).to_contain_text(
            f"{window.begins_on:%m/%d/%Y} – {window.ends_on:%m/%d/%Y}"
        )
    expect(rows.nth(3)).to_contain_text("T2018 U6")
    expect(rows.nth(3)).to_contain_text("$871.58")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "member-after-authorization.png", full_page=True)

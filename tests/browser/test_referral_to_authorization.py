"""Issue 3 end to end: find, refer, accept, authorize all four milestones."""

import pytest
from playwright.sync_api import Page, expect

from core.dates import add_months, iowa_today
from milestones.rules import milestone_windows_propose
from tests.browser.conftest import SCREENSHOTS
from tests.browser.flows import (
    POLK_PROVIDER,
    accept_referral,
    add_member_and_refer,
    authorize_with_proposed_windows,
    invented_surname,
)

pytestmark = pytest.mark.browser


def test_case_manager_refers_supervisor_accepts_and_case_manager_authorizes(
    page: Page, portal_url: str
) -> None:
    surname = invented_surname()
    today = iowa_today()
    plan_start, job_month = add_months(today, 1), add_months(today, 3)
    windows = milestone_windows_propose(plan_start, job_month)

    member_url = add_member_and_refer(page, portal_url, surname)
    accept_referral(page, portal_url, surname)
    authorize_with_proposed_windows(page, portal_url, member_url, plan_start, job_month)

    # The member page tells the whole story.
    timeline = page.locator(".timeline")
    expect(
        timeline.get_by_role("heading", name="Milestones authorized")
    ).to_be_visible()
    expect(
        timeline.get_by_role("heading", name=f"Accepted into IPS by {POLK_PROVIDER}")
    ).to_be_visible()
    expect(
        timeline.get_by_role("heading", name=f"Referred to {POLK_PROVIDER}")
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

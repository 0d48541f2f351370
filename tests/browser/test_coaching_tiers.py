"""Issue 6 in Chromium: hours that earn more than the authorized tier."""

import pytest
from playwright.sync_api import Page, expect

from core.dates import iowa_today
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.browser.flows import (
    POLK_SPECIALIST,
    accept_referral,
    add_member_and_refer,
    invented_surname,
    sign_out,
)

pytestmark = pytest.mark.browser


def test_tier_2_authorized_hours_earning_tier_3_show_the_mismatch(
    page: Page, portal_url: str
) -> None:
    surname = invented_surname()
    today = iowa_today()
    member_url = add_member_and_refer(page, portal_url, surname)
    accept_referral(page, portal_url, surname)

    sign_in(page, portal_url, "cm.wellpoint")
    page.goto(member_url)
    page.get_by_role("link", name="Authorize coaching").click()
    page.get_by_label("Tier", exact=True).select_option(value="2")
    page.get_by_label("Period begins").fill(today.isoformat())
    page.get_by_label("Authorization number").fill("WP-COACH-E2E")
    page.get_by_role("button", name="Authorize coaching").click()
    expect(page.get_by_text("Coaching authorized for 90 days.")).to_be_visible()
    sign_out(page)

    sign_in(page, portal_url, POLK_SPECIALIST)
    page.goto(member_url)
    page.get_by_role("link", name="Log coaching").click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Minutes").fill("600")
    page.get_by_label("How").select_option(label="At the worksite")
    page.get_by_role("button", name="Log coaching").click()
    expect(page.get_by_text("Coaching logged.")).to_be_visible()
    sign_out(page)

    sign_in(page, portal_url, "cm.wellpoint")
    page.goto(member_url)
    coaching = page.locator(
        "section", has=page.get_by_role("heading", name="Long-term job coaching")
    )
    expect(coaching).to_contain_text(
        "The hours earn tier 3, above the authorized tier 2: a reauthorization "
        "at tier 3 is needed to be paid for them."
    )
    expect(coaching).to_contain_text("$436.40")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "member-coaching-mismatch.png", full_page=True)

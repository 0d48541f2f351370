"""Flags end to end: the portal's own worker raises a gap and closes it.

Nothing here runs a sweep by hand. Recording the job and changing the
window each queue a sweep of the member after they commit; the worker
that the run command starts beside the web server picks it up, so the
case manager's inbox is reloaded until the flag comes and goes.
"""

import time

import pytest
from playwright.sync_api import Locator, Page, expect

from core.dates import add_months, iowa_today, month_end
from milestones.rules import retention_date
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.browser.flows import (
    accept_referral,
    add_member_and_refer,
    authorize_with_proposed_windows,
    invented_surname,
    open_from_navigation,
    record_job,
    sign_out,
)

pytestmark = pytest.mark.browser

# Seconds for the worker to pick up a member's sweep and the inbox to show it.
SWEEP_DEADLINE = 60


def gap_row(page: Page, surname: str) -> Locator:
    """The inbox row of the member's day-45 gap."""
    return (
        page.locator("table.flags tbody tr")
        .filter(has_text="Predicted milestone gap")
        .filter(has_text=f"{surname}, Robin")
        .filter(has_text="Day 45")
    )


def reload_inbox_until(page: Page, surname: str, *, shown: bool) -> None:
    deadline = time.monotonic() + SWEEP_DEADLINE
    while (gap_row(page, surname).count() > 0) != shown:
        if time.monotonic() > deadline:
            state = "appear" if shown else "close"
            pytest.fail(
                f"The day-45 gap for {surname} did not {state} in "
                f"{SWEEP_DEADLINE} s: is the portal's Celery worker running "
                "(var/celery.log)?"
            )
        page.wait_for_timeout(1000)
        page.reload()


def test_a_late_job_start_raises_a_gap_the_case_manager_closes_by_widening(
    page: Page, portal_url: str
) -> None:
    surname = invented_surname()
    today = iowa_today()
    # Windows for a job this month put milestone 3 in next month; a job
    # starting on this month's last day reaches day 45 the month after.
    plan_start, job_month = add_months(today, -1), add_months(today, 0)
    first_day = month_end(today)
    day_45 = retention_date(first_day, 45)
    member_url = add_member_and_refer(page, portal_url, surname)
    accept_referral(page, portal_url, surname)
    authorize_with_proposed_windows(page, portal_url, member_url, plan_start, job_month)
    sign_out(page)

    record_job(page, portal_url, member_url, first_day)
    expect(page.get_by_text("Outside the window: milestone gap").first).to_be_visible()
    sign_out(page)

    # The case manager's inbox shows the gap once the worker has swept.
    sign_in(page, portal_url, "cm.wellpoint")
    open_from_navigation(page, "Flags")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flags")
    reload_inbox_until(page, surname, shown=True)
    row = gap_row(page, surname)
    expect(row).to_contain_text(f"falls on {day_45:%m/%d/%Y}")
    expect(row).to_contain_text("Payment or coverage at risk")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "flags-inbox-with-gap.png", full_page=True)

    # The kind filter is labelled and reached by keyboard.
    kind = page.get_by_label("Kind")
    kind.select_option("predicted_milestone_gap")
    kind.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{portal_url}/flags/?kind=predicted_milestone_gap")
    expect(gap_row(page, surname)).to_have_count(1)
    page.screenshot(path=SCREENSHOTS / "flags-inbox-gaps-only.png", full_page=True)

    # The row leads to milestone 3's window, widened to hold day 45.
    gap_row(page, surname).get_by_role(
        "link", name="Change Robin's milestone 3 window"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Change the window of milestone 3"
    )
    page.get_by_label("Window ends").fill(month_end(day_45).isoformat())
    page.get_by_label("Why the window changes").fill(
        "The job started on the last day of the month; day 45 falls later."
    )
    page.get_by_role("button", name="Change window").click()
    expect(page.get_by_text("Milestone 3's window changed.")).to_be_visible()

    # The member's sweep after the change closes the flag.
    open_from_navigation(page, "Flags")
    reload_inbox_until(page, surname, shown=False)
    page.screenshot(path=SCREENSHOTS / "flags-inbox-after-widening.png", full_page=True)

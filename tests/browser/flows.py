"""Steps a person takes in the portal, shared by the browser tests."""

import datetime
import random
import string

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

POLK_PROVIDER = "Goodwill of Central Iowa / Eyerly Ball"
POLK_SUPERVISOR = "supervisor.goodwill-central-eyerly-ball"
POLK_SPECIALIST = "specialist1.goodwill-central-eyerly-ball"
POLK_SPECIALIST_NAME = "Felix Ostrowski"


def invented_surname() -> str:
    """A made-up surname unlikely to collide with earlier runs on this portal."""
    letters = "".join(random.choices(string.ascii_lowercase, k=8))  # noqa: S311 (not security)
    return "Testperson" + letters


def open_from_navigation(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    # Signed out only once the sign-in page is back: going on before that
    # races the sign-out and finds the old session still signed in.
    expect(page.get_by_label("Username")).to_be_visible()


def add_member_and_refer(page: Page, portal_url: str, surname: str) -> str:
    """A Wellpoint case manager adds a Polk member, finds and refers them.

    Returns the member page's URL; leaves the case manager signed out.
    """
    medicaid_id = f"{random.randint(1_000_000, 8_999_999)}K"  # noqa: S311
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

    # Found again by a posted search that never reaches the address bar.
    open_from_navigation(page, "Members")
    page.get_by_label("Name or Medicaid ID").fill(medicaid_id)
    page.get_by_role("button", name="Search").click()
    assert medicaid_id not in page.url
    page.get_by_role("link", name=f"{surname}, Robin").click()

    page.get_by_role("link", name="Refer to IPS").click()
    provider = page.get_by_label("IPS provider")
    expect(
        provider.locator("optgroup[label='Serve Polk County now'] option")
    ).to_have_text([POLK_PROVIDER])
    provider.select_option(label=POLK_PROVIDER)
    page.get_by_label("Hopes for a job, and how it would help").fill(
        "Evening work at a bakery; money for a bus pass."
    )
    page.get_by_label("How important is a job? (1–10)").fill("9")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text(f"Referred to {POLK_PROVIDER}.")).to_be_visible()
    member_url = page.url
    sign_out(page)
    return member_url


def accept_referral(page: Page, portal_url: str, surname: str) -> None:
    """The provider's supervisor accepts and assigns the specialist."""
    sign_in(page, portal_url, POLK_SUPERVISOR)
    page.get_by_role("link", name=f"{surname}, Robin").click()
    page.get_by_label("Assign to").select_option(label=POLK_SPECIALIST_NAME)
    page.get_by_role("button", name="Accept referral").click()
    expect(
        page.get_by_text(f"Accepted and assigned to {POLK_SPECIALIST_NAME}.")
    ).to_be_visible()
    sign_out(page)


def authorize_with_proposed_windows(
    page: Page,
    portal_url: str,
    member_url: str,
    plan_start: datetime.date,
    job_month: datetime.date,
) -> None:
    """The case manager authorizes all four milestones, windows proposed."""
    sign_in(page, portal_url, "cm.wellpoint")
    page.goto(member_url)
    page.get_by_role("link", name="Authorize milestones").click()
    page.get_by_label("Service plan (PCSP) date").fill(plan_start.isoformat())
    page.get_by_label("Service plan reference").fill("PCSP-E2E")
    page.get_by_label("Plan start").fill(plan_start.isoformat())
    page.get_by_label("Month the first day on the job is expected").fill(
        f"{job_month:%Y-%m}"
    )
    page.get_by_role("button", name="Propose windows").click()
    for number in range(1, 5):
        page.get_by_label(f"Milestone {number}: Authorization number").fill(
            f"WP-E2E-{number}"
        )
    page.get_by_role("button", name="Authorize milestones").click()
    expect(page.get_by_text("Milestones authorized.")).to_be_visible()


def record_job(
    page: Page,
    portal_url: str,
    member_url: str,
    first_day: datetime.date,
    employer: str = "Sunrise Bakery (demo)",
) -> None:
    """The Polk specialist records a job starting on ``first_day``.

    Leaves the specialist signed in, on the member page.
    """
    sign_in(page, portal_url, POLK_SPECIALIST)
    page.goto(member_url)
    page.get_by_role("link", name="Record a job").click()
    page.get_by_label("Employer").fill(employer)
    page.get_by_label("Job title").fill("Baker's assistant")
    page.get_by_label("First day on the job").fill(first_day.isoformat())
    page.get_by_label("Hours per week").fill("20")
    page.get_by_label("Hourly wage ($)").fill("13.25")
    page.get_by_role("button", name="Record job").click()
    expect(page.get_by_text("Job recorded.")).to_be_visible()

"""Demo users of every role sign in and land on their own home page."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser

DEMO_HOMES = [
    ("cm.wellpoint", "Good to see you, Rowan", "Case manager, Wellpoint Iowa"),
    ("cm.ime", "Good to see you, Tess", "Case manager, Iowa Medicaid Enterprise"),
    ("specialist1.43-north-iowa", "Your caseload", "IPS specialist, 43 North Iowa"),
    ("supervisor.robert-young-center", "Robert Young Center", "IPS supervisor"),
    ("reviewer", "IPS providers across Iowa", "Program reviewer"),
    ("admin", "Portal administration", "Administrator"),
]


@pytest.mark.parametrize(("username", "heading", "role_line"), DEMO_HOMES)
def test_demo_user_signs_in_and_sees_their_home_page(
    page: Page, portal_url: str, username: str, heading: str, role_line: str
) -> None:
    sign_in(page, portal_url, username)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".account__role")).to_contain_text(role_line)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"home-{username}.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    violations = [m.text for m in page.console_messages_seen if m.type == "error"]  # type: ignore[attr-defined]
    assert violations == []


def test_case_manager_filters_the_provider_directory_by_keyboard(
    page: Page, portal_url: str
) -> None:
    sign_in(page, portal_url, "cm.wellpoint")
    page.get_by_role("link", name="Providers").click()

    county = page.get_by_label("County", exact=True)
    county.select_option(label="Dubuque")
    county.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show providers")).to_be_focused()
    page.keyboard.press("Enter")

    expect(
        page.get_by_text("No IPS provider serves Dubuque County yet")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="Planning to serve Dubuque County")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="Goodwill, Inc. of N.E. Iowa")
    ).to_be_visible()


def test_skip_link_is_the_first_stop_for_keyboard_users(
    page: Page, portal_url: str
) -> None:
    sign_in(page, portal_url, "cm.wellpoint")

    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_wrong_password_is_refused_with_a_message(page: Page, portal_url: str) -> None:
    page.goto(f"{portal_url}/sign-in/")
    page.get_by_label("Username").fill("cm.wellpoint")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page.get_by_label("Username")).to_have_value("cm.wellpoint")

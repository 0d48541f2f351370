"""A new user of each role walks every page they can reach: no CSP violation.

Each demo user signs in and follows every link the portal shows them, a
few pages of each kind (addresses alike but for their ids are one kind),
as a person finding their way would. Chromium reports each content security
policy violation as a ``securitypolicyviolation`` event, which a script
Playwright adds (outside the page's policy) writes to the console; the
test fails on that, or on any other console error, naming the page.
Downloads (CSV, PDF) and forms that write are not followed: this walk
reads.
"""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

ROLES = [
    "cm.wellpoint",
    "specialist1.43-north-iowa",
    "supervisor.43-north-iowa",
    "reviewer",
    "admin",
]
# Pages of one kind visited: members differ in what their pages link to
# (one has a job end, another coaching), so a few of each are opened.
EACH_KIND = 3
# Enough for every kind of page a role reaches in the demo, with room.
MOST_PAGES = 250
# Pages no other page links to, opened besides home.
ALSO_OPENED = ["/api/v1/docs/"]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline") + " at " + event.sourceFile + ":" +
    event.lineNumber
  );
});
"""

# Not followed: what signs out, writes, downloads or leaves the portal's pages.
SKIPPED = re.compile(
    r"/sign-out|/admin/|\.(csv|pdf|svg)$|/download|/evidence/|/report\.pdf"
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def kind_of(url: str) -> str:
    """Pages alike but for their ids are one kind; the query is left out."""
    path = urlparse(url).path
    return re.sub(r"/\d+(?=/|$)", "/<n>", UUID.sub("<id>", path))


def links_on(page: Page, portal_url: str) -> list[str]:
    found = page.eval_on_selector_all(
        "a[href]:not([download])",
        "anchors => anchors.map(a => a.getAttribute('href'))",
    )
    urls = []
    for href in found:
        url = urldefrag(urljoin(page.url, href)).url
        if url.startswith(portal_url) and not SKIPPED.search(urlparse(url).path):
            urls.append(url)
    return urls


def walk(page: Page, portal_url: str) -> dict[str, list[str]]:
    """Visit a few pages of each kind reachable from home; errors by page."""
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = deque([f"{portal_url}/", *(portal_url + path for path in ALSO_OPENED)])
    visited = 0
    while queue and visited < MOST_PAGES:
        url = queue.popleft()
        if url in seen or kinds[kind_of(url)] >= EACH_KIND:
            continue
        seen.add(url)
        kinds[kind_of(url)] += 1

        page.console_messages_seen.clear()  # type: ignore[attr-defined]
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            # A link to a file (a document on file, a PDF) starts a download.
            if "Download is starting" in error.message:
                continue
            raise
        page.wait_for_load_state("load")
        visited += 1
        status = response.status if response else 0
        problems = [
            message.text
            for message in page.console_messages_seen  # type: ignore[attr-defined]
            if message.type == "error"
            # A page refused (403) or not found says so in the console too.
            and not (status in (403, 404) and "Failed to load resource" in message.text)
        ]
        if status >= 500:
            problems.append(f"answered {status}")
        if problems:
            errors[url.removeprefix(portal_url)] = problems
        queue.extend(links_on(page, portal_url))
    assert visited >= 5, f"The walk reached only {visited} pages."
    return errors


@pytest.mark.parametrize("username", ROLES)
def test_a_new_user_meets_no_policy_violation_or_console_error_on_any_page(
    page: Page, portal_url: str, username: str
) -> None:
    page.add_init_script(REPORT_VIOLATIONS)
    page.console_messages_seen.clear()  # type: ignore[attr-defined]
    page.goto(f"{portal_url}/sign-in/")
    assert page.console_messages_seen == []  # type: ignore[attr-defined]
    sign_in(page, portal_url, username)

    errors = walk(page, portal_url)

    assert errors == {}

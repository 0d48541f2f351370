"""Browser tests: real headless Chromium against a running portal.

The portal is the one at PORTAL_URL (CI starts it with the README's run
command), or, when that is unset, one this session starts with the same
command on a free port. Chromium is Debian's (CHROMIUM_PATH to override).
"""

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DEMO_PASSWORD = "ips-demo-2026"
SCREENSHOTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, portal: subprocess.Popen[bytes] | None) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if portal is not None and portal.poll() is not None:
            raise RuntimeError("The portal stopped before it answered.")
        try:
            with urllib.request.urlopen(f"{url}/sign-in/", timeout=2):  # noqa: S310 (our own loopback URL)
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"The portal at {url} did not answer in time.")


@pytest.fixture(scope="session")
def portal_url() -> Iterator[str]:
    given = os.environ.get("PORTAL_URL")
    if given:
        wait_until_answering(given, None)
        yield given.rstrip("/")
        return

    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    portal = subprocess.Popen(  # noqa: S603 (our own script)
        [str(ROOT / "scripts" / "run"), str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, portal)
        yield url
    finally:
        os.killpg(portal.pid, 15)
        portal.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}; scripts/test installs it."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    page = context.new_page()
    page.console_messages_seen = []  # type: ignore[attr-defined]  # a test-only note
    page.on("console", lambda message: page.console_messages_seen.append(message))  # type: ignore[attr-defined]
    yield page
    context.close()


def sign_in(page: Page, portal_url: str, username: str) -> None:
    page.goto(f"{portal_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")

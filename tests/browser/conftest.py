"""Browser tests: Playwright drives Debian's Chromium against the app on a loopback live server.

Never ``playwright install``: the browser is the OS package at ``/usr/bin/chromium``. Without it these tests
are skipped with the reason shown, unless ``FAZHI_REQUIRE_BROWSER=1`` (as in ``.ci/run``), when they fail.

Every test gets a fresh browser context whose requests may go only to the live server: any request for
another host is aborted and fails the test, as do a server error (5xx) and an uncaught JavaScript error.
A screenshot of the final state is saved to ``test-artifacts/<test name>.png``; tests may save more with
``shot(page, "label")``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from fazhi.core.env import env_bool
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
# running loop unless told that this is deliberate. The ORM calls here are the test's own, made in order.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REQUIRED = env_bool("FAZHI_REQUIRE_BROWSER", False)
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "test-artifacts"
TIMEOUT_MS = 10_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the tests in this folder ``browser`` and skip them when Chromium is absent and not required."""
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is absent (apt-get install chromium); set FAZHI_REQUIRE_BROWSER=1 to fail instead"
    )
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() and not REQUIRED:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"FAZHI_REQUIRE_BROWSER=1 but {CHROMIUM} is absent: apt-get install chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Site:
    """The running app: its URL, the test tree and the personas."""

    def __init__(self, live_server, tree, personas):
        self.base = live_server.url
        self.tree = tree
        self.personas = personas

    def url(self, name: str, **kwargs) -> str:
        return self.base + reverse(name, kwargs=kwargs or None)


@pytest.fixture
def site(live_server, tree, personas) -> Site:
    return Site(live_server, tree, personas)


def artifact_name(label: str) -> str:
    return re.sub(r"[^\w.-]+", "_", label).strip("_")[:150]


def shot(page, label: str) -> Path:
    """Save a full-page screenshot to test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{artifact_name(label)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def page(browser, site, request):
    """A fresh page (Chinese locale, 1280×900) whose requests may reach only the live server."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    allowed = urlsplit(site.base).netloc
    outside, errors, server_errors = [], [], []

    def guard(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != allowed:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    yield page
    try:
        shot(page, request.node.name)
    finally:
        context.close()
    assert outside == [], "the page tried to load from outside the site"
    assert errors == [], "uncaught JavaScript errors"
    assert server_errors == [], "the server failed (see the captured log for the traceback)"


def login(page, site: Site, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(site.url("login"))
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[type=submit]").click()

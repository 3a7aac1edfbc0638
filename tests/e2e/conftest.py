"""Browser journeys: Playwright drives Debian's Chromium against a live server, and every
page a journey visits is checked with axe-core (served from node_modules, no CDN).

Pages run under the site's Content-Security-Policy, which refuses `eval`: wait with
`expect(locator)…` or `expect_navigation`, not `page.wait_for_function` (Playwright evaluates
its predicate with `eval` inside the page)."""

import functools
import json
import os
from pathlib import Path

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (fixtures) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    missing = [str(p) for p in (Path(CHROMIUM), AXE) if not p.exists()]
    if missing:
        reason = (
            f"browser tests need {', '.join(missing)} "
            "(make test installs axe-core; .ci/run installs chromium)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def csp_violation(message) -> bool:
    """Chromium reports each resource or inline code the Content-Security-Policy refused as a
    console error naming the policy."""
    return "Content Security Policy" in message.text


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; the test fails if the Content-Security-Policy refused anything on
    any page it visited (an inline script, handler or style would be refused)."""
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if csp_violation(message) else None
    )
    yield page
    context.close()
    assert not refused, "Content-Security-Policy violations: " + json.dumps(
        refused, ensure_ascii=False
    )


PHONE_WIDTH = 390

# The elements that stick out past the right edge of the window, to name the culprit.
WIDEST = """() => {
    const limit = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
        const right = el.getBoundingClientRect().right;
        if (right > limit + 0.5) {
            const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (el.classList.length ? "." + [...el.classList].join(".") : "");
            out.push(name + " (" + Math.round(right) + " px)");
        }
    }
    return out.slice(-5);
}"""


def no_sideways_scroll(page) -> None:
    """Fail when the page scrolls sideways at its current width (ADR 0028)."""
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll > client:
        widest = page.evaluate(WIDEST)
        raise AssertionError(
            f"sideways scroll on {page.url}: {scroll} px wide for {client} px; " + str(widest)
        )


def axe_check(page) -> None:
    """Fail on any serious or critical accessibility violation on the current page; at phone
    width (390 px or less), also on a page that scrolls sideways."""
    # A check called just after a click that loads a page must read the new page whole.
    page.wait_for_load_state("load")
    viewport = page.viewport_size
    if viewport and viewport["width"] <= PHONE_WIDTH:
        no_sideways_scroll(page)
    # Evaluated through the DevTools protocol rather than added as an inline <script>, which
    # the Content-Security-Policy (rightly) refuses.
    page.evaluate(axe_source())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    blocking = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in blocking
    ]
    assert not blocking, f"axe-core on {page.url}: " + json.dumps(summary, ensure_ascii=False)


def sign_in(page, live_server, user) -> None:
    """Open a session for `user` in the browser without typing (signing in, two-factor
    included, has its own journeys): any earlier session's cookies are dropped first."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

"""Browser journeys: Playwright drives Debian's Chromium (/usr/bin/chromium) against the live
test server. Without Chromium they skip, except under CI=true where they must run."""

import os
from pathlib import Path

import pytest

from cms.services import portal_pages_ensure

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))

# Playwright's sync API runs an event loop in this thread; the Django calls the tests make
# between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Chromium at {CHROMIUM} for the browser tests")
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run",
                  # Date and time inputs follow the browser's language, not the page's.
                  "--lang=fr-FR"],
        )
        yield browser
        browser.close()


# Every Content-Security-Policy violation of a page is reported to the console (Chromium
# says "Refused to … because it violates the following Content Security Policy directive"),
# and, to be sure none is missed, the securitypolicyviolation event says it too.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} blocked `
                + `${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
});
"""


@pytest.fixture(params=[{"width": 390, "height": 844}, {"width": 1280, "height": 800}],
                ids=["phone", "desktop"])
def page(request, browser, live_server):
    context = browser.new_context(viewport=request.param, locale="fr-FR",
                                  base_url=live_server.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = request.node.callspec.id.split("-")[-1]
    violations = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    context.close()
    if violations:
        # The journey worked, but something on its pages was blocked by the policy.
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def portal_pages(transactional_db):
    return portal_pages_ensure()


@pytest.fixture
def screenshot(page, request):
    """Save a full-page screenshot under test-artifacts/ for people to look at."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{page.viewport_name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

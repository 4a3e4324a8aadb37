"""The page under its strict Content-Security-Policy, in real headless Chromium: every view draws, the
controls, map, grid and downloads work, and the browser reports no policy violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser_support import open_page, scroll_to

pytestmark = pytest.mark.browser

# Collects every violation the browser reports, from before the page's first script runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


@pytest.fixture(scope="module")
def page_under_policy(server, browser):
    page, watch = open_page(browser, server.url, "?year=2021", RECORD_VIOLATIONS, accept_downloads=True)
    yield page, watch, watch.response
    page.context.close()


def test_csp001_page_works_under_the_policy_with_no_violation(page_under_policy):
    page, watch, response = page_under_policy
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split(";")[1]
    assert "'unsafe-eval'" not in policy
    expect(page.locator(f"#{ids.KPIS} .kpi")).to_have_count(5, timeout=20_000)
    expect(page.locator(f"#{ids.FEED_TABLE} tbody tr")).to_have_count(20, timeout=20_000)
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(9)
    scroll_to(page, ids.PEOPLE_BREAKDOWN)  # drawn as it comes near the screen
    expect(page.locator(f"#{ids.PEOPLE_BREAKDOWN} .bars .point").first).to_be_attached()
    # A clientside callback (the page language) and a server round trip.
    page.locator(f"#{ids.YEAR} label", has_text="2019").click()
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_contain_text("No contributions listed for 2019", timeout=20_000)
    page.locator(f"#{ids.YEAR} label", has_text="2021").click()
    page.locator(f"#{ids.FEED_DONOR}").fill("korea")
    page.locator(f"#{ids.FEED_DONOR}").press("Enter")
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_have_text("3 contributions shown, total $13,056,152", timeout=20_000)
    with page.expect_download() as info:
        page.locator(f"#{ids.download_of(ids.FEED)}").click()
    assert info.value.suggested_filename.endswith(".csv")
    assert page.evaluate("window.__cspViolations") == []
    watch.assert_clean()

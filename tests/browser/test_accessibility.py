"""axe-core finds no WCAG 2.1 AA violations on any page, before or after a quiz is used."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_quiz import PAGES, url

# Preload off: axe would otherwise fetch stylesheets by XHR, which the page's CSP refuses.
OPTIONS = {
    "resultTypes": ["violations"],
    "preload": False,
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def violations(page) -> list[str]:
    found = Axe().run(page, options=OPTIONS).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_violations(page, sites, name, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(url(sites, name))
    if name == "final-assessment.html":
        page.get_by_role("button", name="Start the assessment").click()
    assert violations(page) == []


def test_no_violations_after_answering(page, sites):
    page.goto(url(sites, "01-water.html"))
    checks = page.get_by_role("button", name="Check")
    while checks.count():  # each gives way to "Try again" once clicked
        checks.first.click()
    assert violations(page) == []


def test_arabic_pages_have_no_violations(page, sites):
    for name in ("index.html", "01-intro.html"):
        page.goto(url(sites, name, site="arabic"))
        assert violations(page) == []


def test_the_check_can_fail(page):
    page.set_content("<html lang='en'><title>x</title><main><input type='text'></main></html>")
    assert any(v.startswith("label:") for v in violations(page))

"""The instructor's pages in a real browser: no axe violations in light or dark, no script
errors, nothing hostile runs, and print keeps the content and drops the navigation."""

from __future__ import annotations

import pytest

from .test_accessibility import violations
from .test_quiz import url

PAGES = ["index.html", "answer-key.html", "exam.html", "exam-key.html", "objectives.html"]


def instructor(name: str) -> str:
    return f"../instructor/{name}"  # beside the site, never in it


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_violations_and_no_errors(page, sites, errors, name, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(url(sites, instructor(name)))
    assert violations(page) == []
    assert errors == []


@pytest.mark.parametrize("name", ["exam.html", "exam-key.html", "objectives.html"])
def test_hostile_content_never_runs(page, sites, name):
    page.goto(url(sites, instructor(name), site="hostile"))
    page.wait_for_load_state("load")
    handlers = page.evaluate("""[...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))""")
    assert handlers == []
    assert page.evaluate("window.__pwned") is None


def test_the_printed_exam_keeps_its_questions_and_answer_space(page, sites):
    page.goto(url(sites, instructor("exam.html")))
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.get_by_role("button", name="Print").is_hidden()
    assert page.locator(".site-title").inner_text() == "Every Feature Course"
    assert page.locator(".exam-q").count() == 9
    assert page.locator(".exam-box").first.is_visible()
    assert page.locator(".exam-answer").first.bounding_box()["height"] >= 30
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_exam_fits_a_320_pixel_screen(page, sites):
    page.set_viewport_size({"width": 320, "height": 800})
    for name in PAGES:
        page.goto(url(sites, instructor(name)))
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name

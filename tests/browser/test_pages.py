"""The pages around the questions, in real Chromium: progress in words, print, narrow
screens and the publisher's identity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coursegen.build import build_course

from .conftest import FIXTURES
from .test_quiz import url

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The output folder of the course this repository ships, built once."""
    course = tmp_path_factory.mktemp("shipped") / "course"
    for folder in ("modules", "question_banks"):
        shutil.copytree(ROOT / folder, course / folder)
    build_course(course, formats=["html"])
    return course / "output"


def shipped_pages(output: Path) -> list[Path]:
    """Every page of the shipped course: the learner's site and the instructor's key."""
    return [*sorted((output / "html").glob("*.html")), output / "instructor" / "answer-key.html"]


def seed_progress(page: Page, course_id: str, answers: dict[str, tuple[str, bool]]) -> None:
    """Store answers as the quiz pages would (question id: module id, right or not)."""
    state = {
        "answers": {
            q: {"module": m, "correct": ok, "response": []} for q, (m, ok) in answers.items()
        },
        "best": {},
        "final": None,
    }
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"coursegen:{course_id}:v1", json.dumps(state)],
    )
    page.reload()


def test_home_progress_says_answered_and_correct_over_a_neutral_bar(page, sites):
    page.goto(url(sites, "index.html"))
    card = page.locator('[data-progress-for="water"]')
    expect(card.locator(".progress-text")).to_have_text("Not started")
    seed_progress(
        page,
        "full-course",
        {"wc-sun": ("water", False), "wc-clouds": ("water", True), "wc-cloze": ("water", False)},
    )
    expect(card.locator(".progress-text")).to_have_text("3 of 7 answered · 1 correct")
    bar = card.get_by_role("progressbar", name="Questions answered")
    expect(bar).to_have_attribute("aria-valuenow", "3")
    expect(bar).to_have_attribute("aria-valuemax", "7")
    expect(bar).to_have_attribute("aria-valuetext", "3 of 7 answered")
    # The bar shows how much is answered, in the colour of muted text: not green for success.
    fill, muted = page.evaluate(
        """() => [getComputedStyle(document.querySelector('[data-progress-for="water"]'
                 + ' [role=progressbar] span')).backgroundColor,
                 getComputedStyle(document.querySelector('.module-meta')).color]"""
    )
    assert fill == muted == "rgb(74, 79, 87)"
    width = card.locator("[role=progressbar] span").evaluate("span => span.style.width")
    assert width == "43%"


def test_module_progress_counts_correct_answers_by_plural_rule(page, sites):
    page.goto(url(sites, "01-water.html"))
    seed_progress(page, "full-course", {"wc-sun": ("water", True)})
    expect(page.locator(".quiz-progress")).to_have_text("1 of 7 answered · 1 correct")


def test_arabic_home_progress_takes_cldr_plural_forms(page, sites):
    page.goto(url(sites, "index.html", site="arabic"))
    answers = {
        "du-duties": ("duties", True),
        "du-verdicts": ("duties", True),
        "du-courts": ("duties", False),
        "ar-ministry": ("intro", True),
    }
    seed_progress(page, "arabic-sample", answers)
    duties = page.locator('[data-progress-for="duties"] .progress-text')
    expect(duties).to_have_text("أُجيب عن 3 من 6 أسئلة · إجابتان صحيحتان")
    intro = page.locator('[data-progress-for="intro"] .progress-text')
    expect(intro).to_have_text("أُجيب عن 1 من سؤال واحد · إجابة واحدة صحيحة")
    bar = page.locator('[data-progress-for="duties"]').get_by_role(
        "progressbar", name="الأسئلة التي أُجيب عنها"
    )
    expect(bar).to_have_attribute("aria-valuetext", "أُجيب عن 3 من 6 أسئلة")


def test_home_shows_where_the_learner_stands_in_the_final(page, sites):
    page.goto(url(sites, "index.html"))
    final = {"best": 60, "last": 40, "passed": False, "attempts": 2}
    page.evaluate(
        "value => localStorage.setItem('coursegen:full-course:v1', value)",
        json.dumps({"answers": {}, "best": {}, "final": final}),
    )
    page.reload()
    expect(page.locator(".final-status")).to_have_text(
        "Attempts: 2 · Best score: 60% · Last score: 40% · Not passed yet"
    )


def test_no_page_of_the_shipped_course_is_wider_than_a_320_px_screen(browser, shipped):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    pages = shipped_pages(shipped)
    assert len(pages) == 10
    wide = {}
    for path in pages:
        page.goto(path.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path.name] = width
    context.close()
    assert wide == {}


WIDE_TABLE = """
| Stage | Where | What happens | How long | What drives it | What follows |
|---|---|---|---|---|---|
| Evaporation | Oceans and lakes | Liquid water becomes vapour | Days | The sun | Clouds |
"""


def test_a_wide_table_scrolls_in_its_own_labelled_region_that_takes_focus(browser, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "full", course)
    lesson = course / "modules" / "01-water.md"
    front, body = lesson.read_text().split("## Stages", 1)
    # One table before any heading, named by the catalogue; one under a heading, named by it.
    lesson.write_text(front + WIDE_TABLE + "\n## Stages" + body + WIDE_TABLE)
    build_course(course, formats=["html"])
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto((course / "output" / "html" / "01-water.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") == 320
    expect(page.get_by_role("region", name="Table")).to_have_count(1)
    region = page.get_by_role("region", name="Why it matters")
    expect(region.get_by_role("table")).to_have_count(1)
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")  # a keyboard alone scrolls it
    assert region.evaluate("r => r.scrollWidth > r.clientWidth && r.scrollLeft > 0")
    context.close()

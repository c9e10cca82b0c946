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
from .test_accessibility import violations
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
    expect(duties).to_have_text("أُجيب عن 3 من 7 أسئلة · إجابتان صحيحتان")
    intro = page.locator('[data-progress-for="intro"] .progress-text')
    expect(intro).to_have_text("أُجيب عن 1 من سؤال واحد · إجابة واحدة صحيحة")
    bar = page.locator('[data-progress-for="duties"]').get_by_role(
        "progressbar", name="الأسئلة التي أُجيب عنها"
    )
    expect(bar).to_have_attribute("aria-valuetext", "أُجيب عن 3 من 7 أسئلة")


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
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    page.keyboard.press("ArrowRight")  # a keyboard alone scrolls it (smoothly: wait for it)
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    context.close()


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Path:
    """The full fixture's site, its first lesson linking out to the web and to module 2."""
    course = tmp_path_factory.mktemp("linked") / "course"
    shutil.copytree(FIXTURES / "full", course)
    lesson = course / "modules" / "01-water.md"
    lesson.write_text(
        lesson.read_text()
        + "\nSee [the WMO](https://wmo.int/topics/water) and [the next module](02-weather.html).\n"
    )
    build_course(course, formats=["html"])
    return course / "output"


def printed(page: Page, address: str) -> Page:
    page.goto(address)
    page.emulate_media(media="print")
    return page


def visible_text(page: Page, selector: str) -> str:
    return page.locator(selector).inner_text()


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_a_printed_module_is_a_worksheet_without_answers(browser, linked, script):
    context = browser.new_context(java_script_enabled=script)
    page = printed(context.new_page(), (linked / "html" / "01-water.html").as_uri())
    quiz = visible_text(page, ".quiz")
    for answer in ("The correct answer is:", "Read this in the lesson", "Show the answer"):
        assert answer not in quiz
    assert "Your answer" not in quiz
    expect(page.locator(".quiz").get_by_role("button")).to_have_count(0)
    assert "Which stage of the water cycle comes first in the lesson?" in quiz
    stage = page.locator('.q[data-qid="wc-stage-first"]')
    options = stage.locator(".q-static-list > li").all_inner_texts()
    assert sorted(options) == ["Condensation", "Evaporation", "Precipitation"]
    # A box to tick before each option; lines to write a short answer on.
    box = stage.locator(".q-static-list > li").first.evaluate(
        "li => getComputedStyle(li, '::before').borderTopWidth"
    )
    assert box == "1px"
    lines = page.locator('.q[data-qid="wc-vapour-name"] .q-static').evaluate(
        "el => getComputedStyle(el, '::after').height"
    )
    assert float(lines.removesuffix("px")) > 50
    context.close()


def test_a_printed_question_says_what_to_do_on_paper_which_the_screen_form_says_itself(
    page, linked
):
    page.goto((linked / "html" / "01-water.html").as_uri())
    hint = page.locator('.q[data-qid="wc-order"] .q-worksheet-hint')
    expect(hint).to_be_hidden()  # the form on screen gives its own instruction
    page.emulate_media(media="print")
    expect(hint).to_have_text("Number the boxes in the right order, 1 for the first.")
    expect(page.locator('.q[data-qid="wc-stage-first"] .q-worksheet-hint')).to_have_text(
        "Tick one answer."
    )


def test_printed_links_show_their_web_address_and_no_dead_links(page, linked):
    printed(page, (linked / "html" / "01-water.html").as_uri())
    web = page.get_by_role("link", name="the WMO")
    after = web.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (https://wmo.int/topics/water)"'
    inside = page.get_by_role("link", name="the next module")
    assert inside.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    assert inside.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    expect(page.get_by_role("link", name="Read this in the lesson")).to_have_count(0)


def test_the_printed_home_page_has_no_empty_bars_and_no_buttons(page, sites):
    page.goto(url(sites, "index.html"))
    seed_progress(page, "full-course", {"wc-sun": ("water", True)})
    page.emulate_media(media="print")
    expect(page.locator(".progress-text").first).to_have_text("1 of 7 answered · 1 correct")
    bars = page.locator("[role=progressbar]")
    expect(bars).to_have_count(2)
    for bar in bars.all():
        expect(bar).to_be_hidden()
    expect(page.get_by_role("button", name="Reset progress")).to_be_hidden()
    expect(page.get_by_role("navigation")).to_be_hidden()


def test_the_printed_answer_key_shows_every_answer(page, sites):
    printed(page, url(sites, "../instructor/answer-key.html"))
    key = page.locator("#key-wc-stage-first")
    expect(key).to_be_visible()
    expect(key).to_contain_text("The correct answer is: Evaporation")
    expect(key.locator(".key-correct")).to_have_text("✓ Correct")


def test_a_page_printed_from_the_dark_theme_is_black_on_white(page, sites):
    page.emulate_media(color_scheme="dark")
    printed(page, url(sites, "01-water.html"))
    colours = page.locator(".q-number").first.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(51, 51, 51)", "rgb(255, 255, 255)"]


HOSTILE_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" onload="window.__pwned=1">'
    '<script>window.__pwned = 2</script><rect width="40" height="20" fill="#0b4f9c"/></svg>'
)
IDENTITY = """publisher: The Water Academy
logo: images/academy logo.svg
contact: courses@water.example
edition: 2026-12-01
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The full fixture's output, its manifest naming a publisher with a logo, a contact and
    an edition date."""
    course = tmp_path_factory.mktemp("published") / "course"
    shutil.copytree(FIXTURES / "full", course)
    (course / "modules" / "images" / "academy logo.svg").write_text(HOSTILE_LOGO)
    manifest = course / "modules" / "course.yaml"
    manifest.write_text(manifest.read_text() + IDENTITY)
    build_course(course, formats=["html"])
    return course / "output"


FOOTER = (
    "Every Feature Course · Edition of December 1, 2026 · Version 2.1.0\n"
    "Published by The Water Academy · Authors: Ada Author, Ben Builder · Licence: CC BY 4.0"
    " · Contact: courses@water.example"
)


def test_the_home_page_and_every_footer_name_the_publisher_and_edition(page, published, errors):
    page.goto((published / "html" / "index.html").as_uri())
    expect(page.locator(".publisher")).to_have_text("Published by The Water Academy")
    logo = page.locator(".publisher img")
    expect(logo).to_have_attribute("alt", "")  # the name beside it says it all
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator(".edition")).to_have_text(
        "Edition of December 1, 2026 · Version 2.1.0 · Contact: courses@water.example"
    )
    expect(page.locator(".edition time")).to_have_attribute("datetime", "2026-12-01")
    contact = page.locator(".edition").get_by_role("link", name="courses@water.example")
    expect(contact).to_have_attribute("href", "mailto:courses@water.example")
    page.emulate_media(media="print")  # its words are its address: printed once
    assert contact.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    page.emulate_media(media="screen")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert violations(page) == []
    for path in shipped_pages(published):
        page.goto(path.as_uri())
        expect(page.locator(".site-footer")).to_have_text(FOOTER)
    assert page.evaluate("window.__pwned") is None
    assert errors == []


def test_the_published_logo_is_sanitised(published):
    (logo,) = (published / "html" / "assets" / "media").glob("*academy-logo.svg")
    text = logo.read_text()
    assert "script" not in text and "onload" not in text and "<rect" in text


def test_the_shipped_course_names_its_authors_as_publisher(page, shipped):
    page.goto((shipped / "html" / "index.html").as_uri())
    expect(page.locator(".publisher")).to_have_text("Published by coursegen team")
    expect(page.locator(".publisher img")).to_have_count(0)
    expect(page.locator(".edition")).to_have_text("Edition of December 1, 2026 · Version 1.0.0")
    expect(page.locator(".site-footer")).to_have_text(
        "The Iraqi Police · Edition of December 1, 2026 · Version 1.0.0\n"
        "Published by coursegen team · Licence: CC BY-SA 4.0"
    )

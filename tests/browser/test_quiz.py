"""Learners' paths through the HTML course, in real Chromium, from file:// and over http."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from coursegen.build import build_course

from .conftest import FIXTURES, choose_match

LEARNER_PAGES = [
    "index.html",
    "01-water.html",
    "02-weather.html",
    "glossary.html",
    "final-assessment.html",
]
INSTRUCTOR_KEY = "../instructor/answer-key.html"  # beside the site, never in it
PAGES = [*LEARNER_PAGES, INSTRUCTOR_KEY]


def url(sites, page_name: str, site: str = "full") -> str:
    return (sites[site] / page_name).resolve().as_uri()


def question(page: Page, qid: str):
    return page.locator(f'.q[data-qid="{qid}"]')


def check(section) -> str:
    section.get_by_role("button", name="Check").click()
    return section.get_by_role("status").inner_text()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors_from_file(page, sites, errors, name):
    page.goto(url(sites, name))
    page.wait_for_load_state("load")
    assert errors == []
    expect(page.locator("h1")).to_have_count(1)


@pytest.mark.parametrize("name", LEARNER_PAGES)
def test_page_loads_without_errors_over_http(page, http_root, errors, name):
    response = page.goto(f"{http_root}/{name}")
    assert response.ok
    page.wait_for_load_state("load")
    assert errors == []


RIGHT_AND_WRONG = {
    "wc-stage-first": (
        lambda q: q.get_by_label("Evaporation").check(),
        lambda q: q.get_by_label("Precipitation").check(),
    ),
    "wc-clouds": (
        lambda q: (
            q.get_by_label("Combustion").uncheck(),  # Try again keeps choices
            q.get_by_label("Condensation").check(),
            q.get_by_label("Precipitation").check(),
        ),
        lambda q: q.get_by_label("Combustion").check(),
    ),
    "wc-sun": (lambda q: q.get_by_label("True").check(), lambda q: q.get_by_label("False").check()),
    "wc-vapour-name": (
        lambda q: q.get_by_label("Your answer").fill("  Evaporation "),
        lambda q: q.get_by_label("Your answer").fill("boiling"),
    ),
    "wc-cloze": (
        lambda q: (
            q.get_by_label("Blank 1 of 2").fill("condensates"),
            q.get_by_label("Blank 2 of 2").fill("CLOUDS"),
        ),
        lambda q: (
            q.get_by_label("Blank 1 of 2").fill("condenses"),
            q.get_by_label("Blank 2 of 2").fill("rain"),
        ),
    ),
    "wc-match": (
        lambda q: (
            choose_match(q, "Evaporation", "Liquid becomes vapour"),
            choose_match(q, "Condensation", "Vapour forms clouds"),
        ),
        lambda q: (
            choose_match(q, "Evaporation", "Vapour forms clouds"),
            choose_match(q, "Condensation", "Liquid becomes vapour"),
        ),
    ),
}
WRONG_VERDICT = {"wc-cloze": "Partly correct: 1 of 2"}  # its wrong answer has one gap right


@pytest.mark.parametrize("qid", sorted(RIGHT_AND_WRONG))
def test_each_type_gives_right_feedback(page, sites, errors, qid):
    right, wrong = RIGHT_AND_WRONG[qid]
    page.goto(url(sites, "01-water.html"))
    section = question(page, qid)
    wrong(section)
    assert check(section) == WRONG_VERDICT.get(qid, "Incorrect")
    expect(section.locator(".q-explain")).to_be_visible()
    expect(section.get_by_role("link", name="Read this in the lesson")).to_have_attribute(
        "href", re.compile(r"^01-water\.html#(lesson-p\d+|term-\d|summary)$")
    )
    section.get_by_role("button", name="Try again").click()
    right(section)
    assert check(section) == "Correct"
    assert errors == []


def order_keys(section) -> list[str]:
    return section.locator(".q-order li").evaluate_all("els => els.map(e => e.dataset.key)")


def test_ordering_with_move_buttons_only(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-order")
    assert check(section) == "Partly correct: 1 of 3"  # shown shuffled, never in order
    section.get_by_role("button", name="Try again").click()
    for _ in range(6):  # bubble sort with the buttons a keyboard user has
        keys = order_keys(section)
        for i in range(len(keys) - 1):
            if keys[i] > keys[i + 1]:
                section.locator(".q-order li").nth(i + 1).get_by_role(
                    "button", name=re.compile("^Move up")
                ).click()
                break
    assert order_keys(section) == ["i1", "i2", "i3"]
    assert check(section) == "Correct"


def test_keyboard_only_quiz(page, sites):
    page.goto(url(sites, "02-weather.html"))
    section = question(page, "we-pressure")
    first = section.locator("input[type=radio]").first
    first.focus()
    labels = section.locator(".q-option label").all_inner_texts()
    # Arrow keys move through a radio group; Space selects; Enter in a form submits it.
    page.keyboard.press("Space")
    while section.locator("input:checked + label").inner_text() != "Barometer":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(section.get_by_role("status")).to_have_text("Correct")
    assert set(labels) == {"Barometer", "Thermometer"}
    # Focus moves to the next thing to do, and shows plainly.
    expect(section.get_by_role("button", name="Try again")).to_be_focused()
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused == "solid"


def test_progress_survives_a_reload_and_shows_on_home(page, sites):
    page.goto(url(sites, "02-weather.html"))
    section = question(page, "we-pressure")
    section.get_by_label("Barometer").check()
    assert check(section) == "Correct"
    expect(page.locator(".quiz-progress")).to_have_text("1 of 2 answered · 1 correct")
    page.reload()
    section = question(page, "we-pressure")
    expect(section.get_by_role("status")).to_have_text("Correct")
    expect(section.get_by_label("Barometer")).to_be_checked()
    page.goto(url(sites, "index.html"))
    card = page.locator('[data-progress-for="weather"]')
    expect(card).to_contain_text("1 of 2 answered · 1 correct")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset progress").click()
    expect(card).to_have_text("Not started")


def test_final_assessment_scores_and_applies_the_pass_mark(page, sites):
    page.goto(url(sites, "final-assessment.html"))
    page.get_by_role("button", name="Start the assessment").click()
    sections = page.locator(".final-questions .q")
    expect(sections).to_have_count(5)  # the manifest asks for 5, in course order
    assert sections.evaluate_all("els => els.map(e => e.dataset.qid)") == [
        "wc-stage-first",
        "wc-clouds",
        "wc-sun",
        "wc-vapour-name",
        "wc-cloze",
    ]
    expect(page.get_by_role("button", name="Check")).to_have_count(0)
    question(page, "wc-stage-first").get_by_label("Evaporation").check()
    question(page, "wc-sun").get_by_label("True").check()
    question(page, "wc-vapour-name").get_by_label("Your answer").fill("evaporation")
    page.once("dialog", lambda dialog: dialog.accept())  # two left unanswered
    page.get_by_role("button", name="Submit my answers").click()
    result = page.locator(".final-result")
    expect(result).to_contain_text("You scored 60% (3 of 5). You passed.")
    page.goto(url(sites, "index.html"))
    expect(page.locator(".final-status")).to_have_text(
        "Attempts: 1 · Best score: 60% · Last score: 60% · Passed"
    )


def test_final_assessment_below_the_pass_mark_fails(page, sites):
    page.goto(url(sites, "final-assessment.html"))
    page.get_by_role("button", name="Start the assessment").click()
    question(page, "wc-sun").get_by_label("True").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator(".final-result")).to_contain_text(
        "You scored 20% (1 of 5). You have not passed yet: the pass mark is 60%."
    )


def test_without_javascript_answers_are_in_a_disclosure(browser, sites):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-stage-first")
    expect(section.get_by_role("button", name="Check")).to_have_count(0)
    summary = section.locator("summary", has_text="Show the answer")
    expect(summary).to_be_visible()
    expect(section.locator(".q-answer")).not_to_be_visible()
    summary.click()
    expect(section.locator(".q-answer")).to_have_text("The correct answer is: Evaporation")
    context.close()


def test_hostile_content_never_runs(page, sites, errors):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for name in (
        "index.html",
        "01-attack.html",
        "glossary.html",
        INSTRUCTOR_KEY,
        "final-assessment.html",
    ):
        page.goto(url(sites, name, site="hostile"))
        page.wait_for_load_state("load")
        handlers = page.evaluate("""[...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))""")
        assert handlers == [], name
        assert page.locator("a[href^='javascript']").count() == 0, name
        if name == "final-assessment.html":
            page.get_by_role("button", name="Start the assessment").click()
        assert page.evaluate("window.__pwned") is None, name
    assert dialogs == []
    assert not [e for e in errors if "Content Security Policy" not in e]
    page.goto(url(sites, "01-attack.html", site="hostile"))
    expect(page.locator(".lesson")).to_contain_text("<script>window.__pwned = 9</script>")


def test_arabic_course_is_right_to_left_with_arabic_interface(page, sites):
    page.goto(url(sites, "01-intro.html", site="arabic"))
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    section = question(page, "ar-ministry")
    section.get_by_label("وزارة الداخلية").check()
    section.get_by_role("button", name="تحقق").click()
    expect(section.get_by_role("status")).to_have_text("صحيح")
    box = page.locator(".objectives-box").bounding_box()
    border = page.evaluate(
        "getComputedStyle(document.querySelector('.objectives-box')).borderRightWidth"
    )
    assert border == "6px" and box["width"] > 0


def test_arabic_final_assessment_counts_by_cldr_plural_rules(page, sites):
    page.goto(url(sites, "final-assessment.html", site="arabic"))
    page.get_by_role("button", name="ابدأ التقييم").click()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="أرسل إجاباتي").click()
    result = page.locator(".final-result .final-score")
    expect(result).to_contain_text("نتيجتك")
    assert dialogs == ["لم تُجب عن سؤالين بعد. هل تريد الإرسال على أي حال؟"]
    # Chromium's CLDR data marks a percent sign left-to-right in Arabic (U+200E), Babel's not.
    assert result.inner_text().replace("\u200e", "") == (
        "نتيجتك 0% (0 من 2). لم تنجح بعد: درجة النجاح 50%."
    )


@pytest.mark.parametrize("width", [320, 360])
def test_usable_at_phone_widths(browser, sites, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for name in PAGES:
        page.goto(url(sites, name))
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, name
    context.close()


def test_typed_answers_match_however_accents_are_encoded(page, tmp_path, errors):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "full", course)
    bank = course / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("answers: [evaporation,", "answers: [évaporation,"))
    build_course(course, formats=["html"])
    page.goto((course / "output" / "html" / "01-water.html").as_uri())
    section = question(page, "wc-vapour-name")
    # e + U+0301, as macOS keyboards and PDF copies give it, against the composed é written
    section.get_by_label("Your answer").fill("E\u0301vaporation")
    assert check(section) == "Correct"
    assert errors == []

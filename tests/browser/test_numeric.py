"""A numeric question in real Chromium: figures as learners type them, in English and Arabic."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_quiz import check, question, url

# What a learner types, and the verdict and the answer's own feedback (None: none) shown.
ENGLISH = [
    ("1013", "Correct", "Right, about 1013 hectopascals."),
    ("1013 hPa", "Correct", "Right, about 1013 hectopascals."),
    ("1013hpa", "Correct", "Right, about 1013 hectopascals."),
    ("1,020.5", "Correct", "Right, about 1013 hectopascals."),
    ("1023.13", "Correct", "Right, about 1013 hectopascals."),
    ("1023.14", "Incorrect", None),
    (
        "101.3",
        "Incorrect",
        "That is the pressure in kilopascals; the question asks for hectopascals.",
    ),
]
UNREADABLE = "Not a number in hPa: write it in digits, such as 12.5"


@pytest.mark.parametrize(("typed", "verdict", "feedback"), ENGLISH)
def test_a_typed_figure_is_read_and_matched_to_its_answer(
    page, sites, errors, typed, verdict, feedback
):
    page.goto(url(sites, "02-weather.html"))
    section = question(page, "we-sea-level")
    field = section.get_by_label("Your answer, in hPa")
    field.fill(typed)
    assert check(section) == verdict
    mark = section.locator(".q-figure-field .q-mark")
    expect(mark).to_have_text(("✓ " if verdict == "Correct" else "✗ ") + verdict)
    assert field.get_attribute("aria-describedby") == mark.get_attribute("id")
    shown = section.locator(".q-figure-feedback:visible")
    if feedback:
        expect(shown).to_have_text(feedback)
    else:
        expect(shown).to_have_count(0)
    expect(section.locator(".q-explain .q-answer")).to_have_text(
        "The correct answer is: 1013 hPa (accepted: 1002.87 hPa to 1023.13 hPa)"
    )
    assert errors == []


# English reads a comma between groups of three digits only; a unit other than the question's
# is no figure in it either.
@pytest.mark.parametrize("typed", ["about a thousand", "1013,5", "1013 mb"])
def test_text_that_is_no_figure_is_said_so_and_try_again_clears_it(page, sites, typed):
    page.goto(url(sites, "02-weather.html"))
    section = question(page, "we-sea-level")
    section.get_by_label("Your answer, in hPa").fill(typed)
    assert check(section) == "Incorrect"
    expect(section.locator(".q-mark")).to_have_text("✗ " + UNREADABLE)
    section.get_by_role("button", name="Try again").click()
    expect(section.locator(".q-mark")).to_have_count(0)
    section.get_by_label("Your answer, in hPa").fill("101.5")
    assert check(section) == "Incorrect"
    expect(section.locator(".q-figure-feedback:visible")).to_have_count(1)
    section.get_by_role("button", name="Try again").click()
    expect(section.locator(".q-figure-feedback:visible")).to_have_count(0)


def test_keyboard_alone_answers_a_numeric_question(page, sites):
    page.goto(url(sites, "02-weather.html"))
    section = question(page, "we-sea-level")
    section.get_by_label("Your answer, in hPa").focus()
    page.keyboard.type("1013")
    page.keyboard.press("Enter")
    expect(section.get_by_role("status")).to_have_text("Correct")
    expect(section.get_by_role("button", name="Try again")).to_be_focused()


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("٢٤", "صحيح"),
        ("٢٤ ساعة", "صحيح"),
        ("24ساعة", "صحيح"),
        ("٢٤٫٠", "صحيح"),
        ("24,0", "صحيح"),
        ("٢٤.٠", "صحيح"),
        ("۲۴", "صحيح"),  # Persian keyboards' digits
        ("٢٥", "غير صحيح"),
    ],
)
def test_arabic_figures_in_arabic_indic_digits_and_separators(page, sites, errors, typed, verdict):
    page.goto(url(sites, "02-duties.html", site="arabic"))
    section = question(page, "du-hours")
    section.get_by_label("إجابتك بوحدة ساعة").fill(typed)
    section.get_by_role("button", name="تحقق").click()
    expect(section.get_by_role("status")).to_have_text(verdict)
    expect(section.locator(".q-explain .q-answer")).to_have_text("الإجابة الصحيحة هي: 24 ساعة")
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_checked_numeric_question_has_no_axe_violations(page, sites, scheme):
    page.emulate_media(color_scheme=scheme)
    for site, name, qid, typed in (
        ("full", "02-weather.html", "we-sea-level", "101.3"),
        ("arabic", "02-duties.html", "du-hours", "٢٤"),
    ):
        page.goto(url(sites, name, site=site))
        section = question(page, qid)
        section.locator(".q-figure").fill(typed)
        section.locator(".q-check").click()
        options = {"resultTypes": ["violations"], "preload": False}
        assert Axe().run(page, options=options).response["violations"] == [], site


def test_the_printed_worksheet_names_the_unit(browser, sites):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url(sites, "02-weather.html"))
    page.emulate_media(media="print")
    hint = question(page, "we-sea-level").locator(".q-worksheet-hint")
    expect(hint).to_have_text("Write the number on the line, in hPa.")
    context.close()

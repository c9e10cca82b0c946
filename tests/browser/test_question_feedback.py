"""What Check tells the learner, part by part, and how the question controls look."""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coursegen.build import build_course

from .conftest import choose_match
from .test_quiz import check, question, url

ROOT = Path(__file__).parent.parent.parent


def marks(section) -> list[str]:
    return section.locator(".q-mark").all_inner_texts()


def test_a_wrong_matching_answer_marks_the_wrong_pairs(page, sites, errors):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-match")
    choose_match(section, "Evaporation", "Vapour forms clouds")
    choose_match(section, "Condensation", "Vapour forms clouds")
    assert check(section) == "Partly correct: 1 of 2"
    assert marks(section) == ["✗ Incorrect: its match is B. Liquid becomes vapour", "✓ Correct"]
    # A screen reader hears each verdict with its drop-down.
    expect(section.get_by_label("Evaporation")).to_have_accessible_description(
        "Incorrect: its match is B. Liquid becomes vapour"
    )
    expect(section.get_by_label("Condensation")).to_have_accessible_description("Correct")
    rows = section.locator(".q-form .q-answer-table tr").all_inner_texts()
    assert [re.sub(r"\s+", " ", row) for row in rows] == [
        "Item Its match",
        "Evaporation B. Liquid becomes vapour",
        "Condensation A. Vapour forms clouds",
    ]
    assert errors == []


def test_ordering_marks_each_position(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-order")
    shown = section.locator(".q-order-text").all_inner_texts()
    assert check(section) == "Partly correct: 1 of 3"
    assert section.locator(".q-order li .q-mark").all_inner_texts() == [
        "✗ Incorrect: this belongs at position 2",
        "✗ Incorrect: this belongs at position 1",
        "✓ Correct",
    ]
    assert shown == ["Condensation", "Evaporation", "Precipitation"]
    assert section.locator(".q-form .q-answer-list li").all_inner_texts() == [
        "Evaporation",
        "Condensation",
        "Precipitation",
    ]
    expect(section.locator(".q-order-buttons").first).to_be_hidden()  # locked now


def test_cloze_marks_each_gap_and_gaps_fit_their_answers(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-cloze")
    first, second = section.get_by_label("Blank 1 of 2"), section.get_by_label("Blank 2 of 2")
    # As wide as the longest accepted answer ("condensates"), and wider as one types.
    assert (first.get_attribute("size"), second.get_attribute("size")) == ("12", "7")
    second.press_sequentially("rain, or perhaps snow")
    assert second.get_attribute("size") == "23"
    first.fill("condenses")
    assert check(section) == "Partly correct: 1 of 2"
    assert marks(section) == ["✓ Correct", "✗ Incorrect"]
    expect(second).to_have_accessible_description("Incorrect")
    expect(second).to_have_value("rain, or perhaps snow")  # still there, and legible
    assert second.evaluate("e => e.readOnly") is True


def test_multiple_response_scores_partial_credit(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-clouds")
    section.get_by_label("Condensation").check()
    section.get_by_label("Combustion").check()
    assert check(section) == "Partly correct: 1 of 3"
    options = section.locator(".q-option")
    assert [options.nth(i).inner_text().split("\n") for i in range(3)] == [
        ["Combustion", "✗ Incorrect: you chose it"],
        ["Precipitation", "✗ Missed: this one is also correct"],
        ["Condensation", "✓ Correct: you chose it"],
    ]
    assert section.locator(".q-form .q-answer-list li").all_inner_texts() == [
        "Precipitation",
        "Condensation",
    ]


def test_nothing_chosen_is_incorrect_not_partly_correct(page, sites):
    page.goto(url(sites, "01-water.html"))
    assert check(question(page, "wc-clouds")) == "Incorrect"


def test_an_options_verdict_comes_before_its_explanation(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-stage-first")
    section.get_by_label("Evaporation").check()
    assert check(section) == "Correct"
    option = section.locator(".q-option", has_text="Evaporation")
    assert [line for line in option.inner_text().split("\n") if line] == [
        "Evaporation",
        "✓ Correct: you chose it",
        "Yes, the sun heats the oceans first.",
    ]


def test_one_button_for_the_next_step(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-sun")
    section.get_by_label("True").check()
    check(section)
    expect(section.locator(".q-actions button:visible")).to_have_text(["Try again"])
    section.get_by_role("button", name="Try again").click()
    expect(section.locator(".q-actions button:visible")).to_have_text(["Check"])
    assert marks(section) == []


def test_a_short_answer_shows_the_answer_not_every_accepted_form(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-vapour-name")
    section.get_by_label("Your answer").fill("boiling")
    check(section)
    expect(section.locator(".q-form .q-answer")).to_have_text("The correct answer is: evaporation")


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pixels(png: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of a screenshot (8-bit RGB or RGBA, as Chromium writes them)."""
    width, height, depth, kind = struct.unpack(">IIBB", png[16:26])
    assert depth == 8 and kind in (2, 6)
    chunks, at = b"", 8
    while at < len(png):
        (length,), name = struct.unpack(">I", png[at : at + 4]), png[at + 4 : at + 8]
        if name == b"IDAT":
            chunks += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw, step = zlib.decompress(chunks), 3 if kind == 2 else 4
    stride, rows, previous = width * step, [], bytearray(width * step)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind_of_filter, row = line[0], bytearray(line[1:])
        for i in range(stride):
            left = row[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            guess = left + up - corner
            paeth = min(
                (abs(guess - left), left), (abs(guess - up), up), (abs(guess - corner), corner)
            )[1]
            row[i] = (row[i] + (0, left, up, (left + up) // 2, paeth)[kind_of_filter]) & 255
        rows.append(row)
        previous = row
    return [tuple(row[i : i + 3]) for row in rows for i in range(0, stride, step)]


def rgb(colour: tuple[int, int, int]) -> str:
    return "rgb({}, {}, {})".format(*colour)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_after_check_the_learners_choice_stays_legible(page, sites, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-stage-first")
    section.get_by_label("Precipitation").check()
    check(section)
    option = section.locator(".q-option.is-wrong")
    seen = option.evaluate("""o => ({
        back: getComputedStyle(o).backgroundColor,
        label: getComputedStyle(o.querySelector("label")).color,
        disabled: o.querySelector("input").disabled, checked: o.querySelector("input").checked,
    })""")
    assert (seen["disabled"], seen["checked"]) == (True, True)
    assert contrast(seen["label"], seen["back"]) >= 4.5
    # The radio as drawn on screen, not as styled: its ring and dot against the option.
    drawn = pixels(option.locator("input").screenshot())
    assert max(contrast(rgb(p), seen["back"]) for p in drawn) >= 4.5


def test_moving_an_item_says_so_quietly(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-order")
    button = section.get_by_role("button", name="Move up: Evaporation")
    button.focus()
    page.keyboard.press("Enter")  # the keyboard alone moves it
    status = section.locator(".q-move-status")
    expect(status).to_have_text("Now at position 1 of 3")
    assert status.get_attribute("aria-live") == "polite"
    assert status.evaluate("e => e.getBoundingClientRect().width") <= 1  # heard, not shown
    expect(section.locator(".q-feedback")).to_have_text("")  # no verdict, no loud message
    expect(button).to_be_focused()


def test_matching_with_the_keyboard_alone(page, sites):
    page.goto(url(sites, "01-water.html"))
    section = question(page, "wc-match")
    section.get_by_label("Evaporation").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # B. Liquid becomes vapour
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # A. Vapour forms clouds
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # on Check
    expect(section.get_by_role("status")).to_have_text("Correct")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    course = tmp_path_factory.mktemp("shipped") / "course"
    for folder in ("modules", "question_banks"):
        shutil.copytree(ROOT / folder, course / folder)
    build_course(course, formats=["html"])
    return course / "output"


MODULE_PAGES = [
    "01-overview.html",
    "02-history.html",
    "03-organization.html",
    "04-training-reform.html",
    "05-challenges.html",
    "06-international.html",
]


def test_no_question_control_is_wider_than_the_viewport_at_320_px(browser, shipped):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    outside = """() => [...document.querySelectorAll(
        '.q input, .q select, .q button, .q label, .q-order li, .q-mark, .q-answer table')]
        .filter(e => e.offsetParent !== null)
        .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > 320; })
        .map(e => e.outerHTML.slice(0, 80))"""
    # A drop-down shows its whole letter and short form: as wide as it would be unconstrained.
    cut = """() => [...document.querySelectorAll('.q select')].filter(s => {
        const free = s.cloneNode(true);
        free.style.maxWidth = "none";
        free.style.position = "absolute";
        s.parentElement.appendChild(free);
        const wanted = free.offsetWidth;
        free.remove();
        return wanted > s.offsetWidth; }).map(s => s.id)"""
    for name in MODULE_PAGES:
        page.goto((shipped / "html" / name).as_uri())
        assert page.evaluate(outside) == [], name
        assert page.evaluate(cut) == [], name
        checks = page.get_by_role("button", name="Check")
        while checks.count():
            checks.first.click()
        assert page.evaluate(outside) == [], name
    context.close()


def test_options_keep_the_built_order_with_and_without_javascript(browser, sites):
    shown = []
    for javascript in (False, True, True):  # and a reload: no shuffle in the page
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        page.goto(url(sites, "01-water.html"))
        section = question(page, "wc-clouds")
        labels = section.locator(".q-static-list li" if not javascript else ".q-option label")
        shown.append(labels.all_inner_texts())
        context.close()
    assert shown == [["Combustion", "Precipitation", "Condensation"]] * 3


def test_shuffle_false_keeps_the_authored_order(page, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "tests" / "fixtures" / "full", course)
    bank = course / "question_banks" / "water.yaml"
    text = bank.read_text().replace(
        "  - id: wc-clouds\n    type: multiple_response\n",
        "  - id: wc-clouds\n    type: multiple_response\n    shuffle: false\n",
    )
    bank.write_text(text)
    build_course(course, formats=["html"])
    page.goto((course / "output" / "html" / "01-water.html").as_uri())
    labels = question(page, "wc-clouds").locator(".q-option label")
    assert labels.all_inner_texts() == ["Condensation", "Precipitation", "Combustion"]

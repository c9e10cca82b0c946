"""The final assessment as an exam, in real Chromium: one submission per attempt, a review
when the manifest allows it, attempts counted and limited, unanswered counted for each type."""

from __future__ import annotations

import json
import shutil

import pytest
from playwright.sync_api import Page, expect

from coursegen.build import build_course

from .conftest import FIXTURES

SETTINGS = {  # course name -> what its manifest's final_assessment adds to the full fixture's
    "default": "",
    "every-question": "  questions: 8\n",  # the ordering question too
    "two-attempts": "  max_attempts: 2\n",
    "after-pass": "  review: after_pass\n",
    "never": "  review: never\n",
}


@pytest.fixture(scope="module")
def finals(tmp_path_factory) -> dict[str, str]:
    """The final assessment page of the full fixture built with each of SETTINGS."""
    pages = {}
    for name, extra in SETTINGS.items():
        course = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(FIXTURES / "full", course)
        manifest = course / "modules" / "course.yaml"
        text = manifest.read_text().replace("  questions: 5\n", "  questions: 5\n" + extra, 1)
        if "questions: 8" in extra:
            text = text.replace("  questions: 5\n", "", 1)
        manifest.write_text(text)
        build_course(course, formats=["html"])
        pages[name] = (course / "output" / "html" / "final-assessment.html").as_uri()
    return pages


def start(page: Page, name: str = "Start the assessment") -> None:
    page.get_by_role("button", name=name).click()


def submit(page: Page, right: bool) -> None:
    """Answer wc-stage-first, wc-sun and wc-vapour-name (60%: a pass) or only wc-sun (20%)."""
    section = page.locator('.final-questions .q[data-qid="wc-sun"]')
    section.get_by_label("True").check()
    if right:
        page.locator('.q[data-qid="wc-stage-first"]').get_by_label("Evaporation").check()
        page.locator('.q[data-qid="wc-vapour-name"]').get_by_label("Your answer").fill(
            "evaporation"
        )
    page.once("dialog", lambda dialog: dialog.accept())  # some are left unanswered
    page.get_by_role("button", name="Submit my answers").click()


def saved_final(page: Page) -> dict:
    text = page.evaluate("localStorage.getItem('coursegen:full-course:v1')")
    return json.loads(text)["final"]


def test_a_submitted_attempt_cannot_be_submitted_again(page, finals, errors):
    page.goto(finals["default"])
    start(page)
    submit(page, right=False)
    result = page.locator(".final-result")
    expect(result).to_contain_text("You scored 20% (1 of 5).")
    expect(result).to_contain_text("Your answers are submitted and can no longer be changed.")
    expect(page.get_by_role("button", name="Submit my answers")).to_have_count(0)
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    controls = page.locator(".final-questions input, .final-questions select")
    # Typed answers stay readable and selectable, not changeable.
    assert controls.evaluate_all("els => els.every(e => e.disabled || e.readOnly)")
    assert controls.count() > 0
    # Not even the form's own submit event, as Enter in a field would fire it, grades again.
    page.evaluate("document.querySelector('.final-form').requestSubmit()")
    assert saved_final(page)["attempts"] == 1
    expect(result).to_contain_text("Attempts: 1 · Best score: 20% · Last score: 20%")
    assert errors == []


def test_a_new_attempt_is_counted(page, finals, errors):
    page.goto(finals["default"])
    start(page)
    submit(page, right=False)
    start(page, "Start a new attempt")
    expect(page.locator(".final-standing")).to_have_text("Attempt 2")
    sun = page.locator('.final-questions .q[data-qid="wc-sun"]')
    expect(sun.get_by_label("True")).not_to_be_checked()
    expect(sun.get_by_label("True")).to_be_enabled()
    expect(page.locator(".final-result")).to_be_empty()
    submit(page, right=True)
    expect(page.locator(".final-result")).to_contain_text(
        "Attempts: 2 · Best score: 60% · Last score: 60%"
    )
    page.reload()  # the page says where the learner stands before an attempt
    expect(page.locator(".final-standing")).to_have_text(
        "Attempts: 2 · Best score: 60% · Last score: 60%"
    )
    assert saved_final(page) == {"attempts": 2, "best": 60, "last": 60, "passed": True}
    assert errors == []


def test_max_attempts_stops_further_attempts(page, finals, errors):
    page.goto(finals["two-attempts"])
    expect(page.locator(".lead")).to_contain_text("You may make 2 attempts.")
    start(page)
    expect(page.locator(".final-standing")).to_have_text("Attempt 1 of 2")
    submit(page, right=False)
    start(page, "Start a new attempt")
    expect(page.locator(".final-standing")).to_have_text("Attempt 2 of 2")
    submit(page, right=False)
    result = page.locator(".final-result")
    expect(result).to_contain_text("Attempts: 2 of 2 · Best score: 20% · Last score: 20%")
    expect(result).to_contain_text("You have used all 2 attempts.")
    expect(page.get_by_role("button", name="Start a new attempt")).to_have_count(0)
    page.reload()
    expect(page.locator(".final-standing")).to_contain_text("You have used all 2 attempts.")
    expect(page.get_by_role("button")).to_have_count(0)
    assert errors == []


def test_an_untouched_ordering_counts_as_unanswered(page, finals, errors):
    page.goto(finals["every-question"])
    start(page)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    submit_button = page.get_by_role("button", name="Submit my answers")
    submit_button.click()
    order = page.locator('.final-questions .q[data-qid="wc-order"]')
    order.get_by_role("button", name="Move down").first.click()
    submit_button.click()
    assert dialogs == [
        "8 questions are not answered yet. Submit anyway?",
        "7 questions are not answered yet. Submit anyway?",
    ]
    assert errors == []


REVIEWS = [  # course, pass?, is the review shown?, what the result says of it
    ("default", False, True, None),
    ("after-pass", False, False, "The right answers are shown here once you pass."),
    ("after-pass", True, True, None),
    ("never", True, False, "This assessment does not show the right answers."),
]


@pytest.mark.parametrize(("name", "right", "shown", "note"), REVIEWS)
def test_review_modes(page, finals, errors, name, right, shown, note):
    page.goto(finals[name])
    start(page)
    submit(page, right=right)
    explanations = page.locator(".final-questions .q-explain")
    expect(explanations).to_have_count(5)
    verdicts = page.locator(".final-questions .q-feedback")
    if shown:
        for i in range(5):
            expect(explanations.nth(i)).to_be_visible()
        expect(verdicts.first).to_have_text("Correct" if right else "Incorrect")
        expect(explanations.first).to_contain_text("The correct answer is: Evaporation")
    else:
        for i in range(5):
            expect(explanations.nth(i)).to_be_hidden()
            expect(verdicts.nth(i)).to_be_empty()
    if note:
        expect(page.locator(".final-result")).to_contain_text(note)
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_attempt_by_keyboard_alone_reviews_without_violations(page, finals, errors, scheme):
    from .test_accessibility import violations

    page.emulate_media(color_scheme=scheme)
    page.goto(finals["default"])
    page.get_by_role("button", name="Start the assessment").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".final-questions .q-number").first).to_be_focused()
    page.locator('.q[data-qid="wc-sun"]').get_by_label("True").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Submit my answers").focus()
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    expect(page.locator(".final-result")).to_be_focused()  # the score first, then the review
    assert violations(page) == []
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Start a new attempt")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".final-questions .q-number").first).to_be_focused()
    assert errors == []

"""A final assessment with a blueprint, in real Chromium: every attempt draws anew, and
every draw meets every rule of the manifest."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Page, expect

from coursegen.build import build_course

from .conftest import FIXTURES

# The blueprint fixture's sets, as its manifest and banks make them: (how many, from which).
SETS = [
    (1, {"sg-stop-meaning", "sg-give-way"}),  # rule 1: one on each objective...
    (1, {"sg-triangle", "sg-circle"}),
    (1, {"sp-town-limit", "sp-limit-sign"}),
    (1, {"sp-distance-parts", "sp-wet-road"}),
    (2, {"sg-school", "sg-stop-steps", "sp-rain-gap", "sp-twice-speed"}),  # rule 2: apply+
]
ATTEMPTS = 8


@pytest.fixture(scope="module")
def finals(tmp_path_factory) -> dict[str, str]:
    """The final assessment page of the blueprint fixture, shuffled and not."""
    pages = {}
    for name, extra in (("shuffled", ""), ("fixed", "  shuffle: false\n")):
        course = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(FIXTURES / "blueprint", course)
        manifest = course / "modules" / "course.yaml"
        manifest.write_text(
            manifest.read_text().replace("  pass_mark: 60\n", "  pass_mark: 60\n" + extra)
        )
        build_course(course, formats=["html"])
        pages[name] = (course / "output" / "html" / "final-assessment.html").as_uri()
    return pages


def attempt(page: Page, button: str) -> list[str]:
    """Start an attempt, note the questions it drew, and submit it unanswered."""
    page.get_by_role("button", name=button).click()
    drawn = page.locator(".final-questions .q").evaluate_all(
        "els => els.map(e => e.getAttribute('data-qid'))"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("button", name="Submit my answers")).to_have_count(0)
    return drawn


def test_every_attempt_draws_anew_by_every_rule(page, finals, errors):
    page.goto(finals["shuffled"])
    expect(page.locator(".lead")).to_have_text(
        "6 questions, drawn for each attempt by the course's test plan. You need 60% to pass."
    )
    expect(page.locator(".final-plan li")).to_have_text(
        ["One on each objective: 4 questions", "Applying the rules: 2 questions"]
    )
    draws = [attempt(page, "Start the assessment")]
    draws += [attempt(page, "Start a new attempt") for _ in range(ATTEMPTS - 1)]
    for drawn in draws:
        assert len(drawn) == len(set(drawn)) == 6
        assert [len(set(drawn) & ids) for _, ids in SETS] == [n for n, _ in SETS]
    assert len({tuple(sorted(d)) for d in draws}) > 1  # 96 draws are possible
    assert len({tuple(d) for d in draws}) > 1
    # Graded once each: no attempt could be submitted twice, and no answer shown before.
    result = page.locator(".final-result")
    expect(result).to_contain_text(f"Attempts: {ATTEMPTS} · Best score: 0% · Last score: 0%")
    assert errors == []


def test_without_shuffling_each_rule_takes_its_first_questions(page, finals, errors):
    page.goto(finals["fixed"])
    first = attempt(page, "Start the assessment")
    second = attempt(page, "Start a new attempt")
    expected = ["sg-stop-meaning", "sg-triangle", "sp-town-limit", "sp-distance-parts"]
    assert first == second == [*expected, "sg-school", "sg-stop-steps"]
    assert errors == []


def test_an_attempt_shows_no_answer_before_it_is_submitted(page, finals, errors):
    page.goto(finals["shuffled"])
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator(".final-questions .q")).to_have_count(6)
    for i in range(6):
        expect(page.locator(".final-questions .q-explain").nth(i)).to_be_hidden()
    expect(page.get_by_role("button", name="Check")).to_have_count(0)
    assert page.locator("a[href*='answer-key']").count() == 0
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_plan_and_an_attempt_have_no_violations(page, finals, errors, scheme):
    from .test_accessibility import violations

    page.emulate_media(color_scheme=scheme)
    page.goto(finals["shuffled"])
    expect(page.get_by_role("heading", name="How the questions are drawn")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="Start the assessment").click()
    assert violations(page) == []
    assert errors == []

"""Choice cards as Anki renders them, run in real Chromium: a fresh option order at each review,
the same order on both sides, and a fixed, usable card when scripts cannot run."""

from __future__ import annotations

import itertools
import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from coursegen.build import build_course

from ..anki_helpers import fresh_collection, import_apkg, notes_by_id
from .conftest import FIXTURES

CARD_URL = "http://anki.test/card.html"
# Math.random from the seed in the page's ?seed= (mulberry32): each load draws anew, and
# knowably, so no test is flaky.
SEEDED_RANDOM = """(() => {
  let s = Number(new URLSearchParams(location.search).get("seed")) >>> 0;
  Math.random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();"""
NO_STORAGE = """Object.defineProperty(window, "sessionStorage", {
  get() { throw new DOMException("denied", "SecurityError"); }
});"""
# What Anki's desktop reviewer does to show the other side: replace the card's HTML in the same
# page, then run its scripts (innerHTML alone does not).
SHOW_IN_PLACE = """html => {
  const qa = document.getElementById("qa");
  qa.innerHTML = html;
  for (const old of qa.querySelectorAll("script")) {
    const script = document.createElement("script");
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
}"""


def page_html(side: str, night: bool = False) -> str:
    """A page holding one rendered side, with the classes Anki gives its reviewer's body."""
    classes = "card nightMode" if night else "card"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>card</title></head><body class="{classes}"><div id="qa">{side}</div></body></html>'
    )


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, tuple[str, str]]:
    """The question and answer HTML of every note's first card, as a real Anki renders them."""
    sides = {}
    for name in ("full", "arabic", "long-lists"):
        course = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(FIXTURES / name, course)
        apkg = build_course(course, formats=["anki"]).written["anki"][0]
        col = fresh_collection(tmp_path_factory.mktemp(f"{name}-anki"))
        import_apkg(col, apkg)
        for item_id, note in notes_by_id(col).items():
            card = note.cards()[0]
            sides[item_id] = (card.question(), card.answer())
        col.close()
    return sides


def serving(context):
    """A function that opens a rendered side in a page of ``context``, as a new page load."""
    served: dict[str, str] = {}
    context.route(
        CARD_URL + "*",
        lambda route: route.fulfill(body=served["html"], content_type="text/html"),
    )

    def show(page, side: str, night: bool = False, seed: int = 0):
        served["html"] = page_html(side, night)
        page.goto(f"{CARD_URL}?seed={seed}")
        return page

    return show


@pytest.fixture
def card_page(context):
    context.add_init_script(SEEDED_RANDOM)
    return serving(context)


def texts(page, selector: str) -> list[str]:
    return page.locator(selector).all_inner_texts()


def options(page) -> list[str]:
    return texts(page, "#qa .cg-options li")


def fixed_order(rendered, item_id: str) -> list[str]:
    """The options in the order the build wrote them, which a card shows with no script."""
    choices = re.search(r'<ol class="cg-options"[^>]*>(.*?)</ol>', rendered[item_id][0])
    return re.findall(r"<li[^>]*>(.*?)</li>", choices.group(1))


def test_each_review_shows_the_options_in_a_fresh_order(page, card_page, errors, rendered):
    front, back = rendered["wc-clouds"]
    orders = set()
    for seed in range(40):  # forty reviews of one card in one session: front, then back
        orders.add(tuple(options(card_page(page, front, seed=seed))))
        page.evaluate(SHOW_IN_PLACE, back)
    # Three options: every one of their six orders comes up, the build's fixed one among them.
    assert orders == set(itertools.permutations(["Combustion", "Precipitation", "Condensation"]))
    assert errors == []


@pytest.mark.parametrize("flip", ["in place (desktop)", "as a new page (AnkiDroid)"])
def test_the_back_shows_the_order_its_front_showed(page, card_page, errors, rendered, flip):
    front, back = rendered["du-duties"]  # Arabic: two correct options, one with a note
    fronts = set()
    for review in range(6):
        shown = options(card_page(page, front, seed=review))
        if flip.startswith("in place"):
            page.evaluate(SHOW_IN_PLACE, back)
        else:
            card_page(page, back, seed=100 + review)  # the back draws nothing
        assert options(page) == shown  # the repeated front, as the front showed it
        right = [text for text in shown if text != "إصدار الأحكام"]
        assert texts(page, ".cg-answer ul:not(.cg-about) li") == right
        assert texts(page, ".cg-about li") == ["إصدار الأحكام ✗ غير صحيح هذا من عمل المحاكم."]
        fronts.add(tuple(shown))
    assert len(fronts) > 1  # each review after a back draws afresh
    assert errors == []


def test_a_front_shown_again_before_its_back_keeps_its_order(page, card_page, rendered):
    front = rendered["wc-clouds"][0]
    shown = options(card_page(page, front, seed=1))
    for seed in range(2, 7):  # AnkiDroid renders the front anew when the phone turns, for one
        assert options(card_page(page, front, seed=seed)) == shown


def test_without_javascript_the_card_keeps_its_fixed_order_and_names_the_answer(browser, rendered):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    show = serving(context)
    for item_id, answer in [
        ("wc-clouds", "Correct answers:\nPrecipitation\nCondensation"),
        ("we-pressure", "Correct answer: Barometer"),
    ]:
        front, back = rendered[item_id]
        assert options(show(page, front)) == fixed_order(rendered, item_id)
        assert options(show(page, back)) == fixed_order(rendered, item_id)
        assert page.locator(".cg-answer").inner_text() == answer
    context.close()


def test_without_storage_both_sides_keep_the_fixed_order(
    context, page, card_page, errors, rendered
):
    context.add_init_script(NO_STORAGE)
    front, back = rendered["wc-stage-first"]
    assert options(card_page(page, front, seed=5)) == fixed_order(rendered, "wc-stage-first")
    page.evaluate(SHOW_IN_PLACE, back)
    assert options(page) == fixed_order(rendered, "wc-stage-first")
    assert page.locator(".cg-key").inner_text() == "Correct answer: Evaporation"
    assert errors == []


@pytest.mark.parametrize("night", [False, True], ids=["light", "night"])
@pytest.mark.parametrize("item_id", ["wc-stage-first", "many-options", "du-duties"])
def test_choice_cards_have_no_accessibility_violations(page, card_page, rendered, item_id, night):
    """The verdicts' colours keep their contrast on the answer's background, in night mode too."""
    front, back = rendered[item_id]
    card_page(page, front, night=night)
    page.evaluate(SHOW_IN_PLACE, back)
    # WCAG rules only: the page around the card is Anki's (here, this test's), not ours.
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    options = {"resultTypes": ["violations"], "preload": False, "runOnly": tags}
    found = Axe().run(page, options=options).response["violations"]
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found] == []


def test_a_numeric_card_asks_in_its_unit_and_gives_the_range_on_its_back(page, card_page, rendered):
    """Anki compares the typed figure with the right one; the back says what else is right."""
    front, back = rendered["we-sea-level"]
    assert "[[type:Answer]]" in front  # the type-in field, which Anki's reviewer fills in
    card_page(page, front)
    assert texts(page, "#qa .cg-prompt p") == [
        "What is the usual air pressure at sea level?",
        "Answer in hPa",
    ]
    page.evaluate(SHOW_IN_PLACE, back)
    assert texts(page, "#qa .cg-answer") == [
        "Answer: 1013\nAlso accepted: any figure from 1002.87 hPa to 1023.13 hPa"
    ]
    assert texts(page, "#qa .cg-explanation p")[0] == (
        "101.3 hPa ✗ Incorrect That is the pressure in kilopascals; the question asks for "
        "hectopascals."
    )


@pytest.mark.parametrize("night", [False, True], ids=["light", "night"])
@pytest.mark.parametrize("item_id", ["we-sea-level", "du-hours"])
def test_numeric_cards_have_no_accessibility_violations(page, card_page, rendered, item_id, night):
    front, back = rendered[item_id]
    card_page(page, front, night=night)
    page.evaluate(SHOW_IN_PLACE, back)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    options = {"resultTypes": ["violations"], "preload": False, "runOnly": tags}
    found = Axe().run(page, options=options).response["violations"]
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found] == []

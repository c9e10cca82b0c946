"""A question's `source` is found in its lesson however the text's accents are encoded."""

import unicodedata

import pytest

from coursegen import markup
from coursegen.passages import closest_passage

from .conftest import FIXTURES

# Composed (NFC) and decomposed (NFD: é as e + U+0301, as macOS and PDF copies give it).
FRENCH = "Paris est la capitale de la République française."
ARABIC = (FIXTURES / "arabic" / "modules" / "01-intro.md").read_text("utf-8").split("\n")[-2]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("text", [FRENCH, ARABIC], ids=["french", "arabic"])
def test_the_texts_differ_in_encoding_only(text):
    assert nfc(text) != nfd(text)  # إ (U+0625) decomposes to ا + U+0655, as é to e + U+0301


@pytest.mark.parametrize("text", [FRENCH, ARABIC], ids=["french", "arabic"])
@pytest.mark.parametrize(
    ("lesson_form", "quotation_form"), [(nfc, nfd), (nfd, nfc)], ids=["nfd-quote", "nfd-lesson"]
)
def test_a_quotation_is_found_in_either_normal_form(text, lesson_form, quotation_form):
    lesson = markup.lesson_to_html(f"## Heading\n\nFirst.\n\n{lesson_form(text)}\n")
    quotation = quotation_form(text.rstrip("."))
    assert markup.fold(quotation) in markup.fold(lesson_form(text))
    assert lesson.anchor_of(quotation) == lesson.blocks[2][0]


def test_a_quotation_copied_with_its_markdown_links_to_its_passage():
    lesson = markup.lesson_to_html("## Air\n\nIt holds an invisible gas called **water vapour**.\n")
    assert lesson.anchor_of("an invisible gas called **water vapour**") == lesson.blocks[1][0]


LESSON = (
    "## Air\n"
    "\n"
    "Air is a mixture of gases. It holds an invisible gas called\n"
    "**water vapour**, which condenses into clouds.\n"
    "\n"
    "Rain falls when droplets grow heavy.\n"
)


def test_the_closest_passage_is_the_sentence_most_like_the_quotation_with_its_line():
    found = closest_passage(LESSON, 10, "It holds a visible gas called water vapor")
    assert found == (
        12,
        "It holds an invisible gas called water vapour, which condenses into clouds.",
    )


def test_no_passage_is_offered_when_none_is_much_like_the_quotation():
    assert closest_passage(LESSON, 10, "The capital of France is Paris") is None

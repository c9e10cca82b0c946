"""A question's `source` is found in its lesson however the text's accents are encoded."""

import unicodedata

import pytest

from coursegen import markup

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

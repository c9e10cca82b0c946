"""The interface's own words, per language, and the writing direction of each language.

Course content comes in the course's language from its authors; these are the words coursegen
itself puts around it in every format (buttons, headings, card labels, category names), one
catalogue module per language (en.py, ar.py) with the same keys. A language without a
catalogue falls back to English, so a course always builds. Languages are BCP 47 tags, read
by langcodes; plural and number forms come from CLDR through Babel (catalogue.py).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from . import ar, en
from .catalogue import Entry, Strings

if TYPE_CHECKING:
    import langcodes

# Scripts written right to left (CLDR's script metadata), among those in use today. Direction
# follows the script, not the language: Kurdish is written in Arabic script (ckb, ku-Arab) and
# in Latin script (ku, ku-Latn).
RTL_SCRIPTS = {
    "Adlm",
    "Arab",
    "Hebr",
    "Mand",
    "Mend",
    "Nkoo",
    "Rohg",
    "Samr",
    "Syrc",
    "Thaa",
    "Yezi",
}

CATALOGUES: dict[str, dict[str, Entry]] = {"en": en.STRINGS, "ar": ar.STRINGS}
# Each catalogue's language written as its bare tag, and its direction as langcodes reads it
# (tests/test_i18n.py checks): a course in one of them never loads langcodes' registry, a
# tenth of a build's start.
_DIRECTIONS = {"en": "ltr", "ar": "rtl"}


@functools.cache
def strings_for(language: str) -> Strings:
    """The interface strings for ``language`` (a BCP 47 tag), English where none exist."""
    if language in _DIRECTIONS:
        base = language
    else:  # by the language alone ('ar-IQ' and 'arb', Standard Arabic, are 'ar')
        base = _language(language).prefer_macrolanguage().language
    if base not in CATALOGUES:
        return Strings("en", CATALOGUES["en"])
    return Strings(base, {**CATALOGUES["en"], **CATALOGUES[base]})


def direction(language: str) -> str:
    """'rtl' for a language written in a right-to-left script, else 'ltr'."""
    if language in _DIRECTIONS:
        return _DIRECTIONS[language]
    # The script is the tag's own ('az-Arab'), else the one the language is usually written in.
    return "rtl" if _language(language).maximize().script in RTL_SCRIPTS else "ltr"


def _language(tag: str) -> langcodes.Language:
    import langcodes  # its registry takes a tenth of `coursegen validate`'s time to load

    try:  # normalised: deprecated tags ('iw') become their current ones ('he')
        return langcodes.Language.get(tag, normalize=True)
    except ValueError:  # not a tag at all (validation reports it): the interface stays English
        return langcodes.Language.get("en")


def is_language_tag(text: str) -> bool:
    """Whether ``text`` is a valid BCP 47 tag: well formed, and of registered subtags."""
    if text in CATALOGUES:  # the languages coursegen speaks: valid, and asked most often
        return True
    import langcodes

    # langcodes also reads 'en_US', which is not BCP 47 and not a valid HTML lang.
    return "_" not in text and langcodes.tag_is_valid(text)


def tag_for(text: str) -> str | None:
    """The tag that a malformed tag or a language's name means ('Arabic': 'ar'), if any."""
    import langcodes

    try:
        tag = langcodes.standardize_tag(text)
    except ValueError:
        tag = ""
    if not is_language_tag(tag):
        try:  # names come from the language_data package, loaded here only
            tag = langcodes.find(text).to_tag()
        except (LookupError, ValueError):
            return None
    return tag if is_language_tag(tag) else None

"""One language's interface strings, with its plural and number forms from CLDR (Babel).

An entry is a text with ``{name}`` placeholders, or a counted text: its forms by CLDR plural
category (zero, one, two, few, many, other), of which a language lists the ones it has.
English has one and other; Arabic all six (0, 1, 2, 3-10, 11-99 and 100-102 take different
words), so the form is chosen by the language's rule, never by ``n == 1``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping

import babel
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

Entry = str | dict[str, str]  # a text, or a counted text's forms by plural category

# Latin digits in every language: Babel writes no others (its numbering systems change only
# the separators), CLDR's default for Arabic is Latin too, and the author's own text (module
# numbers, dates, figures) uses them, so one page never mixes two kinds of digits. The page's
# script is told the same (course.js).
NUMBERING = "latn"


class Strings(Mapping[str, Entry]):
    """The interface strings of one language: ``t["key"]``, ``t("key", n=1)`` formatted,
    ``t.count("key", n)`` counted.

    Templates write ``t["key"]`` too: Jinja would take ``t.key`` as well, but only after
    looking for an attribute and failing, 0.4 µs each time, which the templates that run
    once per question pay at every string of every question."""

    def __init__(self, language: str, entries: dict[str, Entry]):
        self.language = language  # the catalogue's own language, which its plural rule is for
        self.entries = entries
        self.locale = babel.Locale.parse(language)

    def __getitem__(self, key: str) -> Entry:
        return self.entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __call__(self, key: str, **values: object) -> str:
        """The text of ``key`` with ``values`` filled in, numbers written the language's way."""
        return self._fill(self.entries[key], values)

    def count(self, key: str, n: int, **values: object) -> str:
        """The form of counted ``key`` for ``n`` (also filled in as ``{n}``)."""
        forms = self.entries[key]
        assert isinstance(forms, dict), f"{key} is not a counted string"
        text = forms.get(self.plural(n), forms["other"])
        return self._fill(text, {"n": n, **values})

    def plural(self, n: int) -> str:
        """The CLDR plural category of ``n`` in this language ('one', 'few', ...)."""
        return _plural(n, self.locale)

    def categories(self) -> set[str]:
        """The plural categories this language distinguishes, 'other' among them."""
        return {*self.locale.plural_form.tags, "other"}

    def number(self, n: int) -> str:
        """``n`` as the language writes a whole number (1234: '1,234')."""
        return _number(n, self.locale)

    def percent(self, value: int) -> str:
        """``value`` percent (70: '70%'), as the language writes a percentage."""
        return format_percent(value / 100, locale=self.locale, numbering_system=NUMBERING)

    def date(self, value: datetime.date) -> str:
        """``value`` as the language writes a date in full ('December 1, 2026')."""
        # CLDR's Arabic dates use Latin digits, as NUMBERING does.
        return format_date(value, "long", locale=self.locale)

    def _fill(self, text: str, values: dict[str, object]) -> str:
        numbers = {k: self.number(v) for k, v in values.items() if type(v) is int}
        return text.format(**{**values, **numbers})


# A build writes the same few numbers (module numbers, counts) once per note or question,
# and Babel takes about 70 µs to format one: 10,000 notes spent a tenth of the Anki stage here.
@functools.lru_cache(maxsize=4096)
def _plural(n: int, locale: babel.Locale) -> str:
    # Babel evaluates the CLDR rule afresh each time: 10 µs, for the same few counts.
    return locale.plural_form(n)


@functools.lru_cache(maxsize=4096)
def _number(n: int, locale: babel.Locale) -> str:
    return format_decimal(n, locale=locale, numbering_system=NUMBERING)

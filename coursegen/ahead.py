"""The banks' Markdown rendered while they are checked, in both processes of the build.

Every format renders the same author text to HTML, and when the formats share two
processes each would render it all again (at 10,000 questions, about 0.4 s a process). So
where validation checks the banks in two processes (validate.py), each renders the texts
of the banks it checks as the formats will ask for them, and the first process keeps them
all (markup.remember), for itself and for every process it forks later. It is only a head
start: a text it missed is rendered when a format asks, as before.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from . import markup

# The forms a format renders a question's prompt in (its PROMPTS: exporters/__init__.py): a
# block (Anki and the LMSs' formats), or split into its lead and last paragraph (the HTML form,
# whose last paragraph is a <legend>): markup.to_html's and markup.prompt_to_html's.
BLOCK, SPLIT = False, markup.PROMPT
BOTH = frozenset({BLOCK, SPLIT})


class Rendering:
    """What validation runs beside its check of each bank (validate's ``alongside``)."""

    def __init__(self, prompts: Collection = BOTH):
        self.prompts = prompts  # the forms of a prompt that the build's formats ask for

    def __call__(self, data: Any) -> tuple[list, list]:
        """The bank's texts as the formats will ask for them, and their HTML."""
        wanted = list(dict.fromkeys(_texts(data, self.prompts)))
        return wanted, markup.render_ahead(wanted)

    def keep(self, made: list[tuple[list, list]]) -> None:
        """Keep what each bank's call made, wherever it ran, for the formats to come."""
        wanted = [text for texts, _ in made for text in texts]
        markup.remember(wanted, [html for _, rendered in made for html in rendered])


# What every question has and no format renders as Markdown: passed by without a look.
_PLAIN = frozenset({"id", "type", "source", "objectives", "difficulty", "bloom", "tags"})


def _texts(data: Any, prompts: Collection) -> list[tuple[str, object]]:
    """Each text of each question with Markdown in it, as the formats render it: a prompt in
    each of the forms ``prompts``; an explanation as a block; the rest (options, feedback,
    pairs, items) inline. A list, not a generator: it runs for every field of every question
    (a generator's resumption at each level of nesting cost half of it)."""
    questions = data.get("questions") if isinstance(data, dict) else None
    forms = [form for form in (BLOCK, SPLIT) if form in prompts]
    found: list[tuple[str, object]] = []
    for question in questions if isinstance(questions, list) else ():
        if not isinstance(question, dict):
            continue
        for key, value in question.items():
            if key in _PLAIN:
                continue
            if key == "prompt":
                # A cloze's prompt ("{{" starts a gap) is rendered with its gaps marked instead.
                if isinstance(value, str) and "{{" not in value and markup.has_markup(value):
                    found += ((value, form) for form in forms)
            elif key == "explanation":
                if isinstance(value, str) and markup.has_markup(value):
                    found.append((value, False))  # as a block
            else:
                _add_inline(value, found)
    return found


def _add_inline(value: Any, found: list) -> None:
    if isinstance(value, str):
        if markup.has_markup(value):
            found.append((value, True))
    elif isinstance(value, list):
        for item in value:
            _add_inline(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _add_inline(item, found)

"""The banks' Markdown rendered in a second process while the first validates the course.

Validation keeps one core busy and leaves the other idle; then every format renders the
same author text to HTML, and when the formats share two processes each renders it all
again (at 10,000 questions, about 0.4 s a process). So where a build may fork, once the
banks are read a second process renders their texts as the formats will ask for them, and
the first process keeps what it sends back (markup.remember), for itself and for every
process it forks later. It is only a head start: a text it missed, or a render it could
not finish, is rendered when a format asks, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import markup, parallel
from .loader import RawCourse

# Fewer texts than this are rendered sooner than a process is forked and its answer read.
_WORTH_A_PROCESS = 500


@contextmanager
def rendering(raw: RawCourse) -> Iterator[None]:
    """Render the banks' texts beside what runs in the block (validation), where it pays;
    keep them once the block is done."""
    wanted = list(dict.fromkeys(_texts(raw))) if parallel.available() else []
    if len(wanted) < _WORTH_A_PROCESS:
        yield
        return
    running = parallel.start(lambda: markup.render_ahead(wanted))
    try:
        yield
    except BaseException:
        running.cancel()
        raise
    try:
        rendered = running.result()
    except Exception:  # noqa: BLE001 - a head start that failed costs only its time
        return
    markup.remember(wanted, rendered)


def _texts(raw: RawCourse) -> Iterator[tuple[str, object]]:
    """Each text of each question with Markdown in it, as the formats render it: a prompt as
    a block (Anki, LMSs) and split for the HTML form; an explanation as a block; the rest
    (options, feedback, pairs, items) inline."""
    for _, data in raw.banks:
        questions = data.get("questions") if isinstance(data, dict) else None
        for question in questions if isinstance(questions, list) else ():
            if isinstance(question, dict):
                yield from _question_texts(question)


def _question_texts(question: dict) -> Iterator[tuple[str, object]]:
    for key, value in question.items():
        if key == "prompt":
            # A cloze's prompt ("{{" starts a gap) is rendered with its gaps marked instead.
            if isinstance(value, str) and "{{" not in value and markup.has_markup(value):
                yield value, False
                yield value, markup.PROMPT
        elif key == "explanation":
            if isinstance(value, str) and markup.has_markup(value):
                yield value, False
        else:
            yield from _inline_texts(value)


def _inline_texts(value: Any) -> Iterator[tuple[str, object]]:
    if isinstance(value, str):
        if markup.has_markup(value):
            yield value, True
    elif isinstance(value, list):
        for item in value:
            yield from _inline_texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _inline_texts(item)

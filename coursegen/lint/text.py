"""Reading a question's text as the review needs it: plain words, cheaply.

The review reads every prompt and option of a course that may hold 50,000 questions, so it
strips Markdown with a few patterns instead of rendering it: it needs words and lengths,
not markup.
"""

from __future__ import annotations

import re

from ..model import Cloze, Gap, Matching, Numeric, Ordering, Question, ShortAnswer
from ..questions.numeric import figure

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`~]+|<[^>]*>")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Words that carry no fact: two questions sharing them share nothing. English only; in a
# course of another language the commonest words of the course itself are left out as well.
_STOP_WORDS = """
    a an the of to in on at by for with and or but nor is are was were be been being it its
    this that these those which what who whom whose how why when where as from into than then so
    such not no do does did can could should would may might will shall has have had their they
    them there about also both each either more most other same some any all only own over under
    up down out off very just select apply following according lesson module his her he she
    we you your our one two three"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def plain(text: str) -> str:
    """``text`` without Markdown's marks: a link keeps its words, emphasis its text."""
    return _MARKS.sub("", _LINK.sub(r"\1", text)).strip()


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order; a link's address is not words."""
    return _WORD.findall(_LINK.sub(r"\1", text).lower())


def content_words(text: str) -> list[str]:
    """The words of ``text`` that can carry a fact, with a plural's -s taken off."""
    found = _SINGULAR.get
    return [found(w) or _singular(w) for w in words(text) if w not in STOP_WORDS]


_SINGULAR: dict[str, str] = {}  # a course has a few thousand words and millions of uses


def _singular(word: str) -> str:
    if word.endswith(("'s", "’s")):
        one = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        one = word[:-1]
    else:
        one = word
    _SINGULAR[word] = one
    return one


def statement(question: Question) -> str:
    """What a question says, right answer included: the text its fact is in."""
    if isinstance(question, Cloze):
        return "".join(p.answers[0] if isinstance(p, Gap) else p for p in question.parts)
    parts = [question.prompt]
    if isinstance(question, ShortAnswer):
        parts.append(question.answers[0])
    elif isinstance(question, Matching):
        parts += [f"{p.left} {p.right}" for p in question.pairs]
    elif isinstance(question, Ordering):
        parts += list(question.items)
    elif isinstance(question, Numeric):
        parts.append(figure(question.right.value))
    else:
        parts += [o.text for o in getattr(question, "options", ()) if o.correct]
    return " ".join(parts)


def asked(question: Question) -> str:
    """The text a learner reads to answer: the prompt, a cloze's gaps filled in."""
    if isinstance(question, Cloze):
        return statement(question)
    return question.prompt

"""The passage of a lesson closest to a quotation that is not in it, to show its author.

A quotation that is not found is nearly always a passage copied and then edited, or copied
from an older edition of the lesson; the nearest sentences, with their line, say which.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .markup import fold, quotable, to_plain_text

_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
_SIMILAR_ENOUGH = 0.6  # below this, the "closest" passage would only confuse


def closest_passage(body: str, first_line: int, quotation: str) -> tuple[int, str] | None:
    """The line (of the file, whose ``body`` starts at ``first_line``) and the text of the
    run of sentences of ``body`` most like ``quotation``, if any is much like it."""
    wanted = quotable(quotation)
    span = max(1, len(_SENTENCE_END.split(to_plain_text(quotation).strip())))
    best, found = _SIMILAR_ENOUGH, None
    for line, sentences in _paragraphs(body, first_line):
        for start in range(len(sentences)):
            text = " ".join(s for _, s in sentences[start : start + span])
            matcher = SequenceMatcher(None, wanted, fold(text), autojunk=False)
            if matcher.real_quick_ratio() > best and matcher.ratio() > best:
                best, found = matcher.ratio(), (line + sentences[start][0], text)
    return found


def _paragraphs(body: str, first_line: int):
    """Each paragraph's first line and its sentences, each with its line within it."""
    lines = body.split("\n")
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            start += 1
            continue
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        yield first_line + start, _sentences(lines[start:end])
        start = end


def _sentences(lines: list[str]) -> list[tuple[int, str]]:
    """The sentences a reader sees in ``lines``, each with the line it starts on (from 0)."""
    found = []
    for offset, line in enumerate(lines):
        for piece in _SENTENCE_END.split(to_plain_text(line).strip()):
            if piece and found and not found[-1][1].endswith((".", "!", "?", "؟")):
                found[-1] = (found[-1][0], f"{found[-1][1]} {piece}")  # a sentence wraps
            elif piece:
                found.append((offset, piece))
    return found

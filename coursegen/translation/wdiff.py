"""What changed between two English texts, word by word, short enough for a terminal line.

A stale lesson block is often a long paragraph with one word changed: printed whole, twice,
the change is lost in it. The difference is shown as ``wdiff`` shows it, ``[-removed-]`` and
``{+added+}``, with a few words either side of each change and '…' for the rest.
"""

from __future__ import annotations

import difflib
import re

AROUND = 5  # words kept either side of a change


def word_diff(old: str, new: str, around: int = AROUND) -> str:
    """``new`` as a change of ``old``: 'The sun drives {+most+} evaporation.'"""
    a, b = _words(old), _words(new)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            parts += _context(a[i1:i2], around, first=n == 0, last=n == len(ops) - 1)
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(parts)


def _words(text: str) -> list[str]:
    """The words of ``text``; a line break is a word of its own, shown as '\\n'."""
    return [w if w != "\n" else "\\n" for w in re.findall(r"\n|[^\s]+", text)]


def _context(same: list[str], around: int, first: bool, last: bool) -> list[str]:
    """The unchanged words ``same`` between changes, cut to ``around`` at each side."""
    if len(same) <= around * (1 if first or last else 2) or (first and last):
        return same
    if first:
        return ["…", *same[-around:]]
    if last:
        return [*same[:around], "…"]
    return [*same[:around], "…", *same[-around:]]

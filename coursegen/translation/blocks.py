"""A lesson cut into blocks (paragraphs, headings, lists, tables, fenced code) and put back.

A whole lesson as one text is hard to translate and goes stale at any edit, so each block is a
unit of its own. Blocks are what blank lines separate, except inside fenced code. A block's
text is given without the indentation its lines share, which the rebuilt lesson restores, so
a translator never has to keep leading spaces.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

_FENCE = re.compile(r"\s*(`{3,}|~{3,})")


@dataclass(frozen=True)
class Block:
    text: str  # without the indentation its lines share
    indent: str
    first: int  # the index of its first line in the lesson
    end: int  # the index past its last line


def blocks(body: str) -> list[Block]:
    """The blocks of ``body``, in order."""
    lines = body.split("\n")
    found, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        end = _block_end(lines, i)
        chunk = lines[i:end]
        indent = os.path.commonprefix([_leading(line) for line in chunk if line.strip()])
        text = "\n".join(line[len(indent) :] for line in chunk)
        found.append(Block(text, indent, i, end))
        i = end
    return found


def rebuild(body: str, translate: Callable[[Block], str]) -> str:
    """``body`` with each block replaced by ``translate(block)``; blank lines stay as they are."""
    lines = body.split("\n")
    out: list[str] = []
    done = 0
    for block in blocks(body):
        out += lines[done : block.first]
        out += [
            block.indent + line if line.strip() else line for line in translate(block).split("\n")
        ]
        done = block.end
    out += lines[done:]
    return "\n".join(out)


def heading_of(block: Block) -> str | None:
    """The heading's text if ``block`` is an ATX heading ('## Stages'), else None."""
    match = re.fullmatch(r"#{1,6}\s+(.*?)\s*#*\s*", block.text)
    return match.group(1) if match else None


def _block_end(lines: list[str], i: int) -> int:
    """The index past the block that starts at line ``i``: a blank line outside fenced code."""
    fence = None
    while i < len(lines):
        if fence is None and not lines[i].strip():
            break
        match = _FENCE.match(lines[i])
        if match and fence is None:
            fence = match.group(1)
        elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            fence = None
        i += 1
    return i


def _leading(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


_SHAPES = (
    (re.compile(r"(#{1,6})\s"), "heading"),
    (re.compile(r"(`{3,}|~{3,})"), "code block"),
    (re.compile(r">"), "quotation"),
    (re.compile(r"\d{1,9}[.)]\s"), "numbered list"),
    (re.compile(r"[-*+]\s"), "list"),
    (re.compile(r"\|"), "table"),
)


def shape(text: str) -> str:
    """What kind of block ``text`` is, as Markdown reads its start: 'heading 2', 'list'..."""
    for pattern, name in _SHAPES:
        match = pattern.match(text)
        if match:
            return f"{name} {len(match.group(1))}" if name == "heading" else name
    return "paragraph"

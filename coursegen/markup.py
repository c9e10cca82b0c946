"""Markdown, the one way author text is read: to safe HTML, to plain text, for its images.

markdown-it-py parses CommonMark. Raw HTML in author text is not passed through (it shows as
text), and everything rendered is also cleaned by nh3, so that author text can never inject
script into a page or a card.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Text with none of these characters renders to itself (escaped), so it skips the parser.
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>!#&|~\n]|^\s*(?:[-+>]|\d+[.)])\s|^ {4}", re.M)
_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class ImageRef:
    src: str
    alt: str
    line: int  # 0-based line within the Markdown text


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def has_markup(text: str) -> bool:
    """Whether ``text`` might render differently from its escaped self."""
    return bool(_MARKUP_CHARS.search(text))


def to_html(
    text: str, *, inline: bool = False, image_src: Callable[[str], str] | None = None
) -> str:
    """Render Markdown to sanitised HTML.

    ``inline`` drops the surrounding paragraph; ``image_src`` maps each image's path as
    written to the one the output uses.
    """
    if not has_markup(text):
        return escape(text) if inline else f"<p>{escape(text)}</p>"
    parser = _parser()
    tokens = parser.parseInline(text) if inline else parser.parse(text)
    if image_src is not None:
        for token in tokens:
            for child in token.children or []:
                if child.type == "image":
                    child.attrSet("src", image_src(str(child.attrGet("src"))))
    html = parser.renderer.render(tokens, parser.options, {})
    return nh3.clean(
        html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer"
    )


def to_plain_text(text: str) -> str:
    """The words a reader sees, without Markdown syntax; blocks separated by newlines."""
    if not has_markup(text):
        return text
    lines = []
    for token in _parser().parse(text):
        if token.type == "inline":
            lines.append(_inline_text(token.children or []))
    return "\n".join(lines)


def images(text: str) -> list[ImageRef]:
    """Every image that ``text`` shows, with the line it is on."""
    refs = []
    for token in _parser().parse(text):
        for child in token.children or []:
            if child.type == "image":
                line = token.map[0] if token.map else 0
                refs.append(ImageRef(str(child.attrs.get("src", "")), child.content, line))
    return refs


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)

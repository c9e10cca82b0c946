"""Markdown, the one way author text is read: to safe HTML, to plain text, for its images.

markdown-it-py parses CommonMark. Raw HTML in author text is not passed through (it shows as
text), and everything rendered is also cleaned by nh3, so that author text can never inject
script into a page or a card.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import escape
from typing import Any
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token

# Text with none of these characters, and no block marker at its start, renders to itself.
_MARKUP_CHAR = re.compile(r"[\\`*_\[\]<>!#&|~\n]")
_BLOCK_START = re.compile(r"\s*(?:[-+>]|\d+[.)])(?:\s|$)| {4}")
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
    "th": {"style", "id"},
    "td": {"style", "id"},
    "ol": {"start"},
    # Anchors that coursegen itself adds to lesson blocks (author HTML is never passed through).
    **{tag: {"id"} for tag in ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote")},
}
# A cloze gap's place while its text goes through Markdown: private-use characters that
# Markdown leaves alone, replaced afterwards by an input, a blank or Anki's {{c1::...}}.
GAP_MARK = "\ue000{}\ue001"
_ANCHORED = {"heading_open", "paragraph_open", "list_item_open", "th_open", "td_open"}
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


@dataclass(frozen=True)
class Lesson:
    """A lesson rendered to HTML, and the text of each anchored block, in order."""

    html: str
    blocks: tuple[tuple[str, str], ...]  # (anchor id, plain text)
    headings: tuple[tuple[str, str], ...]  # (anchor id, text) of its level-2 headings

    def anchor_of(self, quotation: str) -> str | None:
        """The id of the block where ``quotation`` starts, matched as validation matches it."""
        start = self._folded[1].find(quotable(quotation))
        if start < 0:
            return None
        for (anchor, _), text in zip(self.blocks, self._folded[0], strict=True):
            if start <= len(text):
                return anchor
            start -= len(text) + 1
        return None

    @cached_property
    def _folded(self) -> tuple[list[str], str]:
        # Folded once per lesson: every question of the module looks its source up here.
        folded = [fold(text) for _, text in self.blocks]
        return folded, " ".join(folded)


@dataclass(frozen=True)
class ImageRef:
    """An image that Markdown text shows; ``src`` is its destination as the author wrote it."""

    src: str
    alt: str
    line: int  # 0-based line within the Markdown text

    @property
    def path(self) -> str:
        """The file ``src`` names: decoded here and nowhere else, so a space written as %20
        and one written inside <...> both name the same file."""
        return unquote(self.src)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    # Destinations stay as written while parsing, so that an image's path can be checked and
    # named as the author wrote it; _finish_links makes them URLs when rendering.
    parser.normalizeLink = str
    return parser


def has_markup(text: str) -> bool:
    """Whether ``text`` might render differently from its escaped self."""
    # A regex search, three times as fast as testing a set of the characters one by one: it
    # runs for every field of every question in every format.
    return _MARKUP_CHAR.search(text) is not None or _BLOCK_START.match(text) is not None


def to_html(
    text: str, *, inline: bool = False, image_src: Callable[[str], str] | None = None
) -> str:
    """Render Markdown to sanitised HTML.

    ``inline`` drops the surrounding paragraph; ``image_src`` maps each image's path as
    written to the one the output uses.
    """
    if not has_markup(text):
        return escape(text) if inline else f"<p>{escape(text)}</p>"
    if image_src is None or "![" not in text:  # no image, so image_src changes nothing
        ahead = _AHEAD.get((text, inline))
        return _render_cached(text, inline) if ahead is None else ahead
    return _render(text, inline, image_src)


@lru_cache(maxsize=65536)
def _render_cached(text: str, inline: bool) -> str:
    # Every exporter renders the same author text: parse and sanitise it once per build.
    return _render(text, inline, None)


def _render(text: str, inline: bool, image_src: Callable[[str], str] | None) -> str:
    parser = _parser()
    paragraph = not inline and _one_paragraph(text)
    tokens = parser.parseInline(text) if inline or paragraph else parser.parse(text)
    _finish_links(tokens, image_src)
    html = parser.renderer.render(tokens, parser.options, {})
    return _clean(f"<p>{html}</p>\n" if paragraph else html)


# Texts rendered ahead of the formats (render_ahead), by (text, how): how is ``inline`` for
# to_html, PROMPT for prompt_to_html. Filled once per build, before the formats fork.
_AHEAD: dict[tuple[str, object], Any] = {}
PROMPT = "prompt"


def render_ahead(wanted: list[tuple[str, object]]) -> list:
    """What to_html (``how`` True or False: inline) or prompt_to_html (``how`` PROMPT) give
    each (text, how) of ``wanted``, none of them with images, to ``remember``."""
    return [prompt_to_html(t) if how == PROMPT else to_html(t, inline=how) for t, how in wanted]


def remember(wanted: list[tuple[str, object]], rendered: list) -> None:
    """Keep what ``render_ahead`` gave (in another process, say) for the calls to come."""
    _AHEAD.clear()
    _AHEAD.update(zip(wanted, rendered, strict=True))


def _one_paragraph(text: str) -> bool:
    """Whether ``text`` is one line that can only be a paragraph, whose inline content is
    the text itself: most author text is, and parsing its inline content alone, without the
    block rules, takes two thirds of the time."""
    # No block starts with a letter; a paragraph's content is stripped of white space.
    return text[:1].isalpha() and "\n" not in text and "\r" not in text and text == text.strip()


def _finish_links(tokens: list, image_src: Callable[[str], str] | None) -> None:
    """Make each destination a URL: an image's is the src ``image_src`` gives its path as
    written; any other is percent-encoded, as Markdown would have done while parsing."""
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("href", normalizeLink(str(child.attrGet("href"))))
            elif child.type == "image":
                src = str(child.attrGet("src"))
                child.attrSet("src", image_src(src) if image_src else normalizeLink(src))


def _clean(html: str) -> str:
    return _cleaner().clean(html)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    # Made once: nh3.clean converts its allowed tags and attributes on every call, which
    # took three quarters of its time for a question's few lines.
    return nh3.Cleaner(
        tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer"
    )


def fold(text: str) -> str:
    """Fold case, spacing, typographic quotes and accents' encoding, so quotations match loosely."""
    if text.isascii():  # the same as below, five times faster: ASCII has no quotes to map,
        return " ".join(text.lower().split())  # no accents to decompose, no case but A-Z
    # é is one character or e + U+0301 depending on where the text was typed or copied from
    # (macOS and PDFs give the second); Unicode's canonical caseless match folds both alike.
    folded = unicodedata.normalize("NFD", text.translate(_QUOTES)).casefold()
    return " ".join(unicodedata.normalize("NFC", folded).split())


def quotable(text: str) -> str:
    """A quotation or a lesson as quotations are matched: the words a reader sees, folded.

    So a quotation copied with its Markdown (``**water vapour**``) matches the lesson.
    """
    return fold(to_plain_text(text))


def lesson_to_html(text: str, *, image_src: Callable[[str], str] | None = None) -> Lesson:
    """Render a lesson with an id on every block, so that questions can link to a passage."""
    parser = _parser()
    tokens = parser.parse(text)
    _finish_links(tokens, image_src)
    blocks: dict[str, list[str]] = {}
    headings: list[tuple[str, str]] = []
    stack: list = []
    for index, token in enumerate(tokens):
        if token.type in _ANCHORED and not token.hidden:
            anchor = _anchor_for(token, tokens[index + 1], blocks)
            token.attrSet("id", anchor)
            blocks[anchor] = []
            stack.append(anchor)
            if token.tag == "h2":
                headings.append((anchor, _inline_text(tokens[index + 1].children or [])))
        elif token.nesting == -1 and token.type.replace("_close", "_open") in _ANCHORED:
            if not token.hidden and stack:
                stack.pop()
        elif token.type == "inline" and stack:
            blocks[stack[-1]].append(_inline_text(token.children or []))
    html = _clean(parser.renderer.render(tokens, parser.options, {}))
    return Lesson(html, tuple((a, " ".join(t)) for a, t in blocks.items()), tuple(headings))


def prompt_to_html(text: str, *, image_src: Callable[[str], str] | None = None) -> tuple[str, str]:
    """Split a prompt into leading blocks (images, context) and its last paragraph, inline.

    The last paragraph can then be a form's <legend>, which may not contain a <p>.
    """
    if not has_markup(text):
        return "", escape(text)
    if image_src is None or "![" not in text:
        ahead = _AHEAD.get((text, PROMPT))
        return _prompt_cached(text) if ahead is None else ahead
    return _prompt(text, image_src)


@lru_cache(maxsize=65536)
def _prompt_cached(text: str) -> tuple[str, str]:
    return _prompt(text, None)


def _prompt(text: str, image_src: Callable[[str], str] | None) -> tuple[str, str]:
    parser = _parser()
    if _one_paragraph(text):  # its last paragraph is all of it: no block rules to run
        tokens = parser.parseInline(text)
        _finish_links(tokens, image_src)
        return "", _clean(parser.renderer.render(tokens, parser.options, {}))
    tokens = parser.parse(text)
    _finish_links(tokens, image_src)
    if len(tokens) >= 3 and tokens[-1].type == "paragraph_close" and tokens[-3].level == 0:
        lead = parser.renderer.render(tokens[:-3], parser.options, {}) if tokens[:-3] else ""
        last = parser.renderer.render([tokens[-2]], parser.options, {})
        return _clean(lead) if lead else "", _clean(last)
    return _clean(parser.renderer.render(tokens, parser.options, {})), ""


def _anchor_for(token, inline, taken: dict) -> str:
    # Prefixed so that a lesson heading never takes an id the page itself uses.
    if token.type == "heading_open":
        words = re.findall(r"\w+", _inline_text(inline.children or []).lower())
        base = anchor = "lesson-" + ("-".join(words)[:60] or "section")
    else:
        base, anchor = "lesson-p", f"lesson-p{len(taken) + 1}"
    n = 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    return anchor


def to_plain_text(text: str) -> str:
    """The words a reader sees, without Markdown syntax; blocks separated by newlines."""
    if not has_markup(text):
        return text
    return _plain_text_cached(text)


@lru_cache(maxsize=65536)
def _plain_text_cached(text: str) -> str:
    # Moodle and GIFT both name each question by the words of its prompt: parse it once.
    parser = _parser()
    tokens = parser.parseInline(text) if _one_paragraph(text) else parser.parse(text)
    lines = [_inline_text(t.children or []) for t in tokens if t.type == "inline"]
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


# Tags of HTML written elsewhere (an LMS's editor) that Markdown still expresses.
_IMPORTED_TAGS = {"b", "i", "h1"}


def html_to_markdown(html: str, inline: bool = False) -> str:
    """Imported HTML as Markdown: sanitised first (no script, style or on* attributes, only
    the markup coursegen shows), then converted by markdownify."""
    from markdownify import markdownify

    safe = nh3.clean(html, tags=_ALLOWED_TAGS | _IMPORTED_TAGS, attributes=_ALLOWED_ATTRIBUTES)
    text = markdownify(safe, heading_style="ATX", bullets="-", escape_misc=False).strip()
    return " ".join(text.split()) if inline else re.sub(r"\n{3,}", "\n\n", text)

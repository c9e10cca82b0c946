"""The material of QTI 1.2 elements (mattext, Blackboard's mat_formattedtext, matimage) as
Markdown or as typed, with the images it shows saved from the package."""

from __future__ import annotations

import base64
import binascii
import html
import re
from typing import TYPE_CHECKING

from .. import markup

if TYPE_CHECKING:
    from .qti import Document

_RESPONSES = ("response_lid", "response_str", "response_num", "response_xy", "response_grp")
_TEXTS = ("mattext", "mat_formattedtext", "matemtext", "matimage")
_WITHIN = (*_RESPONSES, "render_choice", "render_fib", "response_label")


class Material:
    """Reads the material of one document's elements."""

    def __init__(self, document: Document, package):
        self.document = document
        self.package = package

    def text(self, container, inline: bool = False) -> str:
        """The material of ``container`` (not of the responses within it) as Markdown."""
        if container is None:
            return ""
        pieces = [self.html(e) for e in materials(container)]
        found = markup.html_to_markdown("".join(pieces), inline=inline)
        return found.strip()

    def plain(self, container) -> str:
        """The material of ``container`` as typed: an answer, a label, a blank's name."""
        texts = [
            html.unescape(re.sub(r"<[^>]+>", "", e.text or "")) if _is_html(e) else e.text or ""
            for e in materials(container)
            if e.tag != "matimage"
        ]
        return "".join(texts).strip()

    def html(self, element) -> str:
        if element.tag == "matimage":
            src, alt = element.get("uri", ""), element.get("label", "")
            return f'<img src="{html.escape(self.image(src))}" alt="{html.escape(alt)}">'
        text = element.text or ""
        if not _is_html(element):
            return f"<p>{html.escape(text)}</p>"
        return re.sub(r"(<img\b[^>]*?\bsrc=)([\"'])(.*?)\2", self._src, text, flags=re.I | re.S)

    def _src(self, match: re.Match) -> str:
        return f'{match[1]}"{html.escape(self.image(html.unescape(match[3])))}"'

    def image(self, src: str) -> str:
        data = re.match(r"data:image/([a-z+]+);base64,(.*)", src, re.S)
        if data:
            try:
                content = base64.b64decode(data[2], validate=False)
            except (binascii.Error, ValueError):
                return src
            suffix = {"svg+xml": "svg", "jpeg": "jpg"}.get(data[1], data[1])
            return f"images/{self.package.images.add(f'image.{suffix}', content)}"
        if re.match(r"[a-z][a-z0-9+.-]*://", src, re.I):
            return src  # on the web: the course links to it as written
        return self.package.image(src, self.document.folder)


def materials(container):
    """The text and image elements of ``container``'s material, not those of the responses
    or labels within it (a prompt's responses, a matching item's answers)."""
    for element in container.iter(*_TEXTS):
        ancestor = element.getparent()
        while ancestor is not container and ancestor.tag not in _WITHIN:
            ancestor = ancestor.getparent()
        if ancestor is container:
            yield element


def _is_html(text) -> bool:
    """Whether a mattext holds HTML: said by its type, or with none, shown by its tags."""
    kind = (text.get("texttype") or text.get("type") or "").lower()
    return "html" in kind or (not kind and bool(re.search(r"</?[a-zA-Z][^>]*>", text.text or "")))

"""SVG without active content: svg-hush's allowlist, and what it left out, told to the author.

An SVG is a document as much as a picture: opened on its own (a link, a new tab, an LMS that
serves a package from its own origin) its scripts run, and no page's Content-Security-Policy
covers it. svg-hush (Cloudflare's allowlist sanitiser, through py-svg-hush) keeps only SVG
elements and attributes that draw, and only links inside the image or to a path of the same
site; what it writes is what every format publishes. To tell the author what changed, the
file is read first with expat, which stops entities that expand far beyond the file (XML
bombs) and never loads an external entity or DTD.
"""

from __future__ import annotations

import pyexpat
import re
from collections import Counter
from dataclasses import dataclass
from pyexpat import errors

from py_svg_hush import filter_svg

SVG_ROOT = "http://www.w3.org/2000/svg svg"  # expat's name for <svg> in the SVG namespace
# Raster images embedded as data: URLs draw and cannot run; any other data: URL is dropped.
_KEPT_DATA_URLS = {"image": ["png", "jpeg", "gif", "webp"]}
_BOMB = errors.codes.get(getattr(errors, "XML_ERROR_AMPLIFICATION_LIMIT_BREACH", ""))
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]*)|@import\s*["']([^"']*)""", re.IGNORECASE)


@dataclass(frozen=True)
class Sanitised:
    """An SVG as it is published, or why it cannot be."""

    data: bytes = b""
    removed: tuple[str, ...] = ()  # what could run or load from elsewhere, in the author's words
    problem: str = ""


class _Unreadable(Exception):
    """Raised when a file cannot be read as an SVG image; the message says why."""


def sanitise(data: bytes) -> Sanitised:
    """The SVG in ``data`` without scripts, event handlers, foreign objects or outside links."""
    try:
        before = active_content(data)
        clean = filter_svg(data, keep_data_url_mime_types=_KEPT_DATA_URLS)
    except _Unreadable as exc:
        return Sanitised(problem=str(exc))
    except ValueError as exc:  # svg-hush's own reading of a file expat accepted
        return Sanitised(problem=f"the SVG sanitiser cannot read it ({exc})")
    kept = Counter(active_content(clean))  # a same-site path svg-hush keeps is no change
    removed = []
    for item in before:
        if kept[item]:
            kept[item] -= 1
        else:
            removed.append(item)
    return Sanitised(clean, tuple(dict.fromkeys(removed)))


def active_content(data: bytes) -> list[str]:
    """Each script, event handler, foreign object and reference out of the image, in order."""
    scanner = _Scanner()
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.EntityDeclHandler = scanner.entity
    parser.ProcessingInstructionHandler = scanner.instruction
    try:
        parser.Parse(data, True)
    except pyexpat.ExpatError as exc:
        if exc.code == _BOMB:
            raise _Unreadable("its entities expand far beyond the file (an XML bomb)") from None
        where = f"line {exc.lineno}, column {exc.offset + 1}"
        reason = pyexpat.ErrorString(exc.code)
        raise _Unreadable(f"it is not well-formed XML ({where}: {reason})") from None
    return scanner.found


class _Scanner:
    def __init__(self):
        self.found: list[str] = []
        self.depth = 0
        self.style: list[str] | None = None  # the text of the <style> element being read

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if self.depth == 0 and name != SVG_ROOT:
            raise _Unreadable(
                'its root element is not <svg> in the SVG namespace (xmlns="http://www.w3.org/2000/svg")'
            )
        self.depth += 1
        local = name.rpartition(" ")[2]
        if local in ("script", "handler"):  # <handler> is SVG Tiny's script element
            self.found.append("a script")
        elif local == "foreignObject":
            self.found.append("a foreign object")
        elif local == "style":
            self.style = []
        for key, value in attributes.items():
            attribute = key.rpartition(" ")[2]
            if attribute.lower().startswith("on"):
                self.found.append(f"an event handler ({attribute})")
            elif attribute in ("href", "src"):
                self.reference(value)
            elif attribute == "attributeName" and value.lower().endswith(("href", "src")):
                self.found.append(f"an animation of {value}")  # it could set a link
            else:  # style, fill, filter, mask, clip-path... may hold url(...)
                self.css(value)

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.style is not None:
            self.css("".join(self.style))
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def entity(self, name, is_parameter, value, base, system_id, public_id, notation) -> None:
        if system_id is not None:
            self.found.append(f"an external entity ({_shown(system_id)})")
        elif pyexpat.version_info < (2, 4, 0):  # no protection from XML bombs: no entities
            raise _Unreadable("it declares XML entities, which this system's expat cannot limit")

    def instruction(self, target: str, data: str) -> None:
        if target == "xml-stylesheet":  # an XSLT style sheet runs when the file is opened
            self.found.append("a style sheet instruction (<?xml-stylesheet?>)")

    def css(self, text: str) -> None:
        for match in _CSS_URL.finditer(text):
            self.reference(match.group(1) or match.group(2) or "")

    def reference(self, url: str) -> None:
        url = url.strip()
        if url and not url.startswith("#"):  # '#id' is a part of the image itself
            self.found.append(f"a reference to {_shown(url)}")


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

"""XML text of an ElementTree element: what ET.indent then ET.tostring write, made faster.

ElementTree's serializer is pure Python and writes each tag, attribute and text through a
stream of its own, several calls per element (with an encoding, through a codec too): the
better part of the QTI and Moodle exports' time at 10,000 questions. This writes the same
text with one string per element, indenting as it goes instead of first changing the tree,
so that one element (a QTI item) can sit in two documents at different depths as it is.

An element can also be written already (``written``, or made with ``element`` and ``leaf``):
its text, as this module writes it at depth 0, goes into a document at any depth,
re-indented. The QTI items and Moodle's questions are written so, from templates, instead of
as some 30 to 45 elements each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# ElementTree's own escaping (private, but its serializer's), so that every character comes
# out as ElementTree writes it.
from xml.etree.ElementTree import Element, _escape_attrib, _escape_cdata

# The one namespace the exports use (xml:lang), written with the prefix XML reserves for it.
_PREFIXES = {"http://www.w3.org/XML/1998/namespace": "xml"}
_SPACE = "  "  # ET.indent's default


def to_text(root: Element) -> str:
    """``root`` as ``ET.indent(root)`` then ``ET.tostring(root, "unicode")`` would write it,
    leaving ``root`` as it is."""
    parts: list[str] = []
    _write(root, 0, root.tail, parts.append)
    return "".join(parts)


def to_document(root: Element) -> bytes:
    """``root`` as a UTF-8 file, the way ET.tostring(root, "utf-8", xml_declaration=True)
    writes it after ET.indent, with a newline at the end."""
    return f"<?xml version='1.0' encoding='utf-8'?>\n{to_text(root)}\n".encode()


# A newline of a written element's text, kept apart from its indentation until the element
# is placed: no escaped text or attribute holds "&;", as every "&" becomes "&amp;".
_TEXT_NEWLINE = "&;"


def escape_text(text: str) -> str:
    """``text`` escaped as ElementTree escapes it, for an element that is ``written``."""
    return _escape_cdata(text).replace("\n", _TEXT_NEWLINE)


escape_attribute = _escape_attrib  # ElementTree's, as for any other element


def written(xml: str) -> Element:
    """An element standing for ``xml``: one element as ``to_text`` would write it at depth 0,
    its texts escaped by ``escape_text``, so that each newline left is indentation."""
    element = Element(written)  # the function is the tag, as ET.Comment is
    element.text = xml
    return element


def element(tag: str, attributes: dict[str, str], *children: str) -> str:
    """Written XML of an element of ``children`` (written XML), each on a line of its own;
    or an empty one."""
    start = tag + "".join(f' {k}="{escape_attribute(v)}"' for k, v in attributes.items())
    return f"<{start}>{children_at(children, 1)}\n</{tag}>" if children else f"<{start} />"


def leaf(tag: str, text: str | None, attributes: str = "") -> str:
    """Written XML of an element of ``text`` alone; ``attributes`` are written as they are."""
    return f"<{tag}{attributes}>{escape_text(text)}</{tag}>" if text else f"<{tag}{attributes} />"


def children_at(children: Iterable[str], level: int) -> str:
    """``children`` (written XML) each on a new line, ``level`` levels in."""
    joined = "\n".join(children)
    return indent("\n" + joined, level) if joined else ""


def child_at(xml: str, level: int) -> str:
    """Written ``xml`` as a child ``level`` levels in, on a line of its own, as a file holds
    it: what ``finished`` makes of it within its parent's ``element``, alone. Children
    written so are joined as they are, and each can be reused without its siblings."""
    return finished(indent("\n" + xml, level))


def finished(xml: str) -> str:
    """Written XML as a file holds it: the newlines of its texts put back."""
    return xml.replace(_TEXT_NEWLINE, "\n")


def indent(xml: str, level: int) -> str:
    """Written ``xml`` with every line after its first ``level`` levels deeper."""
    return xml.replace("\n", "\n" + _SPACE * level) if level else xml


def _write(element: Element, level: int, tail: str | None, out: Callable[[str], object]) -> None:
    if element.tag is written:
        out(indent(element.text, level).replace(_TEXT_NEWLINE, "\n"))
        if tail:
            out(_escape_cdata(tail))
        return
    tag = _name(element.tag)
    attributes = "".join(f' {_name(k)}="{_escape_attrib(v)}"' for k, v in element.items())
    text = element.text
    if len(element):
        # ET.indent: whitespace around children becomes a newline and the child's depth.
        inner = "\n" + _SPACE * (level + 1)
        out(f"<{tag}{attributes}>{_escape_cdata(text) if text and text.strip() else inner}")
        last = len(element) - 1
        for n, child in enumerate(element):
            child_tail = child.tail
            if not child_tail or not child_tail.strip():
                child_tail = inner if n < last else "\n" + _SPACE * level
            _write(child, level + 1, child_tail, out)
        out(f"</{tag}>")
    elif text:
        out(f"<{tag}{attributes}>{_escape_cdata(text)}</{tag}>")
    else:
        out(f"<{tag}{attributes} />")
    if tail:
        out(_escape_cdata(tail))


def _name(name: str) -> str:
    if name[:1] != "{":
        return name
    uri, local = name[1:].split("}", 1)
    return f"{_PREFIXES[uri]}:{local}"

"""The exports' XML writer writes what ElementTree's indent and serializer write."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from coursegen.exporters.xmltext import to_document, to_text

_TEXT = st.one_of(st.none(), st.sampled_from(["", "  \n ", "\n"]), st.text(max_size=12))
_NAMES = st.sampled_from(["item", "mattext", "{http://www.w3.org/XML/1998/namespace}lang"])


def _elements(children):
    return st.builds(
        _element, _NAMES, st.dictionaries(_NAMES, st.text(max_size=8)), _TEXT, _TEXT, children
    )


def _element(tag, attributes, text, tail, children) -> ET.Element:
    element = ET.Element(tag, attributes)
    element.text, element.tail = text, tail
    element.extend(children)
    return element


_TREES = st.recursive(
    _elements(st.just([])), lambda inner: _elements(st.lists(inner, max_size=4)), max_leaves=20
)


def _indented(root: ET.Element) -> ET.Element:
    indented = copy.deepcopy(root)
    ET.indent(indented)
    return indented


@settings(max_examples=150, deadline=None)
@given(_TREES)
def test_the_text_is_elementtree_s(root):
    before = ET.tostring(root, "unicode")
    assert to_text(root) == ET.tostring(_indented(root), "unicode")
    assert ET.tostring(root, "unicode") == before  # the tree itself is left as it was


def test_a_document_is_elementtree_s_with_a_newline():
    root = ET.Element("quiz", identifier='a"<b>&\n\t\r', xmlns="urn:x")
    ET.SubElement(root, "title").text = "Crime & <order> é 😀"
    ET.SubElement(root, "empty")
    expected = ET.tostring(_indented(root), "utf-8", xml_declaration=True) + b"\n"
    assert to_document(root) == expected


def test_one_element_in_two_documents_is_indented_for_each():
    item = ET.Element("item")
    ET.SubElement(item, "text").text = "x"
    shallow, deep = ET.Element("a"), ET.Element("a")
    shallow.append(item)
    ET.SubElement(ET.SubElement(deep, "b"), "c").append(item)
    assert to_text(shallow) == "<a>\n  <item>\n    <text>x</text>\n  </item>\n</a>"
    assert to_text(deep) == (
        "<a>\n  <b>\n    <c>\n      <item>\n        <text>x</text>\n      </item>\n"
        "    </c>\n  </b>\n</a>"
    )

"""The exports' XML writer writes what ElementTree's indent and serializer write."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from coursegen.exporters.xmltext import (
    child_at,
    element,
    escape_attribute,
    escape_text,
    finished,
    leaf,
    to_document,
    to_text,
    written,
)

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


def test_a_written_element_is_indented_where_it_is_placed_and_its_text_kept():
    # An item as qti_items writes it: its text's newlines kept apart (escape_text).
    text = escape_text("<p>one</p>\n<p>a & b</p>")
    item = written(f"<item>\n  <mattext>{text}</mattext>\n</item>")
    shallow, deep = ET.Element("a"), ET.Element("a")
    shallow.append(item)
    ET.SubElement(ET.SubElement(deep, "b"), "c").append(item)
    mattext = "<mattext>&lt;p&gt;one&lt;/p&gt;\n&lt;p&gt;a &amp; b&lt;/p&gt;</mattext>"
    assert to_text(shallow) == f"<a>\n  <item>\n    {mattext}\n  </item>\n</a>"
    assert to_text(deep) == (
        f"<a>\n  <b>\n    <c>\n      <item>\n        {mattext}\n      </item>\n"
        "    </c>\n  </b>\n</a>"
    )


@settings(max_examples=150, deadline=None)
@given(st.text("a \n&<>;é", min_size=1, max_size=12), st.integers(min_value=0, max_value=4))
def test_a_written_text_reads_back_as_it_was_at_any_depth(text, depth):
    item = written(f"<item>\n  <mattext>{escape_text(text)}</mattext>\n</item>")
    root = parent = ET.Element("a")
    for _ in range(depth):
        parent = ET.SubElement(parent, "b")
    parent.append(item)
    placed = to_text(root)
    assert ET.fromstring(placed).find(".//mattext").text == text
    assert placed == to_text(ET.fromstring(placed))  # indented as ElementTree indents it


_PLAIN_NAMES = st.sampled_from(["question", "text", "answer"])
_ATTRIBUTES = st.dictionaries(_PLAIN_NAMES, st.text(max_size=8), max_size=2)


def _leaf_pair(tag, attributes, text):
    tree = ET.Element(tag, attributes)
    tree.text = text
    written_attributes = "".join(f' {k}="{escape_attribute(v)}"' for k, v in attributes.items())
    return tree, leaf(tag, text, written_attributes)


def _element_pair(tag, attributes, pairs):
    tree = ET.Element(tag, attributes)
    tree.extend(t for t, _ in pairs)
    return tree, element(tag, attributes, *(x for _, x in pairs))


# An element and the text xmltext.element and leaf write of it, as Moodle's questions are
# written: each element holds either text or elements.
_WRITTEN = st.recursive(
    st.builds(_leaf_pair, _PLAIN_NAMES, _ATTRIBUTES, st.one_of(st.none(), st.text(max_size=12))),
    lambda inner: st.builds(_element_pair, _PLAIN_NAMES, _ATTRIBUTES, st.lists(inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(_WRITTEN)
def test_elements_written_as_text_are_what_elementtree_writes(pair):
    tree, xml = pair
    assert finished(xml) == ET.tostring(_indented(tree), "unicode")


@settings(max_examples=100, deadline=None)
@given(st.lists(_WRITTEN, min_size=1, max_size=5))
def test_children_written_one_by_one_join_into_their_parent(pairs):
    children = [xml for _, xml in pairs]
    alone = f"<quiz>{''.join(child_at(xml, 1) for xml in children)}\n</quiz>"
    assert alone == finished(element("quiz", {}, *children))

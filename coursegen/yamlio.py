"""Safe YAML loading that remembers where every value came from.

The only module that imports yaml. libyaml (``CSafeLoader``) composes the node graph, which
keeps each node's start mark; we then turn nodes into plain dicts, lists and scalars, and
record positions beside them in ``YMap``/``YSeq`` so that validation can point at a line.
Composing, rather than constructing, also lets us refuse what PyYAML would silently accept:
duplicate keys, aliases (which can multiply a file's size) and object-constructing tags.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from typing import Any

import yaml

from .errors import Diagnostic, Severity, SourcePos
from .yamlwords import plain_words

try:  # libyaml is much faster; the pure-Python loader gives the same nodes and marks.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_STR = "tag:yaml.org,2002:str"
# Besides '\n', libyaml ends a line at NEL and at Unicode's line and paragraph separators
# (YAML 1.1), which most editors show as nothing, so its marks would run ahead of the lines
# that people, and every position we give, count; a browser breaks a lesson's line there too.
_BREAK_NAMES = {
    "\x85": "NEXT LINE (NEL)",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
}
_HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")
# What YAML refuses to read (libyaml gives only a byte offset): control characters other than
# tab and line ends, and two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# What a double-quoted escape ("\0", "\e", "\L", "\ud800") can put into text although the
# file may not hold it: no format can carry it (XML refuses it; a lone surrogate cannot even
# be written as UTF-8).
_ESCAPED_UNREADABLE = re.compile(_UNREADABLE.pattern[:-1] + "\ud800-\udfff]")
_ALLOWED_TAGS = _SCALAR_TAGS | {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SYNTAX_HINT = (
    "check the indentation, and put quotes around text that contains ': ' or ' #', "
    "or that starts with one of { [ * & ! | > ' \" % @ `"
)


class _File:
    """Where a file's YAML came from: shared by every collection loaded from it."""

    __slots__ = ("path", "offset")

    def __init__(self, path: str, offset: int):
        self.path, self.offset = path, offset

    def pos(self, packed: int) -> SourcePos:
        line, column = packed >> 32, packed & 0xFFFFFFFF
        return SourcePos(self.path, line + 1 + self.offset, column + 1)


# A position is packed into one machine word, line << 32 | column, and a collection keeps its
# positions in an array: a large bank has millions of keys and values, and positions are
# needed only to report a problem, so they must cost a few bytes each, not an object each.
def _packed(node: yaml.Node) -> int:
    mark = node.start_mark
    return mark.line << 32 | mark.column


class _Located:
    """Where a YAML collection itself is: given (CSV rows), or its first packed mark.

    A collection read quickly (yamlquick) has no marks, or only its own, until a position
    inside it is asked for: then its file is read again with positions, once, for all.
    """

    __slots__ = ()

    @property
    def pos(self) -> SourcePos:
        if hasattr(self, "given"):
            return self.given[0]
        return self.file.pos(self._mark(0))

    def _mark(self, index: int) -> int:
        marks = getattr(self, "marks", ())
        if index >= len(marks):
            self.file.locate()
            marks = self.marks
        return marks[index]


class YMap(_Located, dict):
    """A mapping from YAML that can tell the position of itself, each key and each value.

    Positions are kept in key order: own position, then each key's and its value's. A YMap
    is not changed after loading.
    """

    __slots__ = ("file", "marks", "given")

    @classmethod
    def fixed(cls, pos: SourcePos, items: dict[str, tuple[Any, SourcePos]]) -> YMap:
        """A YMap of ``key: (value, position)`` whose keys and values sit at given places."""
        result = cls((k, v) for k, (v, _) in items.items())
        result.given = (pos, {k: p for k, (_, p) in items.items()})
        return result

    def key_pos(self, key) -> SourcePos:
        return self._pair_pos(key, 1)

    def value_pos(self, key) -> SourcePos:
        return self._pair_pos(key, 2)

    def _pair_pos(self, key, offset: int) -> SourcePos:
        if hasattr(self, "given"):
            return self.given[1][key]
        for i, k in enumerate(self):
            if k == key:
                return self.file.pos(self._mark(2 * i + offset))
        return self.pos


class YSeq(_Located, list):
    """A sequence from YAML that can tell the position of itself and of each item."""

    __slots__ = ("file", "marks", "given")

    @classmethod
    def fixed(cls, pos: SourcePos, items: list[tuple[Any, SourcePos]]) -> YSeq:
        result = cls(v for v, _ in items)
        result.given = (pos, [p for _, p in items])
        return result

    def item_pos(self, index: int) -> SourcePos:
        if hasattr(self, "given"):
            return self.given[1][index]
        return self.file.pos(self._mark(index + 1))


class YamlError(Exception):
    """Raised when a file is not YAML we accept; carries the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics[0].message)
        self.diagnostics = diagnostics


def load(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse one YAML document into YMap/YSeq/scalars; raise YamlError on any problem.

    NEL and Unicode's line and paragraph separators are read as spaces: see hidden_breaks.
    """
    refused = [
        _error(
            pos,
            f"the file contains U+{ord(char):04X}, a control character that YAML does not allow",
            "control-character",
            "delete it; text copied from a PDF or a terminal can carry such invisible characters",
        )
        for pos, char in _found(_CONTROL, text, path, line_offset)
    ]
    if _UNREADABLE.search(text):  # read on past them, with lines counted as people count them
        text = _UNREADABLE.sub(" ", text)
    try:
        value = _parse(text, path, line_offset)
    except YamlError as exc:
        raise YamlError(refused + exc.diagnostics) from None
    if refused:
        raise YamlError(refused)
    return value


def hidden_breaks(text: str, path: str) -> list[Diagnostic]:
    """Name each line break that YAML readers and browsers see but editors mostly do not."""
    # Every course file is read on every rebuild (serve): a substring test is about a
    # hundred times faster than the pattern's search, and such a file almost never has one.
    if not any(char in text for char in _BREAK_NAMES):
        return []
    return [
        _error(
            pos,
            f"the file contains U+{ord(char):04X} {_BREAK_NAMES[char]}, an invisible line break",
            "invisible-break",
            "delete it, or replace it with a space or a real line break",
        )
        for pos, char in _found(_HIDDEN_BREAK, text, path, 0)
    ]


def _found(pattern: re.Pattern, text: str, path: str, line_offset: int) -> Iterator:
    """Each match of ``pattern`` in ``text`` as (position, character), counting lines once."""
    line, counted = 0, 0
    for match in pattern.finditer(text):
        start = match.start()
        line, counted = line + text.count("\n", counted, start), start
        column = start - (text.rfind("\n", 0, start) + 1)
        yield SourcePos(path, line + 1 + line_offset, column + 1), match.group()


def _parse(text: str, path: str, line_offset: int) -> Any:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlError([_syntax_diagnostic(exc, text, path, line_offset)]) from None
    except yaml.YAMLError as exc:
        raise YamlError([_error(SourcePos(path), str(exc), "yaml-syntax", _SYNTAX_HINT)]) from None
    except RecursionError:  # the pure-Python parser recurses per nesting level
        raise YamlError(
            [
                _error(
                    SourcePos(path),
                    "the file nests too deeply to read",
                    "yaml-too-deep",
                    "flatten the structure",
                )
            ]
        ) from None
    if node is None:
        return None
    converter = _Converter(path, line_offset)
    value = converter.convert(node, depth=0)
    if converter.diagnostics:
        raise YamlError(converter.diagnostics)
    return value


def plain_but_not_text(text: str) -> bool:
    """Whether YAML 1.1 reads ``text``, written without quotes, as other than text (yes, 012)."""
    return PLAIN_NOT_TEXT.fullmatch(text) is not None


def unquoted_kind(text: str) -> str:
    """What YAML reads ``text`` as when written without quotes: 'bool' for yes, 'int' for 70."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)).rpartition(":")[2]


_RESOLVER = yaml.resolver.Resolver()
# The resolver's own patterns in one: yes/no/on/off, 012, 1_000, 1:30, 1.5, 2026-12-01, ~, <<, =.
PLAIN_NOT_TEXT = re.compile(
    "|".join(
        sorted(
            {rx.pattern for found in _RESOLVER.yaml_implicit_resolvers.values() for _, rx in found}
        )
    ),
    re.X,
)


def position_of(root: Any, loc: tuple, *, key: bool = False) -> SourcePos | None:
    """Find the position of the value at ``loc`` (keys and indexes), or of its nearest parent.

    Parts of ``loc`` that are not in the data (a schema's union tag, say) are skipped.
    With ``key=True`` the position of the last mapping key is returned instead of its value.
    """
    node, best = root, getattr(root, "pos", None)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, YMap) and part in node:
            best = node.key_pos(part) if (key and last) else node.value_pos(part)
            node = node[part]
        elif isinstance(node, YSeq) and isinstance(part, int) and 0 <= part < len(node):
            best, node = node.item_pos(part), node[part]
    return best


class _Converter:
    def __init__(self, path: str, line_offset: int):
        self.file = _File(path, line_offset)
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.alias_reported = False
        self.constructor = yaml.constructor.SafeConstructor()

    def pos(self, node: yaml.Node) -> SourcePos:
        return self.file.pos(_packed(node))

    def convert(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.fail(
                node,
                f"nesting deeper than {MAX_DEPTH} levels",
                "yaml-too-deep",
                "course files never need this much nesting; flatten the structure",
            )
            return None
        if id(node) in self.seen:
            if not self.alias_reported:  # once is enough: an alias bomb repeats thousands
                self.fail(
                    node,
                    "YAML anchors and aliases (&name, *name) are not supported",
                    "yaml-alias",
                    "write the value out in full where it is used",
                )
                self.alias_reported = True
            return None
        self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            self.fail(
                node,
                f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
                "yaml-tag",
                "remove the tag; course files hold only text, numbers, lists and mappings",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node, depth)
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, depth: int) -> YMap:
        result = YMap()
        result.file = self.file
        marks = [_packed(node)]
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            if not isinstance(key, (str, int, float, bool)):
                self.fail(
                    key_node,
                    "a key must be plain text",
                    "yaml-key",
                    "write keys as simple words, e.g. 'prompt:'",
                )
                continue
            if key in result:
                first = next(k for k, _ in node.value if k.value == key_node.value)
                self.fail(
                    key_node,
                    f"key '{key}' is given twice in this mapping (first at "
                    f"line {self.pos(first).line})",
                    "duplicate-key",
                    "remove one of them; YAML keeps only the last",
                )
                continue
            result[key] = self.convert(value_node, depth + 1)
            k, v = key_node.start_mark, value_node.start_mark  # _packed, inlined: per key
            marks += (k.line << 32 | k.column, v.line << 32 | v.column)
        result.marks = array("Q", marks)
        return result

    def sequence(self, node: yaml.SequenceNode, depth: int) -> YSeq:
        result = YSeq(self.convert(item, depth + 1) for item in node.value)
        result.file = self.file
        result.marks = array("Q", [_packed(node), *map(_packed, node.value)])
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:  # most values: text needs no constructing
            if node.style == '"' and (bad := _ESCAPED_UNREADABLE.search(node.value)):
                self.fail(
                    node,
                    f"an escape in this text makes U+{ord(bad.group()):04X}, an invisible "
                    "control character or line break that the formats cannot carry as text",
                    "control-character",
                    "remove the backslash escape; write a real line break or space instead",
                )
            return node.value
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.fail(node, f"cannot read this value: {exc}", "yaml-value", "quote it as text")
            return None

    def fail(self, node: yaml.Node, message: str, code: str, hint: str) -> None:
        self.diagnostics.append(_error(self.pos(node), message, code, hint))


def _syntax_diagnostic(
    exc: yaml.MarkedYAMLError, text: str, path: str, line_offset: int
) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")
    pos = SourcePos(path)
    if mark:
        # At the end of a file with no final newline, libyaml points one line past the end.
        line = min(mark.line, len(lines) - 1)
        column = mark.column if line == mark.line else len(lines[line])
        pos = SourcePos(path, line + 1 + line_offset, column + 1)
    if mark and mark.line < len(lines) and re.match(r"^ *\t", lines[mark.line]):
        return _error(
            pos,
            "a tab is used for indentation; YAML allows only spaces",
            "yaml-tab",
            "replace the tabs at the start of this line with spaces",
        )
    plain = plain_words(exc, lines) if mark else None
    if plain is not None:
        at = SourcePos(path, plain.line + 1 + line_offset, plain.column + 1)
        return _error(at, f"invalid YAML: {plain.message}", "yaml-syntax", plain.hint)
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.problem:
        message += f" ({exc.context})"
    return _error(pos, message, "yaml-syntax", _SYNTAX_HINT)


def _error(pos: SourcePos, message: str, code: str, hint: str) -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, message, code, hint)


class _Dumper(yaml.SafeDumper):
    """Indented block lists, and short lists of words on one line, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
    short = all(isinstance(i, str) and re.fullmatch(r"[\w-]+", i) for i in items)
    flow = bool(items) and short and sum(len(i) + 2 for i in items) < 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def dump(data: Any) -> str:
    """Write plain data as YAML that reads like a hand-written course file."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )

"""Reading a large YAML file quickly, and finding its positions only when one is asked for.

A question bank of thousands of questions is read on every build, but its positions are
needed only to report a problem. yaml-rs (Rust) reads it about ten times faster than
libyaml composes it, without positions; a collection read so finds its positions, all at
once, by reading the file again with yamlio when the first one is asked for. Only each
question's and flashcard's own position is needed in every build (the model keeps it): a
marker put in front of each item's first key is read back by yaml-rs with the item, which
proves where the item starts.

yaml-rs reads YAML 1.2 and keeps no trace of how a value was written, so a file is read
quickly only when that cannot differ from yamlio: anything that might (text that YAML 1.1
reads as a boolean, a number or a date, a number not written as a plain decimal, tags,
aliases, escapes of control characters, tabs, unusual characters, deep nesting, keys that
are not text) sends the whole file to yamlio, which reads and reports it exactly as before.
"""

from __future__ import annotations

import re
import weakref
from array import array
from typing import Any

from . import yamlio
from .yamlio import MAX_DEPTH, YMap, YSeq

try:  # a wheel for most platforms; without it every file is read by yamlio, more slowly
    import yaml_rs
except ImportError:  # pragma: no cover - depends on the platform
    yaml_rs = None

# What yaml-rs and libyaml might read differently: the characters libyaml refuses or that
# yamlio reports, tabs, a carriage return (a line break the markers would not count), and
# escapes that can make a control character or a line break.
_DOUBTFUL_CHARACTER = re.compile(yamlio._UNREADABLE.pattern[:-1] + "\t\r\ufeff]")
_READABLE_ASCII = bytes([10, *range(32, 127)])
_DOUBTFUL_ESCAPE = re.compile(r"\\[0abefvNLPxuU]")
_NO_ALIASES = yaml_rs.AliasLimits(max_total_replayed_events=0) if yaml_rs else None
# Text that may be a YAML 1.1 boolean, null, merge or value is short; a number or a date
# starts with a digit, a sign or a dot. Only such text needs the resolver's patterns.
_NUMERIC_START = frozenset("0123456789+-.")
# A figure as people write one (2003, -4, 0.5), which YAML 1.1 and 1.2 read alike; yaml-rs
# also reads 0x1F, 1e3, 1_000, 007 and +.5 as numbers, where libyaml reads some as other
# numbers or as text. Longer figures are left to libyaml, which refuses some (Python reads
# an int of at most 4300 digits).
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,29})(?:\.[0-9]{1,30})?")
# A word that starts as a number does, where a plain scalar can start (the file's start, a
# space or line break, a flow indicator, a JSON-like key's ':') and end (a line's end, a
# comment, a flow indicator): every number yaml-rs reads was written as one of these. Words
# in quoted text and block scalars are seen too, which can only cause doubt. (Tabs and
# carriage returns, YAML's other spaces, are doubtful already. The look-behind comes after
# the first character: so placed, the pattern is searched for seven times faster.)
_NUMBER_LIKE = re.compile(
    r"[-+.0-9](?<![^ \n\[{,:][-+.0-9])[^ \n\[\]{},#]*(?=[ ]*(?:[\n\]},#]|\Z))"
)
# libyaml refuses a key longer than this (YAML's limit on implicit keys); yaml-rs does not.
_MAX_KEY = 1024
# Put in front of each item's first key to find where the item starts: 'Zqz' + its number.
_MARKER = "Zqz"
# A top-level key whose value is below it, and the first item line of that value.
_TOP_KEY = re.compile(r"\n[A-Za-z_][\w-]*:[ \t]*(?:#[^\n]*)?(?=\n)")
_TOP_LINE = re.compile(r"\n(?=[^\s#-]|-[^ \t\n])")
_FIRST_ITEM = re.compile(r"\n( *)-[ \t\n]")


class _Doubt(Exception):
    """Raised inside the quick reading when yamlio must read the file instead."""


def load(text: str, path: str) -> Any:
    """Parse like yamlio.load (same values, same diagnostics), quickly when possible."""
    value = _quick(text, path) if yaml_rs is not None and not _doubtful(text) else None
    return yamlio.load(text, path) if value is None else value


def _doubtful(text: str) -> bool:
    """Whether the text has something that yaml-rs might read otherwise than libyaml."""
    return bool(
        _doubtful_character(text)
        or ("\\" in text and _DOUBTFUL_ESCAPE.search(text))
        or text.startswith("%")  # a directive: %YAML 1.1 changes how values are read
        or "\n%" in text
        or _has_tag(text)
    )


def _doubtful_character(text: str) -> bool:
    if text.isascii():  # most banks: deleting the readable bytes is five times the pattern's speed
        return bool(text.encode("ascii").translate(None, _READABLE_ASCII))
    return _DOUBTFUL_CHARACTER.search(text) is not None


def _has_tag(text: str) -> bool:
    """Whether a '!' or '&' may start a tag or an anchor: where a node starts.

    That is after the indentation, '- ', '? ', ': ', '[', '{', ',' or another anchor. yaml-rs
    drops a tag it does not know and takes anchor names that libyaml refuses.
    """
    for char in "!&":
        at = text.find(char)
        while at >= 0:
            before = text[text.rfind("\n", 0, at) + 1 : at].rstrip(" \t")
            if not before or before[-1] in "-?:[{," or before.split()[-1][0] in "&!":
                return True
            at = text.find(char, at + 1)
    return False


class _Root(YMap):
    """The top mapping of a file read quickly, which its file refers to weakly.

    A strong reference would be a cycle (every collection refers to its file), which the
    build, with the cyclic collector paused, would keep in memory after the bank is let go.
    """

    __slots__ = ("__weakref__",)


class _Deferred(yamlio._File):
    """A file read quickly: its positions are found when the first one is asked for."""

    __slots__ = ("text", "root", "numbers_plain")

    def __init__(self, path: str, text: str):
        super().__init__(path, 0)
        self.text, self.root, self.numbers_plain = text, None, None

    def check_numbers(self) -> None:
        """Raise _Doubt unless every number in the file is written as a plain decimal."""
        if self.numbers_plain is None:  # looked for once, at the file's first number
            self.numbers_plain = _numbers_written_plainly(self.text)
        if not self.numbers_plain:
            raise _Doubt

    def locate(self) -> None:
        """Read the file again with positions and give each collection its marks."""
        if self.text is None:
            return
        root = self.root()
        if root is None:  # pragma: no cover - every caller holds the data it asks about
            raise AssertionError(f"{self.path}: a position was asked after its bank was let go")
        located = yamlio.load(self.text, self.path)
        if located != root:  # a guard in this module let through what it must not
            raise AssertionError(f"{self.path}: yaml-rs and libyaml read it differently")
        _copy_marks(root, located)
        self.text = None  # found for good; the text is no longer needed


def _quick(text: str, path: str) -> YMap | None:
    """The file read by yaml-rs, or None if yamlio must read it."""
    marked, starts = _with_markers(text)
    try:
        value = yaml_rs.loads(
            marked, alias_limits=_NO_ALIASES, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
    except Exception:  # whatever yaml-rs refuses or fails on, yamlio reads and reports
        return None
    if type(value) is not dict:  # a bank is a mapping; anything else is reported by yamlio
        return None
    file = _Deferred(path, text)
    try:
        items = _unmarked(value, starts)
        root = _Root(_mapping(value, file, 0, set()))
    except _Doubt:
        return None
    root.file = file
    for (key, index), packed in items.items():
        root[key][index].marks = array("Q", [packed])
    file.root = weakref.ref(root)
    return root


def _with_markers(text: str) -> tuple[str, list[int]]:
    """``text`` with a numbered marker before the first key of each item of a top-level list.

    Returns the marked text and, for each marker, the packed position where it went.
    """
    if _MARKER in text:
        return text, []
    text = "\n" + text  # every line, the first too, starts after a line break
    starts, pieces, done, line = [], [], 1, 0
    for key in _TOP_KEY.finditer(text):
        end = _TOP_LINE.search(text, key.end())
        region_end = end.start() if end else len(text)
        first = _FIRST_ITEM.search(text, key.end(), region_end)
        if not first:
            continue
        item = re.compile(f"\\n{first.group(1)}- +(?=[A-Za-z_])")
        for found in item.finditer(text, first.start(), region_end):
            at = found.end()
            pieces += (text[done:at], f"{_MARKER}{len(starts)}z")
            line += text.count("\n", done, at)
            starts.append(line << 32 | (at - found.start() - 1))
            done = at
    pieces.append(text[done:])
    return "".join(pieces), starts


def _unmarked(value: dict, starts: list[int]) -> dict[tuple[str, int], int]:
    """Take the markers out of ``value``; return each marked item's position by its place.

    Every marker must be found at the start of an item's first key, in order; otherwise
    one fell inside a text (a quoted text can run over lines) and yamlio reads the file.
    """
    found: dict[tuple[str, int], int] = {}
    for key, items in value.items():
        if type(items) is not list:
            continue
        for index, item in enumerate(items):
            first = next(iter(item), None) if type(item) is dict else None
            if type(first) is not str or not first.startswith(_MARKER):
                continue
            number, _, written = first[len(_MARKER) :].partition("z")
            if number != str(len(found)):
                raise _Doubt
            keys = [written, *list(item)[1:]]
            items[index] = dict(zip(keys, item.values(), strict=True))
            if len(items[index]) != len(item):  # the marker hid a duplicate key
                raise _Doubt
            found[key, index] = starts[len(found)]
    if len(found) != len(starts):
        raise _Doubt
    return found


def _mapping(value: dict, file: _Deferred, depth: int, known: set) -> YMap:
    """``value`` as a YMap of ``file``, its collections too; ``known``: text found to be text."""
    if depth > MAX_DEPTH:
        raise _Doubt
    result = YMap(value)
    result.file = file
    for key, item in value.items():
        if key not in known:
            if type(key) is not str or len(key) > _MAX_KEY or _may_not_be_text(key):
                raise _Doubt
            known.add(key)
        kind = type(item)
        if kind is str:  # checked here, not in a call: this runs for every value
            if (len(item) < 6 or item[0] in _NUMERIC_START) and _not_text(item):
                raise _Doubt
        elif kind is dict:
            result[key] = _mapping(item, file, depth + 1, known)
        elif kind is list:
            result[key] = _sequence(item, file, depth + 1, known)
        elif kind is int or kind is float:  # how was it written?
            file.check_numbers()
        elif kind is not bool and item is not None:  # a date
            raise _Doubt
    return result


def _sequence(value: list, file: _Deferred, depth: int, known: set) -> YSeq:
    if depth > MAX_DEPTH:
        raise _Doubt
    result = YSeq(value)
    result.file = file
    for index, item in enumerate(value):
        kind = type(item)
        if kind is str:
            if (len(item) < 6 or item[0] in _NUMERIC_START) and _not_text(item):
                raise _Doubt
        elif kind is dict:
            result[index] = _mapping(item, file, depth + 1, known)
        elif kind is list:
            result[index] = _sequence(item, file, depth + 1, known)
        elif kind is int or kind is float:
            file.check_numbers()
        elif kind is not bool and item is not None:
            raise _Doubt
    return result


def _may_not_be_text(text: str) -> bool:
    """Whether ``text`` might have been written unquoted and read by YAML 1.1 as not text.

    yaml-rs reads 'yes' and '012' unquoted as text, yamlio as a boolean and a number; and
    text in quotes looks the same as text without, so such text is always in doubt.
    """
    return (len(text) < 6 or text[0] in _NUMERIC_START) and _not_text(text) is not None


_not_text = yamlio.PLAIN_NOT_TEXT.fullmatch


def _numbers_written_plainly(text: str) -> bool:
    """Whether each word of ``text`` that yaml-rs might read as a number is a plain decimal."""
    return all(
        _PLAIN_DECIMAL.fullmatch(word) or _read_as_text(word) for word in _NUMBER_LIKE.findall(text)
    )


def _read_as_text(word: str) -> bool:
    """Whether yaml-rs reads ``word``, unquoted, as that text (2%, 1990s), not a number."""
    try:
        return yaml_rs.loads(f"- {word}") == [word]
    except Exception:  # whatever yaml-rs cannot read is in doubt
        return False


def _copy_marks(quick: YMap | YSeq, located: YMap | YSeq) -> None:
    """Give each collection of ``quick`` the marks of its twin in ``located``."""
    if isinstance(located, YMap) and list(quick) != list(located):
        raise AssertionError("yaml-rs and libyaml give the keys in different orders")
    quick.marks = located.marks
    twins = located.values() if isinstance(located, YMap) else located
    for item, twin in zip(quick.values() if isinstance(quick, YMap) else quick, twins, strict=True):
        if isinstance(twin, (YMap, YSeq)):
            _copy_marks(item, twin)

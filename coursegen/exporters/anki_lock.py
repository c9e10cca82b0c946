"""The Anki lock file: what each note looked like when it was last built, and when.

Anki updates a note on import only if the package's modification time for it is newer than
its own. So an edited note must get a newer time than its last build gave it (even when two
builds fall in the same second), and an unchanged note must keep its old time, so that edits a
learner made inside Anki survive. The lock file, committed with the course, remembers a
content hash and a time per note and note type, and when each question was added, last
changed and retired, and how the changelog names it:

    {"version": 2,
     "items": {"note:ov-mission-1": {"added": 1764210000, "hash": "...", "mod": 1764210000,
                                     "type": "choice"}, ...},
     "notes": {"note:ov-mission-1": {"fields": [...], "tags": [...]}, ...}}

"notes" keeps each note's last-built fields and tags: when its question leaves the course
(deleted from its bank, or marked 'retired: true'), the next package can still carry the
note, retired, so that a re-import updates the learner's note instead of leaving it as it
was. They are most of the file (about 1.5 kB a note), and a build needs only the retired
ones', so each is read as text and parsed only when needed, and written back as it was read
while its note is unchanged. A version-1 lock (hashes and times only) is read and upgraded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import CourseError
from . import State

LOCK_FILE = "anki-lock.json"  # in question_banks/, beside the banks it records
_FORMAT_VERSION = 2
_READABLE_VERSIONS = (1, 2)
NOTE = "note:"  # the prefix of a note's key; a note type's is "note-type:"


class AnkiLock:
    def __init__(
        self,
        path: Path,
        items: dict[str, dict],
        notes: str | dict[str, str],
        items_text: str | None = None,
    ):
        self.path = path
        self.previous = items
        self._old_items = items_text  # the old lock's items section as read, if dumps wrote it
        self.current: dict[str, dict] = {}
        # The old lock's notes: their section's text as read, split by key only when needed.
        self._old_text = notes if isinstance(notes, str) else None
        self._old_notes = notes if isinstance(notes, dict) else None
        self.notes: dict[str, str | object] = {}  # the new lock's: a note's JSON text, or _KEPT
        self.newly_retired: list[str] = []  # the keys this build retired

    @classmethod
    def read(cls, state: State) -> AnkiLock:
        """Read the course's lock file, as the pipeline read it; without one, start empty."""
        path = state.path
        if state.text is None:
            return cls(path, {}, {})
        try:
            data, notes, items_text = _parse(state.text)
            items = data["items"]
            if data.get("version") not in _READABLE_VERSIONS or not all(
                map(_well_formed, items.values())
            ):
                raise ValueError("unexpected structure")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise _unreadable(path, exc) from None
        return cls(path, items, notes, items_text)

    def mod_time(self, key: str, content_hash: str, now: int) -> int:
        """The modification time to give ``key``: kept if unchanged, else newer than before."""
        old = self.previous.get(key)
        # A note back from retirement is newer than its retired self, even if unchanged.
        if old is not None and old["hash"] == content_hash and "retired" not in old:
            mod = old["mod"]
        elif old is not None:
            mod = max(now, old["mod"] + 1)
        else:
            mod = now
        self.current[key] = {"hash": content_hash, "mod": mod}
        return mod

    def note_time(
        self, key: str, content_hash: str, now: int, kind: str, note: str | None, title: str | None
    ) -> int:
        """``mod_time`` of a note of type ``kind``, whose ``note`` (its fields and tags, as
        ``encode_note`` gives them; None for one that is ``unchanged``) is kept, and which
        the changelog names by ``title`` (None: a note it does not list)."""
        unchanged = self.unchanged(key, content_hash)
        mod = self.mod_time(key, content_hash, now)
        old = self.previous.get(key)
        if old is None or "retired" in old:  # new, or back from retirement
            history = {"added": now}
        else:
            history = {k: old[k] for k in ("added", "changed", "title") if k in old}
            if old["hash"] != content_hash:
                history |= {"changed": now}
                history.pop("title", None)  # described anew
        # Named once added or changed; an entry from before the lock kept history has no
        # event to list it under, so the changelog leaves it unnamed, as it always has.
        if "title" not in history and title is not None and _TIMES.intersection(history):
            history["title"] = title
        self.current[key] |= {"type": kind, **history}
        self.notes[key] = _KEPT if unchanged else note
        return mod

    def unchanged(self, key: str, content_hash: str) -> bool:
        """Whether the lock holds ``key`` as it is, its fields and tags with it."""
        old = self.previous.get(key)
        return old is not None and old["hash"] == content_hash

    def retire(self, now: int) -> list[str]:
        """Keep every note of the last build that this one did not make, retired; return
        the keys retired by this build."""
        retired = []
        for key, old in self.previous.items():
            if not key.startswith(NOTE) or key in self.current:
                continue
            entry = dict(old)
            if "retired" not in old:
                # Newer than the live note, so that a re-import updates and tags it.
                entry |= {"retired": now, "mod": max(now, old["mod"] + 1)}
                retired.append(key)
            self.current[key] = entry
            self.notes[key] = _KEPT
        self.newly_retired = sorted(retired)
        return self.newly_retired

    def retired_notes(self) -> dict[str, dict]:
        """The retired notes whose last fields are known, by key: each item with its note."""
        return {
            key: {**entry, **self.note(key)}
            for key, entry in sorted(self.current.items())
            if "retired" in entry and self.has_note(key)
        }

    def has_note(self, key: str) -> bool:
        """Whether the lock keeps the fields and tags of the note ``key``."""
        note = self.notes.get(key)
        return note is not None and (note is not _KEPT or key in self.old_notes)

    def note(self, key: str) -> dict:
        """The fields and tags kept for the note ``key``."""
        note = self.notes[key]
        try:
            note = json.loads(note if note is not _KEPT else self.old_notes[key])
            if not _well_formed_note(note):
                raise ValueError(f"unexpected structure of {key}")
        except ValueError as exc:
            raise _unreadable(self.path, exc) from None
        return note

    @property
    def old_notes(self) -> dict[str, str]:
        """The old lock's notes as JSON text, by key."""
        if self._old_notes is None:
            try:
                self._old_notes = _split(self._old_text)
            except ValueError as exc:
                raise _unreadable(self.path, exc) from None
        return self._old_notes

    def dumps(self) -> str:
        """The lock file's new text: one item per line, sorted, so diffs stay small. After a
        small edit, the old text with the lines of what changed replaced: the same text."""
        items, notes = self._items_text(), self._notes_text()
        return f"{_ITEMS_START}{items}{_ITEMS_END}{_NOTES_START}{notes}{_NOTES_END}"

    def _items_text(self) -> str:
        if self.current.keys() == self.previous.keys():  # no item added or dropped
            changed = [k for k, v in self.current.items() if v != self.previous[k]]
            spliced = _spliced(self._old_items, changed, lambda k: _encode(self.current[k]))
            if spliced is not None:
                return spliced
        return _lines((k, _encode(v)) for k, v in sorted(self.current.items()))

    def _notes_text(self) -> str:
        changed = [k for k, v in self.notes.items() if v is not _KEPT]
        spliced = _spliced(self._old_text, changed, self.notes.__getitem__)
        if spliced is not None:
            return spliced
        return _lines(
            (k, v if v is not _KEPT else self.old_notes[k])
            for k, v in sorted(self.notes.items())
            if v is not _KEPT or k in self.old_notes
        )


_KEPT = object()  # a note as the old lock keeps it
# Each line replaced in a section's old text is a search through it (15 MB of notes at 10,000
# notes, a few ms): beyond this many, writing the section anew is as quick.
_SPLICED_AT_MOST = 8
_ITEMS_START = f'{{\n  "version": {_FORMAT_VERSION},\n  "items": {{\n'
_ITEMS_END = "\n  }"
_NOTES_START = ',\n  "notes": {\n'
_NOTES_END = "\n  }\n}\n"
_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
_encode_key = json.encoder.encode_basestring_ascii  # what json.dumps makes of a text


def encode_note(fields: list[str], tags: list[str]) -> str:
    """A note's fields and tags as the lock keeps them: made where the note is, in the
    processes that render the notes, and reused with them."""
    return _encode({"fields": fields, "tags": tags})


def _lines(entries: Iterable[tuple[str, str]]) -> str:
    """Each (key, its value's JSON text) on a line of its own, as a lock's section lists them."""
    return ",\n".join(f"    {_encode_key(key)}: {value}" for key, value in entries)


def _spliced(text: str | None, keys: list[str], value_of: Callable[[str], str]) -> str | None:
    """A section's old ``text`` as read, with each of ``keys`` given its new value's JSON
    text (``value_of``) on the line it has there; None without an old text, for too many
    keys, or for a key with no line there (new to the lock: its line must be sorted in)."""
    if text is None or len(keys) > _SPLICED_AT_MOST:
        return None
    spans = []
    for key in keys:
        head = f"    {_encode_key(key)}: "
        start = _line_of(text, head)
        if start < 0:
            return None
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        # A value is an object, so a comma at the end of its line separates it from the next.
        spans.append((start + len(head), end - (text[end - 1] == ","), value_of(key)))
    pieces, at = [], 0
    for start, end, value in sorted(spans):
        pieces += (text[at:start], value)
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def _line_of(text: str, head: str) -> int:
    """Where the line of ``text`` that begins with ``head`` begins, or -1."""
    if text.startswith(head):
        return 0
    found = text.find("\n" + head)
    return found + 1 if found >= 0 else -1


def _parse(text: str) -> tuple[dict, str | dict[str, str], str | None]:
    """The lock's data but its notes; its notes, as the text of their section for a lock as
    dumps writes it (split only when needed), as JSON text by key for any other; and the text
    of its items section, for a lock as dumps writes it."""
    head, found, tail = text.partition(_NOTES_START)
    if not found or not tail.endswith(_NOTES_END):
        data = json.loads(text)
        return data, {k: _encode(v) for k, v in data.pop("notes", {}).items()}, None
    written = head.startswith(_ITEMS_START) and head.endswith(_ITEMS_END)
    items = head[len(_ITEMS_START) : -len(_ITEMS_END)] if written else None
    return json.loads(head + "\n}"), tail.removesuffix(_NOTES_END), items


def _split(text: str) -> dict[str, str]:
    """The notes section's text, one note a line, as each note's JSON text by key."""
    notes = {}
    for line in filter(None, text.split("\n")):
        key, colon, value = line.removeprefix("    ").partition(": ")
        if not colon or not line.startswith('    "'):
            raise ValueError(f"unexpected line in notes: {line[:40]!r}")
        # A key is a slug in quotes; one that needs escapes is read as JSON.
        notes[key[1:-1] if "\\" not in key else json.loads(key)] = value.removesuffix(",")
    return notes


def _unreadable(path: Path, exc: Exception) -> CourseError:
    return CourseError(
        f"{path}: the Anki lock file cannot be read ({exc}); restore it from version "
        "control, or delete it (every note then counts as changed on the next import)"
    )


def _well_formed(item: object) -> bool:
    # Checked for every item on every build, so with as few calls as the checks allow.
    return (
        type(item) is dict
        and type(item.get("hash")) is str
        and type(item.get("mod")) is int
        and type(item.get("type", "")) is str
        and all(type(item[k]) is int for k in _TIMES.intersection(item))
    )


_TIMES = frozenset(("added", "changed", "retired"))


def _well_formed_note(note: object) -> bool:
    return (
        isinstance(note, dict)
        and isinstance(note.get("fields"), list)
        and isinstance(note.get("tags"), list)
        and all(isinstance(f, str) for f in [*note["fields"], *note["tags"]])
    )

"""The Anki lock file: what each note looked like when it was last built, and when.

Anki updates a note on import only if the package's modification time for it is newer than
its own. So an edited note must get a newer time than its last build gave it (even when two
builds fall in the same second), and an unchanged note must keep its old time, so that edits a
learner made inside Anki survive. The lock file, committed with the course, remembers a
content hash and a time per note and note type, and when each question was added, last
changed and retired, how the changelog names it, and the id its note was first given (so
that every build numbers a note alike: anki_db.note_ids):

    {"version": 2,
     "items": {"note:ov-mission-1": {"added": 1764210000, "hash": "...",
                                     "id": 1764210000000, "mod": 1764210000,
                                     "type": "choice"}, ...},
     "notes": {"note:ov-mission-1": {"fields": [...], "tags": [...]}, ...}}

"notes" keeps each note's last-built fields and tags: when its question leaves the course
(deleted from its bank, or marked 'retired: true'), the next package can still carry the
note, retired, so that a re-import updates the learner's note instead of leaving it as it
was. They are most of the file (about 1.5 kB a note), and a build needs only the retired
ones', so each is parsed only when needed, and written back as it was read while its note is
unchanged. The file is read and written as bytes: at 50,000 notes it is 71 MB, and decoding
it to change a line and encoding it again would cost more than the change. A version-1 lock
(hashes and times only) is read and upgraded, as is a lock from before notes kept their ids
(its notes keep the ids this build gives them).
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
        notes: bytes | dict[str, bytes],
        items_text: bytes | None = None,
    ):
        self.path = path
        self.previous = items
        self._old_items = items_text  # the old lock's items section as read, if dumps wrote it
        self.current: dict[str, dict] = {}
        # The old lock's notes: their section as read, split by key only when needed.
        self._old_text = notes if isinstance(notes, bytes) else None
        self._old_notes = notes if isinstance(notes, dict) else None
        self.notes: dict[str, bytes | object] = {}  # the new lock's: a note's JSON, or _KEPT
        self.newly_retired: list[str] = []  # the keys this build retired

    @classmethod
    def read(cls, state: State) -> AnkiLock:
        """Read the course's lock file, as the pipeline read it; without one, start empty."""
        path = state.path
        if state.data is None:
            return cls(path, {}, {})
        try:
            data, notes, items_text = _parse(state.data)
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
        self,
        key: str,
        content_hash: str,
        now: int,
        kind: str,
        note: bytes | None,
        title: str | None,
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

    def note_id(self, key: str) -> int | None:
        """The id the note ``key`` was given when first built; None for a note new to the lock."""
        old = self.previous.get(key)
        return None if old is None else old.get("id")

    def record_ids(self, ids: dict[str, int]) -> None:
        """Keep the id each note of this build's package was given, by key."""
        for key, note_id in ids.items():
            self.current[key]["id"] = note_id

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
    def old_notes(self) -> dict[str, bytes]:
        """The old lock's notes as JSON, by key."""
        if self._old_notes is None:
            try:
                self._old_notes = _split(self._old_text)
            except ValueError as exc:
                raise _unreadable(self.path, exc) from None
        return self._old_notes

    def dumps(self) -> bytes:
        """The lock file's new bytes: one item per line, sorted, so diffs stay small. After a
        small edit, the old ones with the lines of what changed replaced: the same bytes."""
        items, notes = self._items_text(), self._notes_text()
        return b"".join((_ITEMS_START, items, _ITEMS_END, _NOTES_START, notes, _NOTES_END))

    def _items_text(self) -> bytes:
        if self.current.keys() == self.previous.keys():  # no item added or dropped
            changed = [k for k, v in self.current.items() if v != self.previous[k]]
            spliced = _spliced(self._old_items, changed, lambda k: _json(self.current[k]))
            if spliced is not None:
                return spliced
        return _lines((k, _json(v)) for k, v in sorted(self.current.items()))

    def _notes_text(self) -> bytes:
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
_ITEMS_START = f'{{\n  "version": {_FORMAT_VERSION},\n  "items": {{\n'.encode()
_ITEMS_END = b"\n  }"
_NOTES_START = b',\n  "notes": {\n'
_NOTES_END = b"\n  }\n}\n"
_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def _json(value: object) -> bytes:
    """``value`` as the lock writes it: UTF-8 JSON, keys sorted."""
    return _encode(value).encode()


def _key(key: str) -> bytes:
    """A key as the lock writes it: what json.dumps makes of a text (ASCII)."""
    return json.encoder.encode_basestring_ascii(key).encode()


def encode_note(fields: list[str], tags: list[str]) -> bytes:
    """A note's fields and tags as the lock keeps them: made where the note is, in the
    processes that render the notes, and reused with them."""
    return _json({"fields": fields, "tags": tags})


def _lines(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """Each (key, its value's JSON) on a line of its own, as a lock's section lists them."""
    return b",\n".join(b"    " + _key(key) + b": " + value for key, value in entries)


def _spliced(text: bytes | None, keys: list[str], value_of: Callable[[str], bytes]) -> bytes | None:
    """A section's old ``text`` as read, with each of ``keys`` given its new value's JSON
    (``value_of``) on the line it has there; None without an old text, for too many keys, or
    for a key with no line there (new to the lock: its line must be sorted in)."""
    if text is None or len(keys) > _SPLICED_AT_MOST:
        return None
    spans = []
    for key in keys:
        head = b"    " + _key(key) + b": "
        start = _line_of(text, head)
        if start < 0:
            return None
        end = text.find(b"\n", start)
        end = len(text) if end < 0 else end
        # A value is an object, so a comma at the end of its line separates it from the next.
        spans.append((start + len(head), end - (text[end - 1 : end] == b","), value_of(key)))
    pieces, at = [], 0
    for start, end, value in sorted(spans):
        pieces += (text[at:start], value)
        at = end
    pieces.append(text[at:])
    return b"".join(pieces)


def _line_of(text: bytes, head: bytes) -> int:
    """Where the line of ``text`` that begins with ``head`` begins, or -1."""
    if text.startswith(head):
        return 0
    found = text.find(b"\n" + head)
    return found + 1 if found >= 0 else -1


def _parse(data: bytes) -> tuple[dict, bytes | dict[str, bytes], bytes | None]:
    """The lock's data but its notes; its notes, as their section for a lock as dumps writes
    it (split only when needed), as JSON by key for any other; and its items section, for a
    lock as dumps writes it."""
    head, found, tail = data.partition(_NOTES_START)
    if not found or not tail.endswith(_NOTES_END):
        parsed = json.loads(data)
        return parsed, {k: _json(v) for k, v in parsed.pop("notes", {}).items()}, None
    written = head.startswith(_ITEMS_START) and head.endswith(_ITEMS_END)
    items = head[len(_ITEMS_START) : -len(_ITEMS_END)] if written else None
    return json.loads(head + b"\n}"), tail.removesuffix(_NOTES_END), items


def _split(text: bytes) -> dict[str, bytes]:
    """The notes section, one note a line, as each note's JSON by key."""
    notes = {}
    for line in filter(None, text.split(b"\n")):
        key, colon, value = line.removeprefix(b"    ").partition(b": ")
        if not colon or not line.startswith(b'    "'):
            raise ValueError(f"unexpected line in notes: {line[:40]!r}")
        # A key is a slug in quotes; one that needs escapes is read as JSON.
        name = key[1:-1].decode() if b"\\" not in key else json.loads(key)
        notes[name] = value.removesuffix(b",")
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
        and type(item.get("id", 0)) is int
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

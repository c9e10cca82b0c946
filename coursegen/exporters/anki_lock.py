"""The Anki lock file: what each note looked like when it was last built, and when.

Anki updates a note on import only if the package's modification time for it is newer than
its own. So an edited note must get a newer time than its last build gave it (even when two
builds fall in the same second), and an unchanged note must keep its old time, so that edits a
learner made inside Anki survive. The lock file, committed with the course, remembers a
content hash and a time per note and note type:

    {"version": 2, "items": {"note:ov-mission-1": {"hash": "...", "mod": 1764210000, ...}}}

A note's item also keeps its last-built note type, fields and tags: when its question leaves
the course (deleted from its bank, or marked 'retired: true'), the next package can still
carry the note, retired, so that a re-import updates the learner's note instead of leaving it
as it was. The times a question was added, last changed and retired are the changelog's.
A version-1 lock (hashes and times only) is read as it is and written as version 2.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import CourseError
from . import State

LOCK_FILE = "anki-lock.json"  # in question_banks/, beside the banks it records
_FORMAT_VERSION = 2
_READABLE_VERSIONS = (1, 2)
NOTE = "note:"  # the prefix of a note's key; a note type's is "note-type:"


class AnkiLock:
    def __init__(self, path: Path, items: dict[str, dict]):
        self.path = path
        self.previous = items
        self.current: dict[str, dict] = {}
        self.newly_retired: list[str] = []  # the keys this build retired

    @classmethod
    def read(cls, state: State) -> AnkiLock:
        """Read the course's lock file, as the pipeline read it; without one, start empty."""
        path = state.path
        if state.text is None:
            return cls(path, {})
        try:
            data = json.loads(state.text)
            items = data["items"]
            if data.get("version") not in _READABLE_VERSIONS or not all(
                map(_well_formed, items.values())
            ):
                raise ValueError("unexpected structure")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CourseError(
                f"{path}: the Anki lock file cannot be read ({exc}); restore it from version "
                "control, or delete it (every note then counts as changed on the next import)"
            ) from None
        return cls(path, items)

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

    def note_time(self, key: str, content_hash: str, now: int, note: dict) -> int:
        """``mod_time`` of a note whose ``note`` (type, fields, tags) is kept for its retirement."""
        mod = self.mod_time(key, content_hash, now)
        old = self.previous.get(key)
        if old is None or "retired" in old:  # new, or back from retirement
            history = {"added": now}
        else:
            history = {k: old[k] for k in ("added", "changed") if k in old}
            if old["hash"] != content_hash:
                history["changed"] = now
        self.current[key] |= note | history
        return mod

    def retire(self, now: int) -> list[str]:
        """Keep every note of the last build that this one did not make, retired; return
        the keys retired by this build."""
        retired = []
        for key, old in self.previous.items():
            if not key.startswith(NOTE) or key in self.current:
                continue
            entry = dict(old)
            if "retired" not in old:
                # Newer than the live note, so that a re-import moves and tags it.
                entry |= {"retired": now, "mod": max(now, old["mod"] + 1)}
                retired.append(key)
            self.current[key] = entry
        self.newly_retired = sorted(retired)
        return self.newly_retired

    def retired_notes(self) -> dict[str, dict]:
        """The retired notes whose last fields are known, by key."""
        return {k: v for k, v in sorted(self.current.items()) if "retired" in v and "fields" in v}

    def dumps(self) -> str:
        """The lock file's new text: one item per line, sorted, so diffs stay small."""
        lines = [
            f"    {json.dumps(k)}: {json.dumps(v, sort_keys=True, ensure_ascii=False)}"
            for k, v in sorted(self.current.items())
        ]
        body = ",\n".join(lines)
        return f'{{\n  "version": {_FORMAT_VERSION},\n  "items": {{\n{body}\n  }}\n}}\n'


def _well_formed(item: object) -> bool:
    if not isinstance(item, dict):
        return False
    times = [item.get(k, 0) for k in ("mod", "added", "changed", "retired")]
    fields, tags = item.get("fields", []), item.get("tags", [])
    return (
        isinstance(item.get("hash"), str)
        and isinstance(item.get("mod"), int)
        and all(isinstance(t, int) for t in times)
        and isinstance(item.get("type", ""), str)
        and isinstance(fields, list)
        and isinstance(tags, list)
        and all(isinstance(f, str) for f in [*fields, *tags])
    )

"""The Anki lock file: what each note looked like when it was last built, and when.

Anki updates a note on import only if the package's modification time for it is newer than
its own. So an edited note must get a newer time than its last build gave it (even when two
builds fall in the same second), and an unchanged note must keep its old time, so that edits a
learner made inside Anki survive. The lock file, committed with the course, remembers a
content hash and a time per note and note type:

    {"version": 1, "items": {"note:ov-mission-1": {"hash": "...", "mod": 1764210000}, ...}}
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import CourseError
from . import State

LOCK_FILE = "anki-lock.json"  # in question_banks/, beside the banks it records
_FORMAT_VERSION = 1


class AnkiLock:
    def __init__(self, path: Path, items: dict[str, dict]):
        self.path = path
        self.previous = items
        self.current: dict[str, dict] = {}

    @classmethod
    def read(cls, state: State) -> AnkiLock:
        """Read the course's lock file, as the pipeline read it; without one, start empty."""
        path = state.path
        if state.text is None:
            return cls(path, {})
        try:
            data = json.loads(state.text)
            items = data["items"]
            if data.get("version") != _FORMAT_VERSION or not all(
                isinstance(v.get("hash"), str) and isinstance(v.get("mod"), int)
                for v in items.values()
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
        if old is not None and old["hash"] == content_hash:
            mod = old["mod"]
        elif old is not None:
            mod = max(now, old["mod"] + 1)
        else:
            mod = now
        self.current[key] = {"hash": content_hash, "mod": mod}
        return mod

    def dumps(self) -> str:
        """The lock file's new text: one item per line, sorted, so diffs stay small."""
        lines = [
            f"    {json.dumps(k)}: {json.dumps(v, sort_keys=True)}"
            for k, v in sorted(self.current.items())
        ]
        body = ",\n".join(lines)
        return f'{{\n  "version": {_FORMAT_VERSION},\n  "items": {{\n{body}\n  }}\n}}\n'

"""CHANGELOG.md: which questions each build added, changed or retired, for an LMS administrator.

It is written from the Anki lock file, the course's committed record of every build, so a
fresh clone writes the same changelog, and a rebuild that changes no question changes nothing
in it. Each question is listed under the last build that added, changed (its content hash
differs) or retired it, by the id every LMS package gives it.
"""

from __future__ import annotations

import datetime
import functools
import re
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import plural
from ..i18n import strings_for
from .anki_lock import NOTE, AnkiLock
from .anki_notetypes import FLASHCARD, NOTE_TYPES
from .anki_retired import retired_tag

if TYPE_CHECKING:
    from ..model import Course
    from . import BuildContext
    from .anki_notetypes import NoteType

CHANGELOG = "CHANGELOG.md"
_EVENTS = ("added", "changed", "retired")
# The questions' note types, whose first field is the prompt (a cloze's text); not flashcards.
_QUESTION_TYPES = {t.key: t for t in NOTE_TYPES if t is not FLASHCARD}
_DESCRIBED_KINDS = {*_QUESTION_TYPES, None}  # None: a version-1 lock kept no types


def record_changes(lock: AnkiLock, course: Course, out_dir: Path, context: BuildContext) -> Path:
    """Tell what this build retired, and write the changelog of every build into ``out_dir``."""
    retired = [key[len(NOTE) :] for key in lock.newly_retired]
    unkept = [key[len(NOTE) :] for key in lock.newly_retired if not lock.has_note(key)]
    if retired:
        context.messages.append(
            f"{plural(len(retired), 'note')} retired, as their questions left the course "
            f"(tagged {retired_tag(course.id)}): {', '.join(retired)}"
        )
    if unkept:
        context.messages.append(
            f"warning: no retired note for {', '.join(unkept)}: the lock file was written before "
            "coursegen kept notes' fields, so there are none to build one from; learners' notes "
            "stay as they were, untagged"
        )
    path = out_dir / CHANGELOG
    path.write_bytes(changelog(lock, course).encode())  # as written, with "\n" line ends
    return path


def changelog(lock: AnkiLock, course: Course) -> str:
    """The changelog of the builds ``lock`` records, in the course's language."""
    t = strings_for(course.language)
    lines = [f"# {_markdown(t('changelog_title', title=course.title))}", ""]
    lines += [t["changelog_intro"], ""]
    builds = _builds(lock)
    if not builds:
        lines += [t["changelog_none"], ""]
    for when in sorted(builds, reverse=True):
        lines += [f"## {_date(when)}", ""]
        for event in _EVENTS:
            rows = builds[when].get(event)
            if rows:
                lines += [f"### {t[f'changelog_{event}']}", ""]
                if event == "retired":
                    lines += [t("changelog_retired_note", tag=f"`{retired_tag(course.id)}`"), ""]
                lines += [f"- `{course.id}.{item_id}`{text}" for item_id, text in rows] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _builds(lock: AnkiLock) -> dict[int, dict[str, list]]:
    """Build time -> event -> the (id, description) of each question it concerns."""
    builds: dict[int, dict[str, list]] = {}
    for key, entry in sorted(lock.current.items()):
        kind = entry.get("type")
        events = [e for e in _EVENTS if e in entry]
        if not key.startswith(NOTE) or not events or kind not in _DESCRIBED_KINDS:
            continue
        if "title" not in entry and lock.has_note(key):
            # Described once, when added or changed (as the note is made: title_of); the lock
            # keeps it from build to build. Here only a lock's notes from before titles.
            entry["title"] = _describe(lock.note(key)["fields"], _QUESTION_TYPES[kind])
        # A note retired before the lock kept notes has its id alone.
        row = (key[len(NOTE) :], f": {entry['title']}" if "title" in entry else "")
        for event in events:
            builds.setdefault(entry[event], {}).setdefault(event, []).append(row)
    return builds


def title_of(fields: list[str], note_type: NoteType) -> str | None:
    """How the changelog names a note of ``note_type`` with ``fields``; None for a
    flashcard's, which it does not list."""
    return _describe(fields, note_type) if note_type.key in _QUESTION_TYPES else None


def _describe(fields: list[str], note_type: NoteType) -> str:
    """'The prompt as plain text, shortened (Module n: title)', from the note's HTML."""
    prompt = _GAP.sub("…", fields[0]) if "{{c" in fields[0] else fields[0]
    text = " ".join(unescape(_TAG.sub(" ", prompt)).split())
    if len(text) > 90:
        text = text[:89].rsplit(" ", 1)[0] + "…"
    return f"{_markdown(text)} ({_module_name(fields[note_type.fields.index('Module')])})"


_GAP = re.compile(r"\{\{c\d+::(.*?)\}\}", re.DOTALL)  # a cloze's gap, in Anki's syntax
_TAG = re.compile(r"<[^>]*>")


@functools.lru_cache(maxsize=1024)  # a course has a few modules; each note names one
def _module_name(html: str) -> str:
    return _markdown(unescape(_TAG.sub("", html)))


def _markdown(text: str) -> str:
    """``text`` shown as written in Markdown: its marks escaped."""
    # A function, not the template r"\\\1": re reads a template anew on every call.
    return _MARK.sub(lambda mark: "\\" + mark[0], text)


_MARK = re.compile(r"[\\`*_\[\]<>#|]")


def _date(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")

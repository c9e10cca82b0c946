"""CHANGELOG.md: which questions each build added, changed or retired, for an LMS administrator.

It is written from the Anki lock file, the course's committed record of every build, so a
fresh clone writes the same changelog, and a rebuild that changes no question changes nothing
in it. Each question is listed under the last build that added, changed (its content hash
differs) or retired it, by the id every LMS package gives it.
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import plural
from ..i18n import Strings, strings_for
from .anki_lock import NOTE, AnkiLock
from .anki_notetypes import FLASHCARD, NOTE_TYPES
from .anki_retired import retired_tag

if TYPE_CHECKING:
    from ..model import Course
    from . import BuildContext

CHANGELOG = "CHANGELOG.md"
_EVENTS = ("added", "changed", "retired")
# The questions' note types, whose first field is the prompt (a cloze's text); not flashcards.
_QUESTION_TYPES = {t.key: t for t in NOTE_TYPES if t is not FLASHCARD}


def record_changes(lock: AnkiLock, course: Course, out_dir: Path, context: BuildContext) -> Path:
    """Tell what this build retired, and write the changelog of every build into ``out_dir``."""
    retired = [key[len(NOTE) :] for key in lock.newly_retired]
    unkept = [key[len(NOTE) :] for key in lock.newly_retired if "fields" not in lock.current[key]]
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
    t = strings_for(course.language)
    return write_changelog(out_dir / CHANGELOG, lock, course.id, course.title, t)


def write_changelog(path: Path, lock: AnkiLock, course_id: str, title: str, t: Strings) -> Path:
    """Write the changelog of the builds ``lock`` records to ``path``."""
    lines = [f"# {_markdown(t('changelog_title', title=title))}", "", t["changelog_intro"], ""]
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
                    lines += [t("changelog_retired_note", tag=f"`{retired_tag(course_id)}`"), ""]
                lines += [f"- `{course_id}.{item_id}`{text}" for item_id, text in rows] + [""]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", "utf-8")
    return path


def _builds(lock: AnkiLock) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """Build time -> event -> the (id, description) of each question it concerns."""
    builds: dict[int, dict[str, list]] = {}
    for key, entry in sorted(lock.current.items()):
        kind = entry.get("type")
        if not key.startswith(NOTE) or (kind not in _QUESTION_TYPES and "fields" in entry):
            continue
        # A note retired before the lock kept fields is named by its id alone.
        text = _describe(entry["fields"], _QUESTION_TYPES[kind]) if "fields" in entry else ""
        for event in _EVENTS:
            if event in entry:
                rows = builds.setdefault(entry[event], {}).setdefault(event, [])
                rows.append((key[len(NOTE) :], text))
    return builds


def _describe(fields: list[str], note_type) -> str:
    """': the prompt as plain text, shortened (Module n: ...)', as an LMS lists it."""
    prompt = re.sub(r"\{\{c\d+::(.*?)\}\}", "[…]", fields[0], flags=re.DOTALL)
    text = " ".join(unescape(re.sub(r"<[^>]*>", " ", prompt)).split())
    if len(text) > 90:
        text = text[:89].rsplit(" ", 1)[0] + "…"
    module = unescape(re.sub(r"<[^>]*>", "", fields[note_type.fields.index("Module")]))
    return f": {_markdown(text)} ({_markdown(module)})"


def _markdown(text: str) -> str:
    """``text`` shown as written in Markdown: its marks escaped."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _date(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")

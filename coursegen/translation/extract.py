"""`coursegen translate extract`: write or update a language's translation files.

Running it again keeps every translation, adds the new texts, marks a text whose English
changed as fuzzy with its old English kept (``#| msgid``), and keeps removed texts'
translations as obsolete (``#~``) entries, as gettext's msgmerge does.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize, write_po

from ..build import build_timestamp
from ..errors import ValidationFailed
from ..loader import display_path, load_course
from ..model import Course
from ..output import write_atomically
from ..validate import validate
from . import catalog
from .catalog import Found, State, Translations, check_language
from .locate import Locator
from .walk import COURSE_FILE, Unit, course_units


@dataclass(frozen=True)
class Written:
    """One translation file extraction wrote (or found up to date), and what it holds."""

    path: str  # as shown to the user
    changed: bool
    counts: dict[State, int]


def extract(course_dir: str | Path, language: str) -> list[Written]:
    """Write ``language``'s translation files of the course at ``course_dir``."""
    raw = load_course(course_dir)
    course, diagnostics = validate(raw)
    if course is None:
        raise ValidationFailed(diagnostics)
    check_language(course, language)
    old = catalog.read(raw.root, language, lambda p: display_path(raw, p))
    if old.diagnostics:  # never write over a file that could not be read: it would be lost
        raise ValidationFailed(old.diagnostics)
    units = course_units(course)
    found = old.resolve(units)
    catalogs = _catalogs(course, language, old)
    locate = Locator(raw)
    counts: dict[str, dict[State, int]] = {stem: {s: 0 for s in State} for stem in catalogs}
    seen = set()
    for unit in units:
        key = (unit.context, unit.source)
        if key not in seen:  # a block the lesson repeats is one entry, of several places
            counts[unit.file][found[key].state] += 1
            seen.add(key)
        catalogs[unit.file][unit.source] = _message(unit, found[key], locate(unit))
    _keep_obsolete(old, found, catalogs)
    top = catalog.folder(raw.root, language)
    return [
        _write(top / f"{stem}{catalog.SUFFIX}", cat, counts[stem], raw)
        for stem, cat in catalogs.items()
    ]


def _catalogs(course: Course, language: str, old: Translations) -> dict[str, Catalog]:
    """An empty catalog per file, keeping each existing file's header."""
    stems = [COURSE_FILE, *(m.id for m in course.modules)]
    made = {}
    for stem in stems:
        before = old.catalogs.get(stem)
        cat = Catalog(
            locale=Locale.parse(language, sep="-"),
            project=course.title,
            version=course.version,
            fuzzy=False,
            creation_date=before.creation_date if before else _now(),
            revision_date=before.revision_date if before else None,
            last_translator=before.last_translator if before else "",
            language_team=before.language_team if before else "",
        )
        cat.header_comment = _HEADER.format(title=course.title, language=language, stem=stem)
        made[stem] = cat
    return made


_HEADER = (
    "# {title}: the '{language}' translation of {stem}.\n"
    "# Written by 'coursegen translate extract'. Translate each msgstr\n"
    "# in a PO editor (Poedit, Lokalize, Weblate); keep each msgctxt\n"
    "# and msgid as they are. Texts are Markdown: keep their marks,\n"
    "# links, images and {{{{gaps}}}} (see each entry's note)."
)


def _message(unit: Unit, found: Found, location: tuple[str, int]) -> Message:
    entry = found.entry
    stale = found.state is State.STALE
    previous = entry.made_from if stale and entry.made_from != unit.source else None
    kept = [c for c in entry.message.user_comments if not c.startswith("|")] if entry else []
    message = Message(
        unit.source,
        entry.translation if entry else "",
        locations=[location],
        flags=["fuzzy"] if stale else [],
        auto_comments=[unit.note],
        user_comments=kept,
        previous_id=previous or (),
        context=unit.context,
    )
    # Babel guesses 'python-format' from a '%' in the text; course text is never a format.
    message.flags.discard("python-format")
    return message


def _keep_obsolete(old: Translations, found: dict, catalogs: dict[str, Catalog]) -> None:
    """Keep the translations no text uses any more as obsolete entries, in their own file."""
    used = {id(f.entry) for f in found.values() if f.entry}
    for entry in [*old.entries, *old.obsolete]:
        message = entry.message
        if id(entry) in used or not entry.translation:
            continue
        target = catalogs.get(entry.file) or catalogs[COURSE_FILE]
        if target.get(message.id, message.context) is None:
            kept = Message(message.id, message.string, context=message.context)
            kept.user_comments = [c for c in message.user_comments if not c.startswith("|")]
            target.obsolete[(message.id, message.context)] = kept


def _write(path: Path, cat: Catalog, counts: dict[State, int], raw) -> Written:
    data = _po_bytes(cat)
    changed = not path.exists() or path.read_bytes() != data
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    return Written(display_path(raw, path), changed, counts)


_WIDTH = 76
_FLAGS = re.compile(r"^#, (.*)$", re.MULTILINE)


def _po_bytes(cat: Catalog) -> bytes:
    """``cat`` as a PO file, each old English (``#| msgid``) written as GNU gettext writes it.

    Babel wraps a long ``#| msgid`` as prose, cutting its strings mid-line, which gettext
    rejects and Babel cannot read back; so each entry's flags carry a mark, replaced by the
    old English in PO strings, one ``#| "..."`` line each.
    """
    previous = {}
    for n, message in enumerate(cat):
        if message.previous_id:
            mark = f"coursegen-previous-{n}"
            message.flags.add(mark)
            previous[mark] = message.previous_id[0]
    buffer = io.BytesIO()
    write_po(buffer, cat, width=_WIDTH)

    def flags(match: re.Match) -> str:
        names = match.group(1).split(", ")
        marks = [previous[name] for name in names if name in previous]
        line = "#, " + ", ".join(name for name in names if name not in previous)
        lines = normalize(marks[0], width=_WIDTH).split("\n") if marks else []
        return "\n".join(
            [line, *(f"#| {'msgid ' if i == 0 else ''}{text}" for i, text in enumerate(lines))]
        )

    return _FLAGS.sub(flags, buffer.getvalue().decode(cat.charset)).encode(cat.charset)


def _now():
    import datetime

    return datetime.datetime.fromtimestamp(build_timestamp(), datetime.timezone.utc)

"""A translation put on the English course, for `build --lang` and checked by `validate`.

The English course is loaded and validated first; each text is then replaced by its
translation, and the course becomes the language's own: its language (so the interface
strings and the writing direction follow) and its id, from which every format derives its
deck, package and item identifiers, so both languages live side by side in one Anki
collection or one LMS. Question ids stay the same in every language.

A text without a usable translation (none yet, or one made from English that has changed
since) stays English, with a warning that names it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import markup
from ..errors import CourseError, Diagnostic, Severity, SourcePos
from ..loader import RawCourse, display_path
from ..model import Course
from ..questions.cloze import Gap, parse
from . import catalog
from .blocks import shape
from .catalog import Found, State, check_language
from .terms import term_checks
from .walk import Unit, course_units, retired_units, translate_course
from .wdiff import word_diff


@dataclass
class Applied:
    """The translated course (None if the translation has errors) and what was found."""

    course: Course | None
    language: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # texts by State

    def summary(self) -> str:
        """``ar: 60 of 70 texts translated; 10 in English (8 missing, 2 stale)``."""
        total = sum(self.counts.values())
        done = self.counts[State.TRANSLATED]
        text = f"{self.language}: {done} of {total} texts translated"
        missing, stale = self.counts[State.MISSING], self.counts[State.STALE]
        if missing or stale:
            text += f"; {missing + stale} in English ({missing} missing, {stale} stale)"
        return text


def translate(
    course: Course, course_dir: str | Path, language: str, *, list_missing: bool = True
) -> Applied:
    """``course`` in ``language``, from its translation files; ``list_missing`` warns of each
    text that has no translation yet (a count is always given)."""
    check_language(course, language)
    raw = RawCourse(root=course.root, display_root=str(course_dir))
    if language not in catalog.languages(course.root):
        shown = display_path(raw, catalog.folder(course.root, language))
        raise CourseError(
            f"the course has no '{language}' translation ({shown}/ holds no .po file); "
            f"write one with: coursegen translate extract --lang {language}"
        )
    translations = catalog.read(course.root, language, lambda p: display_path(raw, p))
    units = _distinct(course_units(course))
    found = translations.resolve(units)
    applied = Applied(None, language, list(translations.diagnostics))
    usable: dict[tuple[str, str], catalog.Entry] = {}
    stale: list[catalog.Entry] = []
    for unit in units:
        state = found[(unit.context, unit.source)]
        applied.counts[state.state] += 1
        problems = _problems(unit, state, language)
        applied.diagnostics += problems
        if state.state is State.STALE:
            applied.diagnostics.append(_stale(unit, state, language))
            stale.append(state.entry)
        if state.state is State.MISSING and list_missing:
            applied.diagnostics.append(_missing(unit, state, language, raw))
        if state.state is State.TRANSLATED and not _errors(problems):
            usable[(unit.context, unit.source)] = state.entry
    # A retired question's translations wait for it to come back: they are not unused.
    kept = translations.resolve(_distinct(retired_units(course)))
    unused = translations.unused({**kept, **found})
    applied.diagnostics += [_unused(entry, language) for entry in unused]
    if not _errors(applied.diagnostics):
        done = translate_course(course, lambda u: _text(usable, u))
        applied.diagnostics += _quotations(done, usable, stale)
        used = {context: entry for (context, _), entry in usable.items()}
        applied.diagnostics += term_checks(course, done, used)
        # Ids are lower case ('iraqi-police-ar-iq'), as course ids are.
        applied.course = replace(done, id=f"{course.id}-{language.lower()}", language=language)
    applied.diagnostics.sort(key=Diagnostic.sort_key)
    return applied


def _text(usable: dict, unit: Unit) -> str:
    entry = usable.get((unit.context, unit.source))
    return entry.translation if entry else unit.source


def _quotations(course: Course, usable: dict, stale: list[catalog.Entry]) -> list[Diagnostic]:
    """A translated quotation that the translated module does not hold cannot link to it.

    When the words are in a stale translation of the module (shown in English until it is
    brought up to date), that is what to fix, not the quotation.
    """
    entries = {context: e for (context, _), e in usable.items() if context.endswith(":source")}
    texts = {m.id: _quotable(m) for m in course.modules}
    found = []
    for q in course.questions:
        entry = entries.get(f"question:{q.id}:source")
        quoted = markup.quotable(q.source)
        if entry is None or quoted in texts[q.module_id]:
            continue
        block = next((e for e in stale if _holds(e, q.module_id, quoted)), None)
        found.append(_not_found(q, entry) if block is None else _in_stale(q, entry, block))
    return found


def _holds(entry: catalog.Entry, module_id: str, quoted: str) -> bool:
    """Whether ``entry`` is a lesson text of ``module_id`` whose translation has ``quoted``."""
    lesson = entry.message.context.startswith(f"module:{module_id}:")
    return lesson and quoted in markup.fold(markup.to_plain_text(entry.translation))


def _not_found(q, entry: catalog.Entry) -> Diagnostic:
    return Diagnostic(
        entry.pos,
        Severity.WARNING,
        f"question:{q.id}:source: the translated quotation is not in the translation of "
        f"module '{q.module_id}', so the question cannot link to it",
        "translation-source-not-found",
        "copy the words from your translation of the lesson (its summary or key terms), as "
        "they stand there",
    )


def _in_stale(q, entry: catalog.Entry, block: catalog.Entry) -> Diagnostic:
    return Diagnostic(
        entry.pos,
        Severity.WARNING,
        f"question:{q.id}:source: the translated quotation is in the translation of "
        f"{block.message.context} at {block.pos}, which is stale and so shown in English: "
        "the question cannot link to it until that translation is up to date",
        "translation-source-not-found",
        "bring that translation up to date (see its stale-translation warning); the quotation "
        "needs no change if its words stay",
    )


def _quotable(module) -> str:
    """The texts of ``module`` a quotation may come from, as validation reads them."""
    terms = (f"{k.term} {k.definition}" for k in module.key_terms)
    return markup.fold(
        " ".join([markup.to_plain_text(module.body), markup.to_plain_text(module.summary), *terms])
    )


def in_language(
    course: Course, course_dir: str | Path, language: str, diagnostics: list, strict: bool
) -> tuple[Course | None, list[Diagnostic], Applied]:
    """What a build in ``language`` builds: the translated course (None if it cannot be built,
    or, with ``strict``, if there is any warning), with the English course's diagnostics."""
    applied = translate(course, course_dir, language)
    found = sorted([*diagnostics, *applied.diagnostics], key=Diagnostic.sort_key)
    if strict and any(d.severity is Severity.WARNING for d in found):
        return None, found, applied
    return applied.course, found, applied


def check_translations(course: Course, course_dir: str | Path) -> list[Applied]:
    """Check every language the course has translation files for (what `validate` does)."""
    return [
        translate(course, course_dir, language, list_missing=False)
        for language in catalog.languages(course.root)
    ]


def _errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def _distinct(units: list[Unit]) -> list[Unit]:
    """One unit per (context, English): a block a lesson repeats is translated once."""
    seen: dict[tuple[str, str], Unit] = {}
    for unit in units:
        seen.setdefault((unit.context, unit.source), unit)
    return list(seen.values())


def _problems(unit: Unit, found: Found, language: str) -> list[Diagnostic]:
    """What is wrong with a translation's structure: gaps and images that differ."""
    entry = found.entry
    if entry is None or not entry.translation:
        return []
    text, problems = entry.translation, []
    if unit.cloze:
        problems += _gap_problems(unit.source, text)
    if "![" in unit.source or "![" in text:
        problems += _image_problems(unit.source, text)
    found = [
        Diagnostic(entry.pos, Severity.ERROR, f"{unit.context}: {message}", code, hint)
        for message, code, hint in problems
    ]
    if unit.where[0] == "body" and shape(text) != shape(unit.source):
        found.append(_reshaped(unit, entry, shape(text)))
    return found


def _reshaped(unit: Unit, entry: catalog.Entry, got: str) -> Diagnostic:
    """A lesson block whose translation is another kind of block: a heading lost, say."""
    return Diagnostic(
        entry.pos,
        Severity.WARNING,
        f"{unit.context}: the English is a {shape(unit.source)}, the translation a {got}",
        "translation-markdown",
        "begin the translation as the English begins: '## ' before a heading, '1. ' or '- ' "
        "before each item of a list, '|' before each row of a table",
    )


def _gap_problems(source: str, text: str) -> list[tuple[str, str, str]]:
    parts, problems = parse(text)
    if problems:
        return [(f"in the translation, {p.message}", "translation-cloze", p.hint) for p in problems]
    wanted = sum(isinstance(p, Gap) for p in parse(source)[0])
    got = sum(isinstance(p, Gap) for p in parts)
    if got == wanted:
        return []
    return [
        (
            f"the translation has {_gaps(got)} where the English has {wanted}",
            "translation-gaps",
            "keep one {{gap}} for each gap of the English, with its answers translated",
        )
    ]


def _gaps(n: int) -> str:
    return "1 gap" if n == 1 else f"{n} gaps"


def _image_problems(source: str, text: str) -> list[tuple[str, str, str]]:
    wanted = Counter(ref.src for ref in markup.images(source))
    got = Counter(ref.src for ref in markup.images(text))
    hint = "keep each image of the English as ![translated alt text](same path)"
    lost = [
        (f"the translation leaves out the image '{src}'", "translation-image", hint)
        for src in wanted - got
    ]
    added = [
        (
            f"the translation shows the image '{src}', which the English does not",
            "translation-image",
            hint,
        )
        for src in got - wanted
    ]
    return lost + added


def _missing(unit: Unit, found: Found, language: str, raw: RawCourse) -> Diagnostic:
    if found.entry is not None:
        pos, hint = found.entry.pos, "write its translation as the entry's msgstr"
    else:
        path = catalog.folder(raw.root, language) / f"{unit.file}{catalog.SUFFIX}"
        pos = SourcePos(display_path(raw, path))
        hint = f"run 'coursegen translate extract --lang {language}' to add its entry to this file"
    return Diagnostic(
        pos,
        Severity.WARNING,
        f"{unit.context} has no '{language}' translation, so it stays in English: "
        f"{_quote(unit.source)}",
        "missing-translation",
        hint,
    )


def _stale(unit: Unit, found: Found, language: str) -> Diagnostic:
    """The warning that ``unit``'s translation was made from English that has changed."""
    entry = found.entry
    if entry.made_from == unit.source:  # marked fuzzy by a translator: it needs a review
        message = f"the translation of {unit.context} is marked fuzzy, so the English is used"
        hint = "review the translation, then remove the entry's fuzzy mark"
    else:
        change = _quote(word_diff(entry.made_from, unit.source))
        message = (
            f"the English of {unit.context} changed since it was translated, so the English is "
            f"used; what changed ([-old-] {{+new+}}): {change}"
        )
        hint = (
            "bring the translation up to date with the new English, then remove the entry's "
            f"fuzzy mark; 'coursegen translate extract --lang {language}' marks it in the file"
        )
    return Diagnostic(entry.pos, Severity.WARNING, message, "stale-translation", hint)


def _unused(entry: catalog.Entry, language: str) -> Diagnostic:
    return Diagnostic(
        entry.pos,
        Severity.WARNING,
        f"no text of the course is {_quote(entry.message.id)} ({entry.message.context}) any "
        "more, so this translation is not used",
        "translation-unused",
        f"run 'coursegen translate extract --lang {language}', which keeps it as obsolete",
    )


def _quote(text: str) -> str:
    return "'" + text.replace("\n", "\\n") + "'"

"""Raw course data -> the course model, with every problem found on the way.

First each file is checked against its schema (schemacheck); then the pieces are checked
against each other: ids unique across the course, references that resolve, answer data that
makes sense for its type, and sources that really occur in the module's text.
"""

from __future__ import annotations

import pickle
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from . import glossary, i18n, markup, parallel, reuse, schema
from .assessment import blueprint_total
from .blueprint import check_blueprint, make_rules
from .errors import Diagnostic, Severity, SourcePos, did_you_mean
from .images import image_file, images_in_data, images_in_text
from .loader import UNREAD, RawCourse, RawModule, SourceFile, display_path, read_bank
from .markup import fold
from .model import (
    Course,
    FinalAssessment,
    Flashcard,
    Image,
    KeyTerm,
    Module,
    Objective,
    Question,
)
from .passages import closest_passage
from .questions import QUESTION_TYPES
from .reuse import Memo
from .schemacheck import check, valid_items, valid_part
from .schematypes import SLUG_PATTERN
from .yamlio import position_of

# What a module stub written by `coursegen import` says where its author has to write.
STUB_MARK = "TO DO (coursegen import)"


def validate(
    raw: RawCourse, known: KnownBanks | None = None, alongside: Alongside | None = None
) -> tuple[Course | None, list[Diagnostic]]:
    """Check a loaded course; return the model (None if there are errors) and all diagnostics.

    ``known``: what the loader was told of banks checked before (their data is ``UNREAD``).
    ``alongside``: work on each bank's data that pays only in two processes (ahead.py): given
    it, a course large enough has its banks read and checked in two (check_banks).
    """
    return _Validator(raw, known or KnownBanks(), alongside).run()


class Alongside(Protocol):
    """Work on each bank's data, done where the bank is checked (ahead.Rendering)."""

    def __call__(self, data: Any) -> object:
        """What is made of one bank's data, in either process."""

    def keep(self, made: list) -> None:
        """What the calls made, in this process, once every bank is checked."""


# Bank text, in all, below which a second process costs more than it saves.
_WORTH_A_PROCESS = 256_000


@dataclass
class _CheckedBank:
    """What checking one bank found, in whichever process checked it (check_banks)."""

    questions: list[Question]
    cards: list[Flashcard]
    diagnostics: list[Diagnostic]
    lost_questions: bool
    unreadable_bank: bool
    broken_banks: set[str]
    # The module its questions are of, if the store is to name them by their bank's text and
    # module (reuse.name_by_origin); not the bank's text itself, which this process has.
    named_in: str | None
    made: object = None  # what ``alongside`` made of its data
    # The bank as the store keeps it, pickled, if this process stored it: what is sent back
    # in place of its questions, pickled once for both (5.6 MB at 10,000 questions).
    stored: bytes | None = None
    arrived: bool = False  # sent by the other process: its questions are new objects here

    def __reduce_ex__(self, protocol):
        if self.stored is None:
            return super().__reduce_ex__(protocol)
        rest = (self.diagnostics, self.lost_questions, self.unreadable_bank, self.broken_banks)
        return _unstored, (self.stored, *rest, self.named_in, self.made)


def _unstored(stored: bytes, *rest) -> _CheckedBank:
    """A checked bank sent as the store keeps it (_CheckedBank.__reduce_ex__)."""
    _, questions, cards = pickle.loads(stored)
    return _CheckedBank(questions, cards, *rest, arrived=True)


class KnownBanks:
    """Banks checked clean by an earlier build (serve's, or one in the store), found by their
    text: the loader need not parse them (``load_course(known=...)``)."""

    def __init__(self):
        self.found: dict[str, tuple[Module, list[Question], list[Flashcard]]] = {}

    def __call__(self, source: SourceFile) -> bool:
        key = _bank_key(source)
        found = _CHECKED_BANKS.get(key) if key else None
        if found is not None:
            self.found[source.display] = found
        return found is not None

    def checked(self, source: SourceFile, modules: list[Module]) -> tuple | None:
        """The bank's questions and flashcards, if checked against the module it names as
        that module is now."""
        found = self.found.get(source.display) or _CHECKED_BANKS.get(_bank_key(source))
        if found is None or found[0] not in modules:
            return None
        module, questions, cards = found
        reuse.name_by_origin(questions, (*_bank_key(source), module))
        return questions, cards


def _bank_key(source: SourceFile) -> tuple | None:
    """A bank showing images is checked every time: they are files of their own."""
    return None if source.shows_images else (source.display, source.text)


class _Validator:
    def __init__(self, raw: RawCourse, known: KnownBanks, alongside: Alongside | None = None):
        self.raw = raw
        self.known = known
        self.alongside = alongside
        self.diagnostics: list[Diagnostic] = list(raw.diagnostics)
        self.module_texts: dict[str, str] = {}  # what a question's source is looked up in
        self.lessons: dict[str, RawModule] = {}  # to show the passage nearest a quotation
        self.broken_banks: set[str] = set()  # module ids whose bank has errors
        self.stored: bytes | None = None  # the last bank checked, as the store keeps it
        self.unreadable_bank = False  # a bank so broken that its module is unknown
        self.lost_questions = False  # a bank's questions were not read: a count would mislead
        self.broken_modules = any(m.front is None for m in raw.modules)
        self.course_images: tuple[Image, ...] = ()  # those the manifest's text shows
        self.logo: Image | None = None
        self.bank_lines: dict[str, list[str]] = {}  # split only to point inside a value
        self.definition_pos: dict[SourcePos, SourcePos] = {}  # key term -> its definition's
        self.topic_pos: dict[tuple[str, int], SourcePos] = {}  # (module path, index) -> topic's

    def report(
        self,
        pos: SourcePos | None,
        message: str,
        code: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.diagnostics.append(Diagnostic(pos or SourcePos(""), severity, message, code, hint))

    def run(self) -> tuple[Course | None, list[Diagnostic]]:
        manifest = self.check_manifest()
        all_modules = [m for m in map(self.check_module, self.raw.modules) if m]
        modules = self.order_modules(manifest, all_modules)
        self.check_terms(modules)
        self.check_topics(modules)
        questions, flashcards = [], []
        for bank_questions, bank_cards in self.check_banks(all_modules):
            questions += bank_questions
            flashcards += bank_cards
        self.check_unique_ids(questions, flashcards)  # a retired id stays taken: it names a note
        retired = [q for q in questions if q.retired]
        questions = [q for q in questions if not q.retired]
        self.check_coverage(all_modules, questions)
        self.check_final_count(manifest, questions)
        self.check_blueprint(manifest, modules, questions)
        self.diagnostics.sort(key=Diagnostic.sort_key)
        if manifest is None or any(d.severity is Severity.ERROR for d in self.diagnostics):
            return None, self.diagnostics
        course = self.make_course(manifest, modules, questions, flashcards)
        return replace(course, retired=tuple(retired)), self.diagnostics

    # --- the manifest and modules -------------------------------------------------------

    def check_manifest(self) -> schema.ManifestIn | None:
        if self.raw.manifest_file is None:
            return None
        where = SourcePos(self.raw.manifest_file.display, 1, 1)
        if self.raw.manifest is None and not self.diagnostics:
            self.report(
                where,
                "the course manifest is empty",
                "empty",
                "write the course's id, title and module list; see README.md",
            )
        if self.raw.manifest is None:
            return None
        manifest, problems = check(schema.ManifestIn, self.raw.manifest, where)
        self.diagnostics += problems
        if manifest is not None:
            folder = self.raw.manifest_file.path.parent
            self.course_images = tuple(
                images_in_data(self.raw.manifest, folder, self.raw.root, self.report)
            )
            if manifest.logo is not None:
                self.check_logo(manifest, folder)
        self.check_language(manifest)
        if manifest is not None:
            self.check_credits(manifest, where)
        return manifest

    def check_credits(self, manifest: schema.ManifestIn, where: SourcePos) -> None:
        """Who made the course and on what terms: gaps a publisher should fill, not errors."""
        if not manifest.authors and not manifest.publisher:
            self.report(
                where,
                "the course names neither its authors nor its publisher",
                "no-authors",
                "add 'authors: [...]' or 'publisher: ...', so learners know who wrote it",
                Severity.WARNING,
            )
        if manifest.license is None:
            self.report(
                where,
                "the course states no licence, so no one can tell whether they may reuse it",
                "no-license",
                "add 'license: ...', such as 'CC BY 4.0' or 'All rights reserved'",
                Severity.WARNING,
            )

    def check_logo(self, manifest: schema.ManifestIn, folder: Path) -> None:
        pos = position_of(self.raw.manifest, ("logo",))
        self.logo = image_file(str(manifest.logo), folder, self.raw.root, pos, self.report)
        if manifest.publisher is None:  # shown beside the publisher's name, it says nothing alone
            self.report(
                pos,
                "a logo needs the publisher it belongs to",
                "logo-without-publisher",
                "add 'publisher: <name>' to the manifest",
            )

    def check_language(self, manifest: schema.ManifestIn | None) -> None:
        data = self.raw.manifest
        if manifest is not None:
            language = manifest.language  # "5" too: the schema makes numbers text
        else:  # checked even when the rest of the manifest is broken
            language = data.get("language") if isinstance(data, dict) else None
        if not isinstance(language, str) or not language.strip():
            return  # the schema reports a language that is empty or not text
        language = language.strip()
        if i18n.is_language_tag(language):
            return
        suggestion = i18n.tag_for(language)
        self.report(
            position_of(data, ("language",)),
            f"'{language}' is not a BCP 47 language tag"
            + (f"; did you mean '{suggestion}'?" if suggestion else ""),
            "bad-language",
            "use a BCP 47 tag such as 'en', 'ar' or 'en-US'",
        )

    def check_module(self, raw_module: RawModule) -> Module | None:
        if raw_module.front is None:
            return None
        where = SourcePos(raw_module.file.display, 1, 1)
        front, problems = check(schema.FrontMatterIn, raw_module.front, where)
        self.diagnostics += problems
        if front is None:  # what can still be read is checked, and its bank against it
            front = valid_part(schema.FrontMatterIn, raw_module.front)
            if front is None:
                self.broken_modules = True
                return None
        data = raw_module.front
        self.check_unique(
            [
                (o.id, position_of(data, ("objectives", i, "id")))
                for i, o in enumerate(front.objectives)
            ],
            "objective id",
            "duplicate-objective",
        )
        module = Module(
            id=front.id,
            number=0,
            title=front.title,
            objectives=tuple(
                Objective(o.id, o.text, position_of(data, ("objectives", i)))
                for i, o in enumerate(front.objectives)
            ),
            key_terms=tuple(
                KeyTerm(k.term, k.definition, position_of(data, ("key_terms", i)))
                for i, k in enumerate(front.key_terms)
            ),
            related_topics=tuple(front.related_topics),
            summary=front.summary or "",
            body=raw_module.body,
            images=self.check_images(raw_module),
            path=raw_module.file.path,
            pos=position_of(data, ("id",)) or where,
        )
        self.note_positions(module, data)
        if not raw_module.body.strip():
            self.report(
                where,
                "the module has no lesson text",
                "empty-lesson",
                "write the lesson in Markdown after the closing '---'",
            )
        if front.summary is None:
            self.report(
                where,
                "the module has no summary, so its page ends without one",
                "no-summary",
                "add 'summary: ...', a few sentences that sum the lesson up for review",
                Severity.WARNING,
            )
        self.check_stub(raw_module)
        self.lessons[module.id] = raw_module
        self.module_texts[module.id] = fold(
            " ".join(
                [
                    markup.to_plain_text(module.body),
                    markup.to_plain_text(module.summary),
                    *(f"{k.term} {k.definition}" for k in module.key_terms),
                ]
            )
        )
        return module

    def check_stub(self, raw_module: RawModule) -> None:
        """A module that `coursegen import` wrote keeps its marks until the author writes it."""
        at = raw_module.file.text.find(STUB_MARK)
        if at >= 0:
            line = raw_module.file.text.count("\n", 0, at) + 1
            self.report(
                SourcePos(raw_module.file.display, line, 1),
                "this module is a stub written by coursegen import: its objective, summary "
                "or lesson is still to be written",
                "import-stub",
                f"replace each '{STUB_MARK}' with the module's own text",
                Severity.WARNING,
            )

    def note_positions(self, module: Module, data: Any) -> None:
        """Where each definition and related topic is written, for checks across modules."""
        for i, term in enumerate(module.key_terms):
            where = position_of(data, ("key_terms", i, "definition"))
            self.definition_pos[term.pos] = where or term.pos
        for i in range(len(module.related_topics)):
            self.topic_pos[str(module.path), i] = position_of(data, ("related_topics", i))

    def check_terms(self, modules: list[Module]) -> None:
        """Warn of a term that two key terms define differently: the glossary needs one."""
        for first, first_use, other, use in glossary.conflicts(modules):
            first_at = self.definition_pos[first.pos]
            elsewhere = first_use.module is not use.module
            self.report(
                self.definition_pos[other.pos],
                f"key term '{other.term}' is defined differently "
                + (f"in module '{first_use.module.id}'" if elsewhere else "earlier in this module"),
                "different-definition",
                f"first defined at {first_at.path}:{first_at.line}; give the term the same "
                "definition in both places, or define it once",
                Severity.WARNING,
            )

    def check_topics(self, modules: list[Module]) -> None:
        """Warn of a related topic that names nothing in the course: it would lead nowhere."""
        entries = glossary.glossary(modules)
        for module in modules:
            for i, topic in enumerate(module.related_topics):
                if glossary.topic_target(topic, modules, entries) is None:
                    self.report(
                        self.topic_pos[str(module.path), i],
                        f"related topic '{topic}' is neither a module id nor a key term",
                        "unknown-topic",
                        "name a module's id or a key term of any module, which the page "
                        "links to; or remove it",
                        Severity.WARNING,
                    )

    def check_images(self, raw_module: RawModule) -> tuple[Image, ...]:
        """The images of the lesson and of every text of the front matter."""
        file, root = raw_module.file, self.raw.root
        start = SourcePos(file.display, raw_module.body_line, 1)
        body = images_in_text(
            raw_module.body, file.path.parent, start, root, self.report, lines=True
        )
        return (*body, *images_in_data(raw_module.front, file.path.parent, root, self.report))

    def order_modules(
        self, manifest: schema.ManifestIn | None, modules: list[Module]
    ) -> list[Module]:
        self.check_unique([(m.id, m.pos) for m in modules], "module id", "duplicate-id")
        if manifest is None:
            return modules
        by_id = {m.id: m for m in modules}
        data = self.raw.manifest
        for i, module_id in enumerate(manifest.modules):
            if module_id not in by_id and not self.broken_modules:
                suggestion = did_you_mean(module_id, by_id)
                self.report(
                    position_of(data, ("modules", i)),
                    f"no module has the id '{module_id}'"
                    + (f"; {suggestion}" if suggestion else ""),
                    "unknown-module",
                    "each entry must be the id in a module file's front matter",
                )
        listed = set(manifest.modules)
        for module in modules:
            if module.id not in listed:
                self.report(
                    module.pos,
                    f"module '{module.id}' is not listed in the course manifest",
                    "unlisted-module",
                    f"add '{module.id}' to 'modules:' in {self.raw.manifest_file.display}",
                )
        self.check_unique(
            [(m, position_of(data, ("modules", i))) for i, m in enumerate(manifest.modules)],
            "module",
            "duplicate-id",
        )
        ordered = [by_id[m] for m in dict.fromkeys(manifest.modules) if m in by_id]
        return [_renumber(m, n) for n, m in enumerate(ordered, start=1)]

    # --- question banks --------------------------------------------------------------

    def check_banks(self, modules: list[Module]) -> list[tuple[list, list]]:
        """Each bank's questions and flashcards. With ``alongside``, and more bank text than
        is worth a process, the banks are read, checked and given to ``alongside`` in two
        processes, the first ones here and the rest beside, halved by size
        (parallel.split_map): at 10,000 questions, 0.5 s of parsing and checking and 0.3 s
        of Markdown."""
        banks = self.raw.banks
        size = sum(len(source.text) for source, _ in banks)
        if self.alongside is None or size < _WORTH_A_PROCESS or not parallel.available():
            return [self.check_bank(source, data, modules) for source, data in banks]
        checked = parallel.split_map(
            lambda bank: self.checked_bank(*bank, modules), banks, lambda b: len(b[0].text) + 1
        )
        by_id = {m.id: m for m in modules}
        for (source, _), bank in zip(banks, checked, strict=True):
            self.diagnostics += bank.diagnostics
            self.lost_questions |= bank.lost_questions
            self.unreadable_bank |= bank.unreadable_bank
            self.broken_banks |= bank.broken_banks
            if bank.named_in and bank.arrived:  # not the questions the other process named
                reuse.name_by_origin(bank.questions, (*_bank_key(source), by_id[bank.named_in]))
        self.alongside.keep([bank.made for bank in checked if bank.made is not None])
        return [(bank.questions, bank.cards) for bank in checked]

    def checked_bank(self, source: SourceFile, data: Any, modules: list[Module]) -> _CheckedBank:
        """One bank checked, and all it changed of this validator, to be merged (check_banks)."""
        kept = self.diagnostics, self.lost_questions, self.unreadable_bank, self.broken_banks
        # What the loader found in this bank is known, as it would be in one process.
        self.diagnostics = [d for d in kept[0] if d.pos.path == source.display]
        self.lost_questions, self.unreadable_bank, self.broken_banks = False, False, set()
        before = len(self.diagnostics)
        try:
            key = _bank_key(source)
            if data is UNREAD and not (key and self.known.checked(source, modules)):
                data = self.read_unread(source)  # here, so that ``alongside`` has it too
            self.stored = None
            questions, cards = self.check_bank(source, data, modules)
            found = self.diagnostics[before:]
            named_in = questions[0].module_id if key and questions and not found else None
            made = self.alongside(data) if data is not UNREAD and data is not None else None
            return _CheckedBank(
                questions,
                cards,
                found,
                self.lost_questions,
                self.unreadable_bank,
                self.broken_banks,
                named_in,
                made,
                self.stored,
            )
        finally:
            self.diagnostics, self.lost_questions, self.unreadable_bank, self.broken_banks = kept

    def read_unread(self, source: SourceFile) -> Any:
        """The data of a bank the loader left unread; its problems reported."""
        before = len(self.raw.diagnostics)
        data = read_bank(self.raw, source)
        self.diagnostics += self.raw.diagnostics[before:]
        return data

    def check_bank(
        self, source: SourceFile, data: Any, modules: list[Module]
    ) -> tuple[list[Question], list[Flashcard]]:
        """Check one bank, or reuse the result for the same text and module."""
        key = _bank_key(source)
        found = self.known.checked(source, modules) if key else None
        if found is not None:
            return found
        if data is UNREAD:  # known to an earlier build, but its module has changed since
            data = self.read_unread(source)
        module_id = data.get("module") if isinstance(data, dict) else None
        module = next((m for m in modules if m.id == module_id), None)
        before = len(self.diagnostics)
        images_in = source.path.parent if source.shows_images else None
        questions, cards = self._check_bank(source.display, images_in, data, modules)
        if key and module and len(self.diagnostics) == before:
            self.stored = _CHECKED_BANKS.put(key, (module, questions, cards))
            reuse.name_by_origin(questions, (*key, module))  # the formats' keys hold them
        return questions, cards

    def _check_bank(
        self, display: str, folder: Path | None, data: Any, modules: list[Module]
    ) -> tuple[list[Question], list[Flashcard]]:
        """The bank's questions and flashcards; ``folder``: where its images are, if any."""
        if data is None:
            self.unreadable_bank = self.lost_questions = True
            if not any(d.pos.path == display for d in self.diagnostics):
                self.report(
                    SourcePos(display, 1, 1),
                    "the question bank is empty",
                    "empty",
                    "write 'module: <id>' and a list of 'questions:'",
                )
            return [], []
        bank, problems = check(schema.BankIn, data, SourcePos(display, 1, 1))
        self.diagnostics += problems
        if not isinstance(data, dict):
            self.unreadable_bank = self.lost_questions = True
            return [], []
        if bank is None:  # what passes its own schema is still checked, against the rest too
            self.lost_questions = True
            if isinstance(data.get("module"), str):
                self.broken_banks.add(data["module"])
            module_id = data.get("module")
            questions = valid_items(schema.QuestionIn, data.get("questions"))
            cards = valid_items(schema.FlashcardIn, data.get("flashcards"))
        else:
            module_id = bank.module
            questions, cards = enumerate(bank.questions), enumerate(bank.flashcards)
        module = self.module_of_bank(data, module_id, modules, bank is not None)
        if module is None:
            return [], []
        return [
            self.check_question(q, data["questions"][i], module, folder) for i, q in questions
        ], [self.make_flashcard(c, data["flashcards"][i], module, folder) for i, c in cards]

    def module_of_bank(
        self, data: dict, module_id: Any, modules: list[Module], valid: bool
    ) -> Module | None:
        """The module a bank names; reported when it names none (and says so clearly)."""
        module = next((m for m in modules if m.id == module_id), None)
        if module is None:
            self.lost_questions = True
            # A module field that is not an id at all has had its own error.
            if not self.broken_modules and (valid or _is_slug(module_id)):
                suggestion = did_you_mean(module_id, [m.id for m in modules])
                self.report(
                    position_of(data, ("module",)),
                    f"no module has the id "
                    f"'{module_id}'" + (f"; {suggestion}" if suggestion else ""),
                    "unknown-module",
                    "name the id of a module in modules/",
                )
        return module

    def make_flashcard(self, c: Any, data: Any, module: Module, folder: Path | None) -> Flashcard:
        card = Flashcard(c.id, module.id, c.front, c.back, tuple(c.tags), data.pos)
        return self.with_images(card, data, folder) if folder is not None else card

    def with_images(
        self, item: Question | Flashcard, data: Any, folder: Path
    ) -> Question | Flashcard:
        """``item`` with the images that any of its texts shows (``data``: its YAML)."""
        images = images_in_data(data, folder, self.raw.root, self.report)
        return replace(item, images=tuple(images)) if images else item

    def check_question(self, q: Any, data: Any, module: Module, folder: Path | None) -> Question:
        """The question ``q`` (its YAML: ``data``); ``folder``: where its images are, if any."""
        question_type = QUESTION_TYPES[q.type]
        question = question_type.make(q, module.id, data.pos)
        for i, objective in enumerate(q.objectives):
            if module.objective(objective) is None:
                suggestion = did_you_mean(objective, [o.id for o in module.objectives])
                self.report(
                    position_of(data, ("objectives", i)),
                    f"module '{module.id}' has no "
                    f"objective '{objective}'" + (f"; {suggestion}" if suggestion else ""),
                    "unknown-objective",
                    f"use one of: {', '.join(o.id for o in module.objectives)}",
                )
        self.check_source(q.source, data, module)
        if STUB_MARK in q.explanation:
            self.report(
                position_of(data, ("explanation",)),
                f"question '{q.id}' came from coursegen import with no explanation",
                "import-stub",
                f"replace '{STUB_MARK}' with why the right answer is right",
                Severity.WARNING,
            )
        for problem in question_type.problems(question):
            pos = position_of(data, problem.loc)
            if problem.offset is not None:
                pos = self.inside(pos, _value_at(data, problem.loc), problem.offset)
            self.report(pos, problem.message, problem.code, problem.hint)
        return self.with_images(question, data, folder) if folder is not None else question

    def check_source(self, source: str, data: Any, module: Module) -> None:
        """The quotation is in the lesson, matched on the words a reader sees on both sides."""
        if markup.quotable(source) in self.module_texts.get(module.id, ""):
            return
        hint = "copy a passage of the lesson word for word (case, spacing and Markdown may differ)"
        lesson = self.lessons.get(module.id)
        near = lesson and closest_passage(lesson.body, lesson.body_line, source)
        if near:
            line, text = near
            hint = f'the closest passage is at {lesson.file.display}:{line}: "{text}"; ' + hint
        self.report(
            position_of(data, ("source",)),
            f"source quotation not found in module '{module.id}'",
            "source-not-found",
            hint,
        )

    def inside(self, pos: SourcePos, raw: str, offset: int) -> SourcePos:
        """The position of character ``offset`` of the stripped text ``raw``, at ``pos``.

        Exact when ``raw`` stands on one line as it is, plain or quoted; a folded, escaped or
        multi-line value (or a CSV cell) is pointed at where it starts.
        """
        offset += len(raw) - len(raw.lstrip())
        line, start = self.bank_line(pos), pos.col - 1
        for opening in ("", "'", '"'):
            written = start + len(opening)
            if line[start:written] == opening and line[written : written + len(raw)] == raw:
                return replace(pos, col=written + offset + 1)
        return pos

    def bank_line(self, pos: SourcePos) -> str:
        if pos.path not in self.bank_lines:
            text = next((s.text for s, _ in self.raw.banks if s.display == pos.path), "")
            self.bank_lines[pos.path] = text.split("\n")
        lines = self.bank_lines[pos.path]
        return lines[pos.line - 1] if 0 < pos.line <= len(lines) else ""

    # --- the course as a whole -------------------------------------------------------

    def check_unique(self, items: list[tuple[str, SourcePos]], what: str, code: str) -> None:
        first: dict[str, SourcePos] = {}
        for item_id, pos in items:
            if item_id in first:
                # Files are read in name order, which says nothing of which copy came first.
                other = first[item_id]
                where = "first at" if other.path == pos.path else "also at"
                self.report(
                    pos,
                    f"{what} '{item_id}' is used twice ({where} {other})",
                    code,
                    "give each one its own id",
                )
            else:
                first[item_id] = pos

    def check_unique_ids(self, questions: list[Question], flashcards: list[Flashcard]) -> None:
        self.check_unique(
            [(q.id, q.pos) for q in questions] + [(c.id, c.pos) for c in flashcards],
            "id",
            "duplicate-id",
        )

    def check_coverage(self, modules: list[Module], questions: list[Question]) -> None:
        if self.unreadable_bank:
            return
        assessed = Counter((q.module_id, o) for q in questions for o in q.objectives)
        # A bank that did not load would give a false warning for every objective it assesses.
        for module in (m for m in modules if m.id not in self.broken_banks):
            for objective in module.objectives:
                if not assessed[module.id, objective.id]:
                    self.report(
                        objective.pos,
                        f"objective '{objective.id}' is not assessed by any question",
                        "unassessed-objective",
                        "add a question that lists it under 'objectives:'",
                        Severity.WARNING,
                    )

    def check_final_count(self, manifest: schema.ManifestIn | None, questions: list) -> None:
        # Every format draws from all questions: more than that is a shorter final than promised.
        if manifest is None or self.lost_questions or self.broken_modules:
            return
        if manifest.final_assessment.blueprint:
            return  # each rule's count is checked against its own set (check_blueprint)
        wanted, held = manifest.final_assessment.questions, len(questions)
        if "questions" not in manifest.final_assessment.model_fields_set or wanted <= held:
            return
        self.report(
            position_of(self.raw.manifest, ("final_assessment", "questions")),
            f"the final assessment draws {wanted} questions, but the question banks hold "
            + (f"only {held}" if held else "none"),
            "final-count",
            f"lower 'questions' to at most {held}, or add questions to the banks"
            if held
            else "add questions to the banks",
        )

    def check_blueprint(
        self, manifest: schema.ManifestIn | None, modules: list[Module], questions: list
    ) -> None:
        """The blueprint's total is the final's count, and the banks can meet every rule."""
        if manifest is None or not manifest.final_assessment.blueprint:
            return
        final, data = manifest.final_assessment, self.raw.manifest
        rules = make_rules(final, data)
        total = blueprint_total(rules, modules)
        if "questions" in final.model_fields_set and final.questions != total:
            self.report(
                position_of(data, ("final_assessment", "questions")),
                f"the final assessment draws {final.questions} questions, but its blueprint "
                f"draws {total}",
                "blueprint-total",
                f"remove 'questions' (the blueprint's total is the count), or make it {total}",
            )
        if not (self.lost_questions or self.broken_modules):
            check_blueprint(rules, data, modules, questions, self.report)

    def make_course(
        self,
        manifest: schema.ManifestIn,
        modules: list[Module],
        questions: list[Question],
        flashcards: list[Flashcard],
    ) -> Course:
        fields = manifest.final_assessment.model_dump(exclude={"blueprint"})
        final = FinalAssessment(**fields)
        if manifest.final_assessment.blueprint:
            rules = make_rules(manifest.final_assessment, self.raw.manifest)
            total = blueprint_total(rules, modules)
            final = replace(final, questions=total, blueprint=rules)
        elif "questions" not in manifest.final_assessment.model_fields_set:
            # The default count is a wish, not a promise: a smaller course draws all it has.
            final = replace(final, questions=min(final.questions, len(questions)))
        return Course(
            id=manifest.id,
            title=manifest.title,
            version=manifest.version,
            language=manifest.language,
            description=manifest.description,
            objectives=tuple(manifest.objectives),
            authors=tuple(manifest.authors),
            license=manifest.license,
            final_assessment=final,
            modules=tuple(modules),
            questions=tuple(questions),
            flashcards=tuple(flashcards),
            root=self.raw.root,
            images=self.course_images,
            publisher=manifest.publisher,
            logo=self.logo,
            contact=manifest.contact,
            edition=manifest.edition,
            pos=SourcePos(display_path(self.raw, self.raw.root / "modules" / "course.yaml"), 1, 1),
        )


# Clean banks already checked, by path and text, with the module they were checked against,
# so that a rebuild (in `coursegen serve`, or a build with its store) re-checks only the
# banks that changed, or whose module did.
_CHECKED_BANKS = Memo("checked-banks", 256)


def _renumber(module: Module, number: int) -> Module:
    return replace(module, number=number)


def _value_at(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


def _is_slug(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(SLUG_PATTERN, value) is not None

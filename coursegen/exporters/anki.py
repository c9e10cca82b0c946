"""Anki: one .apkg per course, one subdeck per module, one note per question and flashcard.

Notes keep their identity across edits (GUIDs from the course id and the authored id) and
update in place on re-import (modification times from the lock file, see anki_lock.py).
The package is written deterministically: fixed zip entry metadata, deflate, sorted media.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any

from .. import ahead, markup, parallel
from ..archive import write_zip
from ..i18n import Strings, direction, strings_for
from ..ids import content_hash, fixed_shuffle
from ..media import MediaFile
from ..model import (
    Cloze,
    Course,
    Flashcard,
    Matching,
    Module,
    MultipleResponse,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ..questions.numeric import figure
from ..reuse import Memo
from . import BuildContext, Shortfall
from .anki_changelog import record_changes, title_of
from .anki_db import DeckRows, NoteRow, write_collection
from .anki_ids import anki_id, note_guid
from .anki_lock import LOCK_FILE, AnkiLock, encode_note
from .anki_notetypes import (
    ARRANGE,
    CHOICE,
    CLOZE,
    FLASHCARD,
    NOTE_TYPES,
    TYPE_IN,
    CardLanguage,
    NoteType,
    make_model,
    stylesheet,
    template_hash_parts,
)
from .anki_retired import retired_decks
from .labels import letter

# The lock file, kept in question_banks/ by the pipeline from build to build.
STATE_FILE = LOCK_FILE
PROMPTS = {ahead.BLOCK}  # a card's prompt is shown whole, as one block of HTML


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``anki/<course-id>.apkg`` under ``out_dir``."""
    lock = AnkiLock.read(context.state)
    writer = _DeckWriter(course, lock, context.timestamp, context.media)
    decks, media = writer.package()
    path = out_dir / "anki" / f"{course.id}.apkg"
    path.parent.mkdir(parents=True)
    ids = write_apkg(decks, path, context.timestamp, media, context.in_background)
    lock.record_ids({writer.keys[guid]: note_id for guid, note_id in ids.items()})
    changelog = record_changes(lock, course, out_dir, context)
    context.new_state = lock.dumps()
    return [path, changelog]


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """Each question of a type the Anki export has no note for: the decks leave it out."""
    for q in course.questions:
        if q.kind not in _KINDS:
            yield Shortfall.of_question(
                q,
                f"the Anki export does not write {q.kind} questions",
                "rewrite it as another type, or as a flashcard, for Anki",
                left_out=True,
            )


class _DeckWriter:
    def __init__(self, course: Course, lock: AnkiLock, now: int, files: dict[Path, MediaFile]):
        self.course = course
        self.lock = lock
        self.now = now
        self.files = files  # every image file the course shows, by its path
        self.media: dict[str, bytes] = {}  # this package's media: file name -> content
        self.keys: dict[str, str] = {}  # the lock's key of each note made, by its GUID
        self.t: Strings = strings_for(course.language)
        language = CardLanguage(self.t, course.language, direction(course.language) == "rtl")
        css = stylesheet(language.rtl)
        self.models = {
            t.key: make_model(
                t,
                course.id,
                css,
                language,
                self.mod(f"note-type:{t.key}", *template_hash_parts(t, css, language)),
            )
            for t in NOTE_TYPES
        }

    def mod(self, key: str, *content: str) -> int:
        return self.lock.mod_time(key, content_hash(*content), self.now)

    def package(self) -> tuple[list[DeckRows], dict[str, bytes]]:
        """The course's deck, a subdeck per module with its notes, and their media."""
        title = _deck_name(self.course.title)
        decks = [DeckRows(anki_id("coursegen-deck", self.course.id), title)]
        modules = self.course.modules
        contents = {module.id: _MODULE_NOTES.get(self.contents_key(module)) for module in modules}
        # Rendering fields is most of the work: two processes render half the modules each,
        # of those whose notes an earlier build did not leave in the store.
        fresh = [module for module in modules if contents[module.id] is None]
        made = parallel.split_map(self.module_contents, fresh, weight=self.size)
        contents |= {module.id: notes for module, notes in zip(fresh, made, strict=True)}
        for module in modules:
            deck = DeckRows(
                anki_id("coursegen-deck", self.course.id, module.id),
                f"{title}::{module.number:02d} {_deck_name(module.title)}",
            )
            items, notes = self.items_of(module), contents[module.id]
            deck.notes = [self.note(item, note) for item, note in zip(items, notes, strict=True)]
            self.media.update(self.module_media(module))
            decks.append(deck)
        decks += retired_decks(self, title)
        return decks, self.media

    def size(self, module: Module) -> int:
        return len(self.items_of(module))

    def items_of(self, module: Module) -> tuple[Question | Flashcard, ...]:
        return (*self.course.questions_of(module.id), *self.course.flashcards_of(module.id))

    def module_media(self, module: Module) -> dict[str, bytes]:
        """The media a module's notes show, by name in the package."""
        return {
            self.anki_name(image.path): self.files[image.path].data
            for item in self.items_of(module)
            for image in item.images
        }

    def contents_key(self, module: Module) -> tuple:
        """What a module's notes are made of, for reuse while none of it changes."""
        # An image's name changes with its content, which the items themselves do not show.
        media = self.module_media(module)
        return (self.course.id, self.course.language, module, self.items_of(module), *media)

    def module_contents(self, module: Module) -> list[tuple]:
        """The content of each of a module's notes, rendered, and kept for the next build."""
        contents = [self.note_content(item, module) for item in self.items_of(module)]
        # Kept without the lock's text of each note, half of their bytes: a later build needs
        # it only for a note that the lock does not hold as it is, and makes it again then.
        stored = [(*content[:5], None, content[6]) for content in contents]
        _MODULE_NOTES.put(self.contents_key(module), stored)
        return contents

    def note(self, item: Question | Flashcard, content: tuple) -> NoteRow:
        note_type, values, tags, digest, guid, kept, title = content
        key = f"note:{item.id}"
        if kept is None and not self.lock.unchanged(key, digest):  # as the store keeps it
            kept = encode_note(values, tags)
        mod = self.lock.note_time(key, digest, self.now, note_type.key, kept, title)
        self.keys[guid] = key
        return NoteRow(self.models[note_type.key], values, tags, guid, mod, self.lock.note_id(key))

    def note_content(self, item: Question | Flashcard, module: Module) -> tuple:
        """Note type, field values, tags, their hash, the note's GUID, and what the lock
        keeps of it and the changelog calls it (made here, where the work is shared out)."""
        self.images = {image.src: self.anki_name(image.path) for image in item.images}
        note_type, fields = self.fields(item, module)
        fields["Id"] = item.id
        values = [fields[name] for name in note_type.fields]
        tags = self.tags(item, module)
        digest = content_hash(note_type.key, *values, *tags)
        guid = note_guid(self.course.id, item.id)
        kept, title = encode_note(values, tags), title_of(values, note_type)
        return (note_type, values, tags, digest, guid, kept, title)

    def fields(self, item: Question | Flashcard, module: Module) -> tuple[NoteType, dict]:
        label = self.module_label(module.number, module.title)
        if isinstance(item, Flashcard):
            return FLASHCARD, {
                "Front": self.html(item.front),
                "Back": self.html(item.back),
                "Module": label,
            }
        common = {
            "Explanation": self.html(item.explanation),
            "Source": escape(item.source),
            "Module": label,
        }
        note_type, instruction, kind_fields = _KINDS[item.kind]
        if instruction:  # the card shows the prompt under an instruction for its kind
            common |= {"Prompt": self.html(item.prompt), "Kind": self.text(instruction)}
        return note_type, {**common, **kind_fields(self, item)}

    # A writer lives for one export, and every note asks for the same few labels: each is
    # made once, by its number and title (a Module's own hash walks all its fields).
    @functools.cache  # noqa: B019
    def module_label(self, number: int, title: str) -> str:
        return self.t("module_title", n=number, title=escape(title))

    @functools.cache  # noqa: B019
    def text(self, key: str) -> str:
        """A catalogue entry, escaped for a field."""
        return escape(self.t[key])

    @functools.cache  # noqa: B019
    def counted(self, key: str, n: int) -> str:
        """A counted catalogue entry, escaped for a field."""
        return escape(self.t.count(key, n))

    # --- rendering of each kind --------------------------------------------------------

    def html(self, text: str, inline: bool = False) -> str:
        return markup.to_html(text, inline=inline, image_src=self.images.__getitem__)

    def anki_name(self, path: Path) -> str:
        """Anki flattens media names, so give each file a name no other course's file has."""
        return f"{self.course.id}-{self.files[path].name}"

    def choice_fields(self, q: SingleChoice | MultipleResponse) -> dict:
        options = [(o.text, o.correct, o.feedback) for o in q.options]
        if not q.shuffle:  # the author's order carries meaning: every review keeps it
            return self.options_fields(options, card=None)
        # Scripts off, the card shows this order, fixed at build time so the key is not always
        # first; with scripts on it is the order the lists start from (see shuffle.js).
        return self.options_fields(self.shuffled(q, options), card=f"{self.course.id}:{q.id}")

    def true_false_fields(self, q: TrueFalse) -> dict:
        options = [(self.t["true"], q.answer, None), (self.t["false"], not q.answer, None)]
        return self.options_fields(options, card=None)

    def options_fields(self, options: list[tuple[str, bool, str | None]], card: str | None) -> dict:
        """The options on the front; the back names the correct ones by their text, not by a
        letter, which would change with the order each review shows (``card`` set)."""
        shuffle = f' data-cg-shuffle="{escape(card)}"' if card else ""

        def items(rows: list[tuple[int, str]]) -> str:
            attr = ' data-cg-option="{}"' if card else ""
            return "".join(f"<li{attr.format(i)}>{html}</li>" for i, html in rows)

        texts = [self.html(text, inline=True) for text, _, _ in options]
        right = [(i, texts[i]) for i, (_, correct, _) in enumerate(options) if correct]
        label = self.counted("anki_correct_answers", len(right))
        if len(right) == 1:
            answer = (
                f'<p class="cg-key"><span class="cg-answer-label">{label}</span> {right[0][1]}</p>'
            )
        else:
            answer = f'<span class="cg-answer-label">{label}</span><ul{shuffle}>{items(right)}</ul>'
        notes = [
            (i, self.verdict(texts[i], correct) + " " + self.html(fb, inline=True))
            for i, (_, correct, fb) in enumerate(options)
            if fb
        ]
        if notes:
            answer += (
                self.label("anki_about_options")
                + f'<ul class="cg-about"{shuffle}>{items(notes)}</ul>'
            )
        choices = f'<ol class="cg-options"{shuffle}>{items(list(enumerate(texts)))}</ol>'
        return {"Choices": choices, "Answer": answer}

    def verdict(self, option: str, correct: bool) -> str:
        """An option named by its text and marked correct or not in words, not colour alone."""
        mark, word = ("\u2713", "correct") if correct else ("\u2717", "incorrect")
        kind = "cg-right" if correct else "cg-wrong"
        return (
            f'<strong>{option}</strong> <span class="cg-verdict {kind}">'
            f'<span aria-hidden="true">{mark}</span> {self.text(word)}</span>'
        )

    def ordering_fields(self, q: Ordering) -> dict:
        shown = self.shuffled(q, list(q.items), avoid=list(q.items))
        choices = "".join(f"<li>{self.html(t, inline=True)}</li>" for t in shown)
        answer = "".join(
            f"<li><strong>{letter(shown.index(t))}.</strong> {self.html(t, inline=True)}</li>"
            for t in q.items
        )
        return {
            "Choices": f'<ol class="cg-options">{choices}</ol>',
            "Answer": self.label("anki_correct_order") + f"<ol>{answer}</ol>",
        }

    def matching_fields(self, q: Matching) -> dict:
        rights = self.shuffled(q, [p.right for p in q.pairs], avoid=[p.right for p in q.pairs])
        lefts = "".join(f"<li>{self.html(p.left, inline=True)}</li>" for p in q.pairs)
        letters = "".join(f"<li>{self.html(r, inline=True)}</li>" for r in rights)
        rows = "".join(
            f"<tr><td>{n}. {self.html(p.left, inline=True)}</td><td><strong>"
            f"{letter(rights.index(p.right))}.</strong> "
            f"{self.html(p.right, inline=True)}</td></tr>"
            for n, p in enumerate(q.pairs, start=1)
        )
        return {
            "Choices": f'<div class="cg-columns"><ol>{lefts}</ol>'
            f'<ol class="cg-options">{letters}</ol></div>',
            "Answer": self.label("anki_matches") + f'<table class="cg-pairs">{rows}</table>',
        }

    def label(self, key: str) -> str:
        return f'<span class="cg-answer-label">{self.text(key)}</span>'

    def cloze_fields(self, q: Cloze) -> dict:
        html = self.html(q.marked(markup.GAP_MARK))  # then Anki's own cloze syntax
        for n, gap in enumerate(q.gaps, start=1):
            html = html.replace(
                markup.GAP_MARK.format(n), f"{{{{c{n}::{escape(gap.answers[0])}}}}}"
            )
        return {"Text": html}

    def type_in_fields(self, q: ShortAnswer) -> dict:
        return {
            "Prompt": self.html(q.prompt),
            "Answer": escape(q.answers[0]),
            "Accepted": escape(self.t["separator"].join(q.answers[1:])),
        }

    def numeric_fields(self, q: Numeric) -> dict:
        """A type-in card: the figure to type, the unit on the front, the range accepted and
        the known wrong figures' feedback on the back."""
        right, unit = q.right, f" {q.unit}" if q.unit else ""
        prompt = self.html(q.prompt)
        if q.unit:
            prompt += f'<p class="cg-unit">{escape(self.t("anki_in_unit", unit=q.unit))}</p>'
        accepted = ""
        if right.tolerance:
            low, high = (figure(n) + unit for n in (right.low, right.high))
            accepted = escape(self.t("anki_range", low=low, high=high))
        mistakes = "".join(
            f"<p>{self.verdict(escape(figure(a.value) + unit), False)} "
            f"{self.html(a.feedback, inline=True)}</p>"
            for a in q.answers
            if not a.correct and a.feedback
        )
        return {
            "Prompt": prompt,
            "Answer": escape(figure(right.value)),
            "Accepted": accepted,
            "Explanation": mistakes + self.html(q.explanation),
        }

    def shuffled(self, q: Question, items: list, avoid: list | None = None) -> list:
        return fixed_shuffle(f"{self.course.id}:{q.id}", items, avoid)

    def tags(self, item: Question | Flashcard, module: Module) -> list[str]:
        root = f"coursegen::{self.course.id}"
        tags = [f"{root}::module::{module.id}"]
        tags += [f"{root}::tag::{t}" for t in item.tags]
        if isinstance(item, Flashcard):
            return sorted({*tags, f"{root}::flashcard"})
        tags += [f"{root}::module::{module.id}::objective::{o}" for o in item.objectives]
        tags.append(f"{root}::type::{item.kind}")
        if item.difficulty:
            tags.append(f"{root}::difficulty::{item.difficulty}")
        if item.bloom:
            tags.append(f"{root}::bloom::{item.bloom}")
        return sorted(set(tags))


# How each question type becomes a note: its note type, the catalogue entry of the
# instruction its card shows above the prompt (None: the card shows none, and its fields
# include any prompt), and the _DeckWriter method giving its own fields. A type not here is
# left out (see shortfalls).
_KINDS: dict[str, tuple[NoteType, str | None, Callable[[_DeckWriter, Any], dict]]] = {
    "single_choice": (CHOICE, "anki_choose_one", _DeckWriter.choice_fields),
    "multiple_response": (CHOICE, "anki_choose_all", _DeckWriter.choice_fields),
    "true_false": (CHOICE, "anki_true_false", _DeckWriter.true_false_fields),
    "short_answer": (TYPE_IN, None, _DeckWriter.type_in_fields),
    "cloze": (CLOZE, None, _DeckWriter.cloze_fields),
    "matching": (ARRANGE, "anki_match", _DeckWriter.matching_fields),
    "ordering": (ARRANGE, "anki_order", _DeckWriter.ordering_fields),
    "numeric": (TYPE_IN, None, _DeckWriter.numeric_fields),
}

# The notes of each module from earlier builds (serve, or a build with its store).
_MODULE_NOTES = Memo("anki-module-notes", 1_000)


def _deck_name(title: str) -> str:
    # '::' separates subdecks in Anki; a title must not create one by accident.
    return title.replace("::", ":")


def write_apkg(
    decks: list[DeckRows],
    path: Path,
    timestamp: int,
    media: dict[str, bytes],
    in_background: Callable[[Callable[[], object]], None] = lambda job: job(),
) -> dict[str, int]:
    """Write ``decks`` as genanki would, but byte-for-byte reproducibly and deflated; the id
    each note was given, by GUID.

    The collection is made beside ``path`` and removed once ``in_background`` has zipped it.
    """
    db_path = path.with_name(f".{path.stem}.anki2")
    ids = write_collection(db_path, decks, timestamp)
    names = sorted(media)
    entries = [
        ("collection.anki2", db_path),
        ("media", json.dumps({str(i): n for i, n in enumerate(names)}).encode()),
        *((str(i), media[name]) for i, name in enumerate(names)),
    ]

    def zip_and_tidy() -> None:
        write_zip(path, entries)
        db_path.unlink()

    in_background(zip_and_tidy)
    return ids

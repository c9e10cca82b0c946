"""The Anki note types coursegen writes, designed once and versioned.

Anki keys a note type by its id and treats changed field or card names as a different note
type (a re-imported note then conflicts), so those are fixed up front, in English in every
language; changing them means a new VERSION (and new model ids). The note type's name, its
templates, their labels, the fields' direction and the CSS may change freely: the note type's
content hash in the lock file gives it a newer modification time, and Anki then updates it in
place. Labels come from the course's language; a right-to-left course's cards declare their
direction and language, and its fields are right to left in Anki's editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from importlib import resources

import genanki

from ..i18n import Strings
from .anki_ids import anki_id

VERSION = "1"

_BACK_FOOTER = """
<div class="cg-explanation">{{Explanation}}</div>
<div class="cg-source">{{Module}}{{#Source}}<blockquote>{{Source}}</blockquote>{{/Source}}</div>
"""

_QUESTION_FRONT = """<div class="cg">
<div class="cg-kind">{{Kind}}</div>
<div class="cg-prompt">{{Prompt}}</div>
{{Choices}}
</div>"""

_QUESTION_BACK = (
    """{{FrontSide}}
<hr id="answer">
<div class="cg">
<div class="cg-answer">{{Answer}}</div>"""
    + _BACK_FOOTER
    + "</div>"
)


def _shuffle_script() -> str:
    script = resources.files("coursegen").joinpath("templates/anki/shuffle.js").read_text("utf-8")
    # Anki would read two braces in a row as a field, and [anki_...] would become a label.
    if "{{" in script or "}}" in script or _LABEL.search(script) or "</script" in script:
        raise ValueError("shuffle.js has text that a card template cannot hold")
    return f"\n<script>\n{script}</script>"


# Templates as (card name, front, back); [key] stands for the text of a catalogue entry.
_LABEL = re.compile(r"\[(anki_\w+)\]")
# A choice card orders its options afresh at each review (see shuffle.js). The front's script
# runs again inside {{FrontSide}} on the back, where the cg-back element tells it which side it is
# on; the back's own copy then orders the lists that follow the repeated front.
_SHUFFLE = _shuffle_script()
_TEMPLATES = {
    "choice": (
        (
            "Choice",
            _QUESTION_FRONT + _SHUFFLE,
            '<div class="cg-back" hidden></div>' + _QUESTION_BACK + _SHUFFLE,
        ),
    ),
    "arrange": (("Arrange", _QUESTION_FRONT, _QUESTION_BACK),),
    "type-in": (
        (
            "Type-in",
            '<div class="cg"><div class="cg-kind">[anki_type_in]</div>'
            '<div class="cg-prompt">{{Prompt}}</div>\n{{type:Answer}}</div>',
            '<div class="cg"><div class="cg-kind">[anki_type_in]</div>'
            '<div class="cg-prompt">{{Prompt}}</div>\n<hr id="answer">\n{{type:Answer}}'
            '<div class="cg-answer"><span class="cg-answer-label">[anki_answer]</span> {{Answer}}'
            "{{#Accepted}}<br>[anki_also_accepted] {{Accepted}}{{/Accepted}}</div>"
            + _BACK_FOOTER
            + "</div>",
        ),
    ),
    "cloze": (
        (
            "Cloze",
            '<div class="cg"><div class="cg-kind">[anki_cloze]</div>'
            '<div class="cg-prompt">{{cloze:Text}}</div></div>',
            '<div class="cg"><div class="cg-kind">[anki_cloze]</div>'
            '<div class="cg-prompt">{{cloze:Text}}</div>\n<hr id="answer">'
            + _BACK_FOOTER
            + "</div>",
        ),
    ),
    "flashcard": (
        (
            "Front to back",
            '<div class="cg"><div class="cg-front">{{Front}}</div></div>',
            '{{FrontSide}}\n<hr id="answer">\n<div class="cg"><div class="cg-answer">{{Back}}</div>'
            '<div class="cg-source">{{Module}}</div></div>',
        ),
        (
            "Back to front",
            '<div class="cg"><div class="cg-front">{{Back}}</div></div>',
            '{{FrontSide}}\n<hr id="answer">\n<div class="cg"><div class="cg-answer">{{Front}}'
            '</div><div class="cg-source">{{Module}}</div></div>',
        ),
    ),
}


@dataclass(frozen=True)
class NoteType:
    key: str
    fields: tuple[str, ...]
    cloze: bool = False


CHOICE = NoteType(
    "choice", ("Prompt", "Choices", "Answer", "Explanation", "Source", "Module", "Kind", "Id")
)
ARRANGE = NoteType(
    "arrange", ("Prompt", "Choices", "Answer", "Explanation", "Source", "Module", "Kind", "Id")
)
TYPE_IN = NoteType(
    "type-in", ("Prompt", "Answer", "Accepted", "Explanation", "Source", "Module", "Id")
)
CLOZE = NoteType("cloze", ("Text", "Explanation", "Source", "Module", "Id"), cloze=True)
FLASHCARD = NoteType("flashcard", ("Front", "Back", "Module", "Id"))
NOTE_TYPES = (CHOICE, ARRANGE, TYPE_IN, CLOZE, FLASHCARD)


@dataclass(frozen=True)
class CardLanguage:
    """The words and direction of one course's cards."""

    strings: Strings
    tag: str  # the course's language, a BCP 47 tag
    rtl: bool

    def name(self, note_type: NoteType) -> str:
        return self.strings[f"anki_note_{note_type.key.replace('-', '_')}"]

    def templates(self, note_type: NoteType) -> tuple[tuple[str, str, str], ...]:
        """(name, front, back) of each card, labelled in the course's language."""
        return tuple(
            (name, self.filled(front), self.filled(back))
            for name, front, back in _TEMPLATES[note_type.key]
        )

    def filled(self, template: str) -> str:
        template = _LABEL.sub(lambda m: escape(self.strings[m.group(1)]), template)
        if self.rtl:  # left to right is every Anki's default, and English cards stay as they are
            wrapper = f'<div class="cg" dir="rtl" lang="{escape(self.tag)}">'
            template = template.replace('<div class="cg">', wrapper)
        return template

    def fields(self, note_type: NoteType) -> list[dict]:
        # The Id field holds an ASCII identifier and stays left to right. Left-to-right fields
        # keep genanki's defaults, so their note types are written as they always were.
        rtl = {"rtl": True} if self.rtl else {}
        return [{"name": f, **(rtl if f != "Id" else {})} for f in note_type.fields]


def stylesheet(rtl: bool) -> str:
    """The cards' CSS; a right-to-left course's has a few rules more, at the end."""
    names = ("cards.css", "cards-rtl.css") if rtl else ("cards.css",)
    folder = resources.files("coursegen").joinpath("templates/anki")
    return "".join(folder.joinpath(name).read_text("utf-8") for name in names)


class _Model(genanki.Model):
    """A genanki Model whose modification time is its own, not the build's."""

    def __init__(self, *args, mod: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.mod = mod

    def to_json(self, timestamp: float, deck_id):
        return super().to_json(self.mod, deck_id)


def make_model(
    note_type: NoteType, course_id: str, css: str, language: CardLanguage, mod: int
) -> genanki.Model:
    """The genanki model of ``note_type`` for one course, with a stable id."""
    return _Model(
        model_id=anki_id("coursegen-note-type", course_id, note_type.key, VERSION),
        name=f"{language.name(note_type)} ({course_id})",
        fields=language.fields(note_type),
        templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in language.templates(note_type)],
        css=css,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        mod=mod,
    )


def template_hash_parts(note_type: NoteType, css: str, language: CardLanguage) -> tuple[str, ...]:
    """Everything about a note type that Anki should be told when it changes."""
    templates = (p for t in language.templates(note_type) for p in t)
    # The right-to-left flag only where it is set: a left-to-right note type keeps its hash.
    rtl = ("rtl",) if language.rtl else ()
    return (language.name(note_type), *note_type.fields, *templates, css, *rtl)

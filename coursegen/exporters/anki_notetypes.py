"""The Anki note types coursegen writes, designed once and versioned.

Anki keys a note type by its id and treats a changed field list as a different note type, so
the fields here are fixed up front; changing them means a new VERSION (and new model ids).
Templates and CSS may change freely: the note type's content hash in the lock file gives it a
newer modification time, and Anki then updates it in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import genanki

from ..ids import anki_id

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


@dataclass(frozen=True)
class NoteType:
    key: str
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, front, back)
    cloze: bool = False


CHOICE = NoteType(
    "choice",
    "coursegen Choice",
    ("Prompt", "Choices", "Answer", "Explanation", "Source", "Module", "Kind", "Id"),
    (("Choice", _QUESTION_FRONT, _QUESTION_BACK),),
)
ARRANGE = NoteType(
    "arrange",
    "coursegen Match or Order",
    ("Prompt", "Choices", "Answer", "Explanation", "Source", "Module", "Kind", "Id"),
    (("Arrange", _QUESTION_FRONT, _QUESTION_BACK),),
)
TYPE_IN = NoteType(
    "type-in",
    "coursegen Type-in",
    ("Prompt", "Answer", "Accepted", "Explanation", "Source", "Module", "Id"),
    (
        (
            "Type-in",
            '<div class="cg"><div class="cg-kind">Type the answer</div>'
            '<div class="cg-prompt">{{Prompt}}</div>\n{{type:Answer}}</div>',
            '<div class="cg"><div class="cg-kind">Type the answer</div>'
            '<div class="cg-prompt">{{Prompt}}</div>\n<hr id="answer">\n{{type:Answer}}'
            '<div class="cg-answer"><span class="cg-answer-label">Answer:</span> {{Answer}}'
            "{{#Accepted}}<br>Also accepted: {{Accepted}}{{/Accepted}}</div>"
            + _BACK_FOOTER
            + "</div>",
        ),
    ),
)
CLOZE = NoteType(
    "cloze",
    "coursegen Cloze",
    ("Text", "Explanation", "Source", "Module", "Id"),
    (
        (
            "Cloze",
            '<div class="cg"><div class="cg-kind">Fill in the blank</div>'
            '<div class="cg-prompt">{{cloze:Text}}</div></div>',
            '<div class="cg"><div class="cg-kind">Fill in the blank</div>'
            '<div class="cg-prompt">{{cloze:Text}}</div>\n<hr id="answer">'
            + _BACK_FOOTER
            + "</div>",
        ),
    ),
    cloze=True,
)
FLASHCARD = NoteType(
    "flashcard",
    "coursegen Flashcard",
    ("Front", "Back", "Module", "Id"),
    (
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
)
NOTE_TYPES = (CHOICE, ARRANGE, TYPE_IN, CLOZE, FLASHCARD)


def stylesheet() -> str:
    return resources.files("coursegen").joinpath("templates/anki/cards.css").read_text("utf-8")


class _Model(genanki.Model):
    """A genanki Model whose modification time is its own, not the build's."""

    def __init__(self, *args, mod: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.mod = mod

    def to_json(self, timestamp: float, deck_id):
        return super().to_json(self.mod, deck_id)


def make_model(note_type: NoteType, course_id: str, css: str, mod: int) -> genanki.Model:
    """The genanki model of ``note_type`` for one course, with a stable id."""
    return _Model(
        model_id=anki_id("coursegen-note-type", course_id, note_type.key, VERSION),
        name=f"{note_type.name} ({course_id})",
        fields=[{"name": f} for f in note_type.fields],
        templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in note_type.templates],
        css=css,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        mod=mod,
    )


def template_hash_parts(note_type: NoteType, css: str) -> tuple[str, ...]:
    """Everything about a note type that Anki should be told when it changes."""
    return (note_type.name, *note_type.fields, *(p for t in note_type.templates for p in t), css)

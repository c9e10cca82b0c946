"""Every translatable text of a course, walked in one place.

Extraction walks the course to record each text as a unit; a build walks it again to put
each unit's translation in its place. One walk for both means a text that is extracted is
always a text that is translated, under the same id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model import (
    Cloze,
    Course,
    Flashcard,
    Matching,
    Module,
    Numeric,
    Ordering,
    Pair,
    Question,
    Rule,
    ShortAnswer,
)
from ..questions.choice import Choice, Option
from ..questions.numeric import figure
from .blocks import Block, heading_of, rebuild

COURSE_FILE = "course"
_RULE = (
    "The name of rule {} of the final assessment's blueprint, which learners read above the "
    "assessment and LMS administrators as a quiz section or question category."
)  # the translation file of the manifest's texts; modules' are their ids


@dataclass(frozen=True)
class Unit:
    """One translatable text: ``context`` is its stable id (the PO msgctxt)."""

    context: str
    source: str  # the English text
    note: str  # what the text is, for the translator
    file: str  # the translation file it belongs in: COURSE_FILE or a module's id
    where: tuple  # where the English is: (kind, owner id, path of keys into its YAML or line)
    cloze: bool = False  # a cloze question's text, whose gaps must stay


Translate = Callable[[Unit], str]


def translate_course(course: Course, tr: Translate) -> Course:
    """``course`` with each text replaced by ``tr(unit)``; ``tr`` may only record it."""

    def t(key: str, text: str, note: str, loc: tuple) -> str:
        return tr(Unit(f"course:{key}", text, note, COURSE_FILE, ("manifest", "", loc)))

    def rule(r: Rule) -> Rule:
        if not r.name:
            return r
        loc = ("final_assessment", "blueprint", r.number - 1, "name")
        return replace(r, name=t(f"blueprint:{r.number}", r.name, _RULE.format(r.number), loc))

    module_ids = {m.id for m in course.modules}
    return replace(
        course,
        title=t("title", course.title, "The course's title.", ("title",)),
        description=t(
            "description", course.description, "The course's description.", ("description",)
        ),
        objectives=tuple(
            t(f"objective:{n}", text, f"Course objective {n}.", ("objectives", n - 1))
            for n, text in enumerate(course.objectives, start=1)
        ),
        final_assessment=replace(
            course.final_assessment,
            blueprint=tuple(map(rule, course.final_assessment.blueprint)),
        ),
        modules=tuple(_module(m, tr, module_ids) for m in course.modules),
        questions=tuple(_question(q, tr) for q in course.questions),
        flashcards=tuple(_flashcard(c, tr) for c in course.flashcards),
    )


def _module(m: Module, tr: Translate, module_ids: set[str]) -> Module:
    name = f"module {m.number} ('{m.id}')"

    def t(key: str, text: str, note: str, loc: tuple) -> str:
        return tr(Unit(f"module:{m.id}:{key}", text, note, m.id, ("front", m.id, loc)))

    title = t("title", m.title, f"The title of {name}.", ("title",))
    objectives = tuple(
        replace(
            o,
            text=t(
                f"objective:{o.id}",
                o.text,
                f"Learning objective '{o.id}' of {name}.",
                ("objectives", i, "text"),
            ),
        )
        for i, o in enumerate(m.objectives)
    )
    terms = tuple(
        replace(
            k,
            term=t(
                f"term:{n}",
                k.term,
                f"Key term {n} of {name}. " + _SAME_TERM,
                ("key_terms", n - 1, "term"),
            ),
            definition=t(
                f"term:{n}:definition",
                k.definition,
                f"The definition of the key term '{k.term}' of {name}.",
                ("key_terms", n - 1, "definition"),
            ),
        )
        for n, k in enumerate(m.key_terms, start=1)
    )
    topics = tuple(
        topic
        if topic.strip() in module_ids
        else t(f"topic:{n}", topic, _TOPIC.format(name), ("related_topics", n - 1))
        for n, topic in enumerate(m.related_topics, start=1)
    )
    return replace(
        m,
        title=title,
        objectives=objectives,
        key_terms=terms,
        related_topics=topics,
        summary=t("summary", m.summary, f"The summary of {name}.", ("summary",)),
        body=_lesson(m, name, tr),
    )


_SAME_TERM = "Give it one translation, and use that wherever the course uses the term."
_TOPIC = (
    "A related topic of {}, shown as a link to the glossary: if it names a key term, write "
    "exactly that term's translation."
)


def _lesson(m: Module, name: str, tr: Translate) -> str:
    heading = None

    def block(b: Block) -> str:
        nonlocal heading
        title = heading_of(b)
        if title is not None:
            note = f"A heading of the lesson of {name}."
            heading = title
        else:
            under = f", under the heading '{heading}'" if heading else ""
            note = f"A paragraph, list or table of the lesson of {name}{under}."
        return tr(Unit(f"module:{m.id}:body", b.text, note, m.id, ("body", m.id, b.first)))

    return rebuild(m.body, block)


def _question(q: Question, tr: Translate) -> Question:
    name = f"question '{q.id}' ({q.label.lower()})"

    def t(key: str, text: str, note: str, loc: tuple, cloze: bool = False) -> str:
        unit = Unit(f"question:{q.id}:{key}", text, note, q.module_id, ("bank", q.id, loc), cloze)
        return tr(unit)

    cloze = isinstance(q, Cloze)
    prompt = t(
        "prompt", q.prompt, f"The text of {name}." + (_CLOZE if cloze else ""), ("prompt",), cloze
    )
    changes = {"prompt": prompt, **_answer_data(q, name, t)}
    explained = f"The explanation of {name}, shown after the answer."
    changes["explanation"] = t("explanation", q.explanation, explained, ("explanation",))
    changes["source"] = t("source", q.source, _SOURCE.format(name), ("source",))
    return replace(q, **changes)


def _answer_data(q: Question, name: str, t) -> dict:
    """The translated texts of ``q``'s answer data, by field."""
    if isinstance(q, Choice):
        return {"options": tuple(_option(o, n, name, t) for n, o in enumerate(q.options, 1))}
    if isinstance(q, Matching):
        return {"pairs": tuple(_pair(p, n, name, t) for n, p in enumerate(q.pairs, 1))}
    if isinstance(q, Ordering):
        note = "Item {} of {} of {}, in the right order."
        return {
            "items": tuple(
                t(f"item:{n}", item, note.format(n, len(q.items), name), ("items", n - 1))
                for n, item in enumerate(q.items, 1)
            )
        }
    if isinstance(q, ShortAnswer):
        return {
            "answers": tuple(
                t(f"answer:{n}", answer, _ANSWER.format(n, name), ("answers", n - 1))
                for n, answer in enumerate(q.answers, 1)
            )
        }
    if isinstance(q, Numeric):
        return _numeric(q, name, t)
    return {}


def _numeric(q: Numeric, name: str, t) -> dict:
    """The unit, as the learner reads and may type it, and each figure's feedback."""
    unit = q.unit and t("unit", q.unit, _UNIT.format(name), ("unit",))
    answers = tuple(
        replace(
            a,
            feedback=a.feedback
            and t(
                f"answer:{n}:feedback",
                a.feedback,
                f"The feedback on figure {n} ({figure(a.value)}) of {name}, shown to a learner "
                f"who types it: {'a right' if a.correct else 'a known wrong'} answer.",
                ("answers", n - 1, "feedback"),
            ),
        )
        for n, a in enumerate(q.answers, 1)
    )
    return {"unit": unit, "answers": answers}


def _pair(p: Pair, n: int, name: str, t) -> Pair:
    side = "The {} side of pair {} of {}; it matches '{}'."
    left = t(
        f"pair:{n}:left", p.left, side.format("left", n, name, p.right), ("pairs", n - 1, "left")
    )
    right = t(
        f"pair:{n}:right", p.right, side.format("right", n, name, p.left), ("pairs", n - 1, "right")
    )
    return Pair(left, right)


_CLOZE = (
    " Translate the text and the answers inside each {{gap}}; keep every gap, in any order "
    "the sentence needs, and separate the answers a gap accepts with '|'."
)
_SOURCE = (
    "The passage of the lesson that supports the answer to {}: give the words of your "
    "translation of the lesson that say this, exactly as they stand there, so that the "
    "question links to them."
)
_ANSWER = "Accepted answer {} of {}, which the learner types: keep it short and plain."
_UNIT = (
    "The unit of the figure that answers {}, shown beside the answer field; a learner may "
    "type it after the figure, so write it as learners would (an abbreviation such as km)."
)


def _option(o: Option, n: int, name: str, t) -> Option:
    right = "a right answer" if o.correct else "a wrong answer"
    text = t(f"option:{n}", o.text, f"Option {n} of {name}: {right}.", ("options", n - 1, "text"))
    feedback = o.feedback and t(
        f"option:{n}:feedback",
        o.feedback,
        f"The feedback on option {n} of {name}, shown to a learner who chooses it.",
        ("options", n - 1, "feedback"),
    )
    return replace(o, text=text, feedback=feedback)


def _flashcard(c: Flashcard, tr: Translate) -> Flashcard:
    def t(side: str, text: str) -> str:
        note = f"The {side} of flashcard '{c.id}'."
        return tr(
            Unit(f"flashcard:{c.id}:{side}", text, note, c.module_id, ("card", c.id, (side,)))
        )

    return replace(c, front=t("front", c.front), back=t("back", c.back))


def course_units(course: Course) -> list[Unit]:
    """Every translatable text of ``course``, in the order a reader meets it."""
    units: list[Unit] = []
    translate_course(course, _recorder(units))
    return units


def retired_units(course: Course) -> list[Unit]:
    """The texts of the questions the banks keep retired: no build shows them."""
    units: list[Unit] = []
    for q in course.retired:
        _question(q, _recorder(units))
    return units


def _recorder(units: list[Unit]) -> Translate:
    def record(unit: Unit) -> str:
        if unit.source.strip():
            units.append(unit)
        return unit.source

    return record

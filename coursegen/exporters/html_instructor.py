"""The instructor's material beside the HTML course: a printable exam and its key, and the
map of objectives to the questions that assess them.

The exam letters each option, match and item in the order its question view holds them,
which is the order the course shows learners; the key takes its letters from the same
lists, so a letter in the key is always the letter printed beside that answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from .. import markup
from ..i18n import Strings
from ..markup import GAP_MARK
from ..model import Cloze, Course, Module, Objective, Question, ShortAnswer
from .html_quiz import QuestionView, cloze_text
from .labels import letter

# What a candidate is told to do on paper, by question kind.
PAPER_INSTRUCTIONS = {
    "single_choice": "paper_choose_one",
    "multiple_response": "paper_choose_all",
    "true_false": "paper_true_false",
    "short_answer": "paper_short_answer",
    "cloze": "paper_cloze",
    "matching": "paper_match",
    "ordering": "paper_order",
    "numeric": "paper_numeric",
}


@dataclass
class PaperQuestion:
    """One question of the printable exam, and its line of the key."""

    number: int
    view: QuestionView
    instruction: str
    options: list[tuple[str, Markup]] = field(default_factory=list)  # (letter, text)
    prompt: Markup = Markup()  # a cloze's text with numbered blanks
    key: Markup = Markup()  # the answer, in the exam's letters and numbers


def paper(
    views: list[QuestionView],
    questions: dict[str, Question],
    strings: Strings,
    image_src: Callable[[Question], Callable[[str], str]],
) -> list[PaperQuestion]:
    """The exam's questions, numbered from 1, each with its key."""
    exam = []
    for number, v in enumerate(views, start=1):
        q = questions[v.id]
        item = PaperQuestion(number, v, strings[PAPER_INSTRUCTIONS[v.kind]])
        shown = v.items if v.kind == "ordering" else v.options
        item.options = [(letter(i), choice.html) for i, choice in enumerate(shown)]
        if isinstance(q, Cloze):
            item.prompt = _numbered_blanks(q, image_src(q))
        item.key = KEYS[v.kind](item, q, strings)
        exam.append(item)
    return exam


def _numbered_blanks(q: Cloze, image_src: Callable[[str], str]) -> Markup:
    text, _ = cloze_text(*markup.prompt_to_html(q.marked(GAP_MARK), image_src=image_src))
    for i in range(1, len(q.gaps) + 1):
        blank = Markup('<span class="exam-gap"><span class="exam-gap-n">({})</span></span>')
        text = text.replace(GAP_MARK.format(i), blank.format(i))
    return text


def _parts(parts, t: Strings, joiner: str = "answers_separator") -> Markup:
    """The parts of a key, each isolated so that letters and numbers inside one keep the
    page's direction: in Arabic, "1 ← B" must not read as B's match being 1."""
    part = Markup('<span class="exam-key-part">{}</span>')
    return Markup(escape(t[joiner])).join(part.format(p) for p in parts)


def _choice_key(item: PaperQuestion, q: Question, t: Strings) -> Markup:
    """The letter and text of each correct option: the text lets a marker catch a slip."""
    return _parts(
        (
            Markup("<strong>{}</strong> {}").format(letter(i), choice.html)
            for i, choice in enumerate(item.view.options)
            if choice.correct
        ),
        t,
    )


def _order_key(item: PaperQuestion, q: Question, t: Strings) -> Markup:
    position = {choice.key: i for i, choice in enumerate(item.view.items)}
    letters = (
        Markup("<strong>{}</strong>").format(letter(position[key]))
        for key in item.view.check["order"]
    )
    return _parts(letters, t, "then")


def _match_key(item: PaperQuestion, q: Question, t: Strings) -> Markup:
    position = {choice.key: i for i, choice in enumerate(item.view.options)}
    pair = Markup(escape(t["pair"]))
    return _parts(
        (
            pair.format(left=n, right=Markup("<strong>{}</strong>").format(letter(position[k])))
            for n, k in enumerate(item.view.check["pairs"], start=1)
        ),
        t,
    )


def _short_key(item: PaperQuestion, q: ShortAnswer, t: Strings) -> Markup:
    return _parts(q.answers, t)


def _cloze_key(item: PaperQuestion, q: Cloze, t: Strings) -> Markup:
    return _parts(
        (
            Markup("<strong>({})</strong> {}").format(n, t["separator"].join(gap.answers))
            for n, gap in enumerate(q.gaps, start=1)
        ),
        t,
    )


KEYS: dict[str, Callable[[PaperQuestion, Question, Strings], Markup]] = {
    "single_choice": _choice_key,
    "multiple_response": _choice_key,
    "true_false": _choice_key,
    "short_answer": _short_key,
    "cloze": _cloze_key,
    "matching": _match_key,
    "ordering": _order_key,
    "numeric": lambda item, q, t: item.view.answer,  # the figure, and the range accepted
}


@dataclass
class ObjectiveRow:
    objective: Objective
    questions: list[Question]


def objective_map(course: Course) -> dict:
    """Each module's objectives with the questions that assess each (in bank order), and
    how many objectives there are and how many of them no question assesses."""
    modules: list[tuple[Module, list[ObjectiveRow]]] = []
    for module in course.modules:
        questions = course.questions_of(module.id)
        rows = [
            ObjectiveRow(o, [q for q in questions if o.id in q.objectives])
            for o in module.objectives
        ]
        modules.append((module, rows))
    rows = [row for _, module_rows in modules for row in module_rows]
    return {
        "modules": modules,
        "total": len(rows),
        "unassessed": sum(not row.questions for row in rows),
    }

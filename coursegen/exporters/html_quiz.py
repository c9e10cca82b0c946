"""Questions as the HTML course shows them: rendered text for the templates, and the data
the page's script needs to check an answer.

Options and matches are shuffled here, at build time, in an order fixed by the course and
question ids (the Anki deck's order): the no-JavaScript view, print, the live form and the
answer key all show the same letters. Their keys (o1, r2) number the order shown, so the key's
letter is the one the learner sees (SCORM names them a, b, c... after it); item keys (i3)
number an ordering's correct order. The keys are what the page's script compares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from .. import markup
from ..i18n import Strings
from ..ids import fixed_shuffle
from ..markup import GAP_MARK
from ..model import (
    Cloze,
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ..questions.numeric import figure
from .labels import letter


@dataclass
class Choice:
    key: str
    html: Markup
    correct: bool = False
    feedback: Markup | None = None
    letter: str = ""  # as the learner sees it beside the choice: A, B... (labels.letter)
    short: str = ""  # plain text, cut to fit a drop-down at 320 px (matching)


@dataclass
class QuestionView:
    """Everything a template needs to show one question, and its check data."""

    id: str
    kind: str
    module_id: str
    lead: Markup  # blocks before the question itself (an image, a scenario)
    legend: Markup  # the question, inline, for a <legend>
    explanation: Markup
    source: str
    source_href: str
    options: list[Choice] = field(default_factory=list)  # choices, matching's right column
    lefts: list[Markup] = field(default_factory=list)  # matching's left column
    items: list[Choice] = field(default_factory=list)  # ordering, in the order shown
    figures: list[Choice] = field(default_factory=list)  # numeric: each answer's feedback
    unit: str = ""  # numeric
    cloze_live: Markup = Markup()
    cloze_static: Markup = Markup()
    answer: Markup = Markup()  # the correct answer, as a learner reads it
    answer_is_block: bool = False  # a list or a table, shown under its label
    check: dict = field(default_factory=dict)  # what the page's script compares
    difficulty: str | None = None
    objectives: tuple[str, ...] = ()
    worksheet_hint: str = ""  # what to do on a printed page, where the form's hint is gone


# What a learner is told to do on a printed module page (the worksheet print.css makes of the
# no-JavaScript view), by question kind.
WORKSHEET_INSTRUCTIONS = {
    "single_choice": "paper_choose_one",
    "multiple_response": "paper_choose_all",
    "true_false": "paper_true_false",
    "short_answer": "paper_short_answer",
    "cloze": "worksheet_cloze",
    "matching": "paper_match",
    "ordering": "worksheet_order",
    "numeric": "paper_numeric",
}


def view(
    q: Question, source_href: str, image_src: Callable[[str], str], strings: Strings, seed: str
) -> QuestionView:
    """The view of one question; ``source_href`` links to its passage in the lesson, and
    ``seed`` fixes the order its options are shown in."""

    def html(text: str, inline: bool = True) -> Markup:
        return Markup(markup.to_html(text, inline=inline, image_src=image_src))

    # A cloze's prompt is split with its gaps marked, for _cloze to fill in: never as written.
    prompt = q.marked(GAP_MARK) if isinstance(q, Cloze) else q.prompt
    lead, legend = markup.prompt_to_html(prompt, image_src=image_src)
    result = QuestionView(
        id=q.id,
        kind=q.kind,
        module_id=q.module_id,
        lead=Markup(lead),
        legend=Markup(legend),
        explanation=html(q.explanation, inline=False),
        source=q.source,
        source_href=source_href,
        difficulty=q.difficulty,
        objectives=q.objectives,
        worksheet_hint=strings[WORKSHEET_INSTRUCTIONS[q.kind]],
    )
    VIEWS[q.kind](q, result, html, strings, seed)
    return result


def _choices(q: SingleChoice | MultipleResponse, v: QuestionView, html, t, seed) -> None:
    authored = [
        (html(o.text), o.correct, html(o.feedback) if o.feedback else None) for o in q.options
    ]
    # No order is avoided: authors tend to write the right option first, and an order that
    # never starts with it would be a pattern of its own.
    shown = fixed_shuffle(seed, authored) if q.shuffle else authored
    v.options = _lettered(Choice(f"o{i}", *option) for i, option in enumerate(shown, start=1))
    v.check = {"correct": [c.key for c in v.options if c.correct]}
    right = [c.html for c in v.options if c.correct]
    v.answer, v.answer_is_block = _list(right, "ul") if len(right) > 1 else (right[0], False)


def _true_false(q: TrueFalse, v: QuestionView, html, t, seed) -> None:
    v.options = [
        Choice("true", Markup(escape(t["true"])), q.answer),
        Choice("false", Markup(escape(t["false"])), not q.answer),
    ]
    v.answer = v.options[0].html if q.answer else v.options[1].html
    v.check = {"correct": ["true" if q.answer else "false"]}


def _short_answer(q: ShortAnswer, v: QuestionView, html, t, seed) -> None:
    # The answer as the author wrote it first; the other accepted forms only spare a learner
    # who typed one of them a wrong verdict, and are no part of what to learn.
    v.check = {"answers": list(q.answers), "case_sensitive": q.case_sensitive}
    v.answer = Markup(escape(q.answers[0]))


def _cloze(q: Cloze, v: QuestionView, html, t, seed) -> None:
    # Gaps may be in the lead's paragraphs too: the cloze is shown whole, lead and all, in
    # place of a lead and a legend.
    gaps = q.gaps
    rendered, v.answer_is_block = cloze_text(v.lead, v.legend)
    v.lead = v.legend = Markup()
    live, static, filled = rendered, rendered, rendered
    for i, gap in enumerate(gaps, start=1):
        mark = GAP_MARK.format(i)
        live = live.replace(mark, _gap_input(i, gap.answers, t("blank_n", n=i, total=len(gaps))))
        static = static.replace(mark, Markup('<span class="q-blank">&#8203;</span>'))
        filled = filled.replace(mark, Markup(f"<strong>{escape(gap.answers[0])}</strong>"))
    v.cloze_live, v.cloze_static, v.answer = live, static, filled
    v.check = {"gaps": [list(g.answers) for g in gaps], "case_sensitive": q.case_sensitive}


def cloze_text(lead: str, last: str) -> tuple[Markup, bool]:
    """A cloze's text whole, from its prompt split (markup.prompt_to_html), and whether it is
    blocks: with a lead, its last paragraph is a paragraph again after it."""
    if not lead:
        return Markup(last), False
    return Markup(lead) + Markup("<p>{}</p>").format(Markup(last)), True


def _gap_input(n: int, answers: tuple[str, ...], label: str) -> Markup:
    """A blank as wide as its longest accepted answer; the script widens it as one types."""
    size = max(4, *(len(a) + 1 for a in answers))
    # An f-string, not Markup.format: at every gap of every cloze, a third of the time.
    return Markup(
        f'<input type="text" class="q-gap" data-gap="{n}" size="{size}" autocomplete="off" '
        f'spellcheck="false" aria-label="{escape(label)}">'
    )


def _matching(q: Matching, v: QuestionView, html, t, seed) -> None:
    v.lefts = [html(p.left) for p in q.pairs]
    rights = fixed_shuffle(seed, list(range(len(q.pairs))), avoid=list(range(len(q.pairs))))
    v.options = _lettered(
        Choice(f"r{i}", html(q.pairs[pair].right)) for i, pair in enumerate(rights, start=1)
    )
    for choice in v.options:
        choice.short = _short(choice.html.striptags())
    v.check = {"pairs": [f"r{rights.index(pair) + 1}" for pair in range(len(q.pairs))]}
    rows = Markup("").join(
        Markup("<tr><td>{}</td><td>{}. {}</td></tr>").format(
            left, v.options[rights.index(i)].letter, v.options[rights.index(i)].html
        )
        for i, left in enumerate(v.lefts)
    )
    v.answer = Markup(
        '<table class="q-answer-table"><thead><tr><th scope="col">{}</th><th scope="col">{}'
        "</th></tr></thead><tbody>{}</tbody></table>"
    ).format(t["match_item"], t["match_choice"], rows)
    v.answer_is_block = True


def _ordering(q: Ordering, v: QuestionView, html, t, seed) -> None:
    items = [Choice(f"i{i}", html(text)) for i, text in enumerate(q.items, start=1)]
    v.items = fixed_shuffle(seed, items, avoid=items)
    v.check = {"order": [c.key for c in items]}
    v.answer, v.answer_is_block = _list([c.html for c in items], "ol")


def _numeric(q: Numeric, v: QuestionView, html, t, seed) -> None:
    # Only a page with a numeric question carries how its language writes numbers.
    v.check = {
        "answers": [
            {
                "value": figure(a.value),
                "low": figure(a.low),
                "high": figure(a.high),
                "correct": a.correct,
            }
            for a in q.answers
        ],
        "unit": q.unit or "",
        "decimal": t["number_decimal"],
        "group": t["number_group"],
        "unreadable": t("numeric_unreadable", unit=q.unit) if q.unit else t["numeric_no_number"],
    }
    v.figures = [
        Choice(f"n{i}", Markup(), a.correct, html(a.feedback) if a.feedback else None)
        for i, a in enumerate(q.answers, start=1)
    ]
    v.unit = q.unit or ""
    if q.unit:  # a printed page has no unit beside a field
        v.worksheet_hint = t("paper_numeric_in", unit=q.unit)
    v.answer = numeric_answer(q, t)


def numeric_answer(q: Numeric, t: Strings) -> Markup:
    """The first right figure with its unit, and the range accepted around it."""
    right = q.right

    def shown(number) -> Markup:
        # Isolated, so that a right-to-left page keeps a minus sign before its figure.
        return Markup("<bdi>{}</bdi>").format(
            f"{figure(number)} {q.unit}" if q.unit else figure(number)
        )

    if not right.tolerance:
        return shown(right.value)
    return Markup(escape(t["numeric_range"])).format(
        answer=shown(right.value), low=shown(right.low), high=shown(right.high)
    )


def _lettered(choices) -> list[Choice]:
    result = list(choices)
    for i, choice in enumerate(result):
        choice.letter = letter(i)
    return result


def _list(entries: list[Markup], tag: str) -> tuple[Markup, bool]:
    items = Markup("").join(Markup("<li>{}</li>").format(entry) for entry in entries)
    return Markup('<{0} class="q-answer-list">{1}</{0}>').format(Markup(tag), items), True


SHORT = 18  # characters: a drop-down of this many and its letter fits at 320 px


def _short(text: str) -> str:
    """``text`` cut at a word to at most SHORT characters, with an ellipsis if it was cut."""
    if len(text) <= SHORT:
        return text
    cut = text[: SHORT - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


# How the course shows each question type: the function that fills in its view (the
# templates' _question.html then shows it by its kind). A type not here is left out of the
# HTML course with a warning (see html.shortfalls).
VIEWS: dict[str, Callable[..., None]] = {
    "single_choice": _choices,
    "multiple_response": _choices,
    "true_false": _true_false,
    "short_answer": _short_answer,
    "cloze": _cloze,
    "matching": _matching,
    "ordering": _ordering,
    "numeric": _numeric,
}

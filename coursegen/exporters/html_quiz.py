"""Questions as the HTML course shows them: rendered text for the templates, and the data
the page's script needs to check an answer.

Option, pair and item keys (o1, r2, i3) number the authored order; the page shuffles what
it shows, so the keys are what the check compares.
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
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)


@dataclass
class Choice:
    key: str
    html: Markup
    correct: bool = False
    feedback: Markup | None = None


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
    cloze_live: Markup = Markup()
    cloze_static: Markup = Markup()
    answer: Markup = Markup()  # the correct answer, as a learner reads it
    check: dict = field(default_factory=dict)  # what the page's script compares
    shuffle: bool = False
    difficulty: str | None = None
    objectives: tuple[str, ...] = ()


def view(
    q: Question, source_href: str, image_src: Callable[[str], str], strings: Strings
) -> QuestionView:
    """The view of one question; ``source_href`` links to its passage in the lesson."""

    def html(text: str, inline: bool = True) -> Markup:
        return Markup(markup.to_html(text, inline=inline, image_src=image_src))

    lead, legend = markup.prompt_to_html(q.prompt, image_src=image_src)
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
    )
    VIEWS[q.kind](q, result, html, strings)
    return result


def _choices(q: SingleChoice | MultipleResponse, v: QuestionView, html, t) -> None:
    v.options = [
        Choice(f"o{i}", html(o.text), o.correct, html(o.feedback) if o.feedback else None)
        for i, o in enumerate(q.options, start=1)
    ]
    v.shuffle = q.shuffle
    v.check = {"correct": [c.key for c in v.options if c.correct]}
    v.answer = Markup(escape(t["answers_separator"])).join(c.html for c in v.options if c.correct)


def _true_false(q: TrueFalse, v: QuestionView, html, t) -> None:
    v.options = [
        Choice("true", Markup(escape(t["true"])), q.answer),
        Choice("false", Markup(escape(t["false"])), not q.answer),
    ]
    v.answer = v.options[0].html if q.answer else v.options[1].html
    v.check = {"correct": ["true" if q.answer else "false"]}


def _short_answer(q: ShortAnswer, v: QuestionView, html, t) -> None:
    v.check = {"answers": list(q.answers), "case_sensitive": q.case_sensitive}
    v.answer = Markup(escape(q.answers[0]))
    if len(q.answers) > 1:
        others = Markup(escape(t["separator"])).join(q.answers[1:])
        v.answer += Markup(" (") + others + Markup(")")


def _cloze(q: Cloze, v: QuestionView, html, t) -> None:
    gaps = q.gaps
    lead, body = markup.prompt_to_html(q.marked(GAP_MARK))
    rendered = Markup(lead + body)
    live, static, filled = rendered, rendered, rendered
    for i, gap in enumerate(gaps, start=1):
        mark = GAP_MARK.format(i)
        label = t("blank_n", n=i, total=len(gaps))
        live = live.replace(
            mark,
            Markup(
                '<input type="text" class="q-gap" data-gap="{}" autocomplete="off" '
                'spellcheck="false" aria-label="{}">'
            ).format(i, label),
        )
        static = static.replace(mark, Markup('<span class="q-blank">&#8203;</span>'))
        filled = filled.replace(mark, Markup("<strong>{}</strong>").format(gap.answers[0]))
    v.cloze_live, v.cloze_static, v.answer = live, static, filled
    v.legend = Markup()
    v.check = {"gaps": [list(g.answers) for g in gaps], "case_sensitive": q.case_sensitive}


def _matching(q: Matching, v: QuestionView, html, t) -> None:
    v.lefts = [html(p.left) for p in q.pairs]
    v.options = [Choice(f"r{i}", html(p.right)) for i, p in enumerate(q.pairs, start=1)]
    v.options = fixed_shuffle(q.id, v.options, avoid=v.options)
    v.check = {"pairs": [f"r{i}" for i in range(1, len(q.pairs) + 1)]}
    pair = Markup(escape(t["pair"]))
    v.answer = Markup(escape(t["answers_separator"])).join(
        pair.format(left=html(p.left), right=html(p.right)) for p in q.pairs
    )


def _ordering(q: Ordering, v: QuestionView, html, t) -> None:
    items = [Choice(f"i{i}", html(text)) for i, text in enumerate(q.items, start=1)]
    v.items = fixed_shuffle(q.id, items, avoid=items)
    v.check = {"order": [c.key for c in items]}
    v.answer = Markup(escape(t["then"])).join(c.html for c in items)


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
}

"""QTI 1.2 items the way Canvas's importer reads them, one function per question kind.

The shapes follow the QTI that Canvas itself exports (its ``lib/cc/qti/qti_items.rb``):
``question_type`` and ``points_possible`` in the item's metadata, the prompt as HTML in a
``mattext``, ``response_lid`` with ``render_choice`` (or ``response_str`` with ``render_fib``),
response processing that sets SCORE to 100 when the answer is right, and ``itemfeedback``
``general_fb`` (the explanation) and ``<option>_fb`` (an option's own feedback).

Each item is written as text, from the templates below, as ElementTree would indent and
escape it at depth 0 (xmltext.written places it in its assessment). Building some 45
elements per item and then writing them one by one took two thirds of the export's time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import markup
from ..ids import fixed_shuffle
from ..model import (
    Cloze,
    Matching,
    MultipleResponse,
    Numeric,
    Question,
    ShortAnswer,
    TrueFalse,
)
from ..questions.numeric import figure
from .xmltext import children_at, element, escape_attribute, escape_text, indent, leaf

POINTS = 1  # every question is worth one point
BLANK = "blank{}"  # Canvas shows a fill-in-the-blank gap as [blank1] in the question text

Html = Callable[..., str]  # author Markdown -> sanitised HTML (``inline=True`` drops the <p>)


def label_ident(item_ident: str, n: int) -> str:
    """The ident of the n-th option, accepted blank answer or match of an item: a number.

    Canvas numbers answers in its own exports, and its importer takes a match's id from the
    first run of digits in its ident; a number derived from the item's ident is the same on
    every build and unique within the item.
    """
    base = int(hashlib.sha256(item_ident.encode()).hexdigest()[:5], 16)
    return str(base * 1000 + n)


@dataclass
class _Parts:
    """What one kind contributes to its item, each piece as XML text (see xmltext.element)."""

    prompt: str  # HTML
    responses: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    feedback: list[tuple[str, str]] = field(default_factory=list)  # (ident, HTML)
    answer_ids: list[str] = field(default_factory=list)


# An item as ElementTree indents it; each {...} after a tag holds the children there, each
# on a line of its own (see xmltext.children_at).
_ITEM = """\
<item ident="{ident}" title="{title}">
  <itemmetadata>
    <qtimetadata>
      <qtimetadatafield>
        <fieldlabel>question_type</fieldlabel>
        <fieldentry>{question_type}</fieldentry>
      </qtimetadatafield>
      <qtimetadatafield>
        <fieldlabel>points_possible</fieldlabel>
        <fieldentry>{points}</fieldentry>
      </qtimetadatafield>
      <qtimetadatafield>
        <fieldlabel>original_answer_ids</fieldlabel>
        {answer_ids}
      </qtimetadatafield>
    </qtimetadata>
  </itemmetadata>
  <presentation>{presentation}
  </presentation>
  <resprocessing>
    <outcomes>
      <decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal" />
    </outcomes>{conditions}
  </resprocessing>{feedback}
</item>"""
_FEEDBACK = """\
<itemfeedback ident="{ident}">
  <flow_mat>
    {material}
  </flow_mat>
</itemfeedback>"""


def build_item(q: Question, ident: str, html: Html) -> str:
    """The <item> of a question whose kind is in ITEMS, as XML text."""
    canvas_type, build_parts = ITEMS[q.kind]
    parts = build_parts(q, ident, html)
    conditions, feedback = parts.conditions, parts.feedback
    if q.explanation:
        general = _condition([_OTHER], feedback="general_fb", stop=False)
        conditions = [general, *conditions]
        feedback = [("general_fb", html(q.explanation)), *feedback]
    feedback_xml = (
        _FEEDBACK.format(ident=escape_attribute(fb), material=indent(_material(text), 2))
        for fb, text in feedback
    )
    return _ITEM.format(
        ident=escape_attribute(ident),
        title=escape_attribute(q.id),
        question_type=escape_text(canvas_type),
        points=POINTS,
        answer_ids=leaf("fieldentry", ",".join(parts.answer_ids)),
        presentation=children_at([_material(parts.prompt), *parts.responses], 2),
        conditions=children_at(conditions, 2),
        feedback=children_at(feedback_xml, 1),
    )


# --- the kinds ---------------------------------------------------------------------------


def _choice(q: Question, ident: str, html: Html) -> _Parts:
    if isinstance(q, TrueFalse):  # Canvas recognises true/false by these two texts
        options = [
            ("True", q.answer, None, "text/plain"),
            ("False", not q.answer, None, "text/plain"),
        ]
    else:
        options = [
            (html(o.text, inline=True), o.correct, o.feedback, "text/html") for o in q.options
        ]
    multiple = isinstance(q, MultipleResponse)
    parts = _Parts(html(q.prompt))
    labels, tests = [], []
    for n, (text, correct, feedback, texttype) in enumerate(options, start=1):
        option = label_ident(ident, n)
        parts.answer_ids.append(option)
        labels.append(_label(option, text, texttype))
        if feedback:
            parts.conditions.append(
                _condition([_varequal("response1", option)], feedback=f"{option}_fb", stop=False)
            )
            parts.feedback.append((f"{option}_fb", html(feedback)))
        if correct or multiple:
            test = _varequal("response1", option)
            tests.append(test if correct else element("not", {}, test))
    shuffle = "Yes" if getattr(q, "shuffle", False) else "No"
    render = element("render_choice", {"shuffle": shuffle}, *labels)
    cardinality = "Multiple" if multiple else "Single"
    lid = {"ident": "response1", "rcardinality": cardinality}
    parts.responses.append(element("response_lid", lid, render))
    right = element("and", {}, *tests) if multiple else tests[0]
    parts.conditions.append(_condition([right], score="100"))
    return parts


def _short_answer(q: ShortAnswer, ident: str, html: Html) -> _Parts:
    label = element("response_label", {"ident": "answer1", "rshuffle": "No"})
    response = element(
        "response_str",
        {"ident": "response1", "rcardinality": "Single"},
        element("render_fib", {}, label),
    )
    tests = [_varequal("response1", a, q.case_sensitive) for a in q.answers]
    right = tests[0] if len(tests) == 1 else element("or", {}, *tests)
    return _Parts(html(q.prompt), responses=[response], conditions=[_condition([right], "100")])


def _numeric(q: Numeric, ident: str, html: Html) -> _Parts:
    """A condition per right figure, as Canvas exports an exact answer with its margin: the
    figure itself, or any number within its range. Canvas's numerical answers are all right
    answers, so a known wrong figure has none (see qti.shortfalls)."""
    label = element("response_label", {"ident": "answer1"})
    fib = element("render_fib", {"fibtype": "Decimal"}, label)
    response = element("response_str", {"ident": "response1", "rcardinality": "Single"}, fib)
    parts = _Parts(html(q.prompt), responses=[response])
    for n, answer in enumerate((a for a in q.answers if a.correct), start=1):
        option = label_ident(ident, n)
        parts.answer_ids.append(option)
        bounds = [_bound("vargte", answer.low), _bound("varlte", answer.high)]
        exact = _varequal("response1", figure(answer.value))
        test = element("or", {}, exact, element("and", {}, *bounds))
        feedback = f"{option}_fb" if answer.feedback else None
        parts.conditions.append(_condition([test], "100", feedback=feedback))
        if feedback:
            parts.feedback.append((feedback, html(answer.feedback, inline=True)))
    return parts


def _bound(tag: str, number) -> str:
    return leaf(tag, figure(number), ' respident="response1"')


def _cloze(q: Cloze, ident: str, html: Html) -> _Parts:
    prompt = html(q.marked(markup.GAP_MARK))
    gaps = q.gaps
    for n in range(1, len(gaps) + 1):
        prompt = prompt.replace(markup.GAP_MARK.format(n), f"[{BLANK.format(n)}]")
    parts = _Parts(prompt)
    share = f"{100 / len(gaps):.2f}"
    count = 0
    for n, gap in enumerate(gaps, start=1):
        respident = f"response_{BLANK.format(n)}"
        labels = []
        for answer in gap.answers:
            count += 1
            label = label_ident(ident, count)
            parts.answer_ids.append(label)
            labels.append(_label(label, answer, "text/plain"))
            test = _varequal(respident, label, q.case_sensitive)
            parts.conditions.append(_condition([test], share, action="Add", stop=False))
        blank = _material(BLANK.format(n), "text/plain")
        render = element("render_choice", {}, *labels)
        parts.responses.append(element("response_lid", {"ident": respident}, blank, render))
    return parts


def _matching(q: Matching, ident: str, html: Html) -> _Parts:
    pairs = list(q.pairs)
    lefts = [label_ident(ident, n) for n in range(1, len(pairs) + 1)]
    rights = {p.right: label_ident(ident, len(pairs) + n) for n, p in enumerate(pairs, start=1)}
    # Listed in an order fixed per question, never the order of the left column.
    shown = fixed_shuffle(ident, list(rights), avoid=list(rights))
    labels = [  # Canvas shows a match as plain text; every left lists the same matches
        _label(rights[right], markup.to_plain_text(right), "text/plain") for right in shown
    ]
    render = element("render_choice", {}, *labels)
    parts = _Parts(html(q.prompt), answer_ids=lefts)
    share = f"{100 / len(pairs):.2f}"
    for left, pair in zip(lefts, pairs, strict=True):
        text = _material(html(pair.left, inline=True))
        parts.responses.append(element("response_lid", {"ident": f"response_{left}"}, text, render))
        test = _varequal(f"response_{left}", rights[pair.right])
        parts.conditions.append(_condition([test], share, action="Add", stop=False))
    return parts


# coursegen kind -> Canvas's question_type and the function that builds its item's parts.
# No ordering: classic Canvas quizzes have none. A type not here is left out (see qti.py).
ITEMS: dict[str, tuple[str, Callable[[Any, str, Html], _Parts]]] = {
    "single_choice": ("multiple_choice_question", _choice),
    "multiple_response": ("multiple_answers_question", _choice),
    "true_false": ("true_false_question", _choice),
    "short_answer": ("short_answer_question", _short_answer),
    "cloze": ("fill_in_multiple_blanks_question", _cloze),
    "matching": ("matching_question", _matching),
    "numeric": ("numerical_question", _numeric),
}


# --- elements, as XML text ---------------------------------------------------------------

_OTHER = "<other />"
_LABEL = """\
<response_label ident="{ident}">
  <material>
    {mattext}
  </material>
</response_label>"""
_CONDITION = """\
<respcondition continue="{go_on}">
  <conditionvar>{tests}
  </conditionvar>{then}
</respcondition>"""


def _mattext(text: str, texttype: str) -> str:
    # Text, never markup: it is escaped, as QTI expects HTML inside a mattext.
    return leaf("mattext", text, f' texttype="{texttype}"')


def _material(text: str, texttype: str = "text/html") -> str:
    return f"<material>\n  {_mattext(text, texttype)}\n</material>"


def _label(ident: str, text: str, texttype: str) -> str:
    """A response_label: an option, a blank's accepted answer or a match."""
    return _LABEL.format(ident=escape_attribute(ident), mattext=_mattext(text, texttype))


def _varequal(respident: str, value: str, case_sensitive: bool = False) -> str:
    case = ' case="Yes"' if case_sensitive else ""
    return leaf("varequal", value, f' respident="{escape_attribute(respident)}"{case}')


def _condition(
    tests: list[str],
    score: str | None = None,
    *,
    action: str = "Set",
    feedback: str | None = None,
    stop: bool = True,
) -> str:
    """A respcondition; ``stop`` ends response processing when it matches."""
    then = []
    if score is not None:
        then.append(leaf("setvar", score, f' action="{action}" varname="SCORE"'))
    if feedback is not None:
        link = escape_attribute(feedback)
        then.append(f'<displayfeedback feedbacktype="Response" linkrefid="{link}" />')
    return _CONDITION.format(
        go_on="No" if stop else "Yes", tests=children_at(tests, 2), then=children_at(then, 1)
    )

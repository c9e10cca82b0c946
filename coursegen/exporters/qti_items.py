"""QTI 1.2 items the way Canvas's importer reads them, one function per question kind.

The shapes follow the QTI that Canvas itself exports (its ``lib/cc/qti/qti_items.rb``):
``question_type`` and ``points_possible`` in the item's metadata, the prompt as HTML in a
``mattext``, ``response_lid`` with ``render_choice`` (or ``response_str`` with ``render_fib``),
response processing that sets SCORE to 100 when the answer is right, and ``itemfeedback``
``general_fb`` (the explanation) and ``<option>_fb`` (an option's own feedback).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement

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
    """What one kind contributes to its item."""

    prompt: str
    responses: list[Element] = field(default_factory=list)
    conditions: list[Element] = field(default_factory=list)
    feedback: list[tuple[str, str]] = field(default_factory=list)  # (ident, HTML)
    answer_ids: list[str] = field(default_factory=list)


def build_item(q: Question, ident: str, html: Html) -> Element:
    """The <item> of a question whose kind is in ITEMS."""
    canvas_type, build_parts = ITEMS[q.kind]
    parts = build_parts(q, ident, html)
    item = Element("item", ident=ident, title=q.id)
    metadata = SubElement(SubElement(item, "itemmetadata"), "qtimetadata")
    for label, entry in (
        ("question_type", canvas_type),
        ("points_possible", str(POINTS)),
        ("original_answer_ids", ",".join(parts.answer_ids)),
    ):
        meta_field = SubElement(metadata, "qtimetadatafield")
        SubElement(meta_field, "fieldlabel").text = label
        SubElement(meta_field, "fieldentry").text = entry
    presentation = SubElement(item, "presentation")
    _material(presentation, parts.prompt)
    presentation.extend(parts.responses)
    processing = SubElement(item, "resprocessing")
    SubElement(
        SubElement(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    feedback = parts.feedback
    if q.explanation:
        processing.append(_condition([Element("other")], feedback="general_fb", stop=False))
        feedback = [("general_fb", html(q.explanation)), *feedback]
    processing.extend(parts.conditions)
    for fb_ident, text in feedback:
        flow = SubElement(SubElement(item, "itemfeedback", ident=fb_ident), "flow_mat")
        _material(flow, text)
    return item


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
    lid = Element(
        "response_lid", ident="response1", rcardinality="Multiple" if multiple else "Single"
    )
    render = SubElement(
        lid, "render_choice", shuffle="Yes" if getattr(q, "shuffle", False) else "No"
    )
    parts = _Parts(html(q.prompt), responses=[lid])
    tests = []
    for n, (text, correct, feedback, texttype) in enumerate(options, start=1):
        option = label_ident(ident, n)
        parts.answer_ids.append(option)
        _material(SubElement(render, "response_label", ident=option), text, texttype)
        if feedback:
            parts.conditions.append(
                _condition([_varequal("response1", option)], feedback=f"{option}_fb", stop=False)
            )
            parts.feedback.append((f"{option}_fb", html(feedback)))
        if correct or multiple:
            test = _varequal("response1", option)
            tests.append(test if correct else _wrap("not", [test]))
    right = _wrap("and", tests) if multiple else tests[0]
    parts.conditions.append(_condition([right], score="100"))
    return parts


def _short_answer(q: ShortAnswer, ident: str, html: Html) -> _Parts:
    response = Element("response_str", ident="response1", rcardinality="Single")
    fib = SubElement(response, "render_fib")
    SubElement(fib, "response_label", ident="answer1", rshuffle="No")
    tests = [_varequal("response1", a, q.case_sensitive) for a in q.answers]
    right = tests[0] if len(tests) == 1 else _wrap("or", tests)
    return _Parts(html(q.prompt), responses=[response], conditions=[_condition([right], "100")])


def _numeric(q: Numeric, ident: str, html: Html) -> _Parts:
    """A condition per right figure, as Canvas exports an exact answer with its margin: the
    figure itself, or any number within its range. Canvas's numerical answers are all right
    answers, so a known wrong figure has none (see qti.shortfalls)."""
    response = Element("response_str", ident="response1", rcardinality="Single")
    fib = SubElement(response, "render_fib", fibtype="Decimal")
    SubElement(fib, "response_label", ident="answer1")
    parts = _Parts(html(q.prompt), responses=[response])
    for n, answer in enumerate((a for a in q.answers if a.correct), start=1):
        label = label_ident(ident, n)
        parts.answer_ids.append(label)
        within = _wrap("and", [_bound("vargte", answer.low), _bound("varlte", answer.high)])
        test = _wrap("or", [_varequal("response1", figure(answer.value)), within])
        feedback = f"{label}_fb" if answer.feedback else None
        parts.conditions.append(_condition([test], "100", feedback=feedback))
        if feedback:
            parts.feedback.append((feedback, html(answer.feedback, inline=True)))
    return parts


def _bound(tag: str, number) -> Element:
    bound = Element(tag, respident="response1")
    bound.text = figure(number)
    return bound


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
        lid = Element("response_lid", ident=respident)
        _material(lid, BLANK.format(n), "text/plain")
        render = SubElement(lid, "render_choice")
        parts.responses.append(lid)
        for answer in gap.answers:
            count += 1
            label = label_ident(ident, count)
            parts.answer_ids.append(label)
            _material(SubElement(render, "response_label", ident=label), answer, "text/plain")
            test = _varequal(respident, label, q.case_sensitive)
            parts.conditions.append(_condition([test], share, action="Add", stop=False))
    return parts


def _matching(q: Matching, ident: str, html: Html) -> _Parts:
    pairs = list(q.pairs)
    lefts = [label_ident(ident, n) for n in range(1, len(pairs) + 1)]
    rights = {p.right: label_ident(ident, len(pairs) + n) for n, p in enumerate(pairs, start=1)}
    # Listed in an order fixed per question, never the order of the left column.
    shown = fixed_shuffle(ident, list(rights), avoid=list(rights))
    parts = _Parts(html(q.prompt), answer_ids=lefts)
    share = f"{100 / len(pairs):.2f}"
    for left, pair in zip(lefts, pairs, strict=True):
        lid = Element("response_lid", ident=f"response_{left}")
        _material(lid, html(pair.left, inline=True))
        render = SubElement(lid, "render_choice")
        for right in shown:  # Canvas shows a match as plain text
            label = SubElement(render, "response_label", ident=rights[right])
            _material(label, markup.to_plain_text(right), "text/plain")
        parts.responses.append(lid)
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


# --- elements ----------------------------------------------------------------------------


def _material(parent: Element, text: str, texttype: str = "text/html") -> None:
    # Text, never markup: ElementTree escapes it, as QTI expects HTML inside a mattext.
    SubElement(SubElement(parent, "material"), "mattext", texttype=texttype).text = text


def _varequal(respident: str, value: str, case_sensitive: bool = False) -> Element:
    test = Element("varequal", respident=respident)
    if case_sensitive:
        test.set("case", "Yes")
    test.text = value
    return test


def _wrap(tag: str, tests: list[Element]) -> Element:
    wrapper = Element(tag)
    wrapper.extend(tests)
    return wrapper


def _condition(
    tests: list[Element],
    score: str | None = None,
    *,
    action: str = "Set",
    feedback: str | None = None,
    stop: bool = True,
) -> Element:
    """A respcondition; ``stop`` ends response processing when it matches."""
    condition = Element("respcondition", {"continue": "No" if stop else "Yes"})
    SubElement(condition, "conditionvar").extend(tests)
    if score is not None:
        SubElement(condition, "setvar", action=action, varname="SCORE").text = score
    if feedback is not None:
        SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=feedback)
    return condition

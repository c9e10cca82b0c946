"""The checks of one question at a time: its options, its stem and its feedback."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..markup import fold
from ..model import MultipleResponse, Numeric, Question, SingleChoice, TrueFalse
from ..questions.choice import Choice
from ..questions.numeric import figure
from .context import Context
from .findings import Finding
from .text import plain

_ALL = re.compile(
    r"\ball (?:of )?(?:the )?(?:above|these|of them)\b|\ball (?:the )?(?:above|"
    r"options|answers|choices) are (?:correct|right|true)\b",
    re.I,
)
_NONE = re.compile(r"\bnone of (?:the )?(?:above|these|them|the options|the answers)\b", re.I)
_COMBINED = re.compile(
    r"^\W*(?:both|neither|only)?\s*\(?[a-f]\)?\s*(?:,\s*\(?[a-f]\)?\s*)*(?:and|or|nor|&)\s*\(?[a-f]\)?"
    r"(?:\s+(?:only|are (?:correct|right|true)|but not \(?[a-f]\)?))?\W*$"
    r"|\bboth (?:of )?(?:the )?(?:above|these)\b|\bneither of (?:the )?(?:above|these)\b",
    re.I,
)
_NEGATIVE = re.compile(r"\b(?:not|except|cannot|\w+n['’]t)\b(?! only\b)", re.I)
_SENTENCE = re.compile(r"[^.?!:]*(?:[.?!:]+|$)")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1", re.S)
ABSOLUTES = (
    "always",
    "never",
    "only",
    "completely",
    "absolutely",
    "entirely",
    "solely",
    "exclusively",
    "totally",
    "invariably",
)
_ABSOLUTE = re.compile(r"\b(?:" + "|".join(ABSOLUTES) + r")\b", re.I)


def check_question(question: Question, cx: Context) -> Iterator[Finding]:
    """Every finding of one question."""
    if isinstance(question, Choice):
        yield from _lengths(question, cx)
        yield from _wording(question, cx)
        yield from _absolutes(question, cx)
        yield from _feedback(question, cx)
    if isinstance(question, (Choice, TrueFalse)):
        yield from _negative_stem(question, cx)
    if isinstance(question, Numeric):
        yield from _exact_fraction(question, cx)
        yield from _unit_in_prompt(question, cx)


# Characters a length must differ by, as well as by its ratio, to be a clue: between one-word
# options ("Heat", "Oxygen") a ratio is large and says nothing.
GAP = 10


def _lengths(q: Choice, cx: Context) -> Iterator[Finding]:
    sizes = [len(plain(o.text)) for o in q.options]
    right = [n for n, o in zip(sizes, q.options, strict=True) if o.correct]
    wrong = [n for n, o in zip(sizes, q.options, strict=True) if not o.correct]
    if not right or not wrong or not min(sizes):
        return
    factor = 1 + cx.settings.key_longer_by / 100
    if isinstance(q, SingleChoice) and right[0] >= max(factor * max(wrong), max(wrong) + GAP):
        key = next(i for i, o in enumerate(q.options) if o.correct)
        yield Finding.of(
            "key-longest",
            cx.at(q, "options", key, "text"),
            f"the right option is the longest, {right[0] / max(wrong):.1f} times as long as the "
            f"longest distractor ({right[0]} and {max(wrong)} characters)",
            "shorten the right option or lengthen the distractors, so that length gives no clue",
        )
        return
    if isinstance(q, MultipleResponse) and _mean(right) >= max(
        factor * _mean(wrong), _mean(wrong) + GAP
    ):
        yield Finding.of(
            "key-longest",
            cx.at(q, "options"),
            f"the right options are on average {_mean(right) / _mean(wrong):.1f} times as long as "
            "the wrong ones",
            "shorten the right options or lengthen the wrong ones, so that length gives no clue",
        )
        return
    if max(sizes) >= max(cx.settings.length_ratio * min(sizes), min(sizes) + 2 * GAP):
        yield Finding.of(
            "option-lengths",
            cx.at(q, "options", sizes.index(max(sizes)), "text"),
            f"the options run from {min(sizes)} to {max(sizes)} characters "
            f"({max(sizes) / min(sizes):.1f} times as long)",
            "write the options at about the same length",
        )


def _mean(values: list[int]) -> float:
    return sum(values) / len(values)


_WORDING = (
    (
        "all-of-the-above",
        _ALL,
        "an option that says all the others are right",
        "replace it with a plausible distractor of its own",
    ),
    (
        "none-of-the-above",
        _NONE,
        "an option that says no other is right",
        "replace it with a plausible distractor, or ask for the best answer",
    ),
    (
        "combined-options",
        _COMBINED,
        "an option that combines other options",
        "ask about one thing per question, or make it a multiple-response question",
    ),
)


def _wording(q: Choice, cx: Context) -> Iterator[Finding]:
    for i, option in enumerate(q.options):
        for code, pattern, what, hint in _WORDING:
            if pattern.search(plain(option.text)):
                yield Finding.of(
                    code, cx.at(q, "options", i, "text"), f"'{option.text}' is {what}", hint
                )
                break


def _negative_stem(q: Question, cx: Context) -> Iterator[Finding]:
    strong = [m.span(2) for m in _STRONG.finditer(q.prompt)]
    start, end = (0, len(q.prompt)) if isinstance(q, TrueFalse) else _asking(q.prompt)
    for match in _NEGATIVE.finditer(q.prompt):
        word = match.group()
        if word.isupper() or any(a <= match.start() < b for a, b in strong):
            continue
        lead = len(q.prompt[start : match.start()].split())
        asks = start <= match.start() < end and (isinstance(q, TrueFalse) or lead < LEAD_WORDS)
        if asks or word.lower() == "except":
            yield Finding.of(
                "negative-stem",
                cx.at(q, "prompt"),
                f"the prompt asks in the negative ('{word}') without emphasis",
                f"ask in the positive; if the negative must stay, write it **{word.upper()}**",
            )
            return


# A question's own negative comes early ("Which of these is not..."); a 'not' further on is
# part of what it asks about ("...the view that reform is not comprehensive enough?").
LEAD_WORDS = 8


def _asking(prompt: str) -> tuple[int, int]:
    """Where the sentence that asks is: the last one with a question mark, else the last."""
    sentences = [m.span() for m in _SENTENCE.finditer(prompt) if m.group().strip()]
    asking = [s for s in sentences if "?" in prompt[s[0] : s[1]]] or sentences or [(0, 0)]
    return asking[-1]


def _absolutes(q: Choice, cx: Context) -> Iterator[Finding]:
    if any(_ABSOLUTE.search(o.text) for o in q.options if o.correct):
        return
    for i, option in enumerate(q.options):
        found = _ABSOLUTE.search(option.text)
        if found and not option.correct:
            yield Finding.of(
                "absolute-distractor",
                cx.at(q, "options", i, "text"),
                f"a distractor says '{found.group()}' and no right option does: the word "
                "marks it as wrong",
                "word the distractor without the absolute, or let a right option be as absolute",
            )


def _feedback(q: Choice, cx: Context) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, option in enumerate(q.options):
        if option.feedback is None:
            if not option.correct:
                yield Finding.of(
                    "missing-feedback",
                    cx.at(q, "options", i, "text"),
                    f"the distractor '{option.text}' has no feedback",
                    "add 'feedback:' saying why this option is wrong",
                )
            continue
        key = fold(option.feedback)
        if key in seen:
            yield Finding.of(
                "repeated-feedback",
                cx.at(q, "options", i, "feedback"),
                f"option {i + 1} has the same feedback as option {seen[key] + 1}",
                "say why this option in particular is wrong",
            )
        else:
            seen[key] = i


def _exact_fraction(q: Numeric, cx: Context) -> Iterator[Finding]:
    """A right figure with decimals and no tolerance: only its exact digits are right."""
    for i, answer in enumerate(q.answers):
        if answer.correct and not answer.tolerance and answer.value != answer.value.to_integral():
            shown = figure(answer.value)
            written = cx.written.get(q.id) or {}
            loc = ("answer",) if "answer" in written else ("answers", i, "value")
            yield Finding.of(
                "numeric-exact",
                cx.at(q, *loc),
                f"the right figure {shown} has no tolerance, so a learner who rounds it "
                "otherwise is marked wrong",
                f"give it a tolerance, such as 'tolerance: {figure(_last_digit(answer.value))}' "
                "or 'tolerance: 1%'",
            )


def _last_digit(value):
    """Half a unit of the figure's last decimal: 0.05 for 3.14's neighbours to round to it."""
    return type(value)(5).scaleb(value.as_tuple().exponent - 1)


# Units a prompt may ask for an answer in ("in metres", "how many km", "(kg)"): English only,
# as the review's other word lists are.
_UNITS = (
    r"%|percent|per cent|°c|°f|degrees|mm|cm|m|km|metres?|meters?|kilometres?|kilometers?|"
    r"miles?|g|kg|grams?|kilograms?|tonnes?|tons?|l|ml|litres?|liters?|seconds?|minutes?|"
    r"hours?|days?|weeks?|months?|years?|km/h|mph|hpa|kpa|dinars?|dollars?|euros?"
)
_UNIT_ASKED = re.compile(rf"\b(?:in|how many)\s+(?P<a>{_UNITS})(?![\w/])|\((?P<b>{_UNITS})\)", re.I)


def _unit_in_prompt(q: Numeric, cx: Context) -> Iterator[Finding]:
    """A prompt that asks for a unit the question does not declare: a learner who types it
    after the figure ("45 km") is told that it is not a number."""
    found = None if q.unit else _UNIT_ASKED.search(plain(q.prompt))
    if found:
        unit = found.group("a") or found.group("b")
        yield Finding.of(
            "numeric-unit",
            cx.at(q, "prompt"),
            f"the prompt asks for the answer in '{unit}', but the question has no 'unit'",
            f"add 'unit: {unit}', so that an answer typed with it is read and the unit shown",
        )

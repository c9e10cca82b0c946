"""The checks of the course as a whole: patterns a test-wise learner could learn to exploit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from math import comb

from ..markup import fold
from ..model import BLOOM_LEVELS, MultipleResponse, SingleChoice, TrueFalse
from .context import Context
from .findings import Finding
from .text import plain

# Below this many, a share says little: three questions cannot be spread over four letters.
MIN_FOR_POSITIONS = 8


def true_false_split(cx: Context) -> Iterator[Finding]:
    """The share of true answers, per module and for the course, within the bounds."""
    course = cx.course
    everything = [q for q in course.questions if isinstance(q, TrueFalse)]
    for module in course.modules:
        found = [q for q in course.questions_of(module.id) if isinstance(q, TrueFalse)]
        yield from _split(f"module '{module.id}'", found, cx)
    yield from _split("the course", everything, cx)


def _split(where: str, questions: list[TrueFalse], cx: Context) -> Iterator[Finding]:
    trues = sum(q.answer for q in questions)
    falses = len(questions) - trues
    low, high = cx.settings.true_min, cx.settings.true_max
    # A split no closer to even can be had (one of three true) is never a finding.
    if not questions or low <= 100 * trues / len(questions) <= high or abs(trues - falses) <= 1:
        return
    majority = trues > falses
    first = next(q for q in questions if q.answer is majority)
    yield Finding.of(
        "true-false-split",
        cx.at(first, "answer"),
        f"in {where}, {trues} of {len(questions)} true/false answers are true "
        f"({100 * trues / len(questions):.0f}%; allowed {low}-{high}%): answering "
        f"'{str(majority).lower()}' every time scores "
        + _percent(max(trues, falses), len(questions)),
        f"rewrite some {'true' if majority else 'false'} statements so that they are "
        f"{'false' if majority else 'true'}",
    )


def key_position(cx: Context) -> Iterator[Finding]:
    """Where the right option of single-choice questions is written, against chance."""
    questions = [q for q in cx.course.questions if isinstance(q, SingleChoice)]
    if len(questions) < MIN_FOR_POSITIONS:
        return
    seen = Counter(_key_index(q) for q in questions)
    expected = Counter()
    for q in questions:
        for i in range(len(q.options)):
            expected[i] += 1 / len(q.options)
    position, count = max(seen.items(), key=lambda item: (item[1] / expected[item[0]], -item[0]))
    if count < (1 + cx.settings.key_position_excess / 100) * expected[position]:
        return
    fixed = sum(not q.shuffle for q in questions)
    shown = (
        f"{fixed} of them {'has' if fixed == 1 else 'have'} 'shuffle: false' and always "
        f"{'shows' if fixed == 1 else 'show'} that order, and"
        if fixed
        else "the pages shuffle the options, but"
    )
    first = next(q for q in questions if _key_index(q) == position)
    yield Finding.of(
        "key-position",
        cx.at(first, "options", position),
        f"the right option is written in position {position + 1} in {count} of "
        f"{len(questions)} single-choice questions (by chance about {expected[position]:.0f}); "
        f"{shown} the print and no-script views and the answer key show the written order",
        "move right options so that each position holds about its share",
    )


def right_first(cx: Context) -> Iterator[Finding]:
    """Multiple-response questions whose right options are all written before the wrong ones."""
    questions = [q for q in cx.course.questions if isinstance(q, MultipleResponse) and _mixed(q)]
    first = [q for q in questions if _right_first(q)]
    expected = sum(1 / comb(len(q.options), _rights(q)) for q in questions)
    excess = 1 + cx.settings.key_position_excess / 100
    if len(questions) < MIN_FOR_BLOCKS or len(first) < excess * expected:
        return
    yield Finding.of(
        "key-position",
        cx.at(first[0], "options"),
        f"the right options come before every wrong one in {len(first)} of {len(questions)} "
        f"multiple-response questions (by chance about {expected:.0f}); the print and "
        "no-script views and the answer key show the written order",
        "mix right and wrong options in the order they are written",
    )


# "All right options first" is rare by chance (1 in 10 for two of five), so fewer tell.
MIN_FOR_BLOCKS = 4


def _rights(q: MultipleResponse) -> int:
    return sum(o.correct for o in q.options)


def _mixed(q: MultipleResponse) -> bool:
    return 0 < _rights(q) < len(q.options)


def _right_first(q: MultipleResponse) -> bool:
    return all(o.correct for o in q.options[: _rights(q)])


def _key_index(q: SingleChoice) -> int:
    return next(i for i, o in enumerate(q.options) if o.correct)


def longest_keys(cx: Context) -> Iterator[Finding]:
    """How many single-choice keys are the one longest option of their question."""
    questions = [q for q in cx.course.questions if isinstance(q, SingleChoice)]
    longest = [q for q in questions if key_is_longest(q)]
    if len(questions) < MIN_FOR_POSITIONS:
        return
    share = 100 * len(longest) / len(questions)
    if share <= cx.settings.longest_keys:
        return
    chance = 100 * sum(1 / len(q.options) for q in questions) / len(questions)
    yield Finding.of(
        "longest-keys",
        cx.course.pos,
        f"the right option is the longest in {len(longest)} of {len(questions)} single-choice "
        f"questions ({share:.0f}%; by chance about {chance:.0f}%; allowed "
        f"{cx.settings.longest_keys}%): picking the longest option pays",
        "shorten right options or lengthen distractors until length gives no clue",
    )


def key_is_longest(q: SingleChoice) -> bool:
    """Whether the right option is longer than every other."""
    sizes = [len(plain(o.text)) for o in q.options]
    key = _key_index(q)
    return all(sizes[key] > n for i, n in enumerate(sizes) if i != key)


ABOVE_REMEMBER = frozenset(BLOOM_LEVELS[1:])
APPLY_OR_ABOVE = frozenset(BLOOM_LEVELS[2:])


def remember_only(cx: Context) -> Iterator[Finding]:
    """Objectives that no question assesses above the 'remember' level."""
    levels: dict[tuple[str, str], set] = {}
    for q in cx.course.questions:
        for objective in q.objectives:
            levels.setdefault((q.module_id, objective), set()).add(q.bloom)
    for module in cx.course.modules:
        for objective in module.objectives:
            found = levels.get((module.id, objective.id), set())
            if "remember" in found and not found & ABOVE_REMEMBER:
                yield Finding.of(
                    "remember-only",
                    objective.pos,
                    f"objective '{objective.id}' is assessed only at the 'remember' level",
                    "add a question that asks the learner to explain, apply or analyse it "
                    "(bloom: understand, apply or analyse)",
                )


def glossary_twice(cx: Context) -> Iterator[Finding]:
    """A key term defined in more than one module (whatever the definitions say)."""
    first: dict[str, tuple[str, object]] = {}
    for module in cx.course.modules:
        for term in module.key_terms:
            key = fold(term.term)
            if key in first and first[key][0] != module.id:
                other, pos = first[key]
                yield Finding.of(
                    "glossary-twice",
                    term.pos,
                    f"the key term '{term.term}' is also defined in module '{other}' (at {pos})",
                    "define the term in the module that teaches it, and refer to it elsewhere",
                )
            first.setdefault(key, (module.id, term.pos))


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%"

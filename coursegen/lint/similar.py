"""Questions that ask one fact twice, and prompts copied from the lesson.

Comparing every pair of questions would take quadratic time: 50,000 questions make over a
billion pairs. Near-duplicates are found instead by MinHash with locality-sensitive hashing:
each question's set of content words gets a signature of ``BANDS * ROWS`` minimum hashes,
questions whose signatures agree on a whole band land in one bucket, and only questions
sharing a bucket are compared, exactly. Two questions sharing 60% of their content words meet
in some bucket with a probability of 98%, 70% with 99.9%; the hashes are fixed, so a course
always gives the same findings.
"""

from __future__ import annotations

import hashlib
import struct
from collections import Counter, defaultdict
from collections.abc import Iterator

from ..model import Question
from .context import Context
from .findings import Finding
from .text import asked, content_words, statement, words

BANDS, ROWS = 16, 3
MIN_WORDS = 3  # fewer content words than this say too little to compare
COMMON_SHARE = 0.2  # a word in more questions than this share (and ten) is the course's topic
MIN_PROMPT_WORDS = 8  # a shorter prompt copies little however it is written

_UNPACK = struct.Struct(f"<{BANDS * ROWS}I").unpack


def near_duplicates(cx: Context) -> Iterator[Finding]:
    """A finding at the later question of each pair that shares too many content words."""
    questions = cx.course.questions
    for first, second, share in similar_pairs(questions, cx.settings.near_duplicate / 100):
        a, b = questions[first], questions[second]
        yield Finding.of(
            "near-duplicate",
            b.pos,
            f"question '{b.id}' asks what question '{a.id}' asks ({share:.0%} of their content "
            f"words are shared; '{a.id}' is at {a.pos})",
            "ask about a point no other question tests, or keep only one of the two",
        )


def similar_pairs(questions: tuple[Question, ...], threshold: float) -> list[tuple]:
    """(i, j, share) for each pair i < j whose content words overlap by ``threshold`` or more."""
    sets = _content_sets(questions)
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for index, signature in _signatures(sets):
        for band in range(0, BANDS * ROWS, ROWS):
            buckets[band, signature[band : band + ROWS]].append(index)
    candidates = {
        (members[i], other)
        for members in buckets.values()
        if len(members) > 1
        for i in range(len(members))
        for other in members[i + 1 :]
    }
    pairs = []
    for i, j in sorted(candidates):
        shared = len(sets[i] & sets[j])
        share = shared / (len(sets[i]) + len(sets[j]) - shared)
        if share >= threshold:
            pairs.append((i, j, share))
    return pairs


def _content_sets(questions: tuple[Question, ...]) -> list[frozenset[str]]:
    found = [content_words(statement(q)) for q in questions]
    counts = Counter(w for ws in found for w in set(ws))
    common = max(COMMON_SHARE * len(questions), 10)
    return [frozenset(w for w in ws if counts[w] <= common) for ws in found]


def _signatures(sets: list[frozenset[str]]) -> Iterator[tuple[int, tuple[int, ...]]]:
    hashes: dict[str, tuple[int, ...]] = {}
    for index, words_ in enumerate(sets):
        if len(words_) < MIN_WORDS:
            continue
        rows = [hashes.get(w) or hashes.setdefault(w, _hashes(w)) for w in words_]
        yield index, tuple(map(min, zip(*rows, strict=True)))


def _hashes(word: str) -> tuple[int, ...]:
    """``BANDS * ROWS`` independent 32-bit hashes of a word, the same in every run."""
    return _UNPACK(hashlib.shake_128(word.encode()).digest(4 * BANDS * ROWS))


def copied_prompts(cx: Context) -> Iterator[Finding]:
    """Prompts whose words come from the module's lesson in runs of ``copied_run`` or more."""
    run = cx.settings.copied_run
    for module in cx.course.modules:
        lesson = _runs([module.body, module.summary], run)
        for q in cx.course.questions_of(module.id):
            prompt = words(asked(q))  # a cloze with its gaps filled: the sentence copied
            if len(prompt) < MIN_PROMPT_WORDS:
                continue
            copied = _copied(prompt, lesson, run)
            if 100 * copied >= cx.settings.copied * len(prompt):
                yield Finding.of(
                    "copied-prompt",
                    cx.at(q, "prompt"),
                    f"{copied / len(prompt):.0%} of the prompt's words ({copied} of {len(prompt)}) "
                    f"are copied from the lesson, in runs of {run} words or more",
                    "ask in your own words, or about a situation the lesson does not describe, "
                    "so that the question tests understanding rather than recall of wording",
                )


def _runs(texts: list[str], run: int) -> set[tuple[str, ...]]:
    found = set()
    for text in texts:
        ws = words(text)  # Markdown's marks are not words, nor is a link's address
        found.update(tuple(ws[i : i + run]) for i in range(len(ws) - run + 1))
    return found


def _copied(prompt: list[str], lesson: set[tuple[str, ...]], run: int) -> int:
    """How many words of ``prompt`` stand in a run of ``run`` words that the lesson has too."""
    covered = [False] * len(prompt)
    for i in range(len(prompt) - run + 1):
        if tuple(prompt[i : i + run]) in lesson:
            covered[i : i + run] = [True] * run
    return sum(covered)

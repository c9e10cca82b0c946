"""The review's pipeline: load and validate the course, run every check, count."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..build import gc_paused
from ..errors import Severity, SourcePos, ValidationFailed
from ..loader import load_course
from ..model import BLOOM_LEVELS, Course, SingleChoice, TrueFalse
from ..schemacheck import check
from ..validate import validate
from . import items, patterns, similar
from .context import Context, written_questions
from .findings import Finding
from .settings import CODES, LintIn

COURSE_CHECKS = (
    patterns.longest_keys,
    patterns.true_false_split,
    patterns.key_position,
    patterns.right_first,
    similar.near_duplicates,
    similar.copied_prompts,
    patterns.remember_only,
    patterns.glossary_twice,
)


@dataclass(frozen=True)
class Review:
    """The findings, sorted, with counts per code and the course's figures."""

    findings: list[Finding]
    figures: dict

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(f.code for f in self.findings)
        return {code: found[code] for code in CODES if found[code]}

    def as_dict(self) -> dict:
        return {
            "findings": [f.as_dict() for f in self.findings],
            "counts": self.counts,
            "figures": self.figures,
        }


def lint_course(course_dir: str | Path) -> Review:
    """Load, validate and review a course; raise ValidationFailed if it is not valid."""
    with gc_paused():
        raw = load_course(course_dir, quick=False)  # findings point into most questions
        course, diagnostics = validate(raw)
    if course is None:
        raise ValidationFailed([d for d in diagnostics if d.severity is Severity.ERROR])
    settings = settings_of(raw.manifest, course.pos)
    return review(Context(course, settings, written_questions(raw)))


def settings_of(manifest, where: SourcePos) -> LintIn:
    """The manifest's ``lint:`` thresholds (validation has checked them already)."""
    data = manifest.get("lint") if isinstance(manifest, dict) else None
    found, _ = check(LintIn, data, where) if data is not None else (LintIn(), [])
    return found or LintIn()


def review(cx: Context) -> Review:
    """Run every check; keep the findings of those the settings leave on."""
    found = [f for q in cx.course.questions for f in items.check_question(q, cx)]
    for course_check in COURSE_CHECKS:
        found += course_check(cx)
    off = set(cx.settings.disable)
    kept = sorted((f for f in found if f.code not in off), key=lambda f: f.diagnostic.sort_key())
    return Review(kept, figures(cx.course, similar_count=_pairs(found)))


def _pairs(found: list[Finding]) -> int:
    return sum(f.code == "near-duplicate" for f in found)


def figures(course: Course, similar_count: int) -> dict:
    """What the review measures of the course as a whole, findings or not."""
    singles = [q for q in course.questions if isinstance(q, SingleChoice)]
    true_false = [q for q in course.questions if isinstance(q, TrueFalse)]
    bloom = Counter(q.bloom or "unset" for q in course.questions)
    return {
        "questions": len(course.questions),
        "single_choice": len(singles),
        "longest_keys": sum(map(patterns.key_is_longest, singles)),
        "longest_keys_by_chance": round(sum(1 / len(q.options) for q in singles), 1),
        "true_false": {
            "true": sum(q.answer for q in true_false),
            "false": sum(not q.answer for q in true_false),
        },
        "bloom": {level: bloom[level] for level in (*BLOOM_LEVELS, "unset") if bloom[level]},
        "above_remember": sum(bloom[level] for level in patterns.ABOVE_REMEMBER),
        "apply_or_above": sum(bloom[level] for level in patterns.APPLY_OR_ABOVE),
        "near_duplicate_pairs": similar_count,
    }

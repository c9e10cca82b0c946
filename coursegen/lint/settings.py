"""The review's thresholds, as the manifest's ``lint:`` mapping sets them.

Every threshold is a whole number (a percentage, a ratio or a count of words) so that
validation explains a wrong value in the same words as any other number of the manifest.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..schematypes import Strict, WholeNumber

# Every finding's code, in the order the README lists them.
CODES = (
    "key-longest",
    "option-lengths",
    "longest-keys",
    "all-of-the-above",
    "none-of-the-above",
    "combined-options",
    "negative-stem",
    "absolute-distractor",
    "true-false-split",
    "key-position",
    "near-duplicate",
    "copied-prompt",
    "missing-feedback",
    "repeated-feedback",
    "remember-only",
    "glossary-twice",
    "numeric-exact",
    "numeric-unit",
)

Code = Literal[CODES]  # type: ignore[valid-type]


class LintIn(Strict):
    """The ``lint:`` mapping of modules/course.yaml: thresholds of `coursegen lint`."""

    key_longer_by: WholeNumber = Field(
        25, ge=0, description="Percent by which a right option may outgrow the longest distractor."
    )
    length_ratio: WholeNumber = Field(
        3, ge=1, description="How many times the longest option may be as long as the shortest."
    )
    longest_keys: WholeNumber = Field(
        40,
        ge=0,
        le=100,
        description="Percent of single-choice keys that may be the longest option.",
    )
    true_min: WholeNumber = Field(
        35, ge=0, le=100, description="Lowest percent of true/false answers that may be true."
    )
    true_max: WholeNumber = Field(
        65, ge=0, le=100, description="Highest percent of true/false answers that may be true."
    )
    key_position_excess: WholeNumber = Field(
        50, ge=0, description="Percent above chance that one key position may hold."
    )
    near_duplicate: WholeNumber = Field(
        60, ge=1, le=100, description="Percent of content words two questions may share."
    )
    copied: WholeNumber = Field(
        50,
        ge=1,
        le=100,
        description="Percent of a prompt's words that may be copied from the lesson.",
    )
    copied_run: WholeNumber = Field(
        4, ge=2, description="Words in a row, found in the lesson, that count as copied."
    )
    disable: list[Code] = Field([], description="Codes of checks not to run.")

"""A finding of the review: a warning Diagnostic, and the guideline it comes from.

The guidelines are those of Haladyna, Downing and Rodriguez, "A Review of Multiple-Choice
Item-Writing Guidelines for Classroom Assessment", Applied Measurement in Education 15(3),
2002, cited by number; their words are quoted where the quotation was checked against the
paper's Table 1, and given in short otherwise. Checks that no guideline states say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Diagnostic, Severity, SourcePos

HDR = "Haladyna, Downing & Rodriguez (2002)"

GUIDELINES = {
    "key-longest": f'{HDR}, guideline 24: "Keep the length of choices about equal."; '
    'guideline 28d: a "conspicuous correct choice" is a clue',
    "option-lengths": f'{HDR}, guideline 24: "Keep the length of choices about equal."',
    "longest-keys": f'{HDR}, guideline 24: "Keep the length of choices about equal."; '
    'guideline 28d: a "conspicuous correct choice" is a clue',
    "all-of-the-above": f'{HDR}, guideline 26: "Avoid All-of-the-above."',
    "none-of-the-above": f'{HDR}, guideline 25: "None-of-the-above should be used carefully."',
    "combined-options": f"{HDR}, guideline 9: avoid the complex multiple-choice (Type K) "
    "format; guideline 22: keep choices independent, not overlapping",
    "negative-stem": f'{HDR}, guideline 17: "Word the stem positively, avoid negatives such '
    "as NOT or EXCEPT. If negative words are used, use the word cautiously and always ensure "
    'that the word appears capitalized and boldface."',
    "absolute-distractor": f'{HDR}, guideline 28a: avoid clues such as "Specific determiners '
    'including always, never, completely, and absolutely."',
    "true-false-split": f"{HDR}, guideline 20 (vary the location of the right answer), as it "
    "applies to true/false answers",
    "key-position": f'{HDR}, guideline 20: "Vary the location of the right answer according '
    'to the number of choices."',
    "near-duplicate": f"{HDR}, guideline 4: keep the content of each item independent of "
    "the other items",
    "copied-prompt": f'{HDR}, guideline 3: "Use novel material to test higher level '
    'learning. Paraphrase textbook language ... to avoid testing for simply recall."',
    "missing-feedback": "coursegen's own rule (the 31 guidelines are about items, not "
    "feedback): feedback on a distractor tells the learner why that choice is wrong",
    "repeated-feedback": "coursegen's own rule (the 31 guidelines are about items, not "
    "feedback): feedback on a distractor tells the learner why that choice is wrong",
    "remember-only": f'{HDR}, guideline 3: "Use novel material to test higher level learning."',
    "glossary-twice": "coursegen's own rule, not one of the 31 item-writing guidelines: "
    "a key term is taught in one module",
    "numeric-exact": "coursegen's own rule, not one of the 31 item-writing guidelines: a "
    "figure with decimals is typed as the learner rounds it",
    "numeric-unit": "coursegen's own rule, not one of the 31 item-writing guidelines: the "
    "unit a prompt asks for is the one the answer field reads",
}


@dataclass(frozen=True)
class Finding:
    """One judgement of the review: where, what, how to fix it, and on whose authority."""

    diagnostic: Diagnostic
    guideline: str

    @classmethod
    def of(cls, code: str, pos: SourcePos, message: str, hint: str) -> Finding:
        return cls(Diagnostic(pos, Severity.WARNING, message, code, hint), GUIDELINES[code])

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def severity(self) -> Severity:
        return self.diagnostic.severity

    def format(self) -> str:
        return f"{self.diagnostic.format()}\n    guideline: {self.guideline}"

    def as_dict(self) -> dict:
        d = self.diagnostic
        return {
            "path": d.pos.path,
            "line": d.pos.line,
            "col": d.pos.col,
            "severity": d.severity.value,
            "code": d.code,
            "message": d.message,
            "hint": d.hint,
            "guideline": self.guideline,
        }

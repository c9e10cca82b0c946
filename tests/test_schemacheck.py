"""Schema checks: each value must have the type the schema gives it, with no coercion."""

import pytest

from coursegen import yamlio
from coursegen.errors import SourcePos
from coursegen.schema import FinalAssessmentIn
from coursegen.schemacheck import check


def final_assessment(text: str):
    return check(FinalAssessmentIn, yamlio.load(text, "course.yaml"), SourcePos("course.yaml"))


def test_unquoted_numbers_and_booleans_are_read_as_written():
    checked, diagnostics = final_assessment("questions: 70\npass_mark: 70.0\nshuffle: no\n")
    assert diagnostics == []
    assert (checked.questions, checked.pass_mark, checked.shuffle) == (70, 70, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "shuffle: 'yes'",
            "course.yaml:1:10: 'shuffle' must be true or false, found the text 'yes'"
            " (write true or false without quotes)",
        ),
        (
            'shuffle: "false"',
            "course.yaml:1:10: 'shuffle' must be true or false, found the text 'false'"
            " (write true or false without quotes)",
        ),
        (
            "shuffle: 1",
            "course.yaml:1:10: 'shuffle' must be true or false, found the number 1"
            " (write true or false here)",
        ),
        (
            'pass_mark: "70"',
            "course.yaml:1:12: 'pass_mark' must be a whole number, found the text '70'"
            " (write a whole number without quotes)",
        ),
        (
            "questions: true",
            "course.yaml:1:12: 'questions' must be a whole number, found true"
            " (write a whole number here)",
        ),
        (
            "questions: 7.5",
            "course.yaml:1:12: 'questions' must be a whole number, found the number 7.5"
            " (write a whole number here)",
        ),
        (
            "questions: .nan",
            "course.yaml:1:12: 'questions' must be a whole number, found the number nan"
            " (write a whole number here)",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_where_it_is(text, expected):
    _, diagnostics = final_assessment(text + "\n")
    assert [f"{d.pos}: {d.message} ({d.hint})" for d in diagnostics] == [expected]

"""`new`, `schema`, `stats`, `import-csv`, and how `build` talks to a terminal."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.model import QUESTION_KINDS

from .anki_helpers import fresh_collection, import_apkg
from .conftest import FIXTURES


def git_status(folder: Path) -> list[str]:
    """What git would add in ``folder``: what the course's .gitignore leaves to commit."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    listed = subprocess.run(
        ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=normal"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(line[3:] for line in listed.splitlines())


def test_new_scaffolds_a_course_that_validates_and_builds(runner, tmp_path):
    target = tmp_path / "Map Reading"
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 0, result.output
    assert (
        (target / "modules" / "course.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../.coursegen/course.schema.json\n")
    )
    assert (
        "id: map-reading\ntitle: Map Reading\n" in (target / "modules" / "course.yaml").read_text()
    )
    assert result.output.endswith(
        "Builds write output/ (git ignores it) and question_banks/anki-lock.json, which keeps "
        "Anki notes updating in place: commit that file with your bank edits.\n"
    )
    schema = json.loads((target / ".coursegen" / "question-bank.schema.json").read_text())
    assert schema["title"] == "BankIn"
    strict = runner.invoke(main, ["validate", "--strict", str(target)])
    assert strict.exit_code == 0, strict.output
    assert strict.output.endswith("ok: 1 module, 8 questions, 2 flashcards\n")
    built = runner.invoke(main, ["build", str(target)])
    assert built.exit_code == 0, built.output
    assert git_status(target) == [".coursegen/", ".gitignore", "modules/", "question_banks/"]
    col_dir = tmp_path / "anki"
    col_dir.mkdir()
    col = fresh_collection(col_dir)
    assert import_apkg(col, target / "output" / "anki" / "map-reading.apkg")["new"] == 10
    col.close()


def test_new_uses_every_question_type(runner, tmp_path):
    runner.invoke(main, ["new", str(tmp_path / "c")])
    bank = (tmp_path / "c" / "question_banks" / "reading-maps.yaml").read_text()
    for kind in QUESTION_KINDS:
        assert f"type: {kind}\n" in bank


def test_new_refuses_to_overwrite(runner, tmp_path):
    (tmp_path / "taken").mkdir()
    result = runner.invoke(main, ["new", str(tmp_path / "taken")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'taken'}: already exists; coursegen new never "
        "overwrites, so choose a new folder name\n"
    )
    assert list((tmp_path / "taken").iterdir()) == []


def test_schema_is_generated_from_the_validators_definitions(runner):
    result = runner.invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    question_types = {
        d["properties"]["type"]["const"]
        for d in schema["$defs"].values()
        if "type" in d.get("properties", {})
    }
    assert question_types == set(QUESTION_KINDS)
    module = json.loads(runner.invoke(main, ["schema", "module"]).output)
    assert set(module["required"]) == {"id", "title", "objectives"}
    assert module["additionalProperties"] is False


def test_stats_report(runner):
    result = runner.invoke(main, ["stats", str(FIXTURES / "full")])
    assert result.exit_code == 0
    assert result.output.splitlines()[:9] == [
        "Every Feature Course (full-course): 2 modules, 9 questions, 2 flashcards, "
        "59 words of lessons",
        "",
        "01 The Water Cycle [water]",
        "  7 questions, 2 flashcards, 39 words",
        "  types:      single_choice 1, multiple_response 1, true_false 1, short_answer 1, "
        "cloze 1, matching 1, ordering 1",
        "  difficulty: easy 2, medium 3, hard 2",
        "  bloom:      remember 2, understand 2, apply 1, analyse 1, unset 1",
        "  objectives (questions assessing each):",
        "    describe-cycle         5",
    ]
    assert "    name-instruments    2\n" in result.output


def test_stats_counts_one_module_in_the_singular(runner):
    result = runner.invoke(main, ["stats", str(FIXTURES / "minimal")])
    assert result.output.splitlines()[0] == (
        "A Minimal Course (minimal): 1 module, 1 question, 0 flashcards, 8 words of lessons"
    )


def test_stats_json(runner):
    result = runner.invoke(main, ["stats", "--json", str(FIXTURES / "full")])
    stats = json.loads(result.output)
    weather = stats["modules"][1]
    assert weather["objectives"] == [
        {
            "id": "name-instruments",
            "text": "Name the instruments that measure weather.",
            "questions": 2,
            "enough": True,
        }
    ]
    assert stats["modules"][0]["types"]["cloze"] == 1
    assert stats["modules"][1]["types"]["numeric"] == 1


CSV = (FIXTURES / "questions.csv").read_text()


def test_import_csv_writes_a_bank_that_validates(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    sheet = tmp_path / "questions.csv"
    sheet.write_text(CSV)
    result = runner.invoke(
        main, ["import-csv", str(sheet), "--module", "basics", "--course", str(course), "--force"]
    )
    assert result.exit_code == 0, result.output
    bank = (course / "question_banks" / "basics.yaml").read_text()
    assert "  - id: cap-1\n    type: single_choice\n" in bank
    assert "    answers:\n      - Paris\n      - City of Light\n" in bank
    check = runner.invoke(main, ["validate", "--strict", str(course)])
    assert check.output.endswith("ok: 1 module, 6 questions, 0 flashcards\n")


def test_import_csv_reports_rows_and_writes_nothing(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    before = (course / "question_banks" / "basics.yaml").read_text()
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "id,type,prompt,options,explanaton,objectives,difficulty,source\n"
        "cap-1,single_choise,What?,*A | B,x,name-capital,easy,Paris is the capital of France\n"
        "cap-2,single_choice,What?,A | B,x,name-capitol,hard,not in the text\n"
    )
    result = runner.invoke(
        main, ["import-csv", str(sheet), "--module", "basics", "--course", str(course), "--force"]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if not line.startswith("    hint")]
    assert lines == [
        f"{sheet}:1:1: error: missing column 'explanation' [missing-column]",
        f"{sheet}:1:5: error: unknown column 'explanaton' [unknown-column]",
        f"{sheet}:2:2: error: unknown question type 'single_choise'; did you mean "
        "'single_choice'? [unknown-type]",
        f"{sheet}:3:1: error: missing required key 'explanation' [missing-key]",
        "Error: course is not valid: 4 errors, 0 warnings",
    ]
    assert (course / "question_banks" / "basics.yaml").read_text() == before


def test_import_csv_reports_six_mistakes_in_one_run(runner, course_copy, tmp_path):
    """One broken row hides no other row's problems, nor the checks across rows."""
    sheet = tmp_path / "six.csv"
    lines = import_sheet(
        runner,
        course_copy("minimal"),
        sheet,
        HEADER + b"c-1,single_choise,What?,*Paris | Lyon,,Paris.,name-capital,easy,%(s)s\n"
        b"c-2,true_false,Lyon is the capital.,,false,,name-capital,easy,%(s)s\n"
        b"c-3,true_false,Paris is the capital.,,true,Yes.,name-capital,easy,%(s)s\n"
        b"c-3,true_false,Lyon is a capital.,,false,No.,name-capital,easy,%(s)s\n"
        b"c-5,true_false,Paris is big.,,true,Yes.,name-capital,easy,Paris is big\n"
        b"c-6,cloze,Paris is the capital.,,,Paris.,name-capital,easy,%(s)s\n"
        b"c-7,short_answer,Name it.,,Paris,Paris.,name-capitol,easy,%(s)s\n" % {b"s": SOURCE},
    )
    assert [line for line in lines if not line.startswith("    hint")] == [
        f"{sheet}:2:2: error: unknown question type 'single_choise'; did you mean "
        "'single_choice'? [unknown-type]",
        f"{sheet}:3:6: error: the 'explanation' cell is empty [empty]",
        f"{sheet}:5:1: error: id 'c-3' is used twice (first at {sheet}:4:1) [duplicate-id]",
        f"{sheet}:6:9: error: source quotation not found in module 'basics' [source-not-found]",
        f"{sheet}:7:3: error: a cloze question needs at least one gap in its prompt [cloze-gap]",
        f"{sheet}:8:7: error: module 'basics' has no objective 'name-capitol'; did you mean "
        "'name-capital'? [unknown-objective]",
        "Error: course is not valid: 6 errors, 0 warnings",
    ]


def import_sheet(runner, course, sheet: Path, content: bytes) -> list[str]:
    """Import ``content`` as ``sheet``, check it fails and writes nothing; return the output."""
    before = (course / "question_banks" / "basics.yaml").read_text()
    sheet.write_bytes(content)
    result = runner.invoke(
        main, ["import-csv", str(sheet), "--module", "basics", "--course", str(course), "--force"]
    )
    assert result.exit_code == 1
    assert (course / "question_banks" / "basics.yaml").read_text() == before
    return result.output.splitlines()


HEADER = b"id,type,prompt,options,answer,explanation,objectives,difficulty,source,bloom\n"
SOURCE = b"Paris is the capital of France"


def test_import_csv_reports_cells_beyond_the_header(runner, course_copy, tmp_path):
    sheet = tmp_path / "shifted.csv"
    lines = import_sheet(
        runner,
        course_copy("minimal"),
        sheet,
        HEADER
        + b"cap-1,true_false,Paris?,,true,Yes.,name-capital,easy,"
        + SOURCE
        + b",remember,,\n"
        + b"cap-2,true_false,Lyon?,,false,No, Paris is.,name-capital,easy,"
        + SOURCE
        + b",,"
        + b"x,Paris is the capital of France and its largest city\n",
    )
    assert lines == [
        f"{sheet}:3:7: error: 'Paris' is not a valid id [bad-id]",
        "    hint: ids use lowercase letters, digits and single hyphens, e.g. 'ov-mission-1'",
        f"{sheet}:3:7: error: 'is.' is not a valid id [bad-id]",
        "    hint: ids use lowercase letters, digits and single hyphens, e.g. 'ov-mission-1'",
        f"{sheet}:3:8: error: 'difficulty' cannot be 'name-capital' [bad-value]",
        "    hint: use one of: easy, medium or hard",
        f"{sheet}:3:10: error: 'bloom' cannot be '{SOURCE.decode()}' [bad-value]",
        "    hint: use one of: remember, understand, apply, analyse, evaluate or create",
        f"{sheet}:3:12: error: cells beyond the last column ('bloom'): 'x', "
        "'Paris is the capital of France and...' [extra-cells]",
        "    hint: this row has 13 cells but the header names 10 columns; a comma inside a cell "
        "needs the cell in double quotes",
        "Error: course is not valid: 5 errors, 0 warnings",
    ]


def test_import_csv_reports_blank_required_cells_at_their_column(runner, course_copy, tmp_path):
    sheet = tmp_path / "short.csv"
    lines = import_sheet(
        runner,
        course_copy("minimal"),
        sheet,
        HEADER
        + b"cap-1,single_choice,Capital?,*Paris | Lyon,,Paris.,name-capital\n"
        + b"cap-2,true_false,Lyon?,,,No.,name-capital,easy,"
        + SOURCE
        + b"\n"
        + b"cap-3,short_answer,Name it.,,,Paris.,,easy,"
        + SOURCE
        + b"\n",
    )
    assert lines == [
        f"{sheet}:2:9: error: the 'source' cell is empty [empty]",
        "    hint: copy the passage of the lesson that the question rests on",
        f"{sheet}:3:5: error: the 'answer' cell is empty [empty]",
        "    hint: write true or false (true_false), or the accepted answers separated by '|'",
        f"{sheet}:4:5: error: the 'answer' cell is empty [empty]",
        "    hint: write true or false (true_false), or the accepted answers separated by '|'",
        f"{sheet}:4:7: error: the 'objectives' cell is empty [empty]",
        "    hint: write the ids of the objectives it assesses, separated by spaces",
        "Error: course is not valid: 4 errors, 0 warnings",
    ]


def test_import_csv_reports_a_repeated_column(runner, course_copy, tmp_path):
    sheet = tmp_path / "twice.csv"
    lines = import_sheet(
        runner,
        course_copy("minimal"),
        sheet,
        b"id,type,prompt,answer,explanation,answer,objectives,difficulty,source\n"
        b"cap-1,true_false,Paris?,true,Yes.,false,name-capital,hard," + SOURCE + b"\n",
    )
    assert lines == [
        f"{sheet}:1:6: error: duplicate column 'answer' [duplicate-column]",
        "    hint: column 4 is 'answer' already; remove one of the two",
        "Error: course is not valid: 1 error, 0 warnings",
    ]


def test_import_csv_locates_bytes_that_are_not_utf8_text(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    sheet = tmp_path / "latin.csv"
    row = b"cap-1,true_false,Paris est la capitale?,,true,Oui.,name-capital,easy," + SOURCE + b"\n"
    # A cell of two lines, in quotes, saved as Windows-1252: the row starts on line 3.
    latin = row.replace(b"Paris est la capitale?", '"la capitale ?\n(répondez)"'.encode("cp1252"))
    lines = import_sheet(runner, course, sheet, b"\xef\xbb\xbf" + HEADER + row + latin)
    offset = 3 + len(HEADER) + len(row) + len(b'cap-1,true_false,"la capitale ?\n(r')
    assert lines == [
        f"{sheet}:3:3: error: the file is not valid UTF-8 (byte 0xe9 at offset {offset}) "
        "[encoding]",
        "    hint: save the sheet as 'CSV UTF-8'",
        "Error: course is not valid: 1 error, 0 warnings",
    ]
    lines = import_sheet(runner, course, sheet, HEADER + row + row.replace(b"Oui", b"O\0ui"))
    assert lines == [
        f"{sheet}:3:6: error: the file contains a NUL byte; it is not a text file [not-text]",
        "    hint: save the sheet as 'CSV UTF-8'",
        "Error: course is not valid: 1 error, 0 warnings",
    ]


def test_import_csv_reports_a_quote_that_is_never_closed(runner, course_copy, tmp_path):
    sheet = tmp_path / "quote.csv"
    row = b"cap-1,true_false,Paris?,,true,Yes.,name-capital,easy," + SOURCE + b"\n"
    lines = import_sheet(
        runner, course_copy("minimal"), sheet, HEADER + row + row.replace(b"Yes.", b'"Yes.') + row
    )
    assert lines == [
        f"{sheet}:3:6: error: the double quote that opens this cell is never closed [bad-csv]",
        "    hint: add a double quote where the cell ends; write a double quote inside such a "
        'cell as two ("")',
        "Error: course is not valid: 1 error, 0 warnings",
    ]


@pytest.mark.parametrize("separator", [b";", b"\t"], ids=["semicolon", "tab"])
def test_import_csv_reads_the_separator_the_sheet_uses(runner, course_copy, tmp_path, separator):
    course = course_copy("minimal")
    sheet = tmp_path / "sheet.csv"
    rows = [HEADER.rstrip(b"\n"), b"cap-1,true_false,Paris?,,true,Yes.,name-capital,easy," + SOURCE]
    sheet.write_bytes(b"\n".join(r.replace(b",", separator) for r in rows) + b"\n")
    args = ["import-csv", str(sheet), "--module", "basics", "--course", str(course), "--force"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        "  - id: cap-1\n    type: true_false\n"
        in (course / "question_banks" / "basics.yaml").read_text()
    )


def test_import_csv_says_how_to_mark_right_options_in_the_sheet(runner, course_copy, tmp_path):
    sheet = tmp_path / "stars.csv"
    lines = import_sheet(
        runner,
        course_copy("minimal"),
        sheet,
        HEADER + b"cap-1,single_choice,Capital?,Paris | Lyon,,Paris.,name-capital,easy," + SOURCE,
    )
    assert lines[:2] == [
        f"{sheet}:2:4: error: a single_choice question needs exactly one correct option, "
        "found 0 [correct-count]",
        "    hint: in the 'options' cell, put '*' before each right option, as in '*Paris | Lyon'",
    ]


def test_import_csv_refuses_to_overwrite_without_force(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    sheet = tmp_path / "q.csv"
    sheet.write_text(CSV)
    result = runner.invoke(
        main, ["import-csv", str(sheet), "--module", "basics", "--course", str(course)]
    )
    assert result.exit_code == 1
    assert "already exists; use --force to replace it" in result.output


def test_build_is_quiet_when_piped_and_with_quiet(runner, course_copy):
    course = course_copy("minimal")
    piped = runner.invoke(main, ["build", str(course), "-f", "html"])
    assert "validate..." not in piped.output  # CliRunner is not a terminal
    quiet = runner.invoke(main, ["build", str(course), "-f", "html", "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_no_color_is_honoured(runner, course_copy, monkeypatch):
    course = course_copy("minimal", overlay=FIXTURES / "invalid" / "unknown-type")
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(main, ["validate", str(course)], color=True)
    assert "\x1b[" not in result.output
    monkeypatch.delenv("NO_COLOR")
    coloured = runner.invoke(main, ["validate", str(course)], color=True)
    assert "\x1b[31m\x1b[1merror\x1b[0m" in coloured.output


def test_the_readme_documents_every_command():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for command in ("validate", "build", "new", "stats", "serve", "schema", "import-csv"):
        assert f"`coursegen {command}" in readme, command


def test_import_csv_reads_cloze_gaps_as_yaml_does(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    sheet = tmp_path / "gaps.csv"
    sheet.write_text(
        "id,type,prompt,explanation,objectives,difficulty,source\n"
        "gap-1,cloze,The capital is {{Paris.,x,name-capital,easy,Paris is the capital of France\n"
        "gap-2,cloze,{{a {{b}} c}} and d}},x,name-capital,easy,Paris is the capital of France\n"
    )
    result = runner.invoke(
        main, ["import-csv", str(sheet), "--module", "basics", "--course", str(course), "--force"]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if not line.startswith("    hint")]
    assert lines == [
        f"{sheet}:2:3: error: gap '{{{{Paris.' is not closed [cloze-unclosed]",
        f"{sheet}:3:3: error: gap '{{{{b}}}}' is inside another gap [cloze-nested]",
        f"{sheet}:3:3: error: '}}}}' after 'and d' closes no gap [cloze-stray]",
        "Error: course is not valid: 3 errors, 0 warnings",
    ]


NUMERIC_CSV = (
    "id,type,prompt,answer,explanation,objectives,source\n"
    "cap-count,numeric,How many capitals has France?,1,One.,name-capital,"
    "Paris is the capital of France\n"
    'cap-far,numeric,How far is Lyon?,"465 ± 2% km | !392 km # as the crow flies, not by road",'
    "About 465 km.,name-capital,Paris is the capital of France\n"
)


def test_import_csv_reads_figures_tolerances_units_and_known_mistakes(
    runner, course_copy, tmp_path
):
    course = course_copy("minimal")
    sheet = tmp_path / "numbers.csv"
    sheet.write_text(NUMERIC_CSV)
    result = runner.invoke(
        main, ["import-csv", str(sheet), "--module", "basics", "--course", str(course), "--force"]
    )
    assert result.exit_code == 0, result.output
    bank = (course / "question_banks" / "basics.yaml").read_text()
    assert "    type: numeric\n    prompt: How many capitals has France?\n    answer: 1\n" in bank
    assert (
        "    type: numeric\n"
        "    prompt: How far is Lyon?\n"
        "    answers:\n"
        "      - value: 465\n"
        "        tolerance: 2%\n"
        "      - value: 392\n"
        "        correct: false\n"
        "        feedback: as the crow flies, not by road\n"
        "    unit: km\n"
    ) in bank


def test_import_csv_reports_a_figure_that_is_no_number_at_its_cell(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    sheet = tmp_path / "numbers.csv"
    sheet.write_text(NUMERIC_CSV.replace(",1,One.", ",about one,One.").replace("± 2%", "± -2"))
    result = runner.invoke(
        main, ["import-csv", str(sheet), "--module", "basics", "--course", str(course), "--force"]
    )
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if ": error: " in line] == [
        f"{sheet}:2:4: error: 'answer' must be a number, found the text 'about one' [wrong-type]",
        f"{sheet}:3:4: error: 'tolerance' cannot be negative, found the number -2 [bad-tolerance]",
    ]

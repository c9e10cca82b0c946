"""A final assessment's blueprint: validated against the bank at each rule's line, built into
every format, and shown against the bank by `coursegen stats`."""

from __future__ import annotations

import json
import zipfile

import pytest

from coursegen.assessment import final_pools, levels
from coursegen.build import build_course, check_course
from coursegen.cli import main
from coursegen.exporters import EXPORTERS
from coursegen.model import BLOOM_LEVELS
from coursegen.stats import course_stats

from .conftest import FIXTURES

MANIFEST = (FIXTURES / "blueprint" / "modules" / "course.yaml").read_text()
RULES = MANIFEST.split("  blueprint:\n")[1]


def validate(runner, course_copy, monkeypatch, manifest: str) -> tuple[int, str]:
    course = course_copy("blueprint")
    (course / "modules" / "course.yaml").write_text(manifest)
    monkeypatch.chdir(course)
    result = runner.invoke(main, ["validate", "."])
    return result.exit_code, result.output


def test_the_fixture_validates_and_builds_every_format(course_copy, tmp_path):
    course_dir = course_copy("blueprint")  # a build writes the Anki lock beside the banks
    course, diagnostics = check_course(course_dir)
    assert diagnostics == []
    assert course.final_assessment.questions == 6  # the blueprint's total
    result = build_course(course_dir, tmp_path / "out")
    assert sorted(result.written) == sorted(EXPORTERS)


def test_a_rule_the_bank_cannot_meet_fails_at_its_line(runner, course_copy, monkeypatch):
    extra = "    - name: Hard speed\n      draw: 4\n      module: speed\n      difficulty: hard\n"
    manifest = MANIFEST.replace(
        "      bloom: apply+\n", "      bloom: apply+\n      module: signs\n"
    )
    code, output = validate(runner, course_copy, monkeypatch, manifest + extra)
    assert code == 1
    assert output == (
        "modules/course.yaml:22:7: error: rule 3 (module 'speed', difficulty hard) needs "
        "4 questions, the bank has 2: sp-rain-gap, sp-twice-speed [blueprint-short]\n"
        "    hint: lower 'draw' to 2, widen the rule, or write 2 more such questions\n"
        "Error: course is not valid: 1 error, 0 warnings\n"
    )


def test_each_set_of_a_per_rule_is_checked(runner, course_copy, monkeypatch):
    manifest = MANIFEST.replace("      draw: 1\n", "      draw: 2\n", 1)
    manifest = manifest.replace("bloom: [remember, understand]", "bloom: remember")
    code, output = validate(runner, course_copy, monkeypatch, manifest)
    rule = "rule 1 (2 per objective, bloom remember)"
    assert output == (
        f"modules/course.yaml:14:7: error: {rule}, objective 'read-signs' of module 'signs', "
        "needs 2 questions, the bank has 1: sg-stop-meaning [blueprint-short]\n"
        "    hint: lower 'draw' to 1, widen the rule, or write 1 more such question\n"
        f"modules/course.yaml:14:7: error: {rule}, objective 'speed-limits' of module 'speed', "
        "needs 2 questions, the bank has 1: sp-town-limit [blueprint-short]\n"
        "    hint: lower 'draw' to 1, widen the rule, or write 1 more such question\n"
        f"modules/course.yaml:14:7: error: {rule}, objective 'stopping-distance' of module "
        "'speed', needs 2 questions, the bank has 1: sp-wet-road [blueprint-short]\n"
        "    hint: lower 'draw' to 1, widen the rule, or write 1 more such question\n"
        "Error: course is not valid: 3 errors, 0 warnings\n"
    )
    assert code == 1


def test_unknown_names_overlaps_empty_sets_and_a_wrong_total(runner, course_copy, monkeypatch):
    manifest = MANIFEST.replace("  pass_mark: 60\n", "  pass_mark: 60\n  questions: 20\n") + (
        "    - draw: 1\n      module: sped\n      tag: [scenaro]\n"
        "    - draw: 1\n      objective: [read-sign]\n"
        "    - draw: 1\n      difficulty: easy\n      bloom: analyse+\n"
        "    - draw: 1\n      tag: scenario\n"
    )
    code, output = validate(runner, course_copy, monkeypatch, manifest)
    assert output == (
        "modules/course.yaml:13:14: error: the final assessment draws 20 questions, but its "
        "blueprint draws 10 [blueprint-total]\n"
        "    hint: remove 'questions' (the blueprint's total is the count), or make it 10\n"
        "modules/course.yaml:23:15: error: rule 3: no module has the id 'sped'; did you mean "
        "'speed'? [blueprint-unknown]\n"
        "    hint: name a module of the manifest's 'modules:'\n"
        "modules/course.yaml:24:13: error: rule 3: no question has the tag 'scenaro'; did you "
        "mean 'scenario'? [blueprint-unknown]\n"
        "    hint: name a tag that questions of the banks have\n"
        "modules/course.yaml:26:19: error: rule 4: 'read-sign' is not an objective of any "
        "module the rule covers; did you mean 'read-signs'? [blueprint-unknown]\n"
        "    hint: name an objective id of a module's front matter\n"
        "modules/course.yaml:27:7: error: rule 5 (difficulty easy, bloom analyse or above) "
        "selects no question [blueprint-empty]\n"
        "    hint: no question of the banks passes all of its filters: widen or remove the rule\n"
        "modules/course.yaml:30:7: error: rule 6 (tag 'scenario') and rule 2 (bloom apply or "
        "above) both select 2 questions: sg-school, sp-rain-gap [blueprint-overlap]\n"
        "    hint: each question can count for one rule only: narrow one of them so that the "
        "sets part, e.g. 'bloom: [remember, understand]' beside 'bloom: apply+'\n"
        "Error: course is not valid: 6 errors, 0 warnings\n"
    )
    assert code == 1


def test_a_bad_level_is_a_schema_error_with_a_suggestion(runner, course_copy, monkeypatch):
    manifest = MANIFEST.replace("bloom: apply+", "bloom: aply+")
    code, output = validate(runner, course_copy, monkeypatch, manifest)
    assert code == 1
    assert output == (
        "modules/course.yaml:20:14: error: item 1 of 'bloom' cannot be 'aply+'; did you mean "
        "'apply+'? [bad-value]\n"
        "    hint: use one of: remember, understand, apply, analyse, evaluate, create, remember+, "
        "understand+, apply+, analyse+, evaluate+ or create+\n"
        "Error: course is not valid: 1 error, 0 warnings\n"
    )


def test_the_total_may_be_given_when_it_agrees(runner, course_copy, monkeypatch):
    manifest = MANIFEST.replace("  pass_mark: 60\n", "  pass_mark: 60\n  questions: 6\n")
    code, output = validate(runner, course_copy, monkeypatch, manifest)
    assert (code, output) == (0, ".: ok: 2 modules, 13 questions, 0 flashcards\n")


def test_a_level_with_a_plus_is_it_and_every_level_above():
    assert levels(("apply+",), BLOOM_LEVELS) == {"apply", "analyse", "evaluate", "create"}
    assert levels(("remember", "analyse"), BLOOM_LEVELS) == {"remember", "analyse"}


def test_a_question_on_two_objectives_counts_for_the_first_it_lists(course_copy):
    course_dir = course_copy("blueprint")
    bank = course_dir / "question_banks" / "speed.yaml"
    bank.write_text(bank.read_text().replace("bloom: analyse", "bloom: understand"))
    course, _ = check_course(course_dir)
    sets = {p.objective.id: p for p in final_pools(course) if p.objective is not None}
    # sp-twice-speed assesses [speed-limits, stopping-distance]
    assert [q.id for q in sets["speed-limits"].questions] == [
        "sp-town-limit", "sp-limit-sign", "sp-twice-speed"
    ]  # fmt: skip
    assert [q.id for q in sets["stopping-distance"].questions] == [
        "sp-distance-parts", "sp-wet-road"
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["qti", "moodle"])
def test_a_set_a_format_cannot_fill_is_warned_about(runner, course_copy, monkeypatch, fmt):
    manifest = MANIFEST.replace(
        "      bloom: apply+\n", "      bloom: apply+\n      module: signs\n"
    )
    course = course_copy("blueprint")
    (course / "modules" / "course.yaml").write_text(manifest)
    monkeypatch.chdir(course)
    result = runner.invoke(main, ["validate", "-f", fmt, "."])
    if fmt == "moodle":  # Moodle carries the ordering question
        assert "changes the final assessment" not in result.output
        return
    assert (
        "modules/course.yaml:18:7: warning: qti changes the final assessment's rule 2 (module "
        "'signs', bloom apply or above): it draws 2, but the package holds only 1 of its "
        "questions, so each attempt draws fewer [qti-changed]\n"
        "    hint: add questions of a type the format carries to the set, or lower its 'draw'\n"
    ) in result.output


def test_stats_show_the_blueprint_against_the_bank(runner):
    result = runner.invoke(main, ["stats", str(FIXTURES / "blueprint")])
    assert result.exit_code == 0
    assert result.output.split("\n\n")[-1] == (
        "Final assessment blueprint: 6 questions per attempt (each set: questions drawn of "
        "those in the bank)\n"
        '  rule 1 (1 per objective, bloom remember or understand) "One on each objective"\n'
        "    signs / read-signs           1 of 2\n"
        "    signs / sign-shapes          1 of 2\n"
        "    speed / speed-limits         1 of 2\n"
        "    speed / stopping-distance    1 of 2\n"
        '  rule 2 (bloom apply or above) "Applying the rules": 2 of 4\n'
        "  questions no rule selects: 1\n"
        "  questions on each objective per attempt (at least, on average):\n"
        "    signs / read-signs         1   2.00\n"
        "    signs / sign-shapes        1   1.00\n"
        "    speed / speed-limits       1   1.50\n"
        "    speed / stopping-distance  1   2.00\n"
    )
    figures = json.loads(
        runner.invoke(main, ["stats", "--json", str(FIXTURES / "blueprint")]).output
    )
    assert figures["blueprint"]["sets"][-1] == {
        "rule": 2,
        "rule_text": "rule 2 (bloom apply or above)",
        "name": "Applying the rules",
        "part": "",
        "draws": 2,
        "bank": 4,
    }
    assert figures["blueprint"]["objectives"][1] == {
        "module": "signs", "objective": "sign-shapes", "at_least": 1, "mean": 1.0
    }  # fmt: skip


def test_without_shuffling_stats_count_the_questions_every_attempt_holds(course_copy):
    course_dir = course_copy("blueprint")
    manifest = course_dir / "modules" / "course.yaml"
    manifest.write_text(
        manifest.read_text().replace("  pass_mark: 60\n", "  pass_mark: 60\n  shuffle: false\n")
    )
    course, _ = check_course(course_dir)
    read_signs = course_stats(course)["blueprint"]["objectives"][0]
    # sg-stop-meaning (rule 1), then sg-school and sg-stop-steps (rule 2's first two)
    assert read_signs == {"module": "signs", "objective": "read-signs", "at_least": 3, "mean": 3.0}


def test_the_scorm_package_carries_the_html_final_that_draws_by_the_blueprint(tmp_path):
    result = build_course(FIXTURES / "blueprint", tmp_path / "out", ["html", "scorm"])
    site = result.out_dir / "html" / "final-assessment.html"
    with zipfile.ZipFile(result.out_dir / "road-safety-scorm12.zip") as package:
        final = package.read("final-assessment.html")
    assert final == site.read_bytes()
    assert b'"draws": [{"draw": 1, "questions": ["sg-stop-meaning", "sg-give-way"]}' in final

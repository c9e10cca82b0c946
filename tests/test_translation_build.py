"""`coursegen build --lang` and `validate`: a course built in the language of its translation."""

import io
import re
import zipfile

import pytest
from babel.messages.pofile import read_po, write_po

from coursegen.build import build_course
from coursegen.cli import main
from coursegen.errors import ValidationFailed
from coursegen.markup import quotable
from coursegen.translation.extract import extract
from coursegen.translation.walk import course_units

from .anki_helpers import fresh_collection, import_apkg

EPOCH = "1700000000"


def ar(text):
    """'AR ' + ``text``, after the Markdown that starts it ('## AR Stages')."""
    return re.sub(
        r"^((?:#{1,6}|\d+\.|[-*])\s+)?", lambda m: (m.group(1) or "") + "AR ", text, count=1
    )


def fake(message, catalog):
    """'AR ' + the English; a quotation, the translated text of the module it quotes."""
    if not message.context.endswith(":source"):
        return ar(message.id)
    quoted = quotable(message.id)
    return next(
        ar(m.id)
        for m in catalog
        if m.context and not m.context.startswith("question:") and quoted in quotable(m.id)
    )


def translate_files(course, translate=fake):
    """Translate every entry of every PO file, as a translator's tool would save it."""
    for path in sorted((course / "modules/translations/ar").glob("*.po")):
        with path.open("rb") as file:
            catalog = read_po(file)
        for message in catalog:
            if message.id:
                message.string = translate(message, catalog) or ""
        buffer = io.BytesIO()
        write_po(buffer, catalog, include_previous=True)
        path.write_bytes(buffer.getvalue())


@pytest.fixture
def translated(course_copy, monkeypatch):
    """The full course with every text translated as 'AR ' + the English (gaps kept)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    course = course_copy("full")
    extract(course, "ar")
    translate_files(course)
    return course


def line_of(path, context, showing=""):
    """The line of the msgid of the entry of ``context`` (whose English shows ``showing``)."""
    with path.open("rb") as file:
        return next(m.lineno for m in read_po(file) if m.context == context and showing in m.id)


def test_build_in_arabic_builds_every_format_from_the_translation(translated):
    result = build_course(translated, language="ar")
    course = result.course
    assert (course.id, course.language, course.title) == (
        "full-course-ar",
        "ar",
        "AR Every Feature Course",
    )
    assert result.out_dir == translated / "output" / "ar"
    # Every text of the course is its translation; the question ids are the English ones.
    assert [u.context for u in course_units(course) if "AR " not in u.source] == []
    assert [q.id for q in course.questions][:3] == ["wc-stage-first", "wc-clouds", "wc-sun"]
    written = {name: [p.relative_to(result.out_dir).as_posix() for p in paths]
               for name, paths in result.written.items()}  # fmt: skip
    assert written == {
        "html": ["html/index.html", "full-course-ar-html.zip", "instructor/index.html"],
        "anki": ["anki/full-course-ar.apkg", "CHANGELOG.md"],
        "scorm": ["full-course-ar-scorm12.zip"],
        "qti": ["full-course-ar-qti.zip"],
        "moodle": ["full-course-ar-moodle.xml"],
        "gift": ["full-course-ar.gift"],
    }
    out = result.out_dir
    water = (out / "html" / "01-water.html").read_text()
    assert '<html lang="ar" dir="rtl">' in water
    for text in ("AR The Water Cycle", "AR Rain refills rivers", "AR Evaporation"):
        assert text in water
    moodle = (out / "full-course-ar-moodle.xml").read_text()
    assert "AR Which instrument measures air pressure?" in moodle
    assert "AR Rising vapour cools and" in moodle  # the cloze, its gaps kept
    gift = (out / "full-course-ar.gift").read_text()
    assert "AR Which instrument measures air pressure?" in gift
    for package in ("full-course-ar-scorm12.zip", "full-course-ar-qti.zip"):
        with zipfile.ZipFile(out / package) as archive:
            text = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        assert "AR Which instrument measures air pressure?" in text
        assert "full-course-ar" in text and "full-course-ar.we-pressure" in text


def test_the_arabic_deck_lives_beside_the_english_one_in_one_collection(translated, tmp_path):
    english = build_course(translated, formats=["anki"]).written["anki"][0]
    arabic = build_course(translated, formats=["anki"], language="ar").written["anki"][0]
    folder = tmp_path / "profile"
    folder.mkdir()
    col = fresh_collection(folder)
    try:
        assert import_apkg(col, english)["new"] == 11
        assert import_apkg(col, arabic)["new"] == 11  # none of its notes is an English one
        decks = sorted(d.name for d in col.decks.all_names_and_ids())
        assert decks == [
            "AR Every Feature Course",
            "AR Every Feature Course::01 AR The Water Cycle",
            "AR Every Feature Course::02 AR Weather",
            "Default",
            "Every Feature Course",
            "Every Feature Course::01 The Water Cycle",
            "Every Feature Course::02 Weather",
        ]
        arabic_notes = col.find_notes('deck:"AR Every Feature Course"')
        fields = " ".join(" ".join(col.get_note(n).values()) for n in arabic_notes)
        assert "AR Evaporation" in fields
        assert "AR Which instrument measures air pressure?" in fields
        note_types = {col.get_note(n).mid for n in col.find_notes("")}
        assert len(note_types) == 2 * len(
            {col.get_note(n).mid for n in col.find_notes('deck:"Every Feature Course"')}
        )
    finally:
        col.close()
    # Each language keeps its own Anki history beside the banks.
    assert sorted(p.name for p in (translated / "question_banks").glob("anki-lock*.json")) == [
        "anki-lock.ar.json",
        "anki-lock.json",
    ]


def test_an_english_build_keeps_the_arabic_output(translated):
    build_course(translated, formats=["gift"], language="ar")
    build_course(translated, formats=["gift"])
    assert (translated / "output" / "ar" / "full-course-ar.gift").is_file()
    assert (translated / "output" / "full-course.gift").is_file()


def test_a_text_without_translation_stays_english_with_a_warning(translated, runner):
    po = translated / "modules/translations/ar/weather.po"
    translate_files(
        translated, lambda m, _: "" if m.context == "module:weather:title" else m.string
    )
    result = runner.invoke(main, ["build", "--lang", "ar", "-f", "html", str(translated)])
    assert result.exit_code == 0, result.output
    line = line_of(po, "module:weather:title")
    assert result.stderr.splitlines() == [
        f"{po}:{line}:1: warning: module:weather:title has no 'ar' translation, so it stays in "
        "English: 'Weather' [missing-translation]",
        "    hint: write its translation as the entry's msgstr",
        "ar: 75 of 76 texts translated; 1 in English (1 missing, 0 stale)",
    ]
    page = (translated / "output/ar/html/02-weather.html").read_text()
    assert "الوحدة 2: Weather" in page and "AR Weather" not in page


def test_a_text_with_no_entry_at_all_is_named_with_its_file(translated):
    bank = translated / "question_banks/weather.yaml"
    bank.write_text(
        bank.read_text().replace(
            "      - text: Thermometer\n", "      - text: Thermometer\n      - text: Hygrometer\n"
        )
    )
    result = build_course(translated, formats=["gift"], language="ar")
    [warning] = [d.format() for d in result.diagnostics if d.code == "missing-translation"]
    assert warning == (
        f"{translated}/modules/translations/ar/weather.po: warning: question:we-pressure:option:3 "
        "has no 'ar' translation, so it stays in English: 'Hygrometer' [missing-translation]\n"
        "    hint: run 'coursegen translate extract --lang ar' to add its entry to this file"
    )


def test_editing_an_english_question_makes_its_translation_stale(translated, runner):
    bank = translated / "question_banks/water.yaml"
    bank.write_text(
        bank.read_text().replace("The sun drives evaporation.", "The sun drives most evaporation.")
    )
    po = translated / "modules/translations/ar/water.po"
    line = line_of(po, "question:wc-sun:prompt")
    stale = (
        f"{po}:{line}:1: warning: the English of question:wc-sun:prompt changed since it was "
        "translated, so the English is used; what changed ([-old-] {+new+}): 'The sun drives "
        "{+most+} evaporation.' [stale-translation]\n"
        "    hint: bring the translation up to date with the new English, then remove the "
        "entry's fuzzy mark; 'coursegen translate extract --lang ar' marks it in the file"
    )
    result = runner.invoke(main, ["validate", str(translated)])
    assert (result.exit_code, result.output) == (
        0,
        f"{stale}\nar: 75 of 76 texts translated; 1 in English (0 missing, 1 stale)\n"
        f"{translated}: ok: 2 modules, 9 questions, 2 flashcards, 1 warning\n",
    )
    # Once extraction has marked it (fuzzy, the old English kept), it is still stale.
    extract(translated, "ar")
    moved = line_of(po, "question:wc-sun:prompt")
    result = runner.invoke(main, ["validate", "--lang", "ar", str(translated)])
    assert (
        result.output.splitlines()[:2]
        == stale.replace(f"water.po:{line}:", f"water.po:{moved}:").splitlines()
    )
    built = build_course(translated, formats=["gift"], language="ar")
    assert "::The sun drives most evaporation.::" in (built.written["gift"][0]).read_text()


def test_a_stale_long_text_shows_only_the_words_that_changed(course_copy):
    english = (
        "Rain refills rivers, lakes and the ground water that people drink. In a dry year the "
        "wells of the villages often run low, and the farmers wait for the autumn rains before "
        "they sow."
    )
    translated = course_copy("full")
    lesson = translated / "modules/01-water.md"
    short = "Rain refills rivers, lakes and the ground water that people drink."
    lesson.write_text(lesson.read_text().replace(short, english))
    extract(translated, "ar")
    translate_files(translated)
    lesson.write_text(lesson.read_text().replace("often run low", "run low"))
    result = build_course(translated, formats=["html"], language="ar")
    (stale,) = [d for d in result.diagnostics if d.code == "stale-translation"]
    assert stale.message == (
        "the English of module:water:body changed since it was translated, so the English is "
        "used; what changed ([-old-] {+new+}): '… the wells of the villages [-often-] run low, "
        "and the farmers …'"
    )


@pytest.mark.parametrize(
    ("context", "translation", "message", "code"),
    [
        (
            "question:wc-cloze:prompt",
            "AR {{تتكثف}} غيومًا.",
            "question:wc-cloze:prompt: the translation has 1 gap where the English has 2",
            "translation-gaps",
        ),
        (
            "question:wc-cloze:prompt",
            "AR {{تتكثف}} {{غيوم",
            "question:wc-cloze:prompt: in the translation, gap '{{غيوم' is not closed",
            "translation-cloze",
        ),
        (
            "module:water:body",
            "AR مخطط دورة الماء",
            "module:water:body: the translation leaves out the image 'images/cycle.svg'",
            "translation-image",
        ),
    ],
)
def test_a_translation_that_breaks_the_structure_is_an_error_at_its_line(
    translated, runner, context, translation, message, code
):
    def broken(m, _):
        if m.context == context and (context != "module:water:body" or "![" in m.id):
            return translation
        return m.string

    translate_files(translated, broken)
    po = translated / "modules/translations/ar/water.po"
    line = line_of(po, context, "![" if context == "module:water:body" else "")
    result = runner.invoke(main, ["validate", "--lang", "ar", str(translated)])
    assert result.exit_code == 1
    [error] = [t for t in result.output.splitlines() if ": error: " in t]
    assert error == f"{po}:{line}:1: error: {message} [{code}]"
    with pytest.raises(ValidationFailed):
        build_course(translated, language="ar")


def test_a_translation_file_that_cannot_be_read_is_an_error_at_its_line(translated, runner):
    po = translated / "modules/translations/ar/course.po"
    po.write_text(po.read_text().replace('msgctxt "course:title"', 'msgcontext "course:title"'))
    line = po.read_text().splitlines().index('msgcontext "course:title"') + 1
    result = runner.invoke(main, ["validate", str(translated)])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        f"{po}:{line}:1: error: the translation file cannot be read: Unknown or misformatted "
        "keyword [translation-syntax]",
        "    hint: fix the file in a PO editor (Poedit, Lokalize) or restore it from version "
        "control",
    ]


def test_a_translated_quotation_must_be_in_the_translated_lesson(translated):
    def elsewhere(m, catalog):
        return "AR a sentence of no lesson" if m.context == "question:wc-sun:source" else m.string

    translate_files(translated, elsewhere)
    po = translated / "modules/translations/ar/water.po"
    result = build_course(translated, formats=["html"], language="ar")
    assert [d.format() for d in result.diagnostics] == [
        f"{po}:{line_of(po, 'question:wc-sun:source')}:1: warning: question:wc-sun:source: the "
        "translated quotation is not in the translation of module 'water', so the question "
        "cannot link to it [translation-source-not-found]\n"
        "    hint: copy the words from your translation of the lesson (its summary or key terms), "
        "as they stand there"
    ]


def test_a_quotation_of_a_stale_lesson_block_names_the_block_not_the_quotation(translated):
    lesson = translated / "modules/01-water.md"
    english = "The sun heats the oceans and water *evaporates* into the air."
    lesson.write_text(lesson.read_text().replace(english, english.replace("air", "sky")))
    po = translated / "modules/translations/ar/water.po"
    result = build_course(translated, formats=["html"], language="ar")
    block = f"{po}:{line_of(po, 'module:water:body', 'The sun heats')}:1"
    quoting = [d for d in result.diagnostics if d.code == "translation-source-not-found"]
    assert [d.format() for d in quoting if "wc-s" in d.message] == [
        f"{po}:{line_of(po, f'question:{q}:source')}:1: warning: question:{q}:source: the "
        f"translated quotation is in the translation of module:water:body at {block}, which is "
        "stale and so shown in English: the question cannot link to it until that translation "
        "is up to date [translation-source-not-found]\n"
        "    hint: bring that translation up to date (see its stale-translation warning); the "
        "quotation needs no change if its words stay"
        for q in ("wc-stage-first", "wc-sun")
    ]
    assert [d for d in quoting if "is not in the translation" in d.message] == []
    assert [str(d.pos) for d in result.diagnostics if d.code == "stale-translation"] == [block]


def test_a_lesson_block_translated_as_another_kind_of_block_is_a_warning(translated):
    def unheaded(m, catalog):
        return "AR Stages" if m.id == "## Stages" else m.string

    translate_files(translated, unheaded)
    po = translated / "modules/translations/ar/water.po"
    result = build_course(translated, formats=["html"], language="ar")
    assert [d.format() for d in result.diagnostics] == [
        f"{po}:{line_of(po, 'module:water:body', '## Stages')}:1: warning: module:water:body: "
        "the English is a heading 2, the translation a paragraph [translation-markdown]\n"
        "    hint: begin the translation as the English begins: '## ' before a heading, '1. ' "
        "or '- ' before each item of a list, '|' before each row of a table"
    ]
    assert ">AR Stages</p>" in (result.out_dir / "html/01-water.html").read_text()


def test_a_build_in_a_language_without_translation_files_says_how_to_make_them(course_copy, runner):
    course = course_copy("full")
    result = runner.invoke(main, ["build", "--lang", "fr", str(course)])
    assert (result.exit_code, result.output.strip()) == (
        1,
        f"Error: the course has no 'fr' translation ({course}/modules/translations/fr/ holds "
        "no .po file); write one with: coursegen translate extract --lang fr",
    )
    assert not (course / "output").exists()


def test_a_key_term_translated_two_ways_is_a_warning(course_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    course = course_copy("full")
    weather = course / "modules/02-weather.md"
    weather.write_text(
        weather.read_text().replace(
            "key_terms:\n",
            "key_terms:\n  - term: Evaporation\n"
            "    definition: Water turning from liquid into vapour when it is heated.\n",
        )
    )
    extract(course, "ar")

    def two_ways(m, catalog):
        if m.id == "Evaporation" and m.context.startswith("module:"):
            return "تبخر" if "water" in m.context else "التبخير"
        return fake(m, catalog)

    translate_files(course, two_ways)
    po = course / "modules/translations/ar/weather.po"
    first = course / "modules/translations/ar/water.po"
    result = build_course(course, formats=["html"], language="ar")
    assert [d.format() for d in result.diagnostics] == [
        f"{po}:{line_of(po, 'module:weather:term:1')}:1: warning: module:weather:term:1: the key "
        "term 'Evaporation' is translated 'التبخير' here, but 'تبخر' in module 'water' "
        "[translation-term]\n"
        f"    hint: give the term one translation everywhere (the first is at "
        f"{first}:{line_of(first, 'module:water:term:1')}:1)"
    ]


def test_a_related_topic_must_be_the_translation_of_the_term_it_names(translated):
    translate_files(
        translated, lambda m, _: "ضغط" if m.context == "module:water:topic:2" else m.string
    )
    po = translated / "modules/translations/ar/water.po"
    result = build_course(translated, formats=["html"], language="ar")
    assert [d.format() for d in result.diagnostics] == [
        f"{po}:{line_of(po, 'module:water:topic:2')}:1: warning: module:water:topic:2: the related "
        "topic 'ضغط' is not a key term of the translation, so it links nowhere "
        "[translation-topic]\n"
        "    hint: write exactly the translation of the key term 'Air pressure'"
    ]


def test_an_edited_lesson_paragraph_is_stale_and_a_new_one_missing(translated, runner):
    lesson = translated / "modules/01-water.md"
    text = lesson.read_text().replace("rivers, lakes", "rivers, streams, lakes")
    lesson.write_text(
        text.replace("## Why it matters\n", "## Why it matters\n\nA new paragraph.\n")
    )
    po = translated / "modules/translations/ar/water.po"
    line = line_of(po, "module:water:body", "Rain refills")
    result = runner.invoke(main, ["validate", "--lang", "ar", str(translated)])
    assert result.output.splitlines()[:-2] == [
        f"{po}: warning: module:water:body has no 'ar' translation, so it stays in English: "
        "'A new paragraph.' [missing-translation]",
        "    hint: run 'coursegen translate extract --lang ar' to add its entry to this file",
        f"{po}:{line}:1: warning: the English of module:water:body changed since it was "
        "translated, so the English is used; what changed ([-old-] {+new+}): 'Rain refills "
        "rivers, {+streams,+} lakes and the ground water …' [stale-translation]",
        "    hint: bring the translation up to date with the new English, then remove the "
        "entry's fuzzy mark; 'coursegen translate extract --lang ar' marks it in the file",
    ]
    assert result.output.splitlines()[-2] == (
        "ar: 75 of 77 texts translated; 2 in English (1 missing, 1 stale)"
    )


def test_a_new_course_commits_each_languages_anki_lock_file(runner, tmp_path):
    import subprocess

    course = tmp_path / "course"
    assert runner.invoke(main, ["new", str(course)]).exit_code == 0
    subprocess.run(["git", "init", "-q", str(course)], check=True)
    locks = ["question_banks/anki-lock.json", "question_banks/anki-lock.ar.json", "output/x"]
    ignored = subprocess.run(
        ["git", "-C", str(course), "check-ignore", *locks], capture_output=True, text=True
    )
    assert ignored.stdout == "output/x\n"

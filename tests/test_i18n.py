"""The catalogue of interface strings: complete in every language, counted by CLDR's rules."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys

import pytest

from coursegen.i18n import CATALOGUES, Strings, strings_for

from .conftest import FIXTURES


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_catalogue_has_every_english_entry_in_the_same_shape(language):
    english, entries = CATALOGUES["en"], CATALOGUES[language]
    assert sorted(entries) == sorted(english)
    counted = sorted(key for key, entry in entries.items() if isinstance(entry, dict))
    assert counted == sorted(key for key, entry in english.items() if isinstance(entry, dict))


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_counted_strings_have_each_form_their_language_distinguishes(language):
    t = strings_for(language)
    for key, entry in CATALOGUES[language].items():
        if isinstance(entry, dict):
            assert set(entry) == t.categories(), key


def test_arabic_distinguishes_all_six_cldr_plural_categories():
    assert strings_for("ar").categories() == {"zero", "one", "two", "few", "many", "other"}


def test_no_entry_is_named_like_an_attribute_that_a_template_would_find_first():
    # In a template `t.key` is an attribute before it is an entry.
    assert set(CATALOGUES["en"]) & set(dir(Strings)) == set()


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "لا توجد أسئلة."),
        (1, "سؤال واحد من جميع الوحدات."),
        (2, "سؤالان من جميع الوحدات."),
        (3, "3 أسئلة من جميع الوحدات."),
        (10, "10 أسئلة من جميع الوحدات."),
        (11, "11 سؤالًا من جميع الوحدات."),
        (99, "99 سؤالًا من جميع الوحدات."),
        (100, "100 سؤال من جميع الوحدات."),
        (102, "102 سؤال من جميع الوحدات."),
        (103, "103 أسئلة من جميع الوحدات."),
        (111, "111 سؤالًا من جميع الوحدات."),
        (1000, "1,000 سؤال من جميع الوحدات."),
    ],
)
def test_arabic_counts_take_the_form_cldr_gives_the_number(n, text):
    assert strings_for("ar-IQ").count("final_intro", n) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0 quiz questions"), (1, "1 quiz question"), (2, "2 quiz questions")],
)
def test_english_counts_are_singular_for_one_only(n, text):
    assert strings_for("en").count("questions_count", n) == text


def test_numbers_and_percentages_are_written_in_latin_digits_in_arabic():
    t = strings_for("ar-IQ")  # CLDR's Iraqi default is Arabic-Indic digits; Babel writes Latin
    assert t("question_n", n=3, total=12) == "السؤال 3 من 12"
    assert t.percent(70) == "70%"


def test_an_edition_date_is_written_the_languages_way_in_latin_digits():
    edition = datetime.date(2026, 12, 1)
    assert strings_for("en").date(edition) == "December 1, 2026"
    assert strings_for("ar-IQ").date(edition) == "1 ديسمبر 2026"


def test_a_language_without_a_catalogue_is_english_with_english_plurals():
    t = strings_for("ga")  # Irish has five plural categories, English two
    assert (t.language, t.categories()) == ("en", {"one", "other"})
    assert t.count("final_intro", 2) == "2 questions drawn from every module."


def test_an_adjective_after_a_count_of_11_to_99_agrees_with_its_accusative_noun():
    assert strings_for("ar").count("progress_correct", 11) == "11 إجابةً صحيحةً"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_a_catalogue_s_language_has_the_direction_and_catalogue_langcodes_gives_it(language):
    import langcodes

    from coursegen.i18n import _DIRECTIONS, RTL_SCRIPTS, direction

    read = langcodes.Language.get(language, normalize=True)
    script_direction = "rtl" if read.maximize().script in RTL_SCRIPTS else "ltr"
    assert (direction(language), _DIRECTIONS[language]) == (script_direction, script_direction)
    assert read.prefer_macrolanguage().language == language
    assert strings_for(language).language == language


def test_a_course_in_a_catalogue_s_language_builds_without_loading_langcodes(tmp_path):
    shutil.copytree(FIXTURES / "full", tmp_path / "course")
    script = (
        "import sys\n"
        "from coursegen.build import build_course\n"
        f"build_course({str(tmp_path / 'course')!r})\n"
        "print('langcodes' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "False\n"), done.stderr

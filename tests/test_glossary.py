"""The glossary: one entry per term across modules, honest where modules disagree, and a
warning from validation at the second of two different definitions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coursegen.build import build_course, check_course
from coursegen.errors import Diagnostic, Severity, SourcePos
from coursegen.glossary import glossary, topic_target

MANIFEST = """\
id: terms
title: Terms
version: "1"
description: Terms in three modules.
authors: [Test Author]
license: CC0-1.0
modules: [one, two, three]
"""


def module_file(module_id: str, terms: list[tuple[str, str]], topics: list[str] = ()) -> str:
    key_terms = "".join(f"  - term: {t!r}\n    definition: {d!r}\n" for t, d in terms)
    related = "".join(f"  - {topic}\n" for topic in topics)
    return (
        f"---\nid: {module_id}\ntitle: Module {module_id}\nobjectives:\n"
        f"  - id: know-{module_id}\n    text: Know {module_id}.\n"
        + (f"key_terms:\n{key_terms}" if terms else "")
        + (f"related_topics:\n{related}" if topics else "")
        + f"summary: About {module_id}.\n---\n\n## {module_id}\n\nThe lesson on {module_id}.\n"
    )


def bank(module_id: str) -> str:
    return textwrap.dedent(f"""\
        module: {module_id}
        questions:
          - id: q-{module_id}
            type: true_false
            prompt: This is about {module_id}.
            answer: true
            explanation: It is.
            objectives: [know-{module_id}]
            difficulty: easy
            source: The lesson on {module_id}
        """)


@pytest.fixture
def make_course(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # diagnostics name files relative to where one works

    def make(*modules) -> object:
        (tmp_path / "modules").mkdir()
        (tmp_path / "question_banks").mkdir()
        (tmp_path / "modules" / "course.yaml").write_text(MANIFEST)
        for n, (module_id, terms, *topics) in enumerate(modules, start=1):
            text = module_file(module_id, terms, *topics)
            (tmp_path / "modules" / f"0{n}-{module_id}.md").write_text(text)
            (tmp_path / "question_banks" / f"{module_id}.yaml").write_text(bank(module_id))
        return Path(".")

    return make


THREE = (
    ("one", [("Café", "A place for coffee."), ("Tea", "A drink.")]),
    ("two", [("  cafe\u0301 ", "A  place for *coffee*."), ("Milk", "A white drink.")]),
    ("three", [("CAFÉ", "A shop that sells coffee."), ("tea", "Leaves in hot water.")]),
)


def test_one_entry_per_term_whatever_its_case_spacing_markup_or_encoding(make_course):
    course, _ = check_course(make_course(*THREE))
    entries = glossary(course.modules)
    assert [e.term for e in entries] == ["Café", "Milk", "Tea"]
    cafe = entries[0]
    assert [(d.text, [(u.module.id, u.number) for u in d.uses]) for d in cafe.definitions] == [
        ("A place for coffee.", [("one", 1), ("two", 1)]),  # the same, differently spaced
        ("A shop that sells coffee.", [("three", 1)]),
    ]
    assert cafe.anchor == "term-café"


def test_validate_warns_at_the_second_of_two_different_definitions(make_course):
    _, diagnostics = check_course(make_course(*THREE))
    assert diagnostics == [
        Diagnostic(
            SourcePos("modules/03-three.md", 9, 17),
            Severity.WARNING,
            "key term 'CAFÉ' is defined differently in module 'one'",
            "different-definition",
            "first defined at modules/01-one.md:9; give the term the same definition in both "
            "places, or define it once",
        ),
        Diagnostic(
            SourcePos("modules/03-three.md", 11, 17),
            Severity.WARNING,
            "key term 'tea' is defined differently in module 'one'",
            "different-definition",
            "first defined at modules/01-one.md:11; give the term the same definition in both "
            "places, or define it once",
        ),
    ]


def test_a_term_defined_alike_everywhere_gives_no_warning(make_course):
    course, diagnostics = check_course(
        make_course(("one", [("Tea", "A drink.")]), ("two", [("TEA", "a drink.")]), ("three", []))
    )
    assert diagnostics == []
    assert [len(e.definitions) for e in glossary(course.modules)] == [1]


def test_the_glossary_page_lists_each_term_once_with_its_modules(make_course):
    folder = make_course(*THREE)
    build_course(folder, formats=["html"])
    page = (folder / "output" / "html" / "glossary.html").read_text()
    assert page.count("<dt ") == 3
    assert (
        '<dt id="term-milk">Milk</dt>\n'
        '  <dd>A white drink. <span class="term-modules">Defined in: '
        '<a class="term-module" href="02-two.html#term-2">Module 2: Module two</a></span></dd>'
    ) in page
    assert (
        '<dd><p class="term-differs">The modules define this term differently:</p>\n'
        '    <ul class="term-definitions">\n'
        '      <li>A place for coffee. <span class="term-modules">Defined in: '
        '<a class="term-module" href="01-one.html#term-1">Module 1: Module one</a>, '
        '<a class="term-module" href="02-two.html#term-1">Module 2: Module two</a></span></li>\n'
        '      <li>A shop that sells coffee. <span class="term-modules">Defined in: '
        '<a class="term-module" href="03-three.html#term-1">Module 3: Module three</a>'
        "</span></li>\n"
        "    </ul>\n"
        "  </dd>"
    ) in page


def test_related_topics_link_to_the_module_or_glossary_term_they_name(make_course):
    folder = make_course(
        ("one", [("Tea", "A drink.")], ["two", "tea", "Coffee houses"]),
        ("two", []),
        ("three", []),
    )
    course, diagnostics = check_course(folder)
    assert [(d.pos, d.code) for d in diagnostics] == [
        (SourcePos("modules/01-one.md", 13, 5), "unknown-topic")
    ]
    entries = glossary(course.modules)
    assert topic_target("two", course.modules, entries) is course.modules[1]
    assert topic_target(" TEA", course.modules, entries) is entries[0]
    build_course(folder, formats=["html"])
    page = (folder / "output" / "html" / "01-one.html").read_text()
    assert (
        '<ul class="related"><li><a href="02-two.html">Module 2: Module two</a></li>'
        '<li><a href="glossary.html#term-tea">Glossary: Tea</a></li></ul>'
    ) in page

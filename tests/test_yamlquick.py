"""A bank read quickly gives what yamlio gives: the same values, diagnostics and positions."""

import gc
import re
import weakref

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen import loader, yamlio, yamlquick
from coursegen.errors import SourcePos
from coursegen.lint.review import lint_course
from coursegen.yamlio import YMap, YSeq

from .conftest import FIXTURES

BANK = (
    "module: m\n"
    "questions:\n"
    "  - id: q1\n"
    "    prompt: |\n"
    "      Hello\n"
    "  -   id: q2\n"
    "      options: [a, b]\n"
    "flashcards:\n"
    "- id: f1\n"
    "  front: Front\n"
)


def read(text: str):
    """What yamlio and yamlquick make of ``text``: a value, or the diagnostics' lines."""
    results = []
    for module in (yamlio, yamlquick):
        try:
            results.append(module.load(text, "bank.yaml"))
        except yamlio.YamlError as exc:
            results.append([d.format() for d in exc.diagnostics])
    return results


def positions(value, at=()) -> dict:
    """Every position a loaded value can tell, by where it is in the value."""
    found = {}
    if isinstance(value, YMap):
        found[at] = (value.pos, [(value.key_pos(k), value.value_pos(k)) for k in value])
        for key, item in value.items():
            found.update(positions(item, (*at, key)))
    elif isinstance(value, YSeq):
        found[at] = (value.pos, [value.item_pos(i) for i in range(len(value))])
        for index, item in enumerate(value):
            found.update(positions(item, (*at, index)))
    return found


def assert_same(text: str) -> None:
    careful, quick = read(text)
    assert quick == careful
    assert typed(quick) == typed(careful)  # 1, 1.0 and True are equal, but not the same
    assert isinstance(quick, type(careful))
    if isinstance(careful, YMap):
        items = [item for key in quick if isinstance(quick[key], YSeq) for item in quick[key]]
        known = [(item, item.pos) for item in items if len(getattr(item, "marks", ())) == 1]
        assert positions(quick) == positions(careful)
        assert all(item.pos == pos for item, pos in known)


def test_a_bank_is_read_without_libyaml_until_a_position_is_asked_for(monkeypatch):
    parsed = []
    careful_load = yamlio.load
    monkeypatch.setattr(yamlio, "load", lambda *a: parsed.append(a) or careful_load(*a))
    data = yamlquick.load(BANK, "bank.yaml")
    assert [q.pos for q in data["questions"]] == [
        SourcePos("bank.yaml", 3, 5),
        SourcePos("bank.yaml", 6, 7),
    ]
    assert data["flashcards"][0].pos == SourcePos("bank.yaml", 9, 3)
    assert parsed == []
    assert data["questions"][1].value_pos("options") == SourcePos("bank.yaml", 7, 16)
    assert data.key_pos("flashcards") == SourcePos("bank.yaml", 8, 1)
    assert len(parsed) == 1


def test_positions_found_later_are_those_yamlio_gives():
    assert_same(BANK)


@pytest.mark.parametrize(
    "text",
    [
        "module: m\nanswer: yes\n",  # YAML 1.1 booleans, which yaml-rs reads as text
        "module: m\nanswer: 'yes'\n",
        "module: m\nanswers: [012, 09, 0o12, 1e3, 1.5e3, -.5, 1_000, 1:30, 12:30:00]\n",
        "module: m\nanswers: ['012', '1:30', '']\n",
        "module: m\nedition: 2026-12-01\n",
        "module: m\nat: 2026-12-01 10:00:00\n",
        "module: m\nanswer: 5\n",
        "module: m\nanswer: true\nother: ~\n",
        "module: m\n<<: {a: 1}\n",
        "module: m\nvalue: =\n",
        "module: m\nyes: 1\n",
        "module: m\n1: a\n",
        "module: m\n? [a]\n: 1\n",
        "module: m\nprompt: !!python/object:os.system x\n",
        "module: m\nprompt: !custom x\n",
        "module: m\nprompt: !!binary aGk=\n",
        "module: m\nprompt: &a !!str x\n",
        "module: m\nlist:\n- !!set {x}\n",
        "module: m\nprompt: &a x\n",
        "&:\nmodule: m\n",  # an anchor name that YAML 1.2 allows and libyaml refuses
        "&*\nmodule: m\n",
        "module: m\nprompt: &a x\nagain: *a\n",
        "module: m\nprompt: *nowhere\n",
        "module: m\nprompt: x\nprompt: y\n",
        "module: m\nquestions:\n  - id: a\n    id: b\n",
        'module: m\nprompt: "\\x00 \\e \\N \\u2028"\n',
        "module: m\nprompt: a\x85b\n",
        "module: m\nprompt: a\u2028b\n",
        "module: m\nprompt: a\x07b\n",
        "module: m\nprompt: a\ufeffb\n",
        "module: m\nprompt:\ta\n",
        "module: m\rquestions:\r  - id: q1\r  - id: q2\r",
        "module: m\r\nquestions:\r\n  - id: q1\r\n  - id: q2\r\n",
        "module: m\nprompt: a\x00b\n",
        "%YAML 1.1\n---\nmodule: m\nanswer: yes\n",
        "module: m\n---\nmodule: n\n",
        "- module: m\n",
        "just text\n",
        "",
        "# a comment only\n",
        "module: m\nnested: " + "[" * 70 + "]" * 70 + "\n",
        "module: m\nnested: " + "[" * 300 + "]" * 300 + "\n",
        "module: m\n" + "k" * 1100 + ": v\n",
        'module: m\nquestions:\n  - id: q1\n    prompt: "a\n  - id: q2"\n  - id: q3\n',
        'module: m\nquestions:\n  - id: q1\n    prompt: "a\n  - id: q2"\n',
        "module: m\nquestions:\n  -\n    id: q1\n  - id: q2\n",
        "module: m\nquestions:\n  - {id: q1}\n  - id: q2\n",
        "module: m\nquestions:\n  - 'id': q1\n  - id: q2\n",
        "module: m\nquestions:\n- id: q1\n  prompt: Zqz0z is in the text\n",
        "module: m\nquestions:\n  - id: q1\n    options:\n    - text: a\n  - id: q2\n",
        "module: m\nquestions:\n  - id: q1\nquestions:\n  - id: q2\n",
        "module: m\nquestions: [a, b]\n",
        "module: m\nquestions:\n  - plain text\n  - id: q2\n",
        "module: m\nquestions:\n  - id: [q1\n",
        "module: m\nprompt: |\n  ![chart](chart.png)\n",
        "module: m\nprompt: 'Tom & Jerry!'\nwhy: \"Right! Now: !\"\n",
    ],
)
def test_quick_reading_gives_what_yamlio_gives(text):
    assert_same(text)


def test_without_yaml_rs_every_file_is_read_by_yamlio(monkeypatch):
    monkeypatch.setattr(yamlquick, "yaml_rs", None)
    data = yamlquick.load(BANK, "bank.yaml")
    assert data == yamlio.load(BANK, "bank.yaml")
    assert isinstance(data.file, yamlio._File) and not hasattr(data.file, "locate")
    assert positions(data) == positions(yamlio.load(BANK, "bank.yaml"))


KEYS = st.sampled_from(["id", "type", "prompt", "options", "text", "correct", "yes", "1", "a b"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["yes", "No", "on", "012", "1:30", "2026-12-01", "~", "", "Zqz0z", "!x"])
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=20,
)
BANKS = st.fixed_dictionaries(
    {"module": st.just("m"), "questions": st.lists(st.dictionaries(KEYS, VALUES), max_size=4)}
)
STYLES = st.sampled_from(
    [
        {"default_flow_style": False},
        {"default_flow_style": None},
        {"default_flow_style": False, "indent": 4},
        {"default_flow_style": False, "default_style": '"'},
        {"default_flow_style": False, "default_style": "'"},
        {"default_flow_style": False, "width": 20},
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BANKS, STYLES)
def test_any_bank_written_any_way_reads_the_same(bank, style):
    assert_same(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False, **style))


@settings(max_examples=200, deadline=None)
@given(BANKS)
def test_any_bank_as_coursegen_writes_it_reads_the_same(bank):
    assert_same(yamlio.dump(bank))


@given(st.text(max_size=12))
def test_the_pattern_of_text_that_is_not_text_is_the_resolver(text):
    assert yamlio.plain_but_not_text(text) == (yamlio.unquoted_kind(text) != "str")


def test_lint_reads_banks_with_positions_at_once(monkeypatch):
    """Its findings point into most questions: reading quickly first would be work twice."""
    quick = []
    monkeypatch.setattr(loader.yamlquick, "load", lambda *a: quick.append(a) or yamlio.load(*a))
    lint_course(FIXTURES / "lint" / "good")
    assert quick == []
    loader.load_course(FIXTURES / "lint" / "good")
    assert quick != []


def test_a_bank_read_quickly_needs_no_cyclic_collector_to_be_freed():
    """A build pauses the collector: a cycle would keep every bank in memory to the end."""
    gc.disable()
    try:
        data = yamlquick.load(BANK, "bank.yaml")
        freed = weakref.ref(data)
        del data
        assert freed() is None
    finally:
        gc.enable()


NUMERIC_BANK = """\
module: m
questions:
  - id: q1
    type: numeric
    prompt: In which year was the service reformed?
    answers:
      - value: 2003
        feedback: Right.
      - value: -4
        correct: false
        tolerance: 0.5
  - id: q2
    type: numeric
    prompt: How far, in 1990s terms, is it? About 2%, or 12.75 km.
    tolerance: 2%
    answers: [{value: 12.75}, {value: 0}]
"""


def typed(value):
    """``value`` with the type of every scalar in it: 1, 1.0 and True are not the same."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return type(value).__name__, repr(value)


def test_a_bank_with_figures_written_plainly_is_read_quickly(monkeypatch):
    careful = yamlio.load(NUMERIC_BANK, "bank.yaml")
    monkeypatch.setattr(yamlio, "load", lambda *a: pytest.fail("read by yamlio"))
    quick = yamlquick.load(NUMERIC_BANK, "bank.yaml")
    assert type(quick) is yamlquick._Root
    assert typed(quick) == typed(careful)


def test_the_shipped_banks_with_numeric_questions_are_read_quickly():
    for path in [
        FIXTURES / "full" / "question_banks" / "weather.yaml",
        FIXTURES / "arabic" / "question_banks" / "duties.yaml",
    ]:
        assert type(yamlquick.load(path.read_text("utf-8"), str(path))) is yamlquick._Root


PLAIN_DECIMALS = st.from_regex(r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,24})?", fullmatch=True)
OTHER_FIGURES = st.sampled_from(
    # Each read otherwise by yaml-rs and libyaml, or by one as a number and the other as text,
    # or refused by one; and text that only looks like a figure.
    [
        *("0x1F", "0X1F", "0o7", "0b101", "007", "08", "-00", "00.5", "1.", "2003.", ".5", "+.5"),
        *("+1", "-0", "1e3", "1E3", "1.0e3", "1.0e+3", "0.1e1", "1_000", "1__0", "1:30"),
        *("12:30:00", "-1:30", ".inf", "-.inf", "+.INF", ".NaN", "-.nan", "inf", "nan"),
        *("2%", "1990s", "3rd", "1.5.", "12,5", "1" * 31, "0." + "1" * 31, "1" * 400 + ".5"),
        *("2026-12-01", "0x", "1e", "- 5", "5:", "-", "+", "."),
    ]
)
FIGURES = (
    PLAIN_DECIMALS
    | OTHER_FIGURES
    | st.from_regex(r"[-+.0-9][0-9a-fA-FxXo._+-]{0,6}", fullmatch=True)
)
# Where a figure is written in a bank: the ways YAML allows a plain scalar to be.
PLACES = st.sampled_from(
    [
        "    answer: {}\n",
        "    answer: {}   # a comment\n",
        "    answer:\n      {}\n",
        "    answers:\n      - {}\n",
        "    answers:\n    - value: {}\n",
        "    answers: [{}]\n",
        "    answers: [ {} , 1 ]\n",
        "    answers: [\n      {}\n    ]\n",
        "    answer: {{value: {}}}\n",
        '    answer: {{"value":{}}}\n',
        "    prompt: |\n      Type {}\n",
        '    prompt: "Type\n      {}"\n',
        "    prompt: Type\n      {}\n",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(FIGURES, PLACES), min_size=1, max_size=4))
def test_figures_however_written_read_as_yamlio_reads_them(figures):
    text = "module: m\nquestions:\n" + "".join(
        f"  - id: q{n}\n    type: numeric\n" + place.format(figure)
        for n, (figure, place) in enumerate(figures)
    )
    careful, quick = read(text)
    assert typed(quick) == typed(careful)
    if all(re.fullmatch(r"-?(0|[1-9]\d*)(\.\d+)?", f) and len(f) < 25 for f, _ in figures):
        assert type(quick) is yamlquick._Root  # figures written plainly: no need of libyaml


@given(st.text(alphabet=st.characters(exclude_characters="\n\r"), min_size=1, max_size=8))
def test_yaml_rs_reads_as_a_number_only_a_word_that_starts_as_one(word):
    """The quick reading looks for numbers where they start with a digit, a sign or a dot."""
    try:
        value = yamlquick.yaml_rs.loads(f"a: {word}")
    except Exception:
        return
    kinds = {type(v) for v in value.values()} if isinstance(value, dict) else set()
    if kinds & {int, float}:
        assert word.lstrip(" ")[0] in "-+.0123456789"

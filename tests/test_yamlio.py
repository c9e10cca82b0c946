"""The loader keeps the position of every value and refuses YAML it cannot trust."""

import pytest

from coursegen import yamlio
from coursegen.errors import SourcePos


def load(text: str, offset: int = 0):
    return yamlio.load(text, "bank.yaml", offset)


def test_positions_of_keys_values_and_items():
    data = load("module: m\nquestions:\n  - id: q1\n    prompt: |\n      Hello\n")
    assert data.pos == SourcePos("bank.yaml", 1, 1)
    assert data.key_pos("questions") == SourcePos("bank.yaml", 2, 1)
    assert data.value_pos("module") == SourcePos("bank.yaml", 1, 9)
    question = data["questions"][0]
    assert data["questions"].item_pos(0) == SourcePos("bank.yaml", 3, 5)
    assert question.value_pos("prompt") == SourcePos("bank.yaml", 4, 13)
    assert question["prompt"] == "Hello\n"


def test_line_offset_shifts_positions_for_front_matter():
    data = load("id: m\ntitle: T\n", offset=1)
    assert data.value_pos("title") == SourcePos("bank.yaml", 3, 8)


def test_position_of_follows_keys_and_skips_parts_not_in_the_data():
    data = load("questions:\n  - id: q1\n    options:\n      - text: a\n")
    loc = ("questions", 0, "single_choice", "options", 0, "text")
    assert yamlio.position_of(data, loc) == SourcePos("bank.yaml", 4, 15)
    assert yamlio.position_of(data, ("questions", 0, "id"), key=True).line == 2
    assert yamlio.position_of(data, ("questions", 5)) == data.value_pos("questions")


def test_scalars_keep_their_yaml_types():
    data = load("a: 1\nb: true\nc: text\nd:\ne: 1.5\n")
    assert data == {"a": 1, "b": True, "c": "text", "d": None, "e": 1.5}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "bank.yaml:2:1: key 'a' is given twice in this mapping (first at line 1)"),
        (
            "a: &x [1]\nb: *x\n",
            "bank.yaml:1:4: YAML anchors and aliases (&name, *name) are not supported",
        ),
        (
            "a: !!python/object:os.system x\n",
            "bank.yaml:1:4: YAML tag '!!python/object:os.system' is not allowed",
        ),
        (
            "a: [1\n",
            "bank.yaml:1:4: invalid YAML: the list '[' opened here is never closed",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "bank.yaml:3:2: invalid YAML: this line does not line up with the keys above it",
        ),
    ],
)
def test_refused_yaml_is_reported_with_its_position(text, expected):
    with pytest.raises(yamlio.YamlError) as caught:
        load(text)
    diagnostic = caught.value.diagnostics[0]
    assert f"{diagnostic.pos}: {diagnostic.message}" == expected


PARSER = "; the parser said: "
QUOTE = "put the whole text in double quotes"


@pytest.mark.parametrize(
    ("text", "expected", "hint"),
    [
        (
            "id: a\nprompt: What is it: a test?\n",
            "2:19: this text contains ': ', which YAML reads as the start of a new key",
            f"{QUOTE}{PARSER}mapping values are not allowed in this context",
        ),
        (
            "id: a\nprompt: What is it\n   explanation: x\n",
            "3:4: this line is indented more than the line above it",
            "line it up with the keys above it (line 2), or, if it continues the text above, "
            f"put that text in double quotes{PARSER}mapping values are not allowed in this context",
        ),
        (
            "questions:\n  - id: a\n    prompt: x\n   explanation: y\n",
            "4:4: this line is indented differently from the lines above it",
            "indent each key of a list item in line with the first key after its '- '"
            f"{PARSER}did not find expected '-' indicator (while parsing a block collection)",
        ),
        (
            "questions:\n  - id: a\n    prompt: x\n  id: b\n",
            "4:3: a new list item must start with '- '",
            "write '- ' before it, in line with the '- ' of line 2"
            f"{PARSER}did not find expected '-' indicator (while parsing a block collection)",
        ),
        (
            'id: a\nprompt: "What is it\nexplanation: y\n',
            "2:9: the quotation mark opened here is never closed",
            "close the quotation mark that starts at line 2, column 9"
            f"{PARSER}found unexpected end of stream (while scanning a quoted scalar)",
        ),
        (
            'id: a\nprompt: "What" is it\n',
            "2:16: there is more text after the closing quotation mark",
            f'{QUOTE}, and write a double quote inside it as \\"'
            f"{PARSER}did not find expected key (while parsing a block mapping)",
        ),
        (
            "id: a\nprompt: *bold* text\n",
            "2:9: text that starts with '*' is read as a YAML alias",
            f"{QUOTE}{PARSER}did not find expected alphabetic or numeric character "
            "(while scanning an alias)",
        ),
        (
            "id: a\nprompt: `code` here\n",
            "2:9: text cannot start with '`' in YAML",
            f"{QUOTE}{PARSER}found character that cannot start any token "
            "(while scanning for the next token)",
        ),
        (
            "id: a\nprompt: {x} is y\n",
            "2:9: text that starts with '{' is read as a YAML mapping",
            f"{QUOTE}{PARSER}did not find expected key (while parsing a block mapping)",
        ),
        (
            "id: a\n- b\n",
            "2:1: a list item ('- ') where a 'key: value' line is expected",
            "indent the list under its key, or write 'key: value'"
            f"{PARSER}did not find expected key (while parsing a block mapping)",
        ),
        (
            "id: a\nprompt: | text\n  more\n",
            "2:11: after '|' or '>' the text must start on the next line",
            "move the text to the next line, indented under the key, or quote it"
            f"{PARSER}did not find expected comment or line break (while scanning a block scalar)",
        ),
    ],
)
def test_common_yaml_mistakes_are_said_in_plain_words(text, expected, hint):
    with pytest.raises(yamlio.YamlError) as caught:
        load(text)
    diagnostic = caught.value.diagnostics[0]
    position = f"{diagnostic.pos.line}:{diagnostic.pos.col}"
    assert (f"{position}: {diagnostic.message}", diagnostic.hint) == (
        f"{expected.split(': ', 1)[0]}: invalid YAML: {expected.split(': ', 1)[1]}",
        hint,
    )


def test_nesting_is_bounded():
    with pytest.raises(yamlio.YamlError) as caught:
        load("a: " + "[" * 100 + "]" * 100 + "\n")
    assert caught.value.diagnostics[0].code == "yaml-too-deep"


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_unicode_line_break_does_not_shift_the_positions_after_it(char):
    data = load(f'a: "x{char}y"\nb: 1\n', offset=1)
    assert data == {"a": "x y", "b": 1}
    assert data.value_pos("b") == SourcePos("bank.yaml", 3, 4)


def test_hidden_line_breaks_are_named_where_they_are():
    found = yamlio.hidden_breaks("a: x\n  b\u2028c\u2029\n\x85", "m.md")
    assert [f"{d.pos}: {d.message}" for d in found] == [
        "m.md:2:4: the file contains U+2028 LINE SEPARATOR, an invisible line break",
        "m.md:2:6: the file contains U+2029 PARAGRAPH SEPARATOR, an invisible line break",
        "m.md:3:1: the file contains U+0085 NEXT LINE (NEL), an invisible line break",
    ]


def test_control_characters_are_named_where_they_are_with_the_other_problems():
    with pytest.raises(yamlio.YamlError) as caught:
        load("a: x\x0cy\nb: [1\x1b\n", offset=1)
    assert [f"{d.pos}: {d.message}" for d in caught.value.diagnostics] == [
        "bank.yaml:2:5: the file contains U+000C, a control character that YAML does not allow",
        "bank.yaml:3:6: the file contains U+001B, a control character that YAML does not allow",
        "bank.yaml:3:4: invalid YAML: the list '[' opened here is never closed",
    ]

"""Markdown rendered by its shortcuts is what the whole CommonMark parse renders."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coursegen import markup


def _parsed_whole(text: str) -> str:
    """``text`` through every block and inline rule, as to_html renders any text."""
    parser = markup._parser()
    tokens = parser.parse(text)
    markup._finish_links(tokens, None)
    return markup._clean(parser.renderer.render(tokens, parser.options, {}))


_PIECES = st.sampled_from(
    [
        "a",
        "Word",
        " ",
        "  ",
        "*",
        "_",
        "`",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "!",
        "&",
        "#",
        "\\",
        "|",
        "~",
        "-",
        "1.",
        ":",
        "http://x.org/a b",
        "&amp;",
        "é",
        "\u00a0",
        "\t",
        "'",
        '"',
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_one_line_renders_as_the_whole_parse_renders_it(text):
    assume(markup.has_markup(text))  # text without any is escaped, never parsed
    assert markup.to_html(text) == _parsed_whole(text)


def test_a_paragraph_s_inline_markup():
    text = "Patrol [duty](https://example.org/a) and *law* or `code` \\* &amp; <b>"
    assert markup.to_html(text) == (
        '<p>Patrol <a href="https://example.org/a" rel="noopener noreferrer">duty</a> and '
        "<em>law</em> or <code>code</code> * &amp; &lt;b&gt;</p>\n"
    )

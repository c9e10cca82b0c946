"""The letters that label options, matches and items, however many a question has."""

from __future__ import annotations


def letter(index: int) -> str:
    """The label of the item at 0-based ``index``: A..Z, then AA, AB... like spreadsheet columns.

    That is CSS's ``upper-alpha`` (HTML's ``<ol type="A">``), which numbers the lists these
    labels refer to, so a label in an answer always matches the marker beside its option.
    """
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label

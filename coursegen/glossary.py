"""The course's glossary: one entry per term across its modules, and where each is defined.

Two key terms are the same term when they read the same, whatever their case, spacing,
Markdown formatting or Unicode encoding; two definitions are the same by the same measure.
Validation warns when one term has two definitions; the glossary shows each with its modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .markup import fold, to_plain_text
from .model import KeyTerm, Module


def term_key(text: str) -> str:
    """What two spellings of one term (or one definition) have in common."""
    return fold(to_plain_text(text))


@dataclass(frozen=True)
class Use:
    """A module that defines a term, and the term's place among its key terms (from 1)."""

    module: Module
    number: int


@dataclass(frozen=True)
class Definition:
    text: str  # as first written
    uses: tuple[Use, ...]


@dataclass(frozen=True)
class Entry:
    """One term of the glossary, with every distinct definition the course gives it."""

    term: str  # as first written
    anchor: str  # its id on the glossary page
    definitions: tuple[Definition, ...]
    # The modules that lead on to the term (it is among their related topics), in course order.
    related: tuple[Module, ...] = ()

    @property
    def uses(self) -> tuple[Use, ...]:
        return tuple(use for d in self.definitions for use in d.uses)


def definitions(modules: Iterable[Module]) -> dict[str, list[tuple[KeyTerm, Use]]]:
    """Every key term of ``modules``, in course order, grouped by term."""
    grouped: dict[str, list[tuple[KeyTerm, Use]]] = {}
    for module in modules:
        for number, term in enumerate(module.key_terms, start=1):
            grouped.setdefault(term_key(term.term), []).append((term, Use(module, number)))
    return grouped


def conflicts(modules: Iterable[Module]) -> Iterator[tuple[KeyTerm, Use, KeyTerm, Use]]:
    """Each key term whose definition differs from the term's first: first, then the other."""
    for group in definitions(modules).values():
        first, first_use = group[0]
        for term, use in group[1:]:
            if term_key(term.definition) != term_key(first.definition):
                yield first, first_use, term, use


def glossary(modules: Iterable[Module]) -> list[Entry]:
    """The entries, sorted by term."""
    modules = list(modules)
    entries, taken = [], set()
    for key, group in sorted(definitions(modules).items()):
        by_definition: dict[str, list[Use]] = {}
        texts: dict[str, str] = {}
        for term, use in group:
            folded = term_key(term.definition)
            texts.setdefault(folded, term.definition)
            by_definition.setdefault(folded, []).append(use)
        term = group[0][0].term
        entries.append(
            Entry(
                term,
                _anchor(key, taken),
                tuple(Definition(texts[d], tuple(uses)) for d, uses in by_definition.items()),
                tuple(m for m in modules if key in map(term_key, m.related_topics)),
            )
        )
    return entries


def topic_target(topic: str, modules: Iterable[Module], entries: Iterable[Entry]):
    """The module (by id) or glossary entry (by term) a related topic names, or None."""
    module = next((m for m in modules if m.id == topic.strip()), None)
    if module is not None:
        return module
    key = term_key(topic)
    return next((e for e in entries if term_key(e.term) == key), None)


def _anchor(key: str, taken: set[str]) -> str:
    base = anchor = "term-" + ("-".join(re.findall(r"\w+", key))[:60] or "term")
    n = 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor

"""Checks across a translation's texts: one translation per key term, topics that still link.

A term that two modules define is one glossary entry in English; translated two ways, it
would become two entries and a learner would meet two words for one thing. A related topic
links to the key term it names, so its translation must be that term's.
"""

from __future__ import annotations

from ..errors import Diagnostic, Severity
from ..glossary import glossary, term_key, topic_target
from ..model import Course
from .catalog import Entry


def term_checks(english: Course, translated: Course, entries: dict[str, Entry]) -> list[Diagnostic]:
    """Warnings of key terms translated two ways and of topics that link nowhere any more;
    ``entries``: the entries used, by context."""
    return [*_terms(english, translated, entries), *_topics(english, translated, entries)]


def _terms(english: Course, translated: Course, entries: dict[str, Entry]) -> list[Diagnostic]:
    groups: dict[str, list[tuple[str, Entry, str]]] = {}
    for before, after in zip(english.modules, translated.modules, strict=True):
        for n, (term, done) in enumerate(
            zip(before.key_terms, after.key_terms, strict=True), start=1
        ):
            entry = entries.get(f"module:{before.id}:term:{n}")
            if entry is not None:
                groups.setdefault(term_key(term.term), []).append((done.term, entry, before.id))
    found = []
    for (first, first_entry, module), *others in groups.values():
        english_term = first_entry.message.id
        for text, entry, _ in others:
            if term_key(text) != term_key(first):
                found.append(
                    Diagnostic(
                        entry.pos,
                        Severity.WARNING,
                        f"{entry.message.context}: the key term '{english_term}' is translated "
                        f"'{text}' here, but '{first}' in module '{module}'",
                        "translation-term",
                        f"give the term one translation everywhere (the first is at "
                        f"{first_entry.pos})",
                    )
                )
    return found


def _topics(english: Course, translated: Course, entries: dict[str, Entry]) -> list[Diagnostic]:
    before, after = glossary(english.modules), glossary(translated.modules)
    found = []
    for module, done in zip(english.modules, translated.modules, strict=True):
        for n, (topic, text) in enumerate(
            zip(module.related_topics, done.related_topics, strict=True), 1
        ):
            entry = entries.get(f"module:{module.id}:topic:{n}")
            linked = topic_target(topic, english.modules, before) is not None
            if entry and linked and topic_target(text, translated.modules, after) is None:
                found.append(
                    Diagnostic(
                        entry.pos,
                        Severity.WARNING,
                        f"{entry.message.context}: the related topic '{text}' is not a key term "
                        "of the translation, so it links nowhere",
                        "translation-topic",
                        f"write exactly the translation of the key term '{topic}'",
                    )
                )
    return found

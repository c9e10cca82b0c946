"""`coursegen stats`: what a course holds, per module, so instructors can see the gaps."""

from __future__ import annotations

from collections import Counter

from . import markup
from .errors import plural
from .model import BLOOM_LEVELS, DIFFICULTIES, QUESTION_KINDS, Course

MIN_QUESTIONS_PER_OBJECTIVE = 2


def course_stats(course: Course) -> dict:
    """Counts per module: question types, difficulty, Bloom level, objectives, words."""
    modules = [_module_stats(course, m) for m in course.modules]
    return {
        "course": course.id,
        "title": course.title,
        "questions": len(course.questions),
        "retired": len(course.retired),
        "flashcards": len(course.flashcards),
        "words": sum(m["words"] for m in modules),
        "modules": modules,
    }


def _module_stats(course: Course, module) -> dict:
    questions = course.questions_of(module.id)
    assessed = Counter(o for q in questions for o in q.objectives)
    return {
        "id": module.id,
        "number": module.number,
        "title": module.title,
        "questions": len(questions),
        "retired": sum(q.module_id == module.id for q in course.retired),
        "flashcards": len(course.flashcards_of(module.id)),
        "words": len(markup.to_plain_text(module.body).split()),
        "types": _ordered(Counter(q.kind for q in questions), QUESTION_KINDS),
        "difficulty": _ordered(
            Counter(q.difficulty or "unset" for q in questions), (*DIFFICULTIES, "unset")
        ),
        "bloom": _ordered(Counter(q.bloom or "unset" for q in questions), (*BLOOM_LEVELS, "unset")),
        "objectives": [
            {
                "id": o.id,
                "text": o.text,
                "questions": assessed[o.id],
                "enough": assessed[o.id] >= MIN_QUESTIONS_PER_OBJECTIVE,
            }
            for o in module.objectives
        ],
    }


def _ordered(counts: Counter, order) -> dict[str, int]:
    return {key: counts[key] for key in order if counts[key]}


def format_stats(stats: dict) -> str:
    """The stats as a plain-text report."""
    lines = [
        f"{stats['title']} ({stats['course']}): {plural(len(stats['modules']), 'module')}, "
        f"{_questions(stats)}, {plural(stats['flashcards'], 'flashcard')}, "
        f"{plural(stats['words'], 'word')} of lessons"
    ]
    for m in stats["modules"]:
        lines += [
            "",
            f"{m['number']:02d} {m['title']} [{m['id']}]",
            f"  {_questions(m)}, {plural(m['flashcards'], 'flashcard')}, "
            f"{plural(m['words'], 'word')}",
            f"  types:      {_pairs(m['types'])}",
            f"  difficulty: {_pairs(m['difficulty'])}",
            f"  bloom:      {_pairs(m['bloom'])}",
            "  objectives (questions assessing each):",
        ]
        width = max((len(o["id"]) for o in m["objectives"]), default=0)
        for o in m["objectives"]:
            flag = "" if o["enough"] else (f"  <- fewer than {MIN_QUESTIONS_PER_OBJECTIVE}")
            lines.append(f"    {o['id']:<{width}}  {o['questions']:>3}{flag}")
    return "\n".join(lines)


def _questions(counts: dict) -> str:
    """'7 questions (and 1 retired)': the retired ones count apart, as no package has them."""
    text = plural(counts["questions"], "question")
    return f"{text} (and {counts['retired']} retired)" if counts["retired"] else text


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"

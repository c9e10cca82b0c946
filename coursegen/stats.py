"""`coursegen stats`: what a course holds, per module, so instructors can see the gaps."""

from __future__ import annotations

from collections import Counter

from . import markup
from .assessment import final_pools, pools
from .blueprint import describe
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
        "blueprint": _blueprint_stats(course) if course.final_assessment.blueprint else None,
    }


def _blueprint_stats(course: Course) -> dict:
    """Each set of the blueprint against the bank, and what an attempt holds per objective."""
    rules = course.final_assessment.blueprint
    found = pools(rules, course.modules, course.questions)
    sets = [
        {
            "rule": p.rule.number,
            "rule_text": describe(p.rule),
            "name": p.rule.name,
            "part": _part(p),
            "draws": p.draw,
            "bank": len(p.questions),
        }
        for p in found
    ]
    selected = {q.id for p in found for q in p.questions}
    return {
        "questions": course.final_assessment.questions,
        "sets": sets,
        "unselected": sum(q.id not in selected for q in course.questions),
        "objectives": _coverage(course),
    }


def _part(pool) -> str:
    if pool.objective is not None:
        return f"{pool.module.id} / {pool.objective.id}"
    return pool.module.id if pool.module is not None else ""


def _coverage(course: Course) -> list[dict]:
    """Per objective: the fewest questions on it any attempt draws, and the mean number."""
    found = final_pools(course)
    draws = [p.draw for p in found]
    carried = [p.questions for p in found]
    if not course.final_assessment.shuffle:  # every attempt: each set's first questions
        carried = [questions[:draw] for questions, draw in zip(carried, draws, strict=True)]
    rows = []
    for module in course.modules:
        for objective in module.objectives:
            fewest, mean = 0, 0.0
            for questions, draw in zip(carried, draws, strict=True):
                on = sum(
                    q.module_id == module.id and objective.id in q.objectives for q in questions
                )
                if on:
                    fewest += max(0, draw - (len(questions) - on))
                    mean += draw * on / len(questions)
            rows.append(
                {
                    "module": module.id,
                    "objective": objective.id,
                    "at_least": fewest,
                    "mean": round(mean, 2),
                }
            )
    return rows


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
    if stats["blueprint"]:
        lines += _format_blueprint(stats["blueprint"])
    return "\n".join(lines)


def _format_blueprint(blueprint: dict) -> list[str]:
    total = plural(blueprint["questions"], "question")
    heading = f"Final assessment blueprint: {total} per attempt"
    lines = ["", f"{heading} (each set: questions drawn of those in the bank)"]
    width = max(len(s["part"]) for s in blueprint["sets"]) + 2
    for n, s in enumerate(blueprint["sets"]):
        counts = f"{s['draws']:>3} of {s['bank']}"
        name = f' "{s["name"]}"' if s["name"] else ""
        if not n or blueprint["sets"][n - 1]["rule"] != s["rule"]:
            head = f"  {s['rule_text']}{name}"
            lines.append(head if s["part"] else f"{head}: {counts.strip()}")
        if s["part"]:
            lines.append(f"    {s['part']:<{width}}{counts}".rstrip())
    lines.append(f"  questions no rule selects: {blueprint['unselected']}")
    lines.append("  questions on each objective per attempt (at least, on average):")
    width = max(len(o["module"]) + len(o["objective"]) + 3 for o in blueprint["objectives"])
    for o in blueprint["objectives"]:
        where = f"{o['module']} / {o['objective']}"
        flag = "  <- never drawn" if not o["mean"] else ""
        lines.append(f"    {where:<{width}}{o['at_least']:>3}  {o['mean']:>5.2f}{flag}")
    return lines


def _questions(counts: dict) -> str:
    """'7 questions (and 1 retired)': the retired ones count apart, as no package has them."""
    text = plural(counts["questions"], "question")
    return f"{text} (and {counts['retired']} retired)" if counts["retired"] else text


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"

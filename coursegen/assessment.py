"""The final assessment: which questions it draws from, the same in every format.

Without a blueprint it draws its count from every question. With one, each rule draws its
count from a set of its own: the sets never share a question (validation refuses rules that
would), so each compiles to one QTI section or one Moodle category, and an attempt that
draws each rule's count from its set meets every rule.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n.catalogue import Strings
from .model import BLOOM_LEVELS, DIFFICULTIES, Course, Module, Objective, Question, Rule


@dataclass(frozen=True)
class Pool:
    """One set a blueprint draws from: a rule's, or one module's or objective's of a rule
    with ``per``; ``questions`` are every question of it, in course order."""

    rule: Rule
    module: Module | None
    objective: Objective | None
    questions: tuple[Question, ...]

    @property
    def draw(self) -> int:
        return self.rule.draw


def rule_name(rule: Rule, t: Strings) -> str:
    """The rule's name as learners and LMS administrators read it, in ``t``'s language."""
    return rule.name or t("blueprint_rule", n=rule.number)


def pool_name(pool: Pool, t: Strings) -> str:
    """A set's name: its rule's, then for a ``per`` rule its module and objective."""
    names = [rule_name(pool.rule, t)]
    if pool.module is not None:
        names.append(t("module_title", n=pool.module.number, title=pool.module.title))
    if pool.objective is not None:
        names.append(pool.objective.id)
    return " – ".join(names)


def final_draws(course: Course) -> list[tuple[int, list]]:
    """(how many to draw, from which questions) for each set of the final assessment."""
    if course.final_assessment.blueprint:
        return [(pool.draw, list(pool.questions)) for pool in final_pools(course)]
    pool = final_pool(course)
    return [(min(course.final_assessment.questions, len(pool)), pool)]


def final_pool(course: Course) -> list:
    """The questions the final assessment page carries, and draws from on each attempt.

    Every question, up to ten times the number drawn (at least 200): beyond that, a page
    holding a 50,000-question course would weigh tens of megabytes. The pool is then taken
    from every module in turn, in an order fixed by the course id, so it stays balanced and
    the same on every build. With a blueprint, each rule's set is cut the same way.
    """
    if course.final_assessment.blueprint:
        chosen = {q.id for pool in final_pools(course) for q in pool.questions}
        return [q for q in course.questions if q.id in chosen]
    size = max(10 * course.final_assessment.questions, 200)
    return _cut(course, course.questions, size)


def final_pools(course: Course) -> list[Pool]:
    """The blueprint's sets as the formats carry them: each cut to ten times its draw."""
    rules = course.final_assessment.blueprint
    return [
        Pool(p.rule, p.module, p.objective, tuple(_cut(course, p.questions, 10 * p.draw)))
        for p in pools(rules, course.modules, course.questions)
    ]


def blueprint_total(rules: Iterable[Rule], modules: list[Module]) -> int:
    """How many questions an attempt draws by ``rules``: each set's count, summed."""
    return sum(pool.draw for pool in pools(rules, modules, []))


def pools(rules: Iterable[Rule], modules: list[Module], questions: list) -> list[Pool]:
    """Every set of ``rules``, in their order, a ``per`` rule's in the modules' order."""
    return [pool for rule in rules for pool in _pools_of(rule, modules, questions)]


def _pools_of(rule: Rule, modules: list[Module], questions: list) -> list[Pool]:
    chosen = [q for q in questions if selects(rule, q)]
    if rule.per is None:
        return [Pool(rule, None, None, tuple(chosen))]
    parts = [m for m in modules if not rule.modules or m.id in rule.modules]
    if rule.per == "module":
        return [Pool(rule, m, None, tuple(q for q in chosen if q.module_id == m.id)) for m in parts]
    result = []
    for module in parts:
        mine = [q for q in chosen if q.module_id == module.id]
        wanted = [o for o in module.objectives if not rule.objectives or o.id in rule.objectives]
        ids = {o.id for o in wanted}
        for objective in wanted:
            # A question that assesses several objectives is drawn for the first it lists.
            filed = (q for q in mine if next(o for o in q.objectives if o in ids) == objective.id)
            result.append(Pool(rule, module, objective, tuple(filed)))
    return result


def selects(rule: Rule, q: Question) -> bool:
    """Whether every filter of ``rule`` selects ``q`` (a list: any of its values)."""
    return (
        (not rule.modules or q.module_id in rule.modules)
        and (not rule.objectives or any(o in rule.objectives for o in q.objectives))
        and (not rule.difficulty or q.difficulty in levels(rule.difficulty, DIFFICULTIES))
        and (not rule.bloom or q.bloom in levels(rule.bloom, BLOOM_LEVELS))
        and (not rule.tags or any(t in rule.tags for t in q.tags))
    )


def levels(written: tuple[str, ...], scale: tuple[str, ...]) -> set[str]:
    """The levels ``written`` names: 'apply' itself, 'apply+' it and every one above it."""
    named: set[str] = set()
    for value in written:
        level = value.rstrip("+")
        named.update(scale[scale.index(level) :] if value.endswith("+") else (level,))
    return named


def _cut(course: Course, questions: Iterable[Question], size: int) -> list:
    """At most ``size`` of ``questions``, taken from every module in turn, in course order."""
    questions = list(questions)
    if len(questions) <= size:
        return questions
    rng = random.Random(course.id)
    by_module: dict[str, list] = {m.id: [] for m in course.modules}
    for q in questions:
        by_module[q.module_id].append(q)
    queues = []
    for mine in by_module.values():
        rng.shuffle(mine)
        queues.append(mine)
    pool: list = []
    while len(pool) < size:
        for queue in queues:
            if queue and len(pool) < size:
                pool.append(queue.pop())
    chosen = {q.id for q in pool}
    return [q for q in questions if q.id in chosen]  # in course order

"""A final assessment's blueprint checked against the course: names, sets and counts.

Each rule must name modules, objectives and tags the course has, select some question, and
find in the banks at least as many questions as it draws; no two rules may share a question,
since every LMS draws from disjoint pools (QTI sections, Moodle categories).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .assessment import Pool, final_pools, pools
from .errors import Report, did_you_mean, plural
from .model import Module, Question, Rule
from .schema import FinalAssessmentIn
from .yamlio import position_of

if TYPE_CHECKING:
    from .exporters import Shortfall

SHOWN_IDS = 5  # question ids a message lists before "and N more"


def make_rules(final: FinalAssessmentIn, data: Any) -> tuple[Rule, ...]:
    """The model's rules of the manifest's ``blueprint`` (``data``: the manifest's YAML)."""
    return tuple(
        Rule(
            number=i + 1,
            draw=r.draw,
            pos=position_of(data, ("final_assessment", "blueprint", i)),
            per=r.per,
            name=r.name,
            modules=_values(r.module),
            objectives=_values(r.objective),
            difficulty=_values(r.difficulty),
            bloom=_values(r.bloom),
            tags=_values(r.tag),
        )
        for i, r in enumerate(final.blueprint)
    )


def check_blueprint(
    rules: tuple[Rule, ...], data: Any, modules: list[Module], questions: list, report: Report
) -> None:
    """Report every name a rule gets wrong, every set too small, and sets that overlap."""
    known = [rule for rule in rules if _names_known(rule, data, modules, questions, report)]
    found = pools(known, modules, questions)
    for rule in known:
        mine = [p for p in found if p.rule is rule]
        if not any(p.questions for p in mine) and rule.per is None:
            report(
                rule.pos,
                f"{describe(rule)} selects no question",
                "blueprint-empty",
                "no question of the banks passes all of its filters: widen or remove the rule",
            )
            continue
        for pool in mine:
            if len(pool.questions) < rule.draw:
                _report_lack(pool, report)
    _check_overlaps(found, report)


def sets_cut_short(course, carries: Callable[[Question], bool]) -> Iterator[Shortfall]:
    """A set of the blueprint that holds fewer questions a format carries than it draws:
    that format's final assessment is then shorter than the course's."""
    from .exporters import Shortfall

    for pool in final_pools(course):
        held = sum(map(carries, pool.questions))
        if held < pool.draw:
            where = part_of(pool)
            yield Shortfall(
                pool.rule.pos,
                f"the final assessment's {describe(pool.rule)}" + (f", {where}" if where else ""),
                f"it draws {pool.draw}, but the package holds only {held} of its questions, "
                "so each attempt draws fewer",
                "add questions of a type the format carries to the set, or lower its 'draw'",
            )


def describe(rule: Rule) -> str:
    """The rule in words, for messages: "rule 3 (module 'ministry', difficulty hard)"."""
    parts = [f"{rule.draw} per {rule.per}"] if rule.per else []
    for what, values in (("module", rule.modules), ("objective", rule.objectives)):
        if values:
            parts.append(f"{what} " + " or ".join(f"'{v}'" for v in values))
    for what, values in (("difficulty", rule.difficulty), ("bloom", rule.bloom)):
        if values:
            parts.append(f"{what} " + " or ".join(_level(v) for v in values))
    if rule.tags:
        parts.append("tag " + " or ".join(f"'{t}'" for t in rule.tags))
    return f"rule {rule.number} ({', '.join(parts) or 'any question'})"


def part_of(pool: Pool) -> str:
    """Which part of a ``per`` rule a pool is: "objective 'x' of module 'y'"."""
    if pool.objective is not None:
        return f"objective '{pool.objective.id}' of module '{pool.module.id}'"
    return f"module '{pool.module.id}'" if pool.module is not None else ""


def _level(value: str) -> str:
    return f"{value[:-1]} or above" if value.endswith("+") else value


def _values(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _report_lack(pool: Pool, report: Report) -> None:
    rule, held = pool.rule, len(pool.questions)
    where = part_of(pool)
    what = f"{describe(rule)}" + (f", {where}," if where else "")
    has = f"the bank has {held}: {_ids(pool.questions)}" if held else "the bank has none"
    lower = f"lower 'draw' to {held}, " if held else ""
    report(
        rule.pos,
        f"{what} needs {plural(rule.draw, 'question')}, {has}",
        "blueprint-short",
        f"{lower}widen the rule, or write {plural(rule.draw - held, 'more such question')}",
    )


def _ids(questions: tuple[Question, ...] | list[Question]) -> str:
    shown = ", ".join(q.id for q in questions[:SHOWN_IDS])
    more = len(questions) - SHOWN_IDS
    return shown + (f" and {more} more" if more > 0 else "")


def _check_overlaps(found: list[Pool], report: Report) -> None:
    """A question two rules select would count for both: every LMS draws from one pool."""
    first: dict[str, Rule] = {}
    shared: dict[tuple[int, int], list[Question]] = {}
    for pool in found:
        for q in pool.questions:
            owner = first.setdefault(q.id, pool.rule)
            if owner is not pool.rule:
                shared.setdefault((owner.number, pool.rule.number), []).append(q)
    rules = {p.rule.number: p.rule for p in found}
    for (earlier, later), questions in sorted(shared.items()):
        report(
            rules[later].pos,
            f"{describe(rules[later])} and {describe(rules[earlier])} both select "
            f"{plural(len(questions), 'question')}: "
            f"{_ids(questions)}",
            "blueprint-overlap",
            "each question can count for one rule only: narrow one of them so that the "
            "sets part, e.g. 'bloom: [remember, understand]' beside 'bloom: apply+'",
        )


def _names_known(
    rule: Rule, data: Any, modules: list[Module], questions: list, report: Report
) -> bool:
    """Whether every module, objective and tag the rule names is in the course."""
    scope = [m for m in modules if not rule.modules or m.id in rule.modules]
    of = f"module '{scope[0].id}'" if len(scope) == 1 else "any module the rule covers"
    checks = (
        ("module", rule.modules, [m.id for m in modules], "no module has the id '{}'",
         "name a module of the manifest's 'modules:'"),
        ("objective", rule.objectives, [o.id for m in scope for o in m.objectives],
         f"'{{}}' is not an objective of {of}", "name an objective id of a module's front matter"),
        ("tag", rule.tags, sorted({t for q in questions for t in q.tags}),
         "no question has the tag '{}'", "name a tag that questions of the banks have"),
    )  # fmt: skip
    ok = True
    for key, values, known, message, hint in checks:
        for j, value in enumerate(values):
            if value not in known:
                ok = False
                suggestion = did_you_mean(value, known)
                report(
                    position_of(data, ("final_assessment", "blueprint", rule.number - 1, key, j)),
                    f"rule {rule.number}: {message.format(value)}"
                    + (f"; {suggestion}" if suggestion else ""),
                    "blueprint-unknown",
                    hint,
                )
    return ok

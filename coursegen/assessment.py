"""The final assessment: which questions it draws from, the same in every format."""

from __future__ import annotations

import random

from .model import Course


def final_pool(course: Course) -> list:
    """The questions the final assessment page carries, and draws from on each attempt.

    Every question, up to ten times the number drawn (at least 200): beyond that, a page
    holding a 50,000-question course would weigh tens of megabytes. The pool is then taken
    from every module in turn, in an order fixed by the course id, so it stays balanced and
    the same on every build.
    """
    size = max(10 * course.final_assessment.questions, 200)
    if len(course.questions) <= size:
        return list(course.questions)
    rng = random.Random(course.id)
    queues = []
    for module in course.modules:
        questions = list(course.questions_of(module.id))
        rng.shuffle(questions)
        queues.append(questions)
    pool: list = []
    while len(pool) < size:
        for queue in queues:
            if queue and len(pool) < size:
                pool.append(queue.pop())
    chosen = {q.id for q in pool}
    return [q for q in course.questions if q.id in chosen]  # in course order

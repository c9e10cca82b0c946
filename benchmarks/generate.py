"""A deterministic generator of synthetic courses for benchmarks.

    python benchmarks/generate.py OUT_DIR --questions 10000 [--modules 20] [--seed 1]

Every question type appears in turn; prompts run 30-50 words, explanations 20-30, and about
one text in five carries Markdown (emphasis, code, a link). The same arguments always give
the same files, so runs on different days compare.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coursegen.model import QUESTION_KINDS  # noqa: E402
from coursegen.yamlio import dump  # noqa: E402

WORDS = (  # noqa: SIM905 - a sentence of words reads better than a list
    "police ministry interior federal province district station community oversight reform "
    "training investigation evidence traffic patrol order security civilian rights process "
    "officer report citizen court safety policy agency border cyber crime public trust law "
    "public institution accountability procurement audit complaint mechanism force duty"
).split()
KINDS = tuple(QUESTION_KINDS)
LESSON_SENTENCE = "The {a} of the {b} depends on {c} and {d} across every {e}."


def words(rng: random.Random, low: int, high: int, markdown: bool = False) -> str:
    chosen = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if markdown and rng.random() < 0.2:
        i = rng.randrange(len(chosen))
        chosen[i] = rng.choice(
            [
                f"**{chosen[i]}**",
                f"*{chosen[i]}*",
                f"`{chosen[i]}`",
                f"[{chosen[i]}](https://example.org/{chosen[i]})",
            ]
        )
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def lesson(rng: random.Random) -> tuple[str, list[str]]:
    sentences = [
        LESSON_SENTENCE.format(**{k: rng.choice(WORDS) for k in "abcde"}) for _ in range(40)
    ]
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, 40, 5)]
    body = "\n\n".join(f"## Part {n}\n\n{p}" for n, p in enumerate(paragraphs, start=1))
    return body, sentences


def question(rng: random.Random, n: int, kind: str, sources: list[str]) -> dict:
    q = {"id": f"q{n}", "type": kind, "prompt": words(rng, 30, 50, markdown=True)}
    if kind in ("single_choice", "multiple_response"):
        q["options"] = [{"text": f"{words(rng, 3, 8)} ({i})"} for i in range(4)]
        for option in q["options"][: 1 if kind == "single_choice" else 2]:
            option["correct"] = True
    elif kind == "true_false":
        q["answer"] = rng.random() < 0.5
    elif kind == "short_answer":
        q["answers"] = [rng.choice(WORDS), rng.choice(WORDS) + " office"]
    elif kind == "cloze":
        q["prompt"] = q["prompt"].rstrip(".") + " {{" + rng.choice(WORDS) + "}} end."
    elif kind == "matching":
        q["pairs"] = [
            {"left": f"{rng.choice(WORDS)} {i}", "right": f"{words(rng, 2, 5)} ({i})"}
            for i in range(4)
        ]
    elif kind == "numeric":
        q["unit"] = "km"
        q["answers"] = [
            {"value": rng.randint(100, 999), "tolerance": "2%", "feedback": words(rng, 4, 8)},
            {"value": rng.randint(1000, 9999), "correct": False, "feedback": words(rng, 4, 8)},
        ]
    else:
        q["items"] = [f"{rng.choice(WORDS)} step {i}" for i in range(4)]
    q.update(
        explanation=words(rng, 20, 30, markdown=True),
        objectives=["obj-a"],
        difficulty=rng.choice(["easy", "medium", "hard"]),
        bloom=rng.choice(["remember", "understand", "apply", "analyse"]),
        tags=[rng.choice(WORDS)],
        source=rng.choice(sources)[:60],
    )
    return q


def generate(
    out: Path, questions: int, modules: int, seed: int = 1, kinds: Sequence[str] = KINDS
) -> Path:
    """Write a course of ``questions`` questions spread over ``modules`` modules.

    Question ``n`` is of type ``kinds[n % len(kinds)]``: every type in turn by default.
    """
    rng = random.Random(seed)
    (out / "modules").mkdir(parents=True, exist_ok=True)
    (out / "question_banks").mkdir(exist_ok=True)
    ids = [f"m{i:03d}" for i in range(1, modules + 1)]
    manifest = {
        "id": "bench",
        "title": "Benchmark Course",
        "version": "1",
        "language": "en",
        "description": "Synthetic.",
        "authors": ["bench"],
        "license": "CC0-1.0",
        "modules": ids,
        "final_assessment": {"questions": 20, "pass_mark": 70},
    }
    (out / "modules" / "course.yaml").write_text(dump(manifest))
    n = 0
    for index, module_id in enumerate(ids):
        body, sentences = lesson(rng)
        front = {
            "id": module_id,
            "title": f"Module {module_id}",
            "objectives": [{"id": "obj-a", "text": "Explain the topic."}],
            "key_terms": [{"term": "Oversight", "definition": "Supervision."}],
            "summary": "A summary.",
        }
        (out / "modules" / f"{index + 1:03d}-{module_id}.md").write_text(
            f"---\n{dump(front)}---\n\n{body}\n"
        )
        count = questions // modules + (1 if index < questions % modules else 0)
        bank = {
            "module": module_id,
            "questions": [],
            "flashcards": [{"id": f"fc-{module_id}", "front": "Oversight", "back": "Supervision."}],
        }
        for _ in range(count):
            bank["questions"].append(question(rng, n, kinds[n % len(kinds)], sentences))
            n += 1
        (out / "question_banks" / f"{module_id}.yaml").write_text(dump(bank))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.questions, args.modules, args.seed)
    print(f"wrote {args.questions} questions in {args.modules} modules to {args.out}")


if __name__ == "__main__":
    main()

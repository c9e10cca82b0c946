"""The same synthetic questions in each peer tool's own input format, for benchmarks/peers.py.

The course is benchmarks/generate.py's, with issue 19's mix of types (MIX). Each writer takes
the banks as loaded from its YAML (plain dicts) and writes what one peer reads:

- ankdown: one Markdown file of cards per module (front % back % tags ---) in a folder named
  after the module, as ankdown makes a deck of each folder. A single-choice front lists the
  options; the back gives the answer and the explanation. ankdown has no cloze cards: a cloze
  is a basic card whose front shows the sentence with [...] and whose back the missing word.
- text2qti: one quiz of every question, the explanation as its general feedback (``...``).
  text2qti has no cloze: a cloze is a short-answer question with the gap shown as _____ and
  the missing word as its answer.
- mkdocs: the same text (lessons, prompts, options, answers, explanations) as 100 Markdown
  pages, five per module: the lesson opens a module's first page, its questions are shared
  out over the five.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
# The mix: 40% single choice, 20% each of true/false, cloze and short answer.
MIX = ("single_choice", "single_choice", "true_false", "cloze", "short_answer")
MODULES = 20
PAGES_PER_MODULE = 5  # mkdocs gets 100 pages
CLOZE = re.compile(r"\{\{(.+?)\}\}")


# --- the peers' input formats ------------------------------------------------------------


def gap(prompt: str, blank: str) -> tuple[str, str]:
    """A cloze prompt with its gap shown as ``blank``, and the missing word."""
    return CLOZE.sub(blank, prompt, count=1), CLOZE.search(prompt).group(1)


def answer_of(q: dict) -> str:
    """The correct answer of a question, as a learner would read it."""
    if q["type"] == "single_choice":
        return next(o["text"] for o in q["options"] if o.get("correct"))
    if q["type"] == "true_false":
        return "True" if q["answer"] else "False"
    if q["type"] == "cloze":
        return gap(q["prompt"], "")[1]
    return " / ".join(q["answers"])


def front_of(q: dict) -> str:
    """The question as shown before the answer: the prompt and what to choose from."""
    if q["type"] == "cloze":
        return gap(q["prompt"], "[...]")[0]
    if q["type"] == "single_choice":
        return q["prompt"] + "\n\n" + "\n".join(f"- {o['text']}" for o in q["options"])
    if q["type"] == "true_false":
        return q["prompt"] + "\n\nTrue or false?"
    return q["prompt"]


def ankdown_card(q: dict, module: str) -> str:
    back = f"**{answer_of(q)}**\n\n{q['explanation']}"
    return f"{front_of(q)}\n\n%\n\n{back}\n\n%\n\n{module}, {', '.join(q['tags'])}\n\n---\n\n"


def write_ankdown(banks: list[dict], folder: Path) -> None:
    """One cards file per module, in a folder named after it: ankdown's deck is the folder."""
    for bank in banks:
        (folder / bank["module"]).mkdir(parents=True, exist_ok=True)
        cards = "".join(ankdown_card(q, bank["module"]) for q in bank["questions"])
        (folder / bank["module"] / "cards.md").write_text(cards)


def text2qti_question(n: int, q: dict) -> str:
    lines = [f"{n}.  {gap(q['prompt'], '_____')[0] if q['type'] == 'cloze' else q['prompt']}"]
    lines.append(f"... {q['explanation']}")
    if q["type"] == "single_choice":
        for i, option in enumerate(q["options"]):
            mark = "*" if option.get("correct") else ""
            lines.append(f"{mark}{chr(ord('a') + i)}) {option['text']}")
    elif q["type"] == "true_false":
        lines += [f"{'*' if q['answer'] else ''}a) True", f"{'' if q['answer'] else '*'}b) False"]
    else:
        answers = [gap(q["prompt"], "")[1]] if q["type"] == "cloze" else q["answers"]
        lines += [f"*   {answer}" for answer in answers]
    return "\n".join(lines) + "\n\n"


def write_text2qti(banks: list[dict], path: Path) -> None:
    """One quiz of every question, numbered through."""
    questions = [q for bank in banks for q in bank["questions"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(text2qti_question(n, q) for n, q in enumerate(questions, start=1))
    path.write_text("Quiz title: Benchmark Course\n\n" + body)


def mkdocs_question(q: dict) -> str:
    answer = f"**Answer:** {answer_of(q)}\n\n{q['explanation']}"
    return f"### Question {q['id']}\n\n{front_of(q)}\n\n{answer}\n\n"


def write_mkdocs(banks: list[dict], lessons: dict[str, str], folder: Path) -> None:
    """Five pages per module: the lesson opens the first, the questions are shared out."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text("site_name: Benchmark Course\n")
    for bank in banks:
        module, questions = bank["module"], bank["questions"]
        (folder / "docs" / module).mkdir(parents=True, exist_ok=True)
        share = -(-len(questions) // PAGES_PER_MODULE)  # ceiling: no question is left over
        for page in range(PAGES_PER_MODULE):
            text = f"# Module {module}, part {page + 1}\n\n"
            text += lessons[module] + "\n\n" if page == 0 else ""
            text += "".join(map(mkdocs_question, questions[page * share : (page + 1) * share]))
            (folder / "docs" / module / f"part-{page + 1}.md").write_text(text)


# --- inputs, cached in the temp folder ---------------------------------------------------


def read_course(course: Path) -> tuple[list[dict], dict[str, str]]:
    """The banks of a generated course, and each module's lesson without its front matter."""
    import yaml

    banks = [
        yaml.load(p.read_text(), Loader=yaml.CSafeLoader)
        for p in sorted((course / "question_banks").glob("*.yaml"))
    ]
    lessons = {}
    for path in sorted((course / "modules").glob("*.md")):
        _, front, body = path.read_text().split("---\n", 2)
        lessons[yaml.load(front, Loader=yaml.CSafeLoader)["id"]] = body.strip()
    return banks, lessons


def inputs_of(size: int) -> Path:
    """The course and every peer's input for ``size`` questions, written once per version."""
    version = hashlib.sha256(Path(__file__).read_bytes() + (HERE / "generate.py").read_bytes())
    # a new version of these writers or of the generator writes its inputs afresh
    folder = Path(tempfile.gettempdir()) / f"coursegen-peers-{size}-{version.hexdigest()[:12]}"
    if not (folder / "done").exists():
        for old in folder.parent.glob(f"coursegen-peers-{size}-*"):
            shutil.rmtree(old, ignore_errors=True)  # other versions, and a half-written one
        generate(folder / "course", size, modules=MODULES, kinds=MIX)
        banks, lessons = read_course(folder / "course")
        write_ankdown(banks, folder / "ankdown")
        write_text2qti(banks, folder / "text2qti" / "quiz.txt")
        write_mkdocs(banks, lessons, folder / "mkdocs")
        (folder / "done").touch()
    return folder

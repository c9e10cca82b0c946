"""Work shared with a forked process: the same results as one process, and failures that
surface in the parent, whichever process they happen in."""

import dataclasses
import filecmp
import functools
import os
import signal
import time
from pathlib import Path

import pytest

from coursegen import ahead, markup, parallel, validate, writing
from coursegen.build import build_course
from coursegen.errors import CourseError, OutputError
from coursegen.exporters import EXPORTERS, moodle

pytestmark = pytest.mark.skipif(not parallel.available(), reason="no fork or one core")


def test_split_map_keeps_order_and_results():
    items = list(range(101))
    assert parallel.split_map(lambda n: (n, os.getpid()), items)[50][0] == 50
    pids = {pid for _, pid in parallel.split_map(lambda n: (n, os.getpid()), items)}
    assert len(pids) == 2  # the later half was computed elsewhere
    assert [n for n, _ in parallel.split_map(lambda n: (n, 0), items)] == items


def test_split_map_balances_by_weight():
    # One heavy item weighs as much as all the others: it is computed on its own.
    items = [100, *([1] * 100)]
    pids = parallel.split_map(lambda n: os.getpid(), items, weight=lambda n: n)
    assert pids[0] != pids[1] and len(set(pids[1:])) == 1


def test_an_error_in_the_child_is_raised_in_the_parent():
    def fails() -> None:
        raise OutputError("out: cannot write the gift output: No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        parallel.beside(fails, lambda: None)


def test_a_child_killed_by_a_signal_is_an_error():
    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(CourseError, match=r"killed by SIGKILL.*COURSEGEN_JOBS=1"):
        parallel.beside(killed, lambda: None)


def test_a_failure_here_stops_the_child_at_once():
    def fails() -> None:
        raise ValueError("own share failed")

    started = time.monotonic()
    with pytest.raises(ValueError, match="own share failed"):
        parallel.beside(lambda: time.sleep(30), fails)
    assert time.monotonic() - started < 10  # the sleeping child was killed, not waited for


def test_work_shared_is_not_split_again():
    # Two cores are busy already: a third process would only hold a third copy.
    inside = parallel.beside(parallel.available, parallel.available)
    assert inside == (False, False)
    assert parallel.available()


def test_one_process_when_turned_off(monkeypatch):
    monkeypatch.setenv("COURSEGEN_JOBS", "1")
    assert not parallel.available()
    pids = parallel.split_map(lambda n: os.getpid(), list(range(10)))
    assert set(pids) == {os.getpid()}


def test_each_ticket_goes_to_one_process():
    tickets = parallel.Tickets(200)

    def take_all(pause: float) -> list[int]:
        taken = []
        while (ticket := tickets.take()) is not None:
            taken.append(ticket)
            time.sleep(pause)
        return taken

    try:
        theirs, mine = parallel.beside(lambda: take_all(0.001), lambda: take_all(0.001))
    finally:
        tickets.close()
    assert theirs and mine  # both took their turns
    assert sorted(theirs + mine) == list(range(200))  # and no ticket twice
    assert theirs == sorted(theirs) and mine == sorted(mine)  # each in the order made


def _shared_parts(tmp_path, helper_part, count=40):
    """A job of ``count`` parts, owned by this process; the child helps once its own work
    (a pause) is done, with ``helper_part`` in place of the owner's."""
    shared = parallel.Shared(tmp_path / "parts")

    def part(i: int) -> tuple[int, int]:
        time.sleep(0.005)
        return i * i, os.getpid()

    def help_out() -> None:
        time.sleep(0.02)
        shared.help(lambda: (count, helper_part or part))

    try:
        _, results = parallel.beside(help_out, lambda: shared.run(count, part))
    finally:
        shared.close()
    return results


def test_parts_are_shared_and_come_back_in_order(tmp_path):
    results = _shared_parts(tmp_path, None)
    assert [square for square, _ in results] == [i * i for i in range(40)]
    assert len({pid for _, pid in results}) == 2  # the helper did some
    assert not (tmp_path / "parts").exists()  # what it handed over is gone


def test_a_part_the_helper_fails_is_done_by_the_owner(tmp_path):
    def fails(i: int):
        raise OSError("No space left on device")

    results = _shared_parts(tmp_path, fails)
    assert [square for square, _ in results] == [i * i for i in range(40)]
    assert {pid for _, pid in results} == {os.getpid()}


def test_an_owner_waiting_for_a_helper_that_died_stops_with_an_error(tmp_path):
    def dies(i: int):
        os._exit(3)

    with pytest.raises(CourseError, match="COURSEGEN_JOBS=1"):
        _shared_parts(tmp_path, dies)


def test_html_pages_shared_with_the_anki_process_are_as_one_process_makes_them(
    tmp_path, monkeypatch
):
    """The HTML site's module pages are parts that the Anki process helps with once its
    deck is written (exporters.Parts): the site is the same as one process makes."""
    monkeypatch.syspath_prepend(Path(__file__).parent.parent / "benchmarks")
    from generate import generate

    course = generate(tmp_path / "course", 600, modules=6)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the decks' times too
    build_course(course, tmp_path / "shared", ["html", "anki"])
    (course / "question_banks" / "anki-lock.json").unlink()
    monkeypatch.setenv("COURSEGEN_JOBS", "1")
    build_course(course, tmp_path / "alone", ["html", "anki"])
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")


def test_the_html_site_alone_is_shared_page_by_page_by_two_processes(tmp_path, monkeypatch):
    """Built alone, the site's parts are taken one at a time by both processes (not halved
    beforehand): while one renders a slow page, the other renders all the rest. The site is
    the same as one process makes."""
    monkeypatch.syspath_prepend(Path(__file__).parent.parent / "benchmarks")
    from generate import generate

    from coursegen.exporters import html

    course = generate(tmp_path / "course", 300, modules=6)
    rendered_by = tmp_path / "rendered-by"
    module_part = html._SiteWriter.module_part

    def module_part_recorded(self, module, site):
        with rendered_by.open("a") as record:
            record.write(f"{os.getpid()} {module.id}\n")
        time.sleep(1 if module.number == 1 else 0.02)  # the first part taken is the slow one
        return module_part(self, module, site)

    monkeypatch.setattr(html._SiteWriter, "module_part", module_part_recorded)
    build_course(course, tmp_path / "shared", ["html"])
    pages_by = {}
    for line in rendered_by.read_text().splitlines():
        pid, module_id = line.split()
        pages_by.setdefault(pid, []).append(module_id)
    assert sorted(pages_by.values(), key=len) == [
        ["m001"],
        ["m002", "m003", "m004", "m005", "m006"],
    ]
    monkeypatch.setenv("COURSEGEN_JOBS", "1")
    build_course(course, tmp_path / "alone", ["html"])
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_formats_are_taken_costliest_first_with_scorm_beside_html():
    assert writing.format_units(["html", "anki", "scorm", "qti", "moodle", "gift"]) == [
        ["html", "scorm"],  # SCORM zips the site the same process built
        ["anki"],
        ["qti"],
        ["moodle"],
        ["gift"],
    ]
    assert writing.format_units(["gift", "scorm"]) == [["gift"], ["scorm"]]


def test_a_process_that_is_free_takes_the_next_format(course_copy, tmp_path, monkeypatch):
    # HTML held until the last format (GIFT) is written, as a course of many large pages
    # would hold it: the other process, free sooner, has to take every other format.
    released = tmp_path / "gift-written"
    export = writing.FormatsJob.export

    def export_telling_the_process(self, name, built, in_background):
        deadline = time.monotonic() + 60
        while name == "html" and not released.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        exported = export(self, name, built, in_background)
        if name == "gift":
            released.touch()
        return dataclasses.replace(exported, messages=[*exported.messages, f"pid {os.getpid()}"])

    monkeypatch.setattr(writing.FormatsJob, "export", export_telling_the_process)
    result = build_course(course_copy("full"), tmp_path / "out")
    pid = dict(m.split(": pid ") for m in result.messages if ": pid " in m)
    assert pid["scorm"] == pid["html"]  # SCORM zips the site its process built
    others = {pid[name] for name in ("anki", "qti", "moodle", "gift")}
    assert len(others) == 1 and others != {pid["html"]}


@pytest.mark.parametrize("remember", [False, True], ids=["without-store", "with-store"])
def test_two_processes_build_what_one_builds(course_copy, tmp_path, monkeypatch, remember):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    course = course_copy("full")
    lock = course / "question_banks" / "anki-lock.json"
    monkeypatch.setattr(validate, "_WORTH_A_PROCESS", 1)  # a small course, split all the same
    sent_as_stored = _counted(monkeypatch, validate, "_unstored")
    monkeypatch.setenv("COURSEGEN_CACHE_DIR", str(tmp_path / "store-of-two"))
    build_course(course, tmp_path / "two", remember=remember)
    assert markup._AHEAD  # the formats had the other process's renders to use
    # With a store, the other process's banks came back as the bytes it stored them as.
    assert bool(sent_as_stored) == remember
    two_lock = lock.read_text("utf-8")
    lock.unlink()
    monkeypatch.setattr(markup, "_AHEAD", {})  # and the one-process build has none of them
    monkeypatch.setenv("COURSEGEN_JOBS", "1")
    monkeypatch.setenv("COURSEGEN_CACHE_DIR", str(tmp_path / "store-of-one"))
    build_course(course, tmp_path / "one", remember=remember)
    assert not markup._AHEAD
    assert lock.read_text("utf-8") == two_lock  # the state the other process kept came back
    comparison = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert _same_tree(comparison)


def test_banks_checked_in_two_processes_report_what_one_process_reports(tmp_path, monkeypatch):
    """Each process reads and checks its share of the banks (validate.check_banks): the
    problems found on both sides, a bank that does not parse among them, come back whole."""
    monkeypatch.syspath_prepend(Path(__file__).parent.parent / "benchmarks")
    from generate import generate

    course = generate(tmp_path / "course", 400, modules=4)
    monkeypatch.setattr(validate, "_WORTH_A_PROCESS", 1)
    banks = sorted((course / "question_banks").glob("*.yaml"))
    first, last = banks[0], banks[-1]  # one in each process
    first.write_text(first.read_text().replace("prompt: ", "prompt: [unclosed ", 1))
    last.write_text(last.read_text().replace("objectives: [", "objectives: [nowhere, ", 1))
    split = _problems(course, monkeypatch)
    monkeypatch.setenv("COURSEGEN_JOBS", "1")
    alone = _problems(course, monkeypatch)
    assert split == alone
    assert {pos.path.rsplit("/", 1)[-1] for pos, _, _ in split} >= {first.name, last.name}


def _counted(monkeypatch, module, name: str) -> list:
    """Each call of ``module.name`` in this process, as it is pickled by that name."""
    calls, original = [], getattr(module, name)

    @functools.wraps(original)
    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _problems(course: Path, monkeypatch) -> list:
    from coursegen.build import check_course

    found, diagnostics = check_course(course, render_ahead=ahead.BOTH)
    assert found is None
    return [(d.pos, d.message, d.code) for d in diagnostics]


def _same_tree(comparison: filecmp.dircmp) -> bool:
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    if comparison.left_only or comparison.right_only or mismatch or errors:
        return False
    return all(_same_tree(sub) for sub in comparison.subdirs.values())


def test_a_format_failing_in_the_other_process_keeps_the_previous_output(
    course_copy, tmp_path, monkeypatch
):
    course, out = course_copy("full"), tmp_path / "out"
    build_course(course, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def disk_full(*args) -> list:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(moodle, "export", disk_full)
    # Whichever process takes Moodle, the other one was writing formats of its own.
    assert len(writing.format_units(list(EXPORTERS))) > 2
    with pytest.raises(OutputError, match="cannot write the moodle output: No space left"):
        build_course(course, out)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert not list(tmp_path.glob(".coursegen-*/"))  # no staging folder left behind

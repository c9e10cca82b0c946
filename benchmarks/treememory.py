"""Run a command and measure its whole process tree: wall time and peak memory.

A build may fork a second process that shares the first one's pages. Peak RSS counts
shared pages once per process, so summing it would count the course twice, and the
largest process alone would miss what the second one copied. Instead the proportional set
size (Pss: each shared page divided among the processes sharing it) of the process and of
every process under it is summed, sampled every 20 ms or more (below), and the highest
sum is the peak. For one process on its own, that is its peak RSS less its share of the libraries.

Reading a process's Pss walks its page tables: at 50,000 questions a sample of a build's
three processes of some 650 MB each took 7.5 ms (up to 26 ms), so sampling every 20 ms
spent 3.9 s of a 13.9 s run on a 2-core machine the build needs both cores of, and slowed
it by 1.6 s (12.3 s unmeasured). So the sampler waits at least 20 times as long as its last
sample took, and stays under a twentieth of a core, whatever it measures.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

INTERVAL = 0.02  # seconds between samples at least: a build's peak lasts far longer
DUTY = 0.05  # of a core, at most, that sampling may take from what it measures


def run_measured(command: list[str], **popen) -> tuple[float, int, float]:
    """Run ``command``: its wall seconds, its exit status and its peak memory (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, **popen)
    sampler = _Sampler(process.pid)
    sampler.start()
    _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    process.returncode = status  # reaped by wait4; keeps Popen from waiting again
    return seconds, status, sampler.peak_kb / 1024


class _Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))
            took = time.perf_counter() - started
            self.stop.wait(max(INTERVAL, took / DUTY))


def _tree(pid: int) -> list[int]:
    """``pid`` and every process under it, as far as they are alive."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        todo += [int(child) for child in children.split()]
    return found


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # ended between listing and reading
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0

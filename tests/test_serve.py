"""`coursegen serve` on an ephemeral port: fetch, edit, see the change, break, stop."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

DEADLINE = 30  # seconds; the watcher debounces for 1.6 s


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(predicate, what: str):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def server(course_copy):
    course = course_copy("full")
    process = subprocess.Popen(
        [sys.executable, "-m", "coursegen", "serve", str(course), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    url = None
    while url is None:
        line = process.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        url = found.group(0) if found else None
    yield course, url, process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_rebuilds_on_edit_and_keeps_the_last_good_build(server):
    course, url, process = server
    assert "<h1>The Water Cycle</h1>" in fetch(url + "01-water.html")

    module = course / "modules" / "01-water.md"
    module.write_text(module.read_text().replace("title: The Water Cycle", "title: Rain"))
    wait_for(lambda: "<h1>Rain</h1>" in fetch(url + "01-water.html"), "the edited title")

    bank = course / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("type: true_false", "type: true_falsy"))
    status = wait_for(
        lambda: json.loads(fetch(url + "__coursegen__/status"))["error"], "the validation error"
    )
    assert "water.yaml:33:11: error: unknown question type 'true_falsy'" in status
    assert "<h1>Rain</h1>" in fetch(url + "01-water.html")  # the last good build

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=DEADLINE)
    assert process.returncode == 0
    assert "still serving the last good build" in output
    assert output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output


def test_pages_served_live_reload_themselves(server):
    _, url, _ = server
    page = fetch(url + "index.html")
    assert '<script src="assets/live-reload.js" defer></script>' in page
    assert "connect-src 'self'" in page

"""`coursegen serve` on an ephemeral port: fetch, edit, see the change, break, stop."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from functools import partial

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


def start_serve(course, tmp_path, *options: str) -> tuple[subprocess.Popen, str]:
    """`coursegen serve` on a free port, and its URL once it says it is serving."""
    (tmp_path / "tmp").mkdir()  # serve builds into a temporary folder: this one, to find it
    process = subprocess.Popen(
        [sys.executable, "-m", "coursegen", "serve", str(course), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PYTHONFAULTHANDLER": "1",  # stop() has a server that hangs print its threads
            "TMPDIR": str(tmp_path / "tmp"),
        },
        # Ctrl-C reaches serve as from a terminal, even when the tests run as a background
        # job of a script, whose children inherit SIGINT ignored (and would never stop).
        preexec_fn=partial(signal.signal, signal.SIGINT, signal.SIG_DFL),
    )
    lines: list[str] = []
    while True:
        line = process.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            return process, found.group(0)


def stop(process) -> str:
    """Ctrl-C the server; its output. One that does not stop fails with its threads' stacks."""
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
        output, _ = process.communicate()
        pytest.fail(f"serve did not stop within {DEADLINE} s of Ctrl-C:\n{output}")
    return output


@pytest.fixture
def server(course_copy, tmp_path):
    course = course_copy("full")
    process, url = start_serve(course, tmp_path)
    yield course, url, process
    if process.poll() is None:
        process.kill()
        process.wait()


UNASSESSED = "objectives:\n  - id: name-clouds\n    text: Name the kinds of clouds.\n"


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

    bank.write_text(bank.read_text().replace("type: true_falsy", "type: true_false"))
    module.write_text(module.read_text().replace("objectives:\n", UNASSESSED, 1))
    warnings = wait_for(
        lambda: json.loads(fetch(url + "__coursegen__/status"))["warnings"], "the warning"
    )
    assert warnings == (
        f"{course}/modules/01-water.md:5:5: warning: objective 'name-clouds' is not assessed by "
        "any question [unassessed-objective]\n    hint: add a question that lists it under "
        "'objectives:'"
    )

    output = stop(process)
    assert process.returncode == 0
    assert "still serving the last good build" in output
    assert ", 1 warning\n" in output
    assert output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output


def test_pages_served_live_reload_themselves(server):
    _, url, _ = server
    page = fetch(url + "index.html")
    assert '<script src="assets/live-reload.js" defer></script>' in page
    assert "connect-src 'self'" in page


def request(url: str, path: str, host: str | None) -> tuple[int, dict, bytes]:
    """GET ``path`` with the Host header given (none for None), as a rebinding page can."""
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", path, skip_host=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    try:
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_serve_answers_only_requests_for_its_loopback_address(server):
    _, url, process = server
    port = url.rstrip("/").rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        status, headers, _ = request(url, "/glossary.html", host)
        assert (status, headers["X-Content-Type-Options"]) == (200, "nosniff"), host
    refused = (
        f"evil.example:{port}",
        "evil.example",
        "localhost",  # the port is not 80
        f"127.0.0.1:{port}.evil.example",
        f"localhost.:{port}",
        "",
        None,
    )
    for host in refused:
        for path in ("/glossary.html", "/__coursegen__/status", "/"):
            status, headers, body = request(url, path, host)
            assert status == 403, (host, path)
            assert headers["Content-Type"] == "text/plain; charset=utf-8"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert body.decode() == (
                f"coursegen serve answers only requests addressed to http://127.0.0.1:{port}/ or "
                f"http://localhost:{port}/; another host name may be a web page trying to read "
                "the course (DNS rebinding).\n"
            )
    assert "Traceback" not in stop(process)


def test_serve_keeps_to_its_folder_and_survives_bad_requests(server, tmp_path):
    _, url, process = server
    port = url.rstrip("/").rsplit(":", 1)[1]
    host = f"127.0.0.1:{port}"
    (tmp_path / "secret.txt").write_text("the exam")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "notes.txt").write_text("the exam")
    (served,) = (tmp_path / "tmp").glob("coursegen-serve-*/html")
    (served / "secret.txt").symlink_to(tmp_path / "secret.txt")
    (served / "private").symlink_to(tmp_path / "private")
    for path in ("/secret.txt", "/private/notes.txt", "/private/"):
        status, headers, body = request(url, path, host)
        assert (status, headers["X-Content-Type-Options"]) == (404, "nosniff"), path
        assert b"the exam" not in body and b"notes.txt" not in body
    for path in ("/%00", "/index.html%00", "/assets/%00/x"):
        status, _, _ = request(url, path, host)
        assert status == 400, path
    for request_bytes in (b"GET / HTTP/1.1\r\n", b"GET /glossary.html HTTP/1.0\r\n\r\n"):
        cancelled = socket.create_connection(("127.0.0.1", int(port)), timeout=5)
        cancelled.sendall(request_bytes)
        # Closing with unread data, or with SO_LINGER 0, resets the connection as a browser
        # does when the author leaves a page that is still loading.
        cancelled.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        cancelled.close()
    assert request(url, "/index.html", host)[0] == 200
    output = stop(process)
    assert "Traceback" not in output and "Exception" not in output
    assert output.rstrip().endswith("Stopped.")


def test_serve_in_a_language_rebuilds_when_a_translation_changes(course_copy, tmp_path):
    from coursegen.translation.extract import extract

    from .test_translation_build import translate_files

    course = course_copy("full")
    extract(course, "ar")
    translate_files(course)
    process, url = start_serve(course, tmp_path, "--lang", "ar")
    try:
        page = fetch(url + "01-water.html")
        assert '<html lang="ar" dir="rtl">' in page and "AR The Water Cycle" in page
        translate_files(
            course, lambda m, _: "دورة الماء" if m.id == "The Water Cycle" else m.string
        )
        wait_for(lambda: "دورة الماء" in fetch(url + "01-water.html"), "the new translation")
    finally:
        process.kill()
        process.wait()

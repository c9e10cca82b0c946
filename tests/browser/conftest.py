"""Real headless Chromium (Debian's package) driven by Playwright, and built sites to open."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from coursegen.build import build_course

FIXTURES = Path(__file__).parent.parent / "fixtures"
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} missing: apt-get install -y --no-install-recommends chromium"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must not go green by skipping
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The HTML site of each fixture course, built once for the session."""
    built = {}
    for name in ("full", "hostile", "arabic"):
        course = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(FIXTURES / name, course)
        build_course(course, formats=["html"])
        built[name] = course / "output" / "html"
    return built


@pytest.fixture(scope="session")
def http_root(sites):
    """The full fixture's site served over http from 127.0.0.1 on a free port."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(sites["full"]))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def errors(page) -> list[str]:
    """Console errors and uncaught exceptions of ``page``; a CSP violation is one of them."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    return seen


def choose_match(section, item: str, choice: str) -> None:
    """Match ``item`` with ``choice`` as a learner does: by the letter the list shows it with."""
    letter = section.locator(".q-choices li", has_text=choice).get_attribute("data-letter")
    options = section.get_by_label(item).locator("option")
    labels = options.evaluate_all("els => els.map(e => e.textContent)")
    section.get_by_label(item).select_option(
        label=next(label for label in labels if label.startswith(f"{letter}. "))
    )

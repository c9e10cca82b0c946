"""`coursegen serve`: build the HTML course, serve it on 127.0.0.1, rebuild on every edit.

Pages built for serving ask the server every 0.7 s whether it has rebuilt, and reload when
it has. A rebuild that fails leaves the last good build in place; its errors are printed in
the terminal and shown over the page until the course is fixed.

Only requests whose Host names the loopback address are answered: any web page the author
visits could otherwise point a name of its own at 127.0.0.1 and read the draft course.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Generator, Iterator
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path

import click

from . import reuse
from .build import build_course
from .errors import CourseError, Severity, ValidationFailed, plural
from .loader import BANKS_DIR, MODULES_DIR

STATUS_PATH = "/__coursegen__/status"
_TICK_MS = 200  # how often the watcher reports that nothing changed
_WAITING_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self';
 connect-src 'self'"><title>coursegen: waiting for a valid course</title>
<script src="/__coursegen__/live-reload.js" defer></script></head><body>
<h1>The course does not build yet</h1><pre>{errors}</pre></body></html>"""
_WRONG_HOST = (
    "coursegen serve answers only requests addressed to http://127.0.0.1:{port}/ or "
    "http://localhost:{port}/; another host name may be a web page trying to read the course "
    "(DNS rebinding).\n"
)


class LiveSite:
    """The last good build and the state of the latest one, shared with the HTTP handler."""

    def __init__(self, course_dir: Path, out_dir: Path, language: str | None = None):
        self.course_dir = course_dir
        self.out_dir = out_dir
        self.language = language  # the translation to build the course in, if any
        self.version = 0
        self.error: str | None = None
        self.warnings: str | None = None  # the last good build's, as `validate` prints them
        self.has_build = False
        self.lock = threading.Lock()

    @property
    def root(self) -> Path:
        return self.out_dir / "html"

    def rebuild(self) -> str:
        """Build once; return a line for the terminal."""
        started = time.perf_counter()
        try:
            result = build_course(
                self.course_dir, self.out_dir, ["html"], live_reload=True, language=self.language
            )
        except ValidationFailed as failure:
            report = "\n".join(d.format() for d in failure.diagnostics)
            return self._failed(f"{report}\nError: {failure}")
        except CourseError as failure:
            return self._failed(f"Error: {failure}")
        warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
        with self.lock:
            self.version += 1
            self.error = None
            self.warnings = "\n".join(d.format() for d in warnings) or None
            self.has_build = True
        counted = f", {plural(len(warnings), 'warning')}" if warnings else ""
        return f"built in {time.perf_counter() - started:.2f} s{counted}"

    def _failed(self, text: str) -> str:
        with self.lock:
            self.error = text
            self.version += 0 if self.has_build else 1
        kept = "; still serving the last good build" if self.has_build else ""
        return f"{text}\nthe course has errors{kept}"

    def status(self) -> bytes:
        with self.lock:
            status = {"version": self.version, "error": self.error, "warnings": self.warnings}
            return json.dumps(status).encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, site: LiveSite, **kwargs):
        self.site = site
        super().__init__(*args, directory=str(site.root), **kwargs)

    def parse_request(self) -> bool:
        # Checked here, before any method runs, so no page, status or script goes elsewhere.
        if not super().parse_request():
            return False
        if self._addressed_to_us():
            return True
        self.close_connection = True
        port = self.server.server_address[1]
        self._send(403, "text/plain; charset=utf-8", _WRONG_HOST.format(port=port).encode())
        return False

    def _addressed_to_us(self) -> bool:
        """Whether the Host names our loopback address, which a rebound DNS name never does."""
        hosts = self.headers.get_all("Host") or []
        allowed = _loopback_hosts(self.server.server_address[1])
        return len(hosts) == 1 and hosts[0].strip().lower() in allowed

    def send_head(self):
        path = self.translate_path(self.path)
        if "\0" in path:  # the file system would refuse it with a ValueError
            self.send_error(400, "Malformed path")
            return None
        root = os.path.realpath(self.site.root)
        if os.path.commonpath([root, os.path.realpath(path)]) != root:
            self.send_error(404, "File not found")  # a link out of the site is not part of it
            return None
        return super().send_head()

    def do_GET(self) -> None:
        if self.path.split("?")[0] == STATUS_PATH:
            self._send(200, "application/json", self.site.status())
        elif self.path == "/__coursegen__/live-reload.js":
            script = Path(__file__).parent / "templates" / "html" / "assets" / "live-reload.js"
            self._send(200, "text/javascript", script.read_bytes())
        elif not self.site.has_build:
            page = _WAITING_PAGE.format(errors=html.escape(self.site.error or "building..."))
            self._send(503, "text/html; charset=utf-8", page.encode())
        else:
            super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # requests are not news; rebuilds are


def _loopback_hosts(port: int) -> set[str]:
    names = {"127.0.0.1", "localhost", "[::1]"}
    return {f"{name}:{port}" for name in names} | (names if port == 80 else set())


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser resets the connection when the author leaves a page still loading.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(course_dir: Path, port: int, echo=click.echo, language: str | None = None) -> None:
    """Serve the course (in ``language``, from its translation) until Ctrl-C."""
    if not (course_dir / MODULES_DIR).is_dir():
        raise CourseError(f"{course_dir}: not a course folder (it has no '{MODULES_DIR}/' folder)")
    reuse.enable()  # rebuilds redo only what an edit changed
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    out_dir = Path(tempfile.mkdtemp(prefix="coursegen-serve-"))
    try:
        # Watching before the first build starts, so that no edit saved since is missed.
        with closing(_watching(course_dir)) as changes:
            site = LiveSite(course_dir, out_dir, language)
            echo(site.rebuild())
            with _serving(site, port) as bound:  # the port itself when 0 asked for any
                echo(f"Serving {course_dir} at http://127.0.0.1:{bound}/ (Ctrl-C to stop)")
                for changed in changes:
                    if changed:
                        names = sorted({Path(p).name for _, p in changed})
                        echo(f"changed: {', '.join(names)}; {site.rebuild()}")
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    echo("Stopped.")


@contextmanager
def _serving(site: LiveSite, port: int) -> Iterator[int]:
    """The site served on 127.0.0.1:``port`` (0: any free port) in a thread; the port."""
    try:
        server = _Server(("127.0.0.1", port), partial(_Handler, site=site))
    except OSError as exc:
        raise CourseError(
            f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}; "
            "choose another port with --port"
        ) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _watching(course_dir: Path) -> Generator[set, None, None]:
    """The course's changes, one set per batch of edits, from a watcher already watching.

    watchfiles starts watching at the generator's first step, so that step is taken here: it
    gives back an empty set (a quiet tick, one every _TICK_MS, skipped by the caller) or,
    if an edit came first, that edit, which the first build reads anyway.
    """
    import watchfiles  # imported here: only serve needs it

    changes = watchfiles.watch(
        *_watched(course_dir),
        watch_filter=_course_file,
        rust_timeout=_TICK_MS,
        yield_on_timeout=True,
    )
    next(changes)
    return changes


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _watched(course_dir: Path) -> list[Path]:
    return [p for p in (course_dir / MODULES_DIR, course_dir / BANKS_DIR) if p.is_dir()]


_COURSE_SUFFIXES = {".md", ".yaml", ".yml", ".po", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


def _course_file(change, path: str) -> bool:
    """Course files only: not editors' swap files, nor the Anki lock file that builds write."""
    name = Path(path).name
    return not name.startswith(".") and Path(name).suffix.lower() in _COURSE_SUFFIXES

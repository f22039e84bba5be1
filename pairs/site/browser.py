"""`t2l site check`: load every page of the built site in a real browser (Debian's Chromium, driven by Playwright
through its executable path: nothing downloads a browser) and fail on what a reader would hit.

Per page: console errors, uncaught exceptions, failed or 4xx requests, any request that leaves localhost (the site
must work offline), images that did not load. The side-by-side panes must sit next to each other at desktop width
and one above the other at phone width. Screenshots of the first screen of the main pages, at both widths, are
kept in DIR/screenshots/.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
# Chromium's own background traffic (updates, sync, lookups of Google's hosts) is refused on an offline machine
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip
SCREENSHOT_PAGES = ("index.html", "pairs/index.html", "lessons/index.html", "gallery/index.html")


def chromium() -> str | None:
    """The system Chromium: $T2L_CHROMIUM, else `chromium` or `chromium-browser` on PATH."""
    return os.environ.get("T2L_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(directory: Path, port: int = 0):
    """An HTTP server for `directory` on localhost in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class BrowserReport:
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)


# where the first side-by-side's two titles sit: [left x, right x], or null on a page without one
PANES = """() => { const grid = document.querySelector('.side-by-side'); if (!grid) return null;
  return ['.pane-title.left', '.pane-title.right'].map(s => grid.querySelector(s).getBoundingClientRect().left); }"""
BROKEN_IMAGES = "() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"


def _ignorable(request) -> bool:
    """Chromium fetches the favicon in the background; moving on to the next page cancels that fetch."""
    return request.url.endswith("favicon.svg") and "ERR_ABORTED" in (request.failure or "")


def check(html: Path, screenshots: Path, executable: str) -> BrowserReport:
    from playwright.sync_api import sync_playwright

    report = BrowserReport()
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html"))
    screenshots.mkdir(parents=True, exist_ok=True)
    first_pair = next((p for p in pages if p.startswith("pairs/") and p != "pairs/index.html"), None)
    first_gallery = next((p for p in pages if p.startswith("gallery/convert-")), None)
    shown = {p for p in (*SCREENSHOT_PAGES, first_pair, first_gallery) if p in pages}
    with serving(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        context = browser.new_context(viewport=DESKTOP)
        host = urlparse(base).netloc

        def guard(route) -> None:  # nothing may leave localhost
            if urlparse(route.request.url).netloc not in (host, ""):
                report.problems.append(f"{current[0]}: request leaves the site: {route.request.url}")
                route.abort()
            else:
                route.continue_()

        current = [""]
        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and report.problems.append(f"{current[0]}: console: {m.text}"))
        page.on("pageerror", lambda e: report.problems.append(f"{current[0]}: exception: {e}"))
        page.on("requestfailed", lambda r: _ignorable(r) or report.problems.append(f"{current[0]}: failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and report.problems.append(f"{current[0]}: HTTP {r.status}: {r.url}"))
        for name in pages:
            current[0] = name
            page.goto(base + name, wait_until="load")
            report.pages += 1
            report.problems += [f"{name}: image did not load: {src}" for src in page.evaluate(BROKEN_IMAGES)]
            lefts = page.evaluate(PANES)
            if lefts and lefts[0] == lefts[1]:
                report.problems.append(f"{name}: the side-by-side panes are not next to each other at desktop width")
            if name in shown:
                report.screenshots.append(_screenshot(page, screenshots, name, "desktop"))
        page.set_viewport_size(PHONE)
        for name in sorted(shown):
            current[0] = name
            page.goto(base + name, wait_until="load")
            lefts = page.evaluate(PANES)
            if lefts and lefts[0] != lefts[1]:
                report.problems.append(f"{name}: the side-by-side panes are not stacked at phone width")
            if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
                report.problems.append(f"{name}: the page is wider than a phone screen")
            report.screenshots.append(_screenshot(page, screenshots, name, "phone"))
        browser.close()
    return report


def _screenshot(page, directory: Path, name: str, width: str) -> Path:
    path = directory / f"{name.removesuffix('.html').replace('/', '-')}-{width}.png"
    page.screenshot(path=str(path))
    return path

"""`t2l site build | serve | check`: the course as a static website (see pairs/site/build.py)."""

from __future__ import annotations

import argparse
import difflib
import importlib.util
from pathlib import Path

from rich.console import Console

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BUILD = 4  # a run the site shows failed, or Sphinx warned


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "site",
        help="build, serve or browser-check the course as a static website",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="A static HTML site (Sphinx + MyST + Furo, offline: no CDN, no web fonts) made from real runs: "
        "each pair's sides side by side with its check, every lesson with its output and pictures, and the "
        "converter gallery (every fixture before and after, with its report and verdict). Examples:\n"
        "  t2l site build                 # about 4.5 minutes on 2 cores; open site/html/index.html\n"
        "  t2l site serve                 # http://127.0.0.1:8000/\n"
        "  t2l site check                 # every page in Chromium; screenshots in site/screenshots/\n"
        "Exit codes: 0 done, 1 the browser check found problems, 2 bad usage or a missing tool, "
        "4 the build failed (a run failed or Sphinx warned).",
    )
    p.add_argument("action", choices=["build", "serve", "check"])
    p.add_argument("--out", type=Path, default=Path("site"), help="the site's directory (default ./site)")
    p.add_argument("--quick", action="store_true", help="with build: the smallest runs (one epoch of 20 steps per pair)")
    p.add_argument("--verify-all", action="store_true",
                   help="with build: --verify the Fabric conversion of every fixture too (minutes more)")
    p.add_argument("--only", nargs="+", default=[], metavar="NAME",
                   help="with build: only these pairs, lessons (by number or name) and fixtures")
    p.add_argument("--port", type=int, default=8000, help="with serve: the port (default 8000)")
    p.set_defaults(func=cmd_site)


def _missing(*modules: str) -> str | None:
    absent = [m for m in modules if importlib.util.find_spec(m) is None]
    return f"{', '.join(absent)} not installed: pip install -e \".[dev]\"" if absent else None


def cmd_site(args: argparse.Namespace, console: Console) -> int:
    from pairs.harness.cli import UsageError

    html = args.out / "html"
    if args.action == "build":
        from pairs.harness.cli import _writable_dir
        from pairs.site.build import MARKER, BuildFailed, Site, build, known_names

        if problem := _missing("sphinx", "myst_parser", "furo"):
            raise UsageError(problem)
        _writable_dir(args.out)
        if args.out.exists() and (not args.out.is_dir() or (any(args.out.iterdir()) and not (args.out / MARKER).exists())):
            raise UsageError(f"--out {args.out}: not empty and not a site t2l built (it replaces html/, source/ and "
                             "runs/ there): choose a new directory")  # fmt: skip
        if unknown := sorted(set(args.only) - known_names()):
            close = difflib.get_close_matches(unknown[0], known_names(), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"--only {unknown[0]!r} names no pair, lesson or fixture{hint}")
        site = Site(args.out.resolve(), quick=args.quick, verify_all=args.verify_all, only=set(args.only))
        timings: dict[str, float] = {}
        try:
            seconds = build(site, console, timings)
        except (BuildFailed, FileNotFoundError) as failure:
            console.print(f"[bold red]t2l site build: failed:[/] {failure}", highlight=False, soft_wrap=True)
            return EXIT_BUILD
        slowest = sorted(timings.items(), key=lambda item: -item[1])[:6]
        console.print("slowest: " + ", ".join(f"{label} {took:.0f} s" for label, took in slowest), highlight=False)
        console.print(f"built {site.html / 'index.html'} in {seconds:.0f} s; `t2l site serve --out {args.out}` to browse")
        return EXIT_OK
    if not (html / "index.html").is_file():
        raise UsageError(f"no site under {args.out}: run `t2l site build --out {args.out}` first")
    if args.action == "serve":
        import signal
        import time

        from pairs.site.browser import serving

        # Ctrl-C stops it, also when started from a shell that ignored SIGINT (a background job inherits that)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            with serving(html, args.port) as url:
                console.print(f"serving {html} at {url} (Ctrl-C stops)")
                while True:
                    time.sleep(3600)
        except KeyboardInterrupt:
            return EXIT_OK
        except OSError as problem:
            raise UsageError(f"cannot serve on port {args.port}: {problem.strerror}; choose another with --port") from None
    from pairs.site import browser

    executable = browser.chromium()
    if executable is None:
        raise UsageError("no Chromium found: install Debian's package (apt-get install chromium) or set T2L_CHROMIUM")
    if problem := _missing("playwright"):
        raise UsageError(problem)
    report = browser.check(html, args.out / "screenshots", executable)
    for line in report.problems:
        console.print(f"[red]{line}", highlight=False, soft_wrap=True)
    console.print(f"{report.pages} pages loaded in Chromium, {len(report.problems)} problems; "
                  f"{len(report.screenshots)} screenshots in {args.out / 'screenshots'}")  # fmt: skip
    return EXIT_FAILED if report.problems else EXIT_OK

"""`t2l site build`: run what the site shows, write it as MyST pages, let Sphinx make the HTML.

Three parts (pairs, lessons, gallery) each give jobs (the slow, real runs: a pair's check, a lesson, a
conversion's `--verify`) and then write their pages from the jobs' results. The jobs run two at a time under one
progress bar; then Sphinx builds with warnings as errors, so a broken cross-reference fails the build.

    DIR/html/index.html   the site (open it, or `t2l site serve`)
    DIR/source/           the generated MyST pages and conf.py, kept to read
    DIR/runs/             what the runs wrote: lesson working directories, check JSON and plots, converted scripts
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

REPO = Path(__file__).resolve().parents[2]
MARKER = ".t2l-site"  # in a directory `t2l site build` made: the only kind it replaces the contents of
STATIC = Path(__file__).resolve().parent / "static"


class BuildFailed(Exception):
    """A run the site shows failed, or Sphinx warned: the message says which."""


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    work: Callable[[], Any]
    weight: float = 1.0  # a rough cost: heavier jobs start first, so the two workers finish together


@dataclass
class Site:
    out: Path
    quick: bool = False  # the smallest runs that still show every page (the tests build this)
    verify_all: bool = False  # --verify both targets of every converter fixture (minutes more)
    only: set[str] = field(default_factory=set)  # limit each part to these names (tests); empty: everything

    @property
    def html(self) -> Path:
        return self.out / "html"

    @property
    def source(self) -> Path:
        return self.out / "source"

    @property
    def runs(self) -> Path:
        return self.out / "runs"

    def wanted(self, name: str) -> bool:
        return not self.only or name in self.only


def _parts():
    from pairs.site import gallery, lesson_pages, pair_pages

    return (pair_pages, lesson_pages, gallery)


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    return work(), time.perf_counter() - start


def known_names() -> set[str]:
    """What `--only` can name: every pair, lesson (its file stem or number) and fixture."""
    return {name for part in _parts() for name in part.names()}


def run_jobs(jobs: list[Job], console: Console, workers: int = 2, seconds: dict[str, float] | None = None) -> dict[str, Any]:
    """Run the jobs, `workers` at a time, heaviest first; their results by key (and each one's seconds in
    `seconds`). The first failure cancels the jobs not started and raises BuildFailed naming the job."""
    results: dict[str, Any] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=not console.is_terminal) as progress, ThreadPoolExecutor(workers) as pool:
        task = progress.add_task("running what the site shows", total=len(jobs))
        futures = {pool.submit(_timed, job.work): job for job in sorted(jobs, key=lambda j: -j.weight)}
        for future in as_completed(futures):
            job = futures[future]
            try:
                results[job.key], took = future.result()
            except Exception as problem:
                for other in futures:
                    other.cancel()
                raise BuildFailed(f"{job.label}: {problem}") from problem
            if seconds is not None:
                seconds[job.label] = took
            progress.update(task, advance=1, description=f"done: {job.label}")
            if not console.is_terminal:  # a log (CI): one line per job instead of a bar
                console.print(f"{len(results)}/{len(jobs)} {job.label}: {took:.1f} s", highlight=False)
    return results


CONF = '''"""Sphinx configuration written by `t2l site build` (pairs/site/build.py): MyST pages, the Furo theme, no CDN."""
project = "torch2lightning"
extensions = ["myst_parser"]
html_theme = "furo"
html_title = "torch2lightning"
copyright = "the torch2lightning authors; code Apache-2.0, data under their own licences (pairs/data/README.md)"
html_static_path = ["_static"]
html_css_files = ["t2l.css"]
html_favicon = "_static/favicon.svg"
html_show_sourcelink = False
html_copy_source = False
myst_heading_anchors = 4
smartquotes = False  # `--dry-run` stays two hyphens
exclude_patterns = []
'''

INTRO = """# torch2lightning

Learn to move from plain PyTorch to PyTorch Lightning by reading the same model trained three ways: a plain
PyTorch loop, Lightning Fabric (which keeps your loop) and a LightningModule with the Trainer. Every page here
was made by running the code it shows when the site was built: the pairs' checks, the lessons, the converter.
"""


def _write_frame(site: Site, sections: list[str]) -> None:
    """conf.py, the static files, and the home page: the introduction, then each part's summary."""
    import pytorch_lightning
    import torch

    (site.source / "_static").mkdir(parents=True, exist_ok=True)
    for name in ("t2l.css", "favicon.svg"):
        shutil.copy(STATIC / name, site.source / "_static" / name)
    (site.source / "conf.py").write_text(CONF)
    quick = " (a quick build: the smallest runs)" if site.quick else ""
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    footer = f"<small>Built {built} with torch {torch.__version__}, Lightning {pytorch_lightning.__version__}{quick}.</small>"
    toctree = "```{toctree}\n:hidden:\npairs/index\nlessons/index\ngallery/index\n```"
    (site.source / "index.md").write_text("\n\n".join([INTRO, *sections, toctree, footer]) + "\n")


def sphinx(site: Site) -> None:
    from sphinx.cmd.build import build_main

    warnings = site.out / "sphinx-warnings.txt"
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-w", str(warnings), str(site.source), str(site.html)])
    if status != 0:
        text = warnings.read_text().strip() if warnings.exists() else ""
        raise BuildFailed(f"Sphinx failed ({status}): {text.splitlines()[0] if text else 'see above'} (all: {warnings})")


def build(site: Site, console: Console, seconds: dict[str, float] | None = None) -> float:
    """Build the whole site; returns the seconds it took (each job's and Sphinx's in `seconds`)."""
    seconds = {} if seconds is None else seconds
    start = time.perf_counter()
    site.out.mkdir(parents=True, exist_ok=True)
    (site.out / MARKER).write_text("built by `t2l site build`: it replaces html/, source/ and runs/ here\n")
    for directory in (site.source, site.html):
        shutil.rmtree(directory, ignore_errors=True)
    site.runs.mkdir(parents=True, exist_ok=True)
    parts = _parts()
    jobs = [job for part in parts for job in part.jobs(site)]
    results = run_jobs(jobs, console, seconds=seconds)
    seconds["(all runs, wall)"] = time.perf_counter() - start
    site.source.mkdir(parents=True, exist_ok=True)
    _write_frame(site, [part.write(site, results) for part in parts])
    console.print(f"pages written under {site.source}; Sphinx builds the HTML")
    sphinx_start = time.perf_counter()
    sphinx(site)
    seconds["(Sphinx)"] = time.perf_counter() - sphinx_start
    if problems := broken_links(site.html):
        raise BuildFailed(f"{len(problems)} broken links, the first: {problems[0]}")
    return time.perf_counter() - start


class _Refs(HTMLParser):
    """The ids a page defines and the local references it makes (href, src)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.refs.append((tag, value))


def broken_links(html: Path) -> list[str]:
    """Every local link and resource of the built site that does not resolve (a file, and the #id in it), and
    every resource (script, stylesheet, image) fetched from outside the site: the site must work offline."""
    parsed: dict[Path, _Refs] = {}
    for page in html.rglob("*.html"):
        parsed[page] = _Refs()
        parsed[page].feed(page.read_text())
    problems = []
    for page, refs in parsed.items():
        name = page.relative_to(html)
        for tag, url in refs.refs:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                if tag != "a" and parts.scheme != "data":
                    problems.append(f"{name}: <{tag}> loads {url} from outside the site")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{name}: {url}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else set()
                if parts.fragment not in ids:
                    problems.append(f"{name}: {url}: no id {parts.fragment!r} in {target.relative_to(html)}")
    return problems

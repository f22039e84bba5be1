"""The course: every lesson run by the lessons' own machinery (`pairs.harness.tutorials`) and written back as a
page with each block's printed output and pictures under it; the index is tutorials/README.md.

Lessons run CI-sized (`T2L_TUTORIAL_FAST=1`), as the test suite runs them; each in its own working directory
under runs/lessons/, kept, so the pictures it drew can be copied next to its page.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from pairs.harness import tutorials
from pairs.site import gallery
from pairs.site.build import Job, Site
from pairs.site.myst import output_block, rewrite_links

UPGRADE_FIXTURE = re.compile(r"^(?:\.\./)?tests/converter/upgrade_fixtures/(?P<name>\w+)\.in\.py$")
LESSON_SECONDS = {"01": 25, "02": 28, "08": 50, "09": 14, "11": 17}  # measured; the others take a few seconds


def _lessons(site: Site) -> list[Path]:
    return [path for path in tutorials.lessons() if site.wanted(path.stem) or site.wanted(path.stem[:2])]


def _run(site: Site, path: Path) -> list[tutorials.Output]:
    workdir = site.runs / "lessons" / path.stem
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    try:
        result = tutorials.run(path, fast=True, cwd=workdir)
    except tutorials.LessonFailed as failure:
        raise RuntimeError(str(failure).splitlines()[0] + " (run `t2l tutorials run` to see why)") from None
    return tutorials.outputs(result.stdout, len(tutorials.blocks(path)))


def names() -> list[str]:
    return [name for path in tutorials.lessons() for name in (path.stem, path.stem[:2])]


def jobs(site: Site) -> list[Job]:
    return [Job(f"lesson:{path.stem}", f"lesson {path.stem}", lambda path=path: _run(site, path),
                weight=LESSON_SECONDS.get(path.stem[:2], 4)) for path in _lessons(site)]  # fmt: skip


def link_target(path: str, lessons: set[str], fixtures: set[str]) -> str | None:
    """Where a lesson's relative link goes on the site: a lesson built is its page, an upgrade fixture its gallery
    page; anything else (a file of the repository, a lesson left out of a quick build) stays as text."""
    if path in lessons:
        return path
    match = UPGRADE_FIXTURE.match(path)
    return f"../gallery/upgrade-{match['name']}.md" if match and match["name"] in fixtures else None


def page(path: Path, ran: list[tutorials.Output], images: Path, links: Callable[[str], str | None]) -> str:
    """The lesson's Markdown with, after each block, what it printed and the pictures it drew."""
    text = rewrite_links(path.read_text(), links)
    parts, position = [], 0
    for index, match in enumerate(tutorials.FENCE.finditer(text)):
        parts.append(text[position : match.end()] + "\n")
        output = ran[index] if index < len(ran) else tutorials.Output()
        if output.text.strip():
            parts.append(output_block(output.text))
        for number, picture in enumerate(output.pictures):
            if picture.is_file():
                name = f"{index:02d}-{number}-{picture.name}"
                images.mkdir(parents=True, exist_ok=True)
                shutil.copy(picture, images / name)
                parts.append(f"\n![{picture.name}, drawn by the block above]({images.name}/{name})\n")
        position = match.end()
    parts.append(text[position:])
    return "".join(parts)


def _title(path: Path) -> str:
    return next((line[2:].strip() for line in path.read_text().splitlines() if line.startswith("# ")), path.stem)


def write(site: Site, results: dict) -> str:
    """The lesson pages and their index (tutorials/README.md); returns the home page's section."""
    directory = site.source / "lessons"
    directory.mkdir(parents=True, exist_ok=True)
    chosen = _lessons(site)
    names, fixtures = {path.name for path in chosen}, set(gallery.upgrade_pages(site))

    def links(target: str) -> str | None:
        return link_target(target, names, fixtures)

    for path in chosen:
        text = page(path, results[f"lesson:{path.stem}"], directory / f"{path.stem}-images", links)
        (directory / f"{path.stem}.md").write_text(text)
    index = rewrite_links((tutorials.TUTORIALS / "README.md").read_text(), links)
    toctree = "\n".join(path.stem for path in chosen)
    (directory / "index.md").write_text(f"{index}\n```{{toctree}}\n:hidden:\n{toctree}\n```\n")
    teaches = dict(re.findall(r"^\| \[\w+\]\(([\w-]+\.md)\) \| (.*) \|$", index, re.M))  # the README's table
    items = "\n".join(f"- **[{_title(path)}](lessons/{path.name})**: {teaches.get(path.name, '')}" for path in chosen)
    return ("## [The course](lessons/index.md)\n\nThe lessons in order, each block with the output it printed and the "
            f"pictures it drew when this site was built.\n\n{items}")  # fmt: skip

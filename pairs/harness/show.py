"""`t2l show`: two (or more) sides of a pair side by side, split into their matching sections.

Each side marks its sections with a comment line such as ``# --- Training step ----``; the same names
appear in the same order on both sides (a test checks it), so rows line up.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

SECTION_MARKER = re.compile(r"^\s*# --- (?P<name>[A-Za-z][\w ()/-]*?) -+\s*$")
PREAMBLE = "Imports"
SIDE_BY_SIDE_MIN_WIDTH = 150  # for two sides (75 columns each); below it, the sides are stacked


@dataclass
class Section:
    name: str
    first_line: int  # 1-based line number in the file
    code: str


def sections(path: Path) -> list[Section]:
    """Split a file at its section markers; the lines before the first marker are the preamble."""
    found = [Section(PREAMBLE, 1, "")]
    lines: list[str] = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = SECTION_MARKER.match(line)
        if match:
            found[-1].code = "\n".join(lines).rstrip("\n")
            found.append(Section(match["name"], number, ""))
            lines = []
        lines.append(line)
    found[-1].code = "\n".join(lines).rstrip("\n")
    return found


def kept_and_changed(before: Path, after: Path) -> tuple[int, int, int]:
    """(lines of `before` that `after` keeps unchanged, lines of `before`, lines `diff before after` lists)."""
    old, new = before.read_text().splitlines(), after.read_text().splitlines()
    kept = sum(block.size for block in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks())
    return kept, len(old), (len(old) - kept) + (len(new) - kept)


def _syntax(section: Section) -> Syntax:
    return Syntax(
        section.code, "python", line_numbers=True, start_line=section.first_line, word_wrap=True, theme="ansi_dark"
    )


def render(files: dict[str, Path], console: Console) -> None:
    """`files`: side -> its source, left to right (or top to bottom in a narrow terminal)."""
    sides = tuple(files)
    by_side = {side: sections(path) for side, path in files.items()}
    if len(sides) == 1:
        console.print(Group(*(_syntax(s) for s in by_side[sides[0]])))
        return
    names: list[str] = []
    for secs in by_side.values():  # every side's sections, in order; a section only one side has is kept
        names += [s.name for s in secs if s.name not in names]
    lookup = {side: {s.name: s for s in secs} for side, secs in by_side.items()}
    missing = Text("(no such section on this side)", style="dim italic")
    pair = next(iter(files.values())).parent.name
    if console.width >= SIDE_BY_SIDE_MIN_WIDTH * len(sides) / 2:
        table = Table(show_lines=True, expand=True, title=f"{pair}: {' vs '.join(sides)}")
        for side in sides:
            table.add_column(f"{side}.py", ratio=1, overflow="fold")
        for name in names:
            table.add_row(*(Text(name, style="bold magenta") for _ in sides))
            table.add_row(*(_syntax(lookup[side][name]) if name in lookup[side] else missing for side in sides))
        console.print(table)
    else:  # narrow terminal: one section at a time, the sides one above the other
        for name in names:
            console.rule(f"[bold magenta]{name}")
            for side in sides:
                body = _syntax(lookup[side][name]) if name in lookup[side] else missing
                console.print(Panel(body, title=f"{side}.py", title_align="left"))

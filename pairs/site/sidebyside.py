"""Two files side by side as HTML: aligned line by line like `sdiff`, highlighted, the lines that differ marked.

One grid, two columns, one row per line pair; where one side has lines the other lacks, the other gets empty
filler cells so that equal lines stay level. Long lines wrap inside their cell. On a narrow screen the stylesheet
stacks the two files and hides the fillers. Lines carry ids (`<prefix>-L<n>`) so a report can link to them.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

from pygments.lexers import PythonLexer
from pygments.token import STANDARD_TYPES, _TokenType

_LEXER = PythonLexer(stripnl=False, ensurenl=False)


@dataclass(frozen=True)
class Side:
    title: str
    code: str
    first_line: int = 1  # the number shown for the code's first line (a section starts mid-file)
    anchor: str = ""  # prefix of the line ids; none when empty


def _css_class(token: _TokenType) -> str:
    while token not in STANDARD_TYPES:
        token = token.parent
    return STANDARD_TYPES[token]


def highlighted_lines(code: str) -> list[str]:
    """One HTML string per source line, with Pygments' short classes (Sphinx's pygments.css colours them)."""
    lines: list[str] = [""]
    for token, value in _LEXER.get_tokens(code):
        css = _css_class(token)
        for number, piece in enumerate(value.split("\n")):
            if number:
                lines.append("")
            if piece:
                text = html.escape(piece)
                lines[-1] += f'<span class="{css}">{text}</span>' if css else text
    if code.endswith("\n"):
        lines.pop()
    return lines[: len(code.splitlines())] if code else []


def _line(side: Side, shown: list[str], index: int, changed: bool, column: str) -> str:
    number = side.first_line + index
    ident = f' id="{side.anchor}-L{number}"' if side.anchor else ""
    css = f"line {column}" + (" changed" if changed else "")
    return f'<div class="{css}"{ident}><span class="ln">{number}</span>{shown[index] or " "}</div>'


def _filler(column: str) -> str:
    return f'<div class="line {column} filler"> </div>'


def side_by_side(left: Side, right: Side) -> tuple[str, int]:
    """(an HTML grid of the two sides, how many lines differ on either side).

    The grid's cells go row by row (a left line, then the right line level with it), so a long line that wraps
    keeps its row level on both sides; on a narrow screen the stylesheet orders all left cells before all right
    ones and hides the fillers, which stacks the two files."""
    old, new = left.code.splitlines(), right.code.splitlines()
    shown_old, shown_new = highlighted_lines(left.code), highlighted_lines(right.code)
    cells = [f'<div class="pane-title left">{html.escape(left.title)}</div>',
             f'<div class="pane-title right">{html.escape(right.title)}</div>']  # fmt: skip
    differing = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        changed = tag != "equal"
        differing += ((i2 - i1) + (j2 - j1)) if changed else 0
        for row in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + row, j1 + row
            cells.append(_line(left, shown_old, i, changed, "left") if i < i2 else _filler("left"))
            cells.append(_line(right, shown_new, j, changed, "right") if j < j2 else _filler("right"))
    return f'<div class="side-by-side highlight">{"".join(cells)}</div>', differing

"""Two files side by side as HTML: aligned line by line like `sdiff`, highlighted, the lines that differ marked.

Each side is one `<pre>`; where one side has lines the other lacks, the other gets empty filler lines so that
equal lines stay level. On a narrow screen the stylesheet stacks the two `<pre>` and hides the fillers. Lines
carry ids (`<prefix>-L<n>`) so a report can link to them.
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


def _line(side: Side, shown: list[str], index: int, changed: bool) -> str:
    number = side.first_line + index
    ident = f' id="{side.anchor}-L{number}"' if side.anchor else ""
    css = "line changed" if changed else "line"
    return f'<span class="{css}"{ident}><span class="ln">{number}</span>{shown[index] or " "}</span>'


FILLER = '<span class="line filler"> </span>'


def side_by_side(left: Side, right: Side) -> tuple[str, int]:
    """(an HTML grid of the two sides, how many lines differ on either side)."""
    old, new = left.code.splitlines(), right.code.splitlines()
    shown_old, shown_new = highlighted_lines(left.code), highlighted_lines(right.code)
    columns: tuple[list[str], list[str]] = ([], [])
    differing = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        changed = tag != "equal"
        columns[0].extend(_line(left, shown_old, i, changed) for i in range(i1, i2))
        columns[1].extend(_line(right, shown_new, j, changed) for j in range(j1, j2))
        if changed:
            differing += (i2 - i1) + (j2 - j1)
            height = max(i2 - i1, j2 - j1)
            columns[0].extend([FILLER] * (height - (i2 - i1)))
            columns[1].extend([FILLER] * (height - (j2 - j1)))
    panes = "".join(
        f'<div class="pane"><div class="pane-title">{html.escape(side.title)}</div>'
        f'<div class="highlight"><pre>{"".join(column)}</pre></div></div>'
        for side, column in zip((left, right), columns)
    )
    return f'<div class="side-by-side">{panes}</div>', differing

"""Small helpers that write MyST Markdown (the pages Sphinx reads) safely."""

from __future__ import annotations

import re
from collections.abc import Callable

CODE_FENCE = re.compile(r"^(`{3,}|~{3,})", re.M)
HEADING = re.compile(r"^(#{1,5}) ", re.M)
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?!https?://|mailto:|#)(?P<path>[^)#\s]*)(?P<anchor>#[^)\s]*)?\)")


def fenced(body: str, opener: str) -> str:
    """A fenced block (`opener` is what follows the backticks: a language, or `{raw} html`) whose fence is longer
    than any run of backticks inside it."""
    runs = [len(run) for run in re.findall(r"`+", body)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{opener}\n{body.rstrip(chr(10))}\n{fence}\n"


def raw_html(markup: str) -> str:
    return fenced(markup, "{raw} html")


def output_block(text: str) -> str:
    """What a block printed, under it, styled apart from the code."""
    return fenced(text, "{code-block} text\n:class: output")


def demote_headings(text: str, levels: int = 1) -> str:
    """Every Markdown heading outside code blocks one level deeper (a README shown inside a page)."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        if CODE_FENCE.match(line):
            inside = not inside
        elif not inside and HEADING.match(line):
            line = "#" * levels + line
        out.append(line)
    return "".join(out)


def rewrite_links(text: str, target: Callable[[str], str | None]) -> str:
    """Relative links through `target(path) -> new path`; where it gives None, the link text stays, unlinked."""

    def replace(match: re.Match) -> str:
        new = target(match["path"])
        return match["text"] if new is None else f"[{match['text']}]({new}{match['anchor'] or ''})"

    return LINK.sub(replace, text)


WIDE = "---\nhide-toc: true\n---\n\n"  # Furo: no "on this page" column, the code panes get its width

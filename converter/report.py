"""What a conversion did: one finding per mapped construct or TODO, with its line in the input."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from converter import rules  # the code table (read when a finding is made: the rule modules import this one)

# Outcomes of one file (their exit codes are in converter/cli.py and each command's --help).
CONVERTED, CONVERTED_WITH_TODOS, NO_LOOP, ALREADY_LIGHTNING, BAD_INPUT = (
    "converted",
    "converted with TODOs",
    "no training loop found",
    "already Lightning",
    "bad input",
)
UPGRADED, UPGRADED_WITH_TODOS, UP_TO_DATE, NOT_LIGHTNING = (
    "upgraded",
    "upgraded with TODOs",
    "already 2.x",
    "no Lightning code",
)
DECLINED = "declined"  # no LightningModule made: the loop is kept, marked with why
INTERNAL_ERROR, SKIPPED = "internal error", "skipped"
WITH_TODOS = {CONVERTED_WITH_TODOS, UPGRADED_WITH_TODOS}
NOTHING_FOUND = {NO_LOOP, NOT_LIGHTNING}


@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    message: str

    @property
    def is_todo(self) -> bool:
        return self.code in rules.TODO_CODES


def same_line(line: int) -> int:
    return line


def line_map(before: list[str], after: list[str], added_joins_above: bool = False) -> Callable[[int], int]:
    """A line of `after` -> the line of `before` it came from (a rewritten line: the first line it replaced). A line
    only added maps to the line after it, or with `added_joins_above` to the line above it (0 above the first)."""
    mapping: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            if tag == "insert" and added_joins_above:
                mapping[j + 1] = i1
            else:
                mapping[j + 1] = i1 + 1 + (offset if tag == "equal" else min(offset, max(i2 - i1 - 1, 0)))
    return lambda line: min(mapping.get(line, line), max(len(before), 1))


@dataclass
class Report:
    path: str
    status: str = CONVERTED
    output: str | None = None  # where the converted script was written, if it was
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # a line of the text converted -> the line of the input (a rewrite before conversion moved lines)
    input_line: Callable[[int], int] = field(default=same_line, repr=False, compare=False)
    # how a line of the input is named to a person: "12" in a script, "cell 3, line 4" in a notebook
    where: Callable[[int], str] = field(default=str, repr=False, compare=False)
    where_names_file: bool = field(default=False, repr=False, compare=False)  # a project's "engine.py:14"
    # the input lines of the loop the Trainer replaced (first, last): a later pass's findings stand for them
    site_lines: tuple[int, int] | None = field(default=None, repr=False, compare=False)

    def location(self, line: int, short: bool = False) -> str:
        """`train.py:12` (`short`: the file's name only), `nb.ipynb:cell 3, line 4`, a project's `engine.py:14`."""
        if self.where_names_file:
            return self.where(line) if short else str(Path(self.path).parent / self.where(line))
        return f"{Path(self.path).name if short else self.path}:{self.where(line)}"

    @property
    def error_line(self) -> str:
        """The error's first line, for a summary row (a syntax error goes on with the source line and a caret)."""
        return self.error.splitlines()[0] if self.error else ""

    def add(self, code: str, line: int, message: str = "") -> None:
        assert code in rules.ALL, code
        finding = Finding(code, self.input_line(line), message or rules.ALL[code])
        if finding not in self.findings:
            self.findings.append(finding)

    @property
    def todos(self) -> list[Finding]:
        return [f for f in self.findings if f.is_todo]

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "status": self.status,
            "output": self.output,
            "error": self.error,
            "findings": [
                asdict(f) | {"kind": "todo" if f.is_todo else "mapped", "where": self.where(f.line)} | ({"reference": rules.reference(f.code)} if rules.reference(f.code) else {})
                for f in self.sorted()
            ],
        }

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (f.line, f.code))


NARROW = 100  # below this many columns the report is one `file:line CODE message` line per finding (ruff style)


def findings(report: Report, width: int) -> Table | Text:
    """The findings of one file: a table where it fits, else one unwrapped line each, nothing cut."""
    if width >= NARROW:
        return findings_table(report)
    lines = Text()
    for finding in report.sorted():
        style = "yellow" if finding.is_todo else ""
        lines.append(f"{report.location(finding.line)} ", style="bold")
        lines.append(f"{finding.code} ", style="yellow" if finding.is_todo else "cyan")
        lines.append(finding.message + "\n", style=style)
    return lines


def summary(reports: list[Report], width: int, title: str = "t2l convert") -> Table | Text:
    """Many files: a table where it fits, else one `file: status (N mapped, M TODOs) -> output` line each."""
    if width >= NARROW:
        return summary_table(reports, title)
    lines = Text(f"{title}: {len(reports)} files\n", style="bold")
    for r in reports:
        mapped = len(r.findings) - len(r.todos)
        where = f" -> {Path(r.output).name}" if r.output else f": {r.error_line}" if r.error else ""
        lines.append(f"{r.path}: {r.status} ({mapped} mapped, {len(r.todos)} TODOs){where}\n")
    return lines


def findings_table(report: Report) -> Table:
    table = Table(title=f"{report.path}: {report.status}", title_justify="left")
    table.add_column("line", justify="right")
    table.add_column("code")
    table.add_column("what happened")
    with_docs = any(rules.reference(f.code) for f in report.findings)
    if with_docs:
        table.add_column("2.x docs", no_wrap=True, max_width=24, overflow="ellipsis")
    for finding in report.sorted():
        style = "yellow" if finding.is_todo else ""
        docs = [_doc_link(rules.reference(finding.code))] if with_docs else []
        table.add_row(report.location(finding.line, short=True), finding.code, finding.message, *docs, style=style)
    return table


def _doc_link(url: str | None) -> str:
    """A short clickable label for a docs URL: its #anchor, else the page name."""
    if url is None:
        return ""
    label = url.rsplit("#", 1)[1] if "#" in url else url.rsplit("/", 1)[-1].removesuffix(".html")
    return f"[link={url}]{label}[/link]"


def summary_table(reports: list[Report], title: str = "t2l convert") -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("file", "status", "mapped", "TODOs", "output"):
        table.add_column(column, justify="right" if column in ("mapped", "TODOs") else "left")
    colours = {CONVERTED: "green", UPGRADED: "green", CONVERTED_WITH_TODOS: "yellow", UPGRADED_WITH_TODOS: "yellow"}
    colours[BAD_INPUT] = colours[INTERNAL_ERROR] = "red"
    colours[DECLINED] = "magenta"
    for r in reports:
        mapped = len(r.findings) - len(r.todos)
        table.add_row(
            r.path, f"[{colours.get(r.status, 'dim')}]{r.status}", str(mapped), str(len(r.todos)),
            Path(r.output).name if r.output else r.error_line,
        )
    return table


def write_json(reports: list[Report], path: Path | None) -> str:
    text = json.dumps(reports[0].to_dict() if len(reports) == 1 else [r.to_dict() for r in reports], indent=2)
    if path is not None:
        path.write_text(text + "\n")
    return text


def print_rules(console: Console, title: str, mapped: dict[str, str], todo: dict[str, str]) -> None:
    """A tool's rule codes (its mapped codes, then its TODO codes in yellow): code, the rule module, meaning."""
    owners = {code: module.rsplit(".", 1)[-1] for code, module, _ in rules.declared()}
    table = Table(title=title, title_justify="left")
    for column in ("code", "rule", "meaning"):
        table.add_column(column)
    for codes, style in ((mapped, ""), (todo, "yellow")):
        for code, message in codes.items():
            table.add_row(code, owners[code], message, style=style)
    console.print(table)

"""Converter speed and robustness over a corpus of real files.

    python -m converter.bench                 # the installed torch and pytorch_lightning packages
    python -m converter.bench DIR [DIR...]    # any directories of .py files
    python -m converter.bench --repeat 3      # median of 3 passes, side by side with bare libcst

Prints files/s and ms per 1,000 lines for `convert_source` next to bare libcst parse + code generation on the
same files in the same process, and the outcome counts (converted / TODOs / no loop / bad input / crashed).
"""

from __future__ import annotations

import argparse
import statistics
import time
import traceback
from collections import Counter
from pathlib import Path

import libcst as cst
from rich.console import Console
from rich.progress import track
from rich.table import Table

from converter.convert import convert_source
from converter.files import BadInput


def installed_corpus() -> list[Path]:
    import pytorch_lightning
    import torch

    files: list[Path] = []
    for package in (torch, pytorch_lightning):
        files += sorted(Path(package.__file__).parent.rglob("*.py"))
    return files


def sweep(files: list[Path], progress: bool = False) -> tuple[Counter, list[str]]:
    """Convert every file; count outcomes; return the crashes (any exception but a clean BadInput)."""
    outcomes: Counter = Counter()
    crashes: list[str] = []
    for path in track(files, description="converting", disable=not progress):
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            outcomes["bad input"] += 1
            continue
        try:
            output, report = convert_source(source, str(path))
        except BadInput:
            outcomes["bad input"] += 1
            continue
        except Exception:  # noqa: BLE001 - a crash is what the sweep looks for
            crashes.append(f"{path}: {traceback.format_exc().splitlines()[-1]}")
            continue
        if output is not None:
            cst.parse_module(output)  # the converter checks this too; a failure here is a crash
        outcomes[report.status] += 1
    return outcomes, crashes


def _bare(sources: list[str]) -> None:
    for source in sources:
        try:
            cst.parse_module(source).code  # noqa: B018 - code generation is the point
        except cst.ParserSyntaxError:
            pass


def _convert(sources: list[str]) -> None:
    for source in sources:
        try:
            convert_source(source)
        except BadInput:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m converter.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("dirs", nargs="*", type=Path, help="directories of .py files (default: torch + Lightning)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus; medians are reported")
    parser.add_argument("--limit", type=int, help="use only the first N files")
    args = parser.parse_args(argv)
    console = Console()
    files = [p for d in args.dirs for p in sorted(d.rglob("*.py"))] if args.dirs else installed_corpus()
    files = files[: args.limit] if args.limit else files
    sources = []
    for path in files:
        try:
            sources.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            pass
    lines = sum(s.count("\n") + 1 for s in sources)
    outcomes, crashes = sweep(files, progress=True)
    timings: dict[str, list[float]] = {"bare libcst parse + codegen": [], "t2l convert": []}
    for _ in range(args.repeat):  # interleaved, so both see the same machine state
        for name, run in (("bare libcst parse + codegen", _bare), ("t2l convert", _convert)):
            start = time.perf_counter()
            run(sources)
            timings[name].append(time.perf_counter() - start)
    table = Table(title=f"{len(sources)} files, {lines:,} lines (median of {args.repeat})", title_justify="left")
    for column in ("", "seconds", "files/s", "ms per 1,000 lines", "ratio"):
        table.add_column(column, justify="right" if column else "left")
    base = statistics.median(timings["bare libcst parse + codegen"])
    for name, values in timings.items():
        seconds = statistics.median(values)
        table.add_row(name, f"{seconds:.2f}", f"{len(sources) / seconds:.0f}", f"{1000 * seconds / lines * 1000:.1f}",
                      f"{seconds / base:.2f}x")  # fmt: skip
    console.print(table)
    console.print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) + f", crashed {len(crashes)}")
    for crash in crashes[:20]:
        console.print(f"[red]crash[/] {crash}", highlight=False, soft_wrap=True)
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Converter speed and robustness over a corpus of real files.

    python -m converter.bench                 # training scripts + 200 installed torch/Lightning files
    python -m converter.bench --installed -1  # ... + every installed torch/Lightning file (minutes)
    python -m converter.bench DIR [DIR...]    # any directories of .py files
    python -m converter.bench --to fabric     # `t2l convert --to fabric` on the same corpus

Prints ms per 1,000 lines for `convert_source` next to bare libcst parse + code generation on the same files in
the same process (median of --repeat passes, interleaved), separately for files with a training loop and files
the `.backward(` pre-filter skips (a corpus of mostly skipped files would hide the converter's own cost), and the
outcome counts (converted / TODOs / no loop / bad input / crashed).
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
from converter.fabric import convert_to_fabric
from converter.files import BadInput

TARGETS = {"lightning": convert_source, "fabric": convert_to_fabric}


def installed_corpus() -> list[Path]:
    import pytorch_lightning
    import torch

    files: list[Path] = []
    for package in (torch, pytorch_lightning):
        files += sorted(Path(package.__file__).parent.rglob("*.py"))
    return files


def sweep(files: list[Path], progress: bool = False, convert=convert_source) -> tuple[Counter, list[str]]:
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
            output, report = convert(source, str(path))
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


def _convert(sources: list[str], convert=convert_source) -> None:
    for source in sources:
        try:
            convert(source)
        except BadInput:
            pass


ROOT = Path(__file__).resolve().parent.parent


def loop_corpus() -> list[Path]:
    """Training scripts: the converter fixtures (public shapes) and the plain sides of the pairs (repository only)."""
    files = sorted((ROOT / "tests" / "converter" / "fixtures").glob("*.in.py"))
    return files + sorted((ROOT / "pairs").glob("*/plain.py"))


def rule_cases(to: str = "lightning") -> list[Path]:
    """The rules' small before/after inputs (~20 lines each): fixed costs per file weigh most there."""
    kinds = ("convert", "normalize") if to == "lightning" else (to,)
    return sorted(p for kind in kinds for p in (ROOT / "tests" / "converter" / "rules" / kind).glob("*/*.in.py"))


def _timed(run, sources: list[str]) -> float:
    start = time.perf_counter()
    run(sources)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m converter.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("dirs", nargs="*", type=Path, help="directories of .py files (default: the training-script "
                        "corpus and a sample of installed torch + Lightning files)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus; medians are reported")
    parser.add_argument("--installed", type=int, default=200, metavar="N",
                        help="installed torch + Lightning files to add (0: none, -1: all, about 2,500)")  # fmt: skip
    parser.add_argument("--to", choices=TARGETS, default="lightning", help="the conversion to time (default lightning)")
    args = parser.parse_args(argv)
    convert = TARGETS[args.to]
    console = Console()
    if args.dirs:
        files = [p for d in args.dirs for p in sorted(d.rglob("*.py"))]
    else:
        installed = installed_corpus()
        step = max(1, len(installed) // args.installed) if args.installed > 0 else 1
        files = loop_corpus() + rule_cases(args.to)
        files += installed[::step][: args.installed] if args.installed > 0 else installed if args.installed < 0 else []
    small = set(rule_cases(args.to))
    sources: dict[Path, str] = {}
    for path in files:
        try:
            sources[path] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            pass
    outcomes, crashes = sweep(files, progress=True, convert=convert)
    groups = {
        "training scripts (a loop in each)": [s for p, s in sources.items() if ".backward(" in s and p not in small],
        "the rules' small cases (~20 lines)": [s for p, s in sources.items() if ".backward(" in s and p in small],
        "files the pre-filter skips": [s for s in sources.values() if ".backward(" not in s],
    }
    command = "t2l convert" + (" --to fabric" if args.to == "fabric" else "")
    table = Table(title=f"{command} vs bare libcst parse + codegen, same process, median of {args.repeat}",
                  title_justify="left")  # fmt: skip
    for column in ("files", "count", "lines", "bare ms/1k lines", "t2l ms/1k lines", "ratio"):
        table.add_column(column, justify="left" if column == "files" else "right")
    for name, group in groups.items():
        if not group:
            continue
        lines = sum(s.count("\n") + 1 for s in group)
        bare, ours = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same machine state
            bare.append(_timed(_bare, group))
            ours.append(_timed(lambda sources: _convert(sources, convert), group))
        base, mine = statistics.median(bare), statistics.median(ours)
        table.add_row(name, str(len(group)), f"{lines:,}", f"{1e6 * base / lines:.1f}", f"{1e6 * mine / lines:.1f}",
                      f"{mine / base:.2f}x")  # fmt: skip
    console.print(table)
    console.print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) + f", crashed {len(crashes)}")
    for crash in crashes[:20]:
        console.print(f"[red]crash[/] {crash}", highlight=False, soft_wrap=True)
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())

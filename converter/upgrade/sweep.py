"""`t2l upgrade` over real Lightning 1.x code from PyPI: crashes, unparsable outputs, 1.x uses left, idempotence.

    python -m converter.upgrade.sweep                  # every corpus below (pip download, cached)
    python -m converter.upgrade.sweep --corpus bolts   # lightning-bolts 0.4.0 and 0.5.0 only
    python -m converter.upgrade.sweep DIR [DIR ...]    # any directories of 1.x code

Corpora: `bolts` (1.x-era LightningModules: GANs with optimizer_idx, VAEs, self-supervised models, callbacks) and
`libraries` (1.x-era packages built on Lightning: base models with subclasses, Trainer and callback subclasses,
LightningCLI registries: scvi-tools, anomalib, lightning-flash, pyannote.audio, torchgeo, ...).

The wheels are fetched once with `pip download --no-deps` into the cache (`$T2L_CACHE`, else
`~/.cache/torch2lightning`) and unpacked there; offline, the command says so and exits 3. Each file is upgraded as
`t2l upgrade --write` would (in memory), then upgraded again to check that a second run changes nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from rich.console import Console
from rich.progress import track
from rich.table import Table

from converter.analysis import check_parses
from converter.files import BadInput, process_file
from converter.report import INTERNAL_ERROR
from converter.upgrade import USES_LIGHTNING, upgrade_source
from converter.upgrade.legacy import count

CORPORA = {
    "bolts": ("lightning-bolts==0.4.0", "lightning-bolts==0.5.0"),
    "libraries": ("scvi-tools==0.14.6", "anomalib==0.3.7", "pytorch-forecasting==0.9.2", "lightning-flash==0.5.2",
                  "deepforest==1.1.3", "pyannote.audio==2.0.1", "torchgeo==0.2.1", "lightning-transformers==0.1.0",
                  "asteroid==0.5.2"),
}  # fmt: skip
PACKAGES = tuple(p for packages in CORPORA.values() for p in packages)
EXIT_OFFLINE = 3


@dataclass
class Sweep:
    files: int = 0
    lines: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    unparsable: list[str] = field(default_factory=list)
    not_idempotent: list[str] = field(default_factory=list)
    before: Counter = field(default_factory=Counter)
    after: Counter = field(default_factory=Counter)
    todo_marks: int = 0
    rejected: Counter = field(default_factory=Counter)  # T2L960: what the installed 2.x would reject, by kind


def cache_dir() -> Path:
    root = os.environ.get("T2L_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"), "torch2lightning")
    return Path(root) / "upgrade-sweep"


def fetch(packages: tuple[str, ...] = PACKAGES) -> list[Path]:
    """Download (once) and unpack each wheel; the unpacked directories. Raises OSError when offline."""
    found = []
    for package in packages:
        target = cache_dir() / package.replace("==", "-")
        if not any(target.glob("*.whl")):
            target.mkdir(parents=True, exist_ok=True)
            result = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(target), package],
                                    capture_output=True, text=True)  # fmt: skip
            if result.returncode != 0:
                raise OSError(f"pip download {package} failed (offline?): {result.stderr.strip().splitlines()[-1:]}")
        unpacked = target / "src"
        if not unpacked.exists():
            with zipfile.ZipFile(next(target.glob("*.whl"))) as wheel:
                wheel.extractall(unpacked)
        found.append(unpacked)
    return found


def sweep(files: list[Path], progress: bool = False) -> Sweep:
    result = Sweep(files=len(files))
    start = time.perf_counter()
    for path in track(files, description="upgrading", disable=not progress):
        source, output, report = process_file(path, lambda text, name: upgrade_source(text, name))
        result.statuses[report.status] += 1
        result.lines += source.count("\n")
        if report.status == INTERNAL_ERROR:
            result.crashes.append(f"{path}: {report.error}")
        before = count(source)
        result.before += before
        final = output if output is not None else source
        result.after += count(final)
        result.todo_marks += final.count("# TODO(t2l)")
        result.rejected.update(_kind(f.message) for f in report.findings if f.code == "T2L960")
        if output is None:
            continue
        try:
            check_parses(output, str(path))
        except AssertionError:
            result.unparsable.append(str(path))
            continue
        try:
            again, _ = upgrade_source(output, str(path))
        except BadInput:
            continue
        if again is not None and again != output:
            result.not_idempotent.append(str(path))
    result.seconds = time.perf_counter() - start
    return result


def speed_rounds(files: list[Path], rounds: int) -> tuple[int, list[tuple[float, float]]]:
    """(lines timed, (t2l upgrade seconds, bare libcst seconds) per round) over the files with Lightning code, each
    file through both side by side, so that a busy moment of the machine weighs on both."""
    sources = [p.read_text(errors="replace") for p in files]
    sources = [s for s in sources if USES_LIGHTNING.search(s)]
    timed: set[int] = set()
    timings = []
    for _ in track(range(rounds), description="timing", transient=True):
        upgrade_seconds = libcst_seconds = 0.0
        for index, source in enumerate(sources):
            start = time.perf_counter()
            try:
                upgrade_source(source, f"file{index}.py")
            except BadInput:
                continue
            middle = time.perf_counter()
            _ = cst.parse_module(source).code
            upgrade_seconds += middle - start
            libcst_seconds += time.perf_counter() - middle
            timed.add(index)
        timings.append((upgrade_seconds, libcst_seconds))
    return sum(sources[i].count("\n") for i in timed), timings


def _kind(message: str) -> str:
    """A T2L960 message's kind: import, hook signature, Trainer keyword or attribute, method defined twice."""
    if "2.x calls" in message:
        return "hook signatures"
    if message.startswith(("no module", "`pytorch_lightning", "`lightning", "`torchmetrics")):
        return "imports"
    if "Trainer" in message:
        return "Trainer keywords and attributes"
    return "methods defined twice" if "again" in message else "other"


def table(result: Sweep) -> Table:
    out = Table(title=f"t2l upgrade over {result.files} files, {result.lines:,} lines, {result.seconds:.1f} s",
                title_justify="left")  # fmt: skip
    for column in ("1.x uses", "before", "after", "left"):
        out.add_column(column, justify="left" if column == "1.x uses" else "right")
    for kind in sorted(set(result.before) | set(result.after)):
        before, after = result.before[kind], result.after[kind]
        out.add_row(kind, str(before), str(after), f"{100 * after / before:.0f}%" if before else "-")
    total_before, total_after = sum(result.before.values()), sum(result.after.values())
    left = f"{100 * total_after / total_before:.0f}%" if total_before else "-"
    out.add_row("all", str(total_before), str(total_after), left, style="bold")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m converter.upgrade.sweep", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("dirs", nargs="*", type=Path, help="directories of 1.x code (default: the corpora's wheels)")
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all", help="which wheels (default: all)")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds for the speed figure (median; default 5)")
    args = parser.parse_args(argv)
    console = Console()
    try:
        roots = args.dirs or fetch(PACKAGES if args.corpus == "all" else CORPORA[args.corpus])
    except OSError as error:
        console.print(f"[yellow]sweep: cannot fetch the 1.x corpus:[/] {error}", soft_wrap=True)
        return EXIT_OFFLINE
    files = [p for root in roots for p in sorted(root.rglob("*.py"))]
    result = sweep(files, progress=True)
    console.print(table(result))
    console.print("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(result.statuses.items())), soft_wrap=True)
    lines, timings = speed_rounds(files, args.rounds) if args.rounds > 0 else (0, [])
    if lines:
        ratios = sorted(u / c for u, c in timings)
        upgrade, libcst = (statistics.median(t[i] for t in timings) * 1e6 / lines for i in (0, 1))
        console.print(f"speed on the {lines:,} lines of files with Lightning code, median of "
                      f"{len(timings)} rounds: t2l upgrade {upgrade:.0f} ms per 1,000 lines, bare libcst parse + code "
                      f"generation {libcst:.0f} ms: {statistics.median(ratios):.2f}x (rounds {ratios[0]:.2f}x-"
                      f"{ratios[-1]:.2f}x)", soft_wrap=True)  # fmt: skip
    console.print(f"crashes {len(result.crashes)}, unparsable outputs {len(result.unparsable)}, "
                  f"changed by a second run {len(result.not_idempotent)}, TODO marks {result.todo_marks}")  # fmt: skip
    console.print("what the installed Lightning 2.x would reject, marked T2L960: "
                  + (", ".join(f"{k} {v}" for k, v in sorted(result.rejected.items())) or "nothing"), soft_wrap=True)
    for line in [*result.crashes, *result.unparsable, *result.not_idempotent][:20]:
        console.print(f"  {line}", highlight=False, soft_wrap=True)
    return 1 if result.crashes or result.unparsable or result.not_idempotent else 0


if __name__ == "__main__":
    raise SystemExit(main())

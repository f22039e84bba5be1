"""`t2l check`: train the sides of pairs (plain, Fabric, Lightning), compare each with plain.py bitwise, and report
(table, JSON, plot, TensorBoard runs)."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pairs.harness import registry
from pairs.harness.config import RunConfig
from pairs.harness.record import Comparison, SeriesComparison
from pairs.harness.registry import SIDES, Pair
from pairs.harness.run import PairOutcome, run_pair


def expected_steps(pair: Pair, config: RunConfig) -> int:
    """Training batches one side (rank 0) will run: what the progress bar counts."""
    batches = pair.spec.train_batches(config.batch_size, config.data)
    total = config.epochs * -(-batches // config.devices)  # DDP: each rank gets 1/devices of the data
    per_batch = pair.spec.OPTIMIZER_STEPS_PER_BATCH  # max_steps counts optimizer steps
    return total if config.max_steps < 0 else min(total, -(-config.max_steps // per_batch))


def run_with_progress(pairs: list[tuple[Pair, RunConfig]], console: Console, repeat: int = 1,
                      concurrent: bool = True, sides: tuple[str, ...] = SIDES) -> list[PairOutcome]:  # fmt: skip
    """Run each pair `repeat` times, the sides at the same time in one process each (`concurrent`) or one
    after the other in this one; report median wall times. Every repetition must be equal for the pair to
    count as equal."""
    columns = (
        TextColumn("{task.description:<26}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("steps"),
        TimeElapsedColumn(),
    )
    outcomes = []
    with Progress(*columns, console=console, transient=False) as progress:
        for pair, config in pairs:
            total = expected_steps(pair, config)  # also loads the data before any side is timed
            runs = []
            for attempt in range(repeat):
                suffix = f" ({attempt + 1}/{repeat})" if repeat > 1 else ""
                tasks = {
                    side: progress.add_task(f"{pair.name} {side}{suffix}", total=total, start=False) for side in sides
                }

                def advance(side: str, tasks: dict = tasks) -> None:
                    if not progress.tasks[tasks[side]].started:
                        progress.start_task(tasks[side])
                    progress.advance(tasks[side])

                runs.append(run_pair(pair, config, on_batch=advance, concurrent=concurrent, sides=sides))
            outcomes.append(_merge_repeats(runs))
    return outcomes


def _merge_repeats(runs: list[PairOutcome]) -> PairOutcome:
    unequal = [r for r in runs if not r.bitwise_equal]
    shown = unequal[0] if unequal else runs[0]  # report a failing repetition rather than hide it behind a passing one
    for side, result in shown.results.items():
        result.all_seconds = [r.results[side].seconds for r in runs]
        result.seconds = statistics.median(result.all_seconds)
    return shown


def _headline(outcome: PairOutcome, side: str) -> tuple[str, float]:
    """The figure a person looks at first: the pair's declared METRIC after the last epoch (rank 0's with DDP)."""
    metric, _direction = registry.get(outcome.pair).spec.METRIC
    epochs = outcome.results[side].epochs
    last = epochs[-1] if epochs else {}
    name = next((key for key in (metric, f"rank0/{metric}") if key in last), metric)
    label = metric.removeprefix("val_") + (" (rank 0)" if name.startswith("rank0/") else "")
    return label, last.get(name, math.nan)


def _comparison_record(c: Comparison) -> dict[str, Any]:
    return {
        "bitwise_equal": c.bitwise_equal,
        "steps_compared": c.steps_compared,
        "max_abs_diff": c.max_abs_diff,
        "series": [
            {"name": s.name, "compared": s.compared, "identical": s.identical, "max_abs_diff": s.max_abs_diff,
             "lengths": list(s.lengths)}
            for s in c.series
        ],
        "weights": {"tensors": c.weights_compared, "identical": c.weights_identical,
                    "max_abs_diff": c.weights_max_abs_diff, "keys_match": c.weight_keys_match},
        "files": {"compared": c.files_compared, "identical": c.files_identical, "names_match": c.file_names_match},
    }  # fmt: skip


def summary(outcome: PairOutcome) -> dict[str, Any]:
    """The machine-readable result of one pair (what `--json` writes)."""
    reference = outcome.results[outcome.reference]
    return {
        "pair": outcome.pair,
        "bitwise_equal": outcome.bitwise_equal,
        "steps_compared": outcome.steps_compared,
        "epochs": outcome.config.epochs,
        "max_abs_diff": outcome.max_abs_diff,
        "reference": outcome.reference,
        "sides": list(outcome.results),
        "seconds": {side: result.seconds for side, result in outcome.results.items()},
        "over_reference": {side: result.seconds / reference.seconds for side, result in outcome.results.items()},
        "all_seconds": {side: result.all_seconds for side, result in outcome.results.items()},
        "compared_with_reference": {side: _comparison_record(c) for side, c in outcome.comparisons.items()},
        "val_epochs": {side: result.epochs for side, result in outcome.results.items()},
        "artifacts": {side: result.artifacts for side, result in outcome.results.items()},
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(outcome.config).items()},
    }


def _num(x: float) -> str:
    return "0" if x == 0 else f"{x:.3g}"


def _totals(c: Comparison) -> tuple[int, int]:
    """(identical, compared) over every value, weight tensor and file."""
    total = sum(s.compared for s in c.series) + c.weights_compared + c.files_compared
    return sum(s.identical for s in c.series) + c.weights_identical + c.files_identical, total


def detail_table(outcome: PairOutcome) -> Table:
    """One row per series, one 'identical' column per side compared with the reference."""
    reference, comparisons = outcome.reference, outcome.comparisons
    table = Table(title=f"{outcome.pair}: value by value, each side against {reference}", title_justify="left")
    table.add_column("series")
    table.add_column("compared", justify="right")
    for side in comparisons:
        table.add_column(f"identical, {side}", justify="right")
    table.add_column("max |diff|", justify="right")
    rows: dict[str, dict[str, SeriesComparison]] = {}  # series name -> side -> its comparison
    for side, c in comparisons.items():
        for s in c.series:
            rows.setdefault(s.name, {})[side] = s
    for name, per_side in rows.items():
        lengths = {n for s in per_side.values() for n in s.lengths}
        compared = str(next(iter(per_side.values())).compared) if len(lengths) == 1 else f"lengths {sorted(lengths)}"
        equal = len(per_side) == len(comparisons) and all(s.equal for s in per_side.values())
        cells = [str(per_side[side].identical) if side in per_side else "-" for side in comparisons]
        table.add_row(name, compared, *cells, _num(max(s.max_abs_diff for s in per_side.values())),
                      style=None if equal else "bold red")  # fmt: skip
    cs = list(comparisons.values())
    weights_ok = all(c.weights_identical == c.weights_compared and c.weight_keys_match for c in cs)
    table.add_row("final weights (tensors)", str(cs[0].weights_compared), *(str(c.weights_identical) for c in cs),
                  _num(max(c.weights_max_abs_diff for c in cs)), style=None if weights_ok else "bold red")  # fmt: skip
    if any(c.files_compared or not c.file_names_match for c in cs):
        files_ok = all(c.files_identical == c.files_compared and c.file_names_match for c in cs)
        table.add_row("files written (byte for byte)", str(cs[0].files_compared),
                      *(str(c.files_identical) for c in cs), "", style=None if files_ok else "bold red")  # fmt: skip
    return table


def setting(config: RunConfig) -> str:
    """`CPU`, `CPU, 2 processes (DDP), bf16-mixed`..."""
    parts = [config.accelerator.upper()]
    if config.devices > 1:
        parts.append(f"{config.devices} processes (DDP)")
    if config.precision != "32-true":
        parts.append(config.precision)
    return ", ".join(parts)


def summary_table(outcomes: list[PairOutcome]) -> Table:
    """One column per pair (so that it fits an 80-column terminal), one row per figure."""
    where = setting(outcomes[0].config) if outcomes else "CPU"
    sides = list(outcomes[0].results) if outcomes else list(SIDES)
    reference, others = sides[0], sides[1:]
    table = Table(title=f"{' vs '.join(sides)} ({where})", title_justify="left",
                  caption=f"identical: values, weight tensors and files equal bit for bit to {reference}'s",
                  caption_justify="left")  # fmt: skip
    table.add_column("")
    for o in outcomes:
        table.add_column(o.pair, justify="right")
    rows: dict[str, list[str]] = {"training steps compared": [], "max |diff|": []}
    for o in outcomes:
        rows["training steps compared"].append(str(o.steps_compared))
        rows["max |diff|"].append(_num(o.max_abs_diff))
        for side, c in o.comparisons.items():
            same, total = _totals(c)
            cell = f"{same}/{total}" if c.bitwise_equal else f"[bold red]{same}/{total}"
            rows.setdefault(f"identical, {side}", []).append(cell)
        for side in o.results:
            rows.setdefault(f"val metric, {side}", []).append("{} {:.4f}".format(*_headline(o, side)))
        for side, result in o.results.items():
            rows.setdefault(f"seconds, {side}", []).append(f"{result.seconds:.2f}")
        for side in others:
            rows.setdefault(f"{side} / {reference}", []).append(
                f"{o.results[side].seconds / o.results[reference].seconds:.2f}x")
        rows.setdefault("result", []).append("[bold green]bitwise equal" if o.bitwise_equal else "[bold red]DIFFERENT")
    for name, cells in rows.items():
        table.add_row(name, *cells)
    return table


def write_json(outcomes: list[PairOutcome], path: Path) -> None:
    records = [summary(o) for o in outcomes]
    payload: dict[str, Any] = (
        records[0]
        if len(records) == 1
        else {"bitwise_equal": all(r["bitwise_equal"] for r in records), "pairs": records}
    )
    path.write_text(json.dumps(payload, indent=2) + "\n")


def write_plot(outcomes: list[PairOutcome], path: Path) -> None:
    """Training curves of every side overlaid, one panel per training series, plus validation loss."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def reference(o: PairOutcome):
        return o.results[o.reference]

    panels = [(o, name) for o in outcomes for name in sorted(reference(o).series) if name.startswith("train/")]
    panels += [(o, "val/loss") for o in outcomes if "val/loss" in reference(o).series]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3.2 * len(panels)), squeeze=False)
    styles = [dict(linewidth=3.5, alpha=0.45), dict(linestyle="--", linewidth=1.8), dict(linestyle=":", linewidth=1.2)]
    for ax, (o, name) in zip(axes[:, 0], panels):
        for index, (side, result) in enumerate(o.results.items()):  # drawn on top of each other when equal
            ax.plot(result.series.get(name, []), label=side, **styles[index % len(styles)])
        ax.set_title(f"{o.pair} {name} ({'bitwise equal' if o.bitwise_equal else 'DIFFERENT'})")
        ax.set_xlabel("step" if name.startswith("train/") else "validation batch")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_tensorboard(outcomes: list[PairOutcome], logdir: Path) -> None:
    """One TensorBoard run per side (`logdir/PAIR/plain`, `logdir/PAIR/fabric`, ...), same tags."""
    from torch.utils.tensorboard import SummaryWriter

    for o in outcomes:
        for side, result in o.results.items():
            with SummaryWriter(log_dir=str(logdir / o.pair / side)) as writer:
                for name, values in result.series.items():
                    for index, value in enumerate(values):
                        writer.add_scalar(name, value, index)
                for epoch, metrics in enumerate(result.epochs):
                    for key, value in metrics.items():
                        writer.add_scalar(f"epoch/{key}", value, epoch)


def resume_table(outcomes) -> Table:
    """One row per pair and side of `t2l check --resume-test`."""
    table = Table(title="crash with SIGKILL, resume, compare with an uninterrupted run", title_justify="left")
    for column in ("pair", "side", "killed at step", "resumed at step", "values", "max |diff|", "result", "s"):
        table.add_column(column, justify="left" if column in ("pair", "side", "result") else "right",
                         no_wrap=column in ("pair", "side", "result"))  # fmt: skip
    for o in outcomes:
        c = o.comparison
        _, compared = _totals(c)
        table.add_row(
            o.pair, o.side, str(o.killed_after_step), str(o.resumed_from_step), str(compared), _num(c.max_abs_diff),
            "[bold green]bitwise equal" if o.bitwise_equal else "[bold red]DIFFERENT", f"{o.seconds:.1f}",
        )  # fmt: skip
    return table


def write_resume_json(outcomes, path: Path) -> None:
    records = [
        {
            "pair": o.pair, "side": o.side, "bitwise_equal": o.bitwise_equal, "steps_per_epoch": o.steps_per_epoch,
            "killed_after_step": o.killed_after_step, "resumed_from_step": o.resumed_from_step,
            "max_abs_diff": o.comparison.max_abs_diff, "seconds": o.seconds,
            "series": [{"name": s.name, "compared": s.compared, "identical": s.identical} for s in o.comparison.series],
        }
        for o in outcomes
    ]  # fmt: skip
    path.write_text(json.dumps({"bitwise_equal": all(r["bitwise_equal"] for r in records), "runs": records}, indent=2))

"""`t2l check`: train both sides of pairs, compare them bitwise, and report (table, JSON, plot, logs)."""

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
from pairs.harness.registry import SIDES, Pair
from pairs.harness.run import PairOutcome, run_pair


def expected_steps(pair: Pair, config: RunConfig) -> int:
    """Training batches one side (rank 0) will run: what the progress bar counts."""
    batches = pair.spec.train_batches(config.batch_size, config.data)
    total = config.epochs * -(-batches // config.devices)  # DDP: each rank gets 1/devices of the data
    per_batch = pair.spec.OPTIMIZER_STEPS_PER_BATCH  # max_steps counts optimizer steps
    return total if config.max_steps < 0 else min(total, -(-config.max_steps // per_batch))


def run_with_progress(pairs: list[tuple[Pair, RunConfig]], console: Console, repeat: int = 1,
                      concurrent: bool = True) -> list[PairOutcome]:  # fmt: skip
    """Run each pair `repeat` times, the two sides at the same time in two processes (`concurrent`) or one
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
                    side: progress.add_task(f"{pair.name} {side}{suffix}", total=total, start=False) for side in SIDES
                }

                def advance(side: str, tasks: dict = tasks) -> None:
                    if not progress.tasks[tasks[side]].started:
                        progress.start_task(tasks[side])
                    progress.advance(tasks[side])

                runs.append(run_pair(pair, config, on_batch=advance, concurrent=concurrent))
            outcomes.append(_merge_repeats(runs))
    return outcomes


def _merge_repeats(runs: list[PairOutcome]) -> PairOutcome:
    first = runs[0]
    for side in SIDES:
        result = getattr(first, side)
        result.all_seconds = [getattr(r, side).seconds for r in runs]
        result.seconds = statistics.median(result.all_seconds)
    unequal = [r for r in runs if not r.comparison.bitwise_equal]
    if unequal:  # report a failing repetition rather than hide it behind a passing one
        first.comparison = unequal[0].comparison
    return first


def _headline(outcome: PairOutcome, side: str) -> tuple[str, float]:
    """The figure a person looks at first: the pair's declared METRIC after the last epoch (rank 0's with DDP)."""
    metric, _direction = registry.get(outcome.pair).spec.METRIC
    epochs = getattr(outcome, side).epochs
    last = epochs[-1] if epochs else {}
    name = next((key for key in (metric, f"rank0/{metric}") if key in last), metric)
    label = metric.removeprefix("val_") + (" (rank 0)" if name.startswith("rank0/") else "")
    return label, last.get(name, math.nan)


def summary(outcome: PairOutcome) -> dict[str, Any]:
    """The machine-readable result of one pair (what `--json` writes)."""
    c = outcome.comparison
    return {
        "pair": outcome.pair,
        "bitwise_equal": c.bitwise_equal,
        "steps_compared": c.steps_compared,
        "epochs": outcome.config.epochs,
        "max_abs_diff": c.max_abs_diff,
        "plain_seconds": outcome.plain.seconds,
        "lightning_seconds": outcome.lightning.seconds,
        "lightning_over_plain": outcome.lightning.seconds / outcome.plain.seconds,
        "all_seconds": {side: getattr(outcome, side).all_seconds for side in SIDES},
        "series": [
            {
                "name": s.name,
                "compared": s.compared,
                "identical": s.identical,
                "max_abs_diff": s.max_abs_diff,
                "lengths": list(s.lengths),
            }
            for s in c.series
        ],
        "weights": {
            "tensors": c.weights_compared,
            "identical": c.weights_identical,
            "max_abs_diff": c.weights_max_abs_diff,
            "keys_match": c.weight_keys_match,
        },
        "files": {"compared": c.files_compared, "identical": c.files_identical, "names_match": c.file_names_match},
        "val_epochs": {side: getattr(outcome, side).epochs for side in SIDES},
        "artifacts": {side: getattr(outcome, side).artifacts for side in SIDES},
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(outcome.config).items()},
    }


def _num(x: float) -> str:
    return "0" if x == 0 else f"{x:.3g}"


def detail_table(outcome: PairOutcome) -> Table:
    c = outcome.comparison
    table = Table(title=f"{outcome.pair}: value by value", title_justify="left")
    for col in ("series", "compared", "identical", "max |diff|"):
        table.add_column(col, justify="left" if col == "series" else "right")
    for s in c.series:
        style = None if s.equal else "bold red"
        compared = (
            f"{s.compared}"
            if s.lengths[0] == s.lengths[1]
            else f"{s.compared} (lengths {s.lengths[0]} vs {s.lengths[1]})"
        )
        table.add_row(s.name, compared, str(s.identical), _num(s.max_abs_diff), style=style)
    style = None if c.weights_identical == c.weights_compared and c.weight_keys_match else "bold red"
    table.add_row(
        "final weights (tensors)",
        str(c.weights_compared),
        str(c.weights_identical),
        _num(c.weights_max_abs_diff),
        style=style,
    )
    if c.files_compared or not c.file_names_match:
        style = None if c.files_identical == c.files_compared and c.file_names_match else "bold red"
        table.add_row("files written (byte for byte)", str(c.files_compared), str(c.files_identical), "", style=style)
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
    table = Table(title=f"plain PyTorch vs Lightning ({where})", title_justify="left")
    table.add_column("")
    for o in outcomes:
        table.add_column(o.pair, justify="right")
    rows: dict[str, list[str]] = {
        name: []
        for name in (
            "training steps compared",
            "identical (all series)",
            "max |diff|",
            "val metric, plain",
            "val metric, lightning",
            "seconds, plain",
            "seconds, lightning",
            "lightning / plain",
            "result",
        )
    }
    for o in outcomes:
        c = o.comparison
        total = sum(s.compared for s in c.series) + c.weights_compared + c.files_compared
        same = sum(s.identical for s in c.series) + c.weights_identical + c.files_identical
        cells = [
            str(c.steps_compared),
            f"{same}/{total}" if c.bitwise_equal else f"[bold red]{same}/{total}",
            _num(c.max_abs_diff),
            "{} {:.4f}".format(*_headline(o, "plain")),
            "{} {:.4f}".format(*_headline(o, "lightning")),
            f"{o.plain.seconds:.2f}",
            f"{o.lightning.seconds:.2f}",
            f"{o.lightning.seconds / o.plain.seconds:.2f}x",
            "[bold green]bitwise equal" if c.bitwise_equal else "[bold red]DIFFERENT",
        ]
        for row, cell in zip(rows.values(), cells):
            row.append(cell)
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
    """Training curves of both sides overlaid, one panel per training series, plus validation loss."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(o, name) for o in outcomes for name in sorted(o.plain.series) if name.startswith("train/")]
    panels += [(o, "val/loss") for o in outcomes if "val/loss" in o.plain.series]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3.2 * len(panels)), squeeze=False)
    for ax, (o, name) in zip(axes[:, 0], panels):
        ax.plot(o.plain.series[name], label="plain", linewidth=2.5, alpha=0.6)
        ax.plot(o.lightning.series.get(name, []), label="lightning", linestyle="--", linewidth=1.2)
        ax.set_title(f"{o.pair} {name} ({'bitwise equal' if o.comparison.bitwise_equal else 'DIFFERENT'})")
        ax.set_xlabel("step" if name.startswith("train/") else "validation batch")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_tensorboard(outcomes: list[PairOutcome], logdir: Path) -> None:
    """One TensorBoard run per side (`logdir/PAIR/plain`, `logdir/PAIR/lightning`), same tags."""
    from torch.utils.tensorboard import SummaryWriter

    for o in outcomes:
        for side in SIDES:
            result = getattr(o, side)
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
        compared = sum(s.compared for s in c.series) + c.weights_compared + c.files_compared
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

"""`t2l check PAIR --resume-test`: kill a training run with SIGKILL, resume it, and prove nothing changed.

For one side of a pair: (1) an uninterrupted run that writes a checkpoint after every epoch; (2) the same run
in a worker process, killed with SIGKILL in the middle of an epoch after at least one checkpoint (no
clean-up code runs: as in a power cut or an out-of-memory kill); (3) a new process that resumes from the
newest checkpoint and finishes. Every loss the resumed run records, and its final weights, must be bitwise
equal to the uninterrupted run's from the resume point on.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from pairs.harness.config import RunConfig
from pairs.harness.record import Comparison, RunResult, compare
from pairs.harness.registry import Pair
from pairs.harness.run import SideProcess, quiet_lightning, run_side


@dataclass
class ResumeOutcome:
    pair: str
    side: str
    steps_per_epoch: int
    killed_after_step: int
    resumed_from_step: int  # steps the resumed run did not redo (read from the shortened series)
    comparison: Comparison
    seconds: float

    @property
    def bitwise_equal(self) -> bool:
        return self.comparison.bitwise_equal


def train_series(pair: Pair) -> str:
    """The series with one value per training batch: the pair's first loss."""
    return f"train/{pair.spec.LOSSES[0]}"


def tail_of(full: RunResult, resumed: RunResult) -> RunResult:
    """The part of the uninterrupted run that the resumed run should have reproduced."""
    series = {name: values[len(values) - len(resumed.series.get(name, [])) :] for name, values in full.series.items()}
    epochs = full.epochs[len(full.epochs) - len(resumed.epochs) :]
    files = {name: path for name, path in full.artifacts.items() if name in resumed.artifacts}  # the later epochs'
    return RunResult(full.side, series, epochs, full.state_dict, artifacts=files)


def kill_step(steps_per_epoch: int, epochs: int) -> int:
    """Mid-epoch, with at least one checkpoint behind it: halfway through the last epoch (epoch 2 or later)."""
    return (epochs - 1) * steps_per_epoch + steps_per_epoch // 2


def crash(pair: Pair, side: str, config: RunConfig, after_step: int, source: Path | None = None) -> None:
    """Run the side in a worker process and SIGKILL it after training batch `after_step`."""
    process = SideProcess(pair, side, config, source)
    if not process.follow(kill_after_batch=after_step):
        process.results()  # raises if the worker failed
        raise RuntimeError(f"{pair.name} {side} finished before step {after_step}: nothing was killed")


def resume_test(pair: Pair, side: str, config: RunConfig, source: Path | None = None) -> ResumeOutcome:
    """`source`: run that file instead of the side's own (a negative control's edited copy), in every phase."""
    if config.epochs < 2:
        raise ValueError("the resume test needs at least 2 epochs (a checkpoint before the crash)")
    quiet_lightning()
    started = time.perf_counter()
    root = config.root_dir / "resume-test"
    full = run_side(pair, side, dataclasses.replace(config, checkpoint=True, root_dir=root / "uninterrupted"),
                    source=source)
    steps_per_epoch = len(full.series[train_series(pair)]) // config.epochs
    crashed = dataclasses.replace(config, checkpoint=True, root_dir=root / "crashed")
    killed_after = kill_step(steps_per_epoch, config.epochs)
    crash(pair, side, crashed, killed_after, source)
    resumed = run_side(pair, side, dataclasses.replace(crashed, resume=True), source=source)
    done = len(full.series[train_series(pair)]) - len(resumed.series.get(train_series(pair), []))
    return ResumeOutcome(pair.name, side, steps_per_epoch, killed_after, done, compare(tail_of(full, resumed), resumed),
                         time.perf_counter() - started)  # fmt: skip


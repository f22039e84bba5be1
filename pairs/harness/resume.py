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

from pairs.harness.config import RunConfig
from pairs.harness.run import quiet_lightning, run_processes, run_side
from pairs.harness.record import Comparison, RunResult, compare
from pairs.harness.registry import Pair


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


def train_series(result: RunResult) -> str:
    return next(name for name in sorted(result.series) if name.startswith("train/"))


def tail_of(full: RunResult, resumed: RunResult) -> RunResult:
    """The part of the uninterrupted run that the resumed run should have reproduced."""
    series = {name: values[len(values) - len(resumed.series.get(name, [])) :] for name, values in full.series.items()}
    epochs = full.epochs[len(full.epochs) - len(resumed.epochs) :]
    files = {name: path for name, path in full.artifacts.items() if name in resumed.artifacts}  # the later epochs'
    return RunResult(full.side, series, epochs, full.state_dict, artifacts=files)


def kill_step(steps_per_epoch: int, epochs: int) -> int:
    """Mid-epoch, with at least one checkpoint behind it: halfway through the last epoch (epoch 2 or later)."""
    return (epochs - 1) * steps_per_epoch + steps_per_epoch // 2


def crash(pair: Pair, side: str, config: RunConfig, after_step: int) -> None:
    if run_processes(pair, side, config, kill_after_step=after_step) is not None:
        raise RuntimeError(f"{pair.name} {side} finished before step {after_step}: nothing was killed")


def resume_test(pair: Pair, side: str, config: RunConfig) -> ResumeOutcome:
    if config.epochs < 2:
        raise ValueError("the resume test needs at least 2 epochs (a checkpoint before the crash)")
    quiet_lightning()
    started = time.perf_counter()
    root = config.root_dir / "resume-test"
    full = run_side(pair, side, dataclasses.replace(config, checkpoint=True, root_dir=root / "uninterrupted"))
    steps_per_epoch = len(full.series[train_series(full)]) // config.epochs
    crashed = dataclasses.replace(config, checkpoint=True, root_dir=root / "crashed")
    killed_after = kill_step(steps_per_epoch, config.epochs)
    crash(pair, side, crashed, killed_after)
    resumed = run_side(pair, side, dataclasses.replace(crashed, resume=True))
    done = len(full.series[train_series(full)]) - len(resumed.series.get(train_series(full), []))
    return ResumeOutcome(pair.name, side, steps_per_epoch, killed_after, done, compare(tail_of(full, resumed), resumed),
                         time.perf_counter() - started)  # fmt: skip


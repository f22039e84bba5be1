"""Runs the sides of a pair (plain, Fabric, Lightning) under identical conditions and compares what the probe saw.

In this process (`run_side`: tests, quick checks) or in worker processes (`run_processes`: torchrun for DDP,
a SIGKILL for the crash test, and `t2l check`, which runs the sides at the same time, one thread each).
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import torch

from pairs.harness.config import RunConfig
from pairs.harness.probe import Probe
from pairs.harness.record import Comparison, RunResult, compare
from pairs.harness.registry import SIDES, Pair

STEP_LINE = re.compile(r"t2l-step (\d+)\n?")  # what a worker prints after each training batch
# Trainer defaults Lightning reads from the environment (PL_TRAINER_<ARG>): `t2l check` draws its own progress
# bar, so the side's Trainer(...) call stays as a learner writes it.
QUIET_TRAINER = {"PL_TRAINER_ENABLE_PROGRESS_BAR": "0", "PL_TRAINER_ENABLE_MODEL_SUMMARY": "0"}


@dataclass
class PairOutcome:
    """Every side's record, and each side after the first compared with the first (the reference, plain.py)."""

    pair: str
    config: RunConfig
    results: dict[str, RunResult]  # side -> what it recorded, in the order the sides were asked for
    comparisons: dict[str, Comparison]  # every side but the reference -> compared with the reference

    @property
    def reference(self) -> str:
        return next(iter(self.results))

    @property
    def bitwise_equal(self) -> bool:
        return all(c.bitwise_equal for c in self.comparisons.values())

    @property
    def steps_compared(self) -> int:
        return min((c.steps_compared for c in self.comparisons.values()), default=0)

    @property
    def max_abs_diff(self) -> float:
        return max((c.max_abs_diff for c in self.comparisons.values()), default=0.0)


def outcome_of(pair: str, config: RunConfig, results: dict[str, RunResult]) -> PairOutcome:
    reference, *others = results
    comparisons = {side: compare(results[reference], results[side]) for side in others}
    return PairOutcome(pair, config, results, comparisons)


def quiet_lightning() -> None:
    """Keep Lightning's start-up chatter out of the comparison output (warnings that matter stay)."""
    import pytorch_lightning  # noqa: F401  (it resets its loggers to INFO when first imported)

    for name in ("pytorch_lightning", "lightning.pytorch", "lightning.fabric"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # Our loaders run in the main process on purpose (worker processes would not change any value).
    warnings.filterwarnings("ignore", message=r".*does not have many workers.*")
    warnings.filterwarnings("ignore", message=r".*is smaller than the logging interval.*")
    warnings.filterwarnings("ignore", message=r".*isinstance\(treespec, LeafSpec\).*")
    # Resuming writes into the directory that holds the checkpoint it resumes from, on purpose.
    warnings.filterwarnings("ignore", message=r".*Checkpoint directory .* exists and is not empty.*")


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def side_config(pair: Pair, side: str, config: RunConfig) -> RunConfig:
    return dataclasses.replace(config, root_dir=config.root_dir / pair.name / side)


def run_side(
    pair: Pair, side: str, config: RunConfig, on_batch: Callable[[], None] | None = None,
    source: Path | None = None, in_process: bool = False,
) -> RunResult:
    """Train one side by calling its `main(argv)` under the probe. `source`: run that file instead of the
    side's own (a negative control's edited copy). With config.devices > 1 the side runs as that many
    processes under torchrun, and the result holds every rank's record under `rank{R}/...` names."""
    if config.devices > 1 and not in_process:
        return run_distributed(pair, side, config, on_batch, source=source)
    torch.set_num_threads(config.threads)  # same thread count on both sides: reductions split alike
    torch.set_autocast_cache_enabled(True)  # torch's default: a side that turned it off must not change the next
    os.environ.pop("PL_GLOBAL_SEED", None)  # left by an earlier side's seed_everything: each side seeds itself
    # The first torch.optim optimizer imports torch._dynamo (seconds, cold); importing Lightning already did it
    # on that side. Import it before the clock starts, for both.
    importlib.import_module("torch._dynamo")
    module = pair.module(side, source)
    probe = Probe(pair.spec.LOSSES, pair.spec.SUMMARISE, on_batch)
    own = side_config(pair, side, config)
    started_at = time.time()
    with _environment(QUIET_TRAINER), probe.attached(module):
        start = time.perf_counter()
        model = module.main(own.argv())
        seconds = time.perf_counter() - start
    result = probe.result(side, model, seconds)
    # Files the run wrote (e.g. sample grids), by path relative to the side's root: compared byte for byte.
    for pattern in pair.spec.ARTIFACTS:
        for path in sorted(own.root_dir.glob(pattern)):
            if path.stat().st_mtime >= started_at - 1:  # ignore leftovers of earlier runs
                result.artifacts[str(path.relative_to(own.root_dir))] = str(path)
    return result


def config_for(pair: Pair, **overrides) -> RunConfig:
    """The pair's default RunConfig with CLI/test overrides applied (None means: keep the default)."""
    values = {**pair.defaults, **{k: v for k, v in overrides.items() if v is not None}}
    if isinstance(values.get("root_dir"), str):
        values["root_dir"] = Path(values["root_dir"])
    return RunConfig(**values)


def run_pair(pair: Pair, config: RunConfig, on_batch: Callable[[str], None] | None = None,
             concurrent: bool = False, sides: tuple[str, ...] = SIDES) -> PairOutcome:  # fmt: skip
    """The sides (all three by default), one after the other in this process, or (`concurrent`) each in its own
    worker process, all at once."""
    quiet_lightning()
    progress = {side: (lambda s=side: on_batch(s)) if on_batch else None for side in sides}
    if concurrent:
        processes = {side: SideProcess(pair, side, config) for side in sides}
        threads = [threading.Thread(target=process.follow, args=(progress[side],)) for side, process in processes.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results = {side: merge_ranks(side, process.results()) for side, process in processes.items()}
    else:
        results = {side: run_side(pair, side, config, progress[side]) for side in sides}
    return outcome_of(pair.name, config, results)


class SideProcess:
    """One side in worker processes (torchrun when config.devices > 1), each writing DIR/rank{R}.pt."""

    def __init__(self, pair: Pair, side: str, config: RunConfig, source: Path | None = None,
                 env: dict[str, str] | None = None) -> None:  # fmt: skip
        self.pair, self.side, self.config = pair, side, config
        self._out = tempfile.TemporaryDirectory(prefix="t2l-ranks-")
        fields = {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(config).items()}
        worker = ["-m", "pairs.harness.worker", pair.name, side, "--out", self._out.name, "--config", json.dumps(fields)]
        worker += ["--source", str(source)] if source else []
        launcher = [sys.executable]
        if config.devices > 1:
            launcher += ["-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={config.devices}"]
        env = {**os.environ, "OMP_NUM_THREADS": str(config.threads), "PYTHONUNBUFFERED": "1", **(env or {})}
        env.pop("PL_GLOBAL_SEED", None)  # a seed this process's in-process runs left behind: each side seeds itself
        self.process = subprocess.Popen([*launcher, *worker], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env=env, start_new_session=True)  # fmt: skip

    def follow(self, on_batch: Callable[[], None] | None = None, kill_after_batch: int | None = None) -> bool:
        """Read progress until the run ends; with `kill_after_batch`, SIGKILL the whole process group once rank 0
        reports that batch (no clean-up code runs: as in a power cut or an OOM kill). True if it was killed."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if not (match := STEP_LINE.fullmatch(line)):
                continue
            if on_batch:
                on_batch()
            if kill_after_batch is not None and int(match.group(1)) >= kill_after_batch:
                os.killpg(self.process.pid, signal.SIGKILL)  # torchrun and its workers
                self.process.wait()
                return True
        return False

    def results(self) -> list[RunResult]:
        stderr = self.process.stderr.read() if self.process.stderr else ""
        if self.process.wait() != 0:
            raise RuntimeError(f"{self.pair.name} {self.side} worker failed (exit {self.process.returncode}):\n"
                               f"{stderr[-4000:]}")  # fmt: skip
        results = []
        with self._out:
            for rank in range(self.config.devices):
                record = torch.load(Path(self._out.name) / f"rank{rank}.pt", weights_only=True)
                if record["world_size"] != self.config.devices:
                    raise RuntimeError(f"{self.pair.name} {self.side} trained with world size {record['world_size']}, "
                                       f"not {self.config.devices}: its main ignores --devices")  # fmt: skip
                result = RunResult(self.side, record["series"], record["epochs"], record["state_dict"],
                                   record["seconds"], artifacts=record["artifacts"])  # fmt: skip
                results.append(result)
        return results


def merge_ranks(side: str, ranks: list[RunResult]) -> RunResult:
    """One rank: its result. Several: every rank's record in one RunResult, names prefixed `rank{R}/`."""
    if len(ranks) == 1:
        return ranks[0]
    merged = RunResult(side, {}, [], {}, max(rank.seconds for rank in ranks), artifacts=ranks[0].artifacts)
    for rank, result in enumerate(ranks):
        merged.series |= {f"rank{rank}/{name}": values for name, values in result.series.items()}
        merged.state_dict |= {f"rank{rank}/{name}": tensor for name, tensor in result.state_dict.items()}
        for epoch, metrics in enumerate(result.epochs):
            if len(merged.epochs) <= epoch:
                merged.epochs.append({})
            merged.epochs[epoch] |= {f"rank{rank}/{key}": value for key, value in metrics.items()}
    return merged


def run_distributed(pair: Pair, side: str, config: RunConfig, on_batch: Callable[[], None] | None = None,
                    source: Path | None = None, env: dict | None = None) -> RunResult:  # fmt: skip
    process = SideProcess(pair, side, config, source, env)
    process.follow(on_batch)
    return merge_ranks(side, process.results())

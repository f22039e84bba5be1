"""Runs the two sides of a pair under identical conditions and compares what they recorded."""

from __future__ import annotations

import dataclasses
import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import torch

from pairs.config import RunConfig
from pairs.record import Comparison, Recorder, RunResult, compare
from pairs.registry import SIDES, Pair


@dataclass
class PairOutcome:
    pair: str
    config: RunConfig
    plain: RunResult
    lightning: RunResult
    comparison: Comparison


def quiet_lightning() -> None:
    """Keep Lightning's start-up chatter out of the comparison output (warnings that matter stay)."""
    import pytorch_lightning  # noqa: F401  (it resets its loggers to INFO when first imported)

    for name in ("pytorch_lightning", "lightning.pytorch", "lightning.fabric"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # Our loaders run in the main process on purpose (worker processes would not change any value).
    warnings.filterwarnings("ignore", message=r".*does not have many workers.*")
    warnings.filterwarnings("ignore", message=r".*is smaller than the logging interval.*")
    warnings.filterwarnings("ignore", message=r".*isinstance\(treespec, LeafSpec\).*")


def run_side(
    pair: Pair, side: str, config: RunConfig, on_step: Callable[[], None] | None = None, fit=None
) -> RunResult:
    """Train one side. `fit` overrides the side's fit function (tests use it for negative controls)."""
    torch.set_num_threads(config.threads)  # same thread count on both sides: reductions split alike
    fit = fit or pair.module(side).fit
    shared = pair.module("model")
    recorder = Recorder(side, shared.summarise, on_step)
    side_config = dataclasses.replace(config, root_dir=config.root_dir / pair.name / side)
    started_at = time.time()
    start = time.perf_counter()
    model = fit(side_config, recorder)
    seconds = time.perf_counter() - start
    result = recorder.finish(model)
    result.seconds = seconds
    # Files the run wrote (e.g. sample grids), by path relative to the side's root: compared byte for byte.
    if pattern := getattr(shared, "ARTIFACTS", None):
        for path in sorted(side_config.root_dir.glob(pattern)):
            if path.stat().st_mtime >= started_at - 1:  # ignore leftovers of earlier runs
                result.artifacts[str(path.relative_to(side_config.root_dir))] = str(path)
    return result


def config_for(pair: Pair, **overrides) -> RunConfig:
    """The pair's default RunConfig with CLI/test overrides applied (None means: keep the default)."""
    values = {**pair.defaults, **{k: v for k, v in overrides.items() if v is not None}}
    return RunConfig(**values)


def run_pair(pair: Pair, config: RunConfig, on_step: Callable[[str], None] | None = None) -> PairOutcome:
    quiet_lightning()
    results = {side: run_side(pair, side, config, (lambda s=side: on_step(s)) if on_step else None) for side in SIDES}
    return PairOutcome(
        pair.name,
        config,
        results["plain"],
        results["lightning"],
        compare(results["plain"], results["lightning"]),
    )

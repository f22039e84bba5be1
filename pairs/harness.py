"""Runs the two sides of a pair under identical conditions and compares what they recorded."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    # Resuming writes into the directory that holds the checkpoint it resumes from, on purpose.
    warnings.filterwarnings("ignore", message=r".*Checkpoint directory .* exists and is not empty.*")


def run_side(
    pair: Pair, side: str, config: RunConfig, on_step: Callable[[], None] | None = None, fit=None,
    in_process: bool = False,
) -> RunResult:
    """Train one side. `fit` overrides the side's fit function (tests use it for negative controls).

    With config.devices > 1 the side runs as that many processes under torchrun (see pairs/worker.py), and
    the result holds every rank's record under `rank{R}/...` names, so ranks are compared one by one."""
    if config.devices > 1 and not in_process:
        return run_distributed(pair, side, config, on_step)
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
    if isinstance(values.get("root_dir"), str):
        values["root_dir"] = Path(values["root_dir"])
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


def _worker_command(pair: Pair, side: str, config: RunConfig, out: Path, processes: int) -> list[str]:
    fields = {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(config).items()}
    worker = ["-m", "pairs.worker", pair.name, side, "--out", str(out), "--config", json.dumps(fields)]
    if processes == 1:
        return [sys.executable, *worker]
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={processes}", *worker]


def run_processes(
    pair: Pair, side: str, config: RunConfig, on_step: Callable[[], None] | None = None,
    kill_after_step: int | None = None, env: dict[str, str] | None = None,
) -> list[RunResult] | None:
    """Run one side in worker processes (torchrun when config.devices > 1) and load each rank's record.

    With `kill_after_step`, the run is killed with SIGKILL once rank 0 reports that step: no clean-up
    code runs, as in a power cut or an OOM kill. Returns None then."""
    with tempfile.TemporaryDirectory(prefix="t2l-ranks-") as tmp:
        out = Path(tmp)
        env = {**os.environ, "OMP_NUM_THREADS": str(config.threads), "PYTHONUNBUFFERED": "1", **(env or {})}
        command = _worker_command(pair, side, config, out, config.devices)  # the worker adds PAIR/SIDE to root_dir
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                   start_new_session=True)  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            match = re.fullmatch(r"step (\d+)\n?", line)
            if not match:
                continue
            if on_step:
                on_step()
            if kill_after_step is not None and int(match.group(1)) >= kill_after_step:
                os.killpg(process.pid, signal.SIGKILL)  # the whole group: torchrun and its workers
                process.wait()
                return None
        stderr = process.stderr.read() if process.stderr else ""
        if process.wait() != 0:
            raise RuntimeError(f"{pair.name} {side} worker failed (exit {process.returncode}):\n{stderr[-4000:]}")
        seconds = time.perf_counter() - started
        results = []
        for rank in range(config.devices):
            record = torch.load(out / f"rank{rank}.pt", weights_only=True)
            if record["world_size"] != config.devices:
                raise RuntimeError(f"{pair.name} {side} trained with world size {record['world_size']}, "
                                   f"not {config.devices}: its fit ignores config.devices")  # fmt: skip
            results.append(RunResult(side, record["series"], record["epochs"], record["state_dict"], seconds))
        return results


def run_distributed(
    pair: Pair, side: str, config: RunConfig, on_step: Callable[[], None] | None = None, env: dict | None = None
) -> RunResult:
    """Every rank's record in one RunResult, names prefixed `rank{R}/`, compared like a single run's."""
    ranks = run_processes(pair, side, config, on_step, env=env)
    assert ranks is not None
    merged = RunResult(side, {}, [], {}, ranks[0].seconds)
    for rank, result in enumerate(ranks):
        merged.series |= {f"rank{rank}/{name}": values for name, values in result.series.items()}
        merged.state_dict |= {f"rank{rank}/{name}": tensor for name, tensor in result.state_dict.items()}
        for epoch, metrics in enumerate(result.epochs):
            if len(merged.epochs) <= epoch:
                merged.epochs.append({})
            merged.epochs[epoch] |= {f"rank{rank}/{key}": value for key, value in metrics.items()}
    return merged

"""Runs a script for `t2l convert --verify`, recording every tensor `.backward()` is called on.

Usage: python -m converter._verify_run OUT.json STEPS THREADS SEED SCRIPT [ARGS...]

Script-agnostic: before the script runs it seeds `random`, `numpy.random` and `torch` with SEED (so an unseeded
tutorial starts both sides from the same weights); it patches `torch.autograd.backward`, which `Tensor.backward`
calls (so do Lightning's automatic and manual optimization); a global optimizer step pre-hook fingerprints the
parameters each optimizer is about to update for the first time (the initial weights), and a post-hook stops
the process after STEPS optimizer steps, writing what it recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import runpy
import sys
import traceback

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

out_path, steps, threads, seed, script, *script_args = sys.argv[1:]
wanted_steps = int(steps)
torch.set_num_threads(int(threads))
losses: list[float] = []
initial_weights: list[str] = []  # one SHA-256 per optimizer, in the order of their first step
first_stepped: set[int] = set()
recorded = {"steps": 0}


def _record(tensor: torch.Tensor) -> None:
    if not first_stepped and len(losses) >= wanted_steps:
        # No torch optimizer has stepped: the script updates its parameters by hand (what T2L131 converts).
        # Count its steps by backward calls instead, and stop before the next one, as the other side stops.
        _write()
        sys.stdout.flush()
        os._exit(0)
    losses.append(float(tensor.detach().float().sum().cpu()))


def _write(error: str | None = None) -> None:
    with open(out_path, "w") as file:
        data = {"losses": [repr(x) for x in losses], "steps": recorded["steps"], "error": error,
                "initial_weights": initial_weights}  # fmt: skip
        json.dump(data, file)


original_autograd_backward = torch.autograd.backward


def autograd_backward(tensors, *args, **kwargs):
    for tensor in [tensors] if isinstance(tensors, torch.Tensor) else tensors:
        _record(tensor)
    return original_autograd_backward(tensors, *args, **kwargs)


def before_step(optimizer, args, kwargs) -> None:
    if id(optimizer) in first_stepped:
        return
    first_stepped.add(id(optimizer))
    digest = hashlib.sha256()
    for group in optimizer.param_groups:
        for parameter in group["params"]:
            digest.update(parameter.detach().cpu().contiguous().view(torch.uint8).numpy().tobytes())
    initial_weights.append(digest.hexdigest())


def after_step(optimizer, args, kwargs) -> None:
    recorded["steps"] += 1
    if recorded["steps"] >= wanted_steps:
        _write()
        sys.stdout.flush()
        os._exit(0)  # stop here: no teardown, no checkpoint, no more steps


def _seed_everything(value: int) -> None:
    random.seed(value)
    try:
        import numpy

        numpy.random.seed(value)
    except ImportError:
        pass
    torch.manual_seed(value)


torch.autograd.backward = autograd_backward  # type: ignore[assignment]
register_optimizer_step_pre_hook(before_step)
register_optimizer_step_post_hook(after_step)
sys.argv = [script, *script_args]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
try:  # importing Lightning draws from Python's `random`: done here, before the seed, in both processes, so that
    import pytorch_lightning  # noqa: F401 - only the converted script's import would draw (as if seeded after it)
except ImportError:
    pass
_seed_everything(int(seed))
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as stop:
    if stop.code not in (None, 0):
        _write(f"exited with {stop.code}")
        raise
except BaseException as error:  # report it in the JSON, and keep the traceback on stderr
    traceback.print_exc()
    _write(f"{type(error).__name__}: {error}")
    sys.exit(1)
_write()

"""Runs a script for `t2l convert --verify`, recording every tensor `.backward()` is called on.

Usage: python -m converter._verify_run OUT.json STEPS THREADS SCRIPT [ARGS...]

Script-agnostic: it patches `torch.autograd.backward`, which `Tensor.backward` calls (so do Lightning's automatic
and manual optimization) and registers a global optimizer step hook that stops the process
after STEPS optimizer steps, writing what it recorded.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

out_path, steps, threads, script, *script_args = sys.argv[1:]
wanted_steps = int(steps)
torch.set_num_threads(int(threads))
losses: list[float] = []
recorded = {"steps": 0}


def _record(tensor: torch.Tensor) -> None:
    losses.append(float(tensor.detach().float().sum().cpu()))


def _write(error: str | None = None) -> None:
    with open(out_path, "w") as file:
        json.dump({"losses": [repr(x) for x in losses], "steps": recorded["steps"], "error": error}, file)


original_autograd_backward = torch.autograd.backward


def autograd_backward(tensors, *args, **kwargs):
    for tensor in [tensors] if isinstance(tensors, torch.Tensor) else tensors:
        _record(tensor)
    return original_autograd_backward(tensors, *args, **kwargs)


def after_step(optimizer, args, kwargs) -> None:
    recorded["steps"] += 1
    if recorded["steps"] >= wanted_steps:
        _write()
        sys.stdout.flush()
        os._exit(0)  # stop here: no teardown, no checkpoint, no more steps


torch.autograd.backward = autograd_backward  # type: ignore[assignment]
register_optimizer_step_post_hook(after_step)
sys.argv = [script, *script_args]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
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

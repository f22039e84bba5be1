"""Run an upgraded fixture script on the installed Lightning 2.x: `python run_upgraded.py SCRIPT [ARGS...]`.

Requests for hardware this machine lacks (`accelerator="gpu"` or `devices=-1` without a GPU,
`find_usable_cuda_devices(n)`, `accelerator="tpu"` anywhere: the project's machines have no TPU) run on one
CPU device instead, and a line on stderr says so; everything else is the real Lightning. On a GPU machine GPU
requests run unchanged. Prints `t2l-run: finished` when the script returns.

`T2L_RUN_BATCHES=N` makes every Trainer short, whatever the script asks: one epoch of N batches per stage, no
sanity check, validation at the epoch's end (a smoke run of a real example, as Lightning's own example tests did).
"""

from __future__ import annotations

import functools
import importlib
import os
import runpy
import subprocess
import sys
from pathlib import Path

import torch


def _cpu_stand_in(missing: set[str]) -> None:
    for package in ("pytorch_lightning", "lightning.pytorch"):
        try:
            pl = importlib.import_module(package)
        except ImportError:
            continue
        original = pl.Trainer.__init__

        @functools.wraps(original)
        def init(self, *args, _original=original, **kwargs):
            if os.environ.get("T2L_RUN_BATCHES"):
                kwargs = _short(int(os.environ["T2L_RUN_BATCHES"]), kwargs)
            if kwargs.get("accelerator") in missing:
                print(f"t2l-run: not on this machine: accelerator={kwargs['accelerator']!r} devices={kwargs.get('devices')!r} "
                      "runs as accelerator='cpu' devices=1", file=sys.stderr)  # fmt: skip
                kwargs.update(accelerator="cpu", devices=1)
            _original(self, *args, **kwargs)

        pl.Trainer.__init__ = init
        if "gpu" in missing:
            accelerators = importlib.import_module(f"{package}.accelerators")
            accelerators.find_usable_cuda_devices = lambda num_devices=-1: list(range(max(num_devices, 1)))


def _short(batches: int, kwargs: dict) -> dict:
    """Trainer keywords for a run of one epoch and `batches` batches per stage; one device (the examples ask for
    several with DDP: the point is whether the upgraded code runs on 2.x, not the hardware)."""
    dropped = ("max_steps", "fast_dev_run", "val_check_interval", "strategy", "max_time")
    kwargs = {k: v for k, v in kwargs.items() if k not in dropped}
    limits = {f"limit_{stage}_batches": batches for stage in ("train", "val", "test", "predict")}
    devices = {"devices": 1} if kwargs.get("devices") not in (None, "auto", 1) else {}
    return {**kwargs, **limits, **devices, "max_epochs": 1, "num_sanity_val_steps": 0}


FIXTURES = Path(__file__).parent / "upgrade_fixtures"  # upgraded scripts import their helper modules from here


def run(script: Path, args: list[str], cwd: Path, timeout: int = 240) -> subprocess.CompletedProcess:
    """Run an upgraded script through this runner in a fresh interpreter (the tests and the site's gallery)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FIXTURES), os.environ.get("PYTHONPATH", "")]),
           "PL_DISABLE_FORK": "1", "OMP_NUM_THREADS": "1"}  # fmt: skip
    command = [sys.executable, str(Path(__file__).resolve()), str(script), *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


if __name__ == "__main__":
    script, *arguments = sys.argv[1:]
    _cpu_stand_in({"tpu"} | (set() if torch.cuda.is_available() else {"gpu", "cuda"}))
    sys.argv = [script, *arguments]
    runpy.run_path(script, run_name="__main__")
    print("t2l-run: finished")

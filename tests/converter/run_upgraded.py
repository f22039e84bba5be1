"""Run an upgraded fixture script on the installed Lightning 2.x: `python run_upgraded.py SCRIPT [ARGS...]`.

On a machine without a GPU, GPU and TPU requests (`accelerator="gpu"`, `devices=-1`,
`find_usable_cuda_devices(n)`) run on one CPU device instead, and a line on stderr says so; everything else is
the real Lightning. On a GPU machine nothing is changed. Prints `t2l-run: finished` when the script returns.
"""

from __future__ import annotations

import functools
import importlib
import runpy
import sys

import torch


def _cpu_stand_in() -> None:
    for package in ("pytorch_lightning", "lightning.pytorch"):
        try:
            pl = importlib.import_module(package)
        except ImportError:
            continue
        original = pl.Trainer.__init__

        @functools.wraps(original)
        def init(self, *args, _original=original, **kwargs):
            if kwargs.get("accelerator") in ("gpu", "cuda", "tpu"):
                print(f"t2l-run: no GPU here: accelerator={kwargs['accelerator']!r} devices={kwargs.get('devices')!r} "
                      "runs as accelerator='cpu' devices=1", file=sys.stderr)  # fmt: skip
                kwargs.update(accelerator="cpu", devices=1)
            _original(self, *args, **kwargs)

        pl.Trainer.__init__ = init
        accelerators = importlib.import_module(f"{package}.accelerators")
        accelerators.find_usable_cuda_devices = lambda num_devices=-1: list(range(max(num_devices, 1)))


if __name__ == "__main__":
    script, *arguments = sys.argv[1:]
    if not torch.cuda.is_available():
        _cpu_stand_in()
    sys.argv = [script, *arguments]
    runpy.run_path(script, run_name="__main__")
    print("t2l-run: finished")

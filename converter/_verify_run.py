"""Runs a script for `t2l convert --verify`, recording every tensor `.backward()` is called on
(`converter._verify_record`), in this process and in every Python process the script starts.

Usage: python -m converter._verify_run OUT.json STEPS THREADS SEED SCRIPT [ARGS...]
With T2L_VERIFY_TORCHRUN=N in the environment, the script is started by torchrun (N processes on this machine), as
a script written for torchrun is: this process is torchrun's agent, the processes it starts record.

Before the script runs it seeds `random`, `numpy.random` and `torch` with SEED (so an unseeded tutorial starts both
sides from the same weights); the processes the script starts are seeded the same way when they start.
"""

from __future__ import annotations

import os
import runpy
import sys
import traceback

import torch

from converter._verify_record import Recorder, count_the_clock, seed_everything, share_with_children

out_path, steps, threads, seed, script, *script_args = sys.argv[1:]
torch.set_num_threads(int(threads))
recorder = Recorder(out_path, int(steps))
script_dir = os.path.dirname(os.path.abspath(script))
recorder.install()
recorder.keep_the_script_s_log_lines(script_dir)
share_with_children(out_path, int(steps), int(threads), int(seed), script_dir)
count_the_clock(script_dir)
sys.argv = [script, *script_args]
sys.path.insert(0, script_dir)
seed_everything(int(seed), lightning=os.environ.get("T2L_VERIFY_LIGHTNING") != "0")
processes = int(os.environ.pop("T2L_VERIFY_TORCHRUN", "0"))
try:
    if processes:
        sys.argv = ["torchrun", "--standalone", f"--nproc_per_node={processes}", script, *script_args]
        runpy.run_module("torch.distributed.run", run_name="__main__")
    else:
        runpy.run_path(script, run_name="__main__")
except SystemExit as stop:
    if stop.code not in (None, 0):
        recorder.write(f"exited with {stop.code}")
        raise
except BaseException as error:  # report it in the JSON, and keep the traceback on stderr
    traceback.print_exc()
    recorder.write(f"{type(error).__name__}: {error}")
    sys.exit(1)
recorder.write()

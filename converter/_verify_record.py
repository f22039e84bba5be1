"""What `t2l convert --verify` records in each process that trains: every tensor `.backward()` is called on, and a
fingerprint of the weights each optimizer is about to update for the first time.

`converter._verify_run` records in the process it starts. A script that starts processes of its own (`mp.spawn`
by hand, Fabric's or torchrun's launchers) trains in them, so the run also puts `_verify_children/` on PYTHONPATH:
its `sitecustomize` calls `start_child()` in every Python process the script starts, which seeds it as the first
process was seeded and records beside the first process's file (`OUT.json.<pid>.json`), with its rank.

Script-agnostic: it patches `torch.autograd.backward`, which `Tensor.backward` calls (so do Lightning's automatic
and manual optimization and Fabric's backward); a global optimizer step pre-hook fingerprints the parameters; a
post-hook counts the steps that had gradients to apply and stops the process after STEPS of them, writing what it
recorded (a process of a process group first waits at a barrier for the others, which stop at the same step, so
that none is left waiting for it). It also
patches `print` to keep the lines the script prints to standard output (Lightning's own output, a summary table or
a progress bar, is not printed by `print`), and the messages the script's own code logs through `logging`, each
with the number of steps taken before it. And the clock the
script's own code reads (`time.time()`, `time.perf_counter()` called from a file in the script's directory) is a
count: it advances by TICK seconds at each reading, so a duration the script prints is the same on both sides
when both read the clock as often in between, and never 0 (a rate divides by it). Lightning, tqdm and every other
library read the real clock.
"""

from __future__ import annotations

import atexit
import builtins
import hashlib
import itertools
import json
import logging
import os
import random
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

CHILDREN = str(Path(__file__).parent / "_verify_children")  # its sitecustomize.py records in started processes
MAX_LINES = 100_000  # printed lines kept per process
ENV = "T2L_VERIFY_RECORD"  # OUT.json|STEPS|THREADS|SEED|SCRIPT_DIR, for the processes the script starts
TICK = "T2L_VERIFY_TICK"  # seconds the script's clock advances at each reading


def fingerprint(parameters) -> str:
    """SHA-256 of the parameters' values, in their logical order whatever their memory layout: a 1x1 convolution's
    weight in channels_last (milesial's Pytorch-UNet) is "contiguous" with a last stride other than 1, which a
    byte view refuses, so each is flattened after `contiguous()`."""
    digest = hashlib.sha256()
    for parameter in parameters:
        digest.update(parameter.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


class Recorder:
    def __init__(self, out_path: str, steps: int, child: bool = False) -> None:
        self.out_path, self.wanted_steps, self.child = out_path, steps, child
        self.losses: list[float] = []
        self.initial_weights: list[str] = []  # one SHA-256 per optimizer, in the order of their first step
        # by reference, not id(): the optimizer of a finished run is freed, and the next run's may reuse its id
        self.first_stepped: weakref.WeakSet = weakref.WeakSet()
        self.steps = 0
        self.rank: int | None = None  # this process's rank in a process group, once it is in one
        self.printed: list[tuple[int, str]] = []  # (steps taken before it, line) for each line printed to stdout
        self._line = ""  # the part of a line printed so far (`print(..., end="")`)
        self.stopped = False  # stopped at STEPS (so the last step's lines may be cut short), not at the script's end
        self.forked = False  # this process was forked from the one that made the recorder

    def install(self) -> None:
        original_backward = torch.autograd.backward

        def autograd_backward(tensors, *args, **kwargs):
            for tensor in [tensors] if isinstance(tensors, torch.Tensor) else tensors:
                self._record(tensor)
            return original_backward(tensors, *args, **kwargs)

        torch.autograd.backward = autograd_backward  # type: ignore[assignment]
        original_print = builtins.print

        def recording_print(*values, sep=" ", end="\n", file=None, flush=False):
            if file is None or file is sys.stdout:
                self._printing((" " if sep is None else sep).join(map(str, values)) + ("\n" if end is None else end))
            return original_print(*values, sep=sep, end=end, file=file, flush=flush)

        builtins.print = recording_print
        register_optimizer_step_pre_hook(self._before_step)
        register_optimizer_step_post_hook(self._after_step)
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        """In a process forked from this one (`mp.Process` under the fork start method: hogwild; DataLoader workers
        too): it inherits this recorder, but not a file of its own nor an exit that writes it. It only leaves a
        sign when it calls backward(), so that the run can say where the training went."""
        self.forked = True

    def _record(self, tensor: torch.Tensor) -> None:
        if self.forked:
            Path(forked_sign(self.out_path)).touch()  # not followed: the losses are this process's to lose
            return
        if not self.first_stepped and len(self.losses) >= self.wanted_steps:
            # No torch optimizer has stepped: the script updates its parameters by hand (what T2L131 converts).
            # Count its steps by backward calls instead, and stop before the next one, as the other side stops.
            self.stop()
        if self.rank is None and torch.distributed.is_available() and torch.distributed.is_initialized():
            self.rank = torch.distributed.get_rank()
        self.losses.append(float(tensor.detach().float().sum().cpu()))
        if self.child and len(self.losses) == 1:
            self.write(done=False)  # the first process may end first: it waits for the files not done yet

    def keep_the_script_s_log_lines(self, script_dir: str) -> None:
        """Record the messages the script's own code logs (`logger.info(...)` called from a file under `script_dir`)
        as printed lines: research scripts report their metrics through `logging`, to standard error, where a
        changed value would go unseen. Only what passes the script's own logging levels (the record reached
        `Logger.handle`), its message without the handler's format (no time stamp); Lightning's own logs come
        from its package and are not kept. No handler is added: `logging.basicConfig` still configures the run."""
        the_script_s = script_files(script_dir)
        handle = logging.Logger.handle

        def recording_handle(logger: logging.Logger, record: logging.LogRecord) -> None:
            if the_script_s(record.pathname):
                self._printing(record.getMessage() + "\n")
            return handle(logger, record)

        logging.Logger.handle = recording_handle  # type: ignore[method-assign]

    def _printing(self, text: str) -> None:
        *lines, self._line = (self._line + text).split("\n")
        self.printed.extend((self._tag(), line) for line in lines[: MAX_LINES - len(self.printed)])

    def _tag(self) -> int:
        """Where the run is: its optimizer steps (its backward calls in a script that steps by hand)."""
        return self.steps if self.first_stepped else len(self.losses)

    def _before_step(self, optimizer, args, kwargs) -> None:
        if optimizer in self.first_stepped:
            return
        self.first_stepped.add(optimizer)
        # the weights it trains: a frozen copy that the forward pass updates (MoCo's momentum key encoder) differs
        # here, since Lightning calls step() before the forward (its closure runs training_step inside it)
        trained = (p for group in optimizer.param_groups for p in group["params"] if p.requires_grad)
        self.initial_weights.append(fingerprint(trained))

    def _after_step(self, optimizer, args, kwargs) -> None:
        if self.forked:
            return  # a forked process's steps: it must not stop itself, nor write over the first process's record
        if all(p.grad is None for group in optimizer.param_groups for p in group["params"]):
            return  # no update: Lightning calls step() for a batch whose training_step returned None (skipped)
        self.steps += 1
        if self.steps >= self.wanted_steps:
            self.stop()

    def stop(self) -> None:
        """Write what was recorded and end the process here: no teardown, no checkpoint, no more steps."""
        self.stopped = True
        self.write()
        sys.stdout.flush()
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            torch.distributed.barrier()  # every rank has written its file before the first one exits
        os._exit(0)

    def write(self, error: str | None = None, done: bool = True) -> None:
        with open(self.out_path, "w") as file:
            json.dump({"losses": [repr(x) for x in self.losses], "steps": self.steps, "error": error, "rank": self.rank,
                       "done": done, "initial_weights": self.initial_weights, "stopped": self.stopped, "final_tag": self._tag(),
                       "printed": self.printed + ([(self._tag(), self._line)] if self._line else [])}, file)  # fmt: skip


def forked_sign(out_path: str) -> str:
    """The file a forked process that trained leaves beside the first process's record."""
    return f"{out_path}.forked-backward"


def script_files(script_dir: str) -> Callable[[str], bool]:
    """Whether a file name is one of the script's own files: under `script_dir`, not an installed package there."""
    prefix = os.path.join(os.path.abspath(script_dir), "")
    return lambda filename: filename.startswith(prefix) and "site-packages" not in filename


def count_the_clock(script_dir: str) -> None:
    """`time.time()` and `time.perf_counter()` (and their `_ns`; and `timeit.default_timer`, perf_counter bound
    before the script runs) called from a file under `script_dir` (not an installed package there) advance by TICK
    seconds (T2L_VERIFY_TICK in the environment, default 1 ms) at each
    call; called from anywhere else, they are the real clock."""
    tick, the_script_s_file = float(os.environ.get(TICK, "0.001")), script_files(script_dir)

    def the_script_s(frame) -> bool:
        return the_script_s_file(frame.f_code.co_filename)

    # the same start in every process (a fixed date, 2025-06-15): both sides' readings are the same floats
    for name, start in (("time", 1_750_000_000.0), ("perf_counter", 1_000.0)):
        real, real_ns, calls = getattr(time, name), getattr(time, f"{name}_ns"), itertools.count(1)

        def counted(real=real, start=start, calls=calls) -> float:
            return start + tick * next(calls) if the_script_s(sys._getframe(1)) else real()

        def counted_ns(real_ns=real_ns, start=start, calls=calls) -> int:
            return int((start + tick * next(calls)) * 1e9) if the_script_s(sys._getframe(1)) else real_ns()

        setattr(time, name, counted)
        setattr(time, f"{name}_ns", counted_ns)
        if name == "perf_counter":  # `from timeit import default_timer`: the same clock, bound before the script ran
            import timeit

            if timeit.default_timer is real:
                timeit.default_timer = counted


def seed_everything(value: int, lightning: bool = True) -> None:
    """Seed `random`, `numpy.random` and `torch` (after importing Lightning, whose import draws from `random`: so
    that both sides start from the same state whether or not the script imports it). Skipped (seconds each) where
    neither script imports it (`lightning_fabric`'s import draws nothing) and in the processes a script starts (they
    run Fabric scripts)."""
    try:
        if lightning:
            import pytorch_lightning  # noqa: F401
    except ImportError:
        pass
    random.seed(value)
    try:
        import numpy

        numpy.random.seed(value)
    except ImportError:
        pass
    torch.manual_seed(value)


def share_with_children(out_path: str, steps: int, threads: int, seed: int, script_dir: str) -> None:
    """Make every Python process the script starts record too (through `_verify_children/sitecustomize.py`)."""
    os.environ[ENV] = f"{out_path}|{steps}|{threads}|{seed}|{script_dir}"
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (CHILDREN, os.environ.get("PYTHONPATH")) if p)


def start_child() -> None:
    """In a process the script started: seed it, record into its own file, written when it exits."""
    out_path, steps, threads, seed, script_dir = os.environ[ENV].split("|")
    torch.set_num_threads(int(threads))
    recorder = Recorder(f"{out_path}.{os.getpid()}.json", int(steps), child=True)
    recorder.install()
    recorder.keep_the_script_s_log_lines(script_dir)
    count_the_clock(script_dir)
    seed_everything(int(seed), lightning=False)
    atexit.register(lambda: recorder.losses and recorder.write())  # only a process that trained leaves a file


def children_of(out_path: Path) -> list[dict]:
    """The records of the processes the script started that trained (their losses), as they are now."""
    found = []
    for path in out_path.parent.glob(f"{out_path.name}.*.json"):
        try:
            found.append(json.loads(path.read_text()))
        except (OSError, ValueError):  # being written: read again
            found.append({"done": False})
    return found

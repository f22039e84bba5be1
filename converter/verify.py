"""`t2l convert --verify`: run the original and the converted script side by side and compare step losses and the
lines they print."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from converter._verify_printed import compared, unmatched
from converter._verify_record import TICK, children_of, forked_sign
from converter.convert.driver import LIGHTNING_IMPORT

NETWORK_SIGNS = ("URLError", "urlopen", "Temporary failure in name resolution", "Name or service not known",
                 "HTTP Error", "ConnectionError", "Network is unreachable")  # fmt: skip


@dataclass
class SideRun:
    losses: list[float]
    steps: int
    error: str | None
    stderr_tail: str
    initial_weights: list[str] = field(default_factory=list)  # SHA-256 per optimizer, before its first step
    ranks: int = 1  # the processes that trained (a script that starts its own: one per rank, losses in rank order)
    printed: list[str] = field(default_factory=list)  # the lines its `print` calls wrote to standard output
    printed_compared: list[str] = field(default_factory=list)  # those compared (see `_verify_printed`)
    forked_backward: bool = False  # a process it forked called backward(): training --verify does not follow


@dataclass
class Verification:
    original: SideRun
    converted: SideRun
    steps: int
    seed: int = 0
    printed_different: list[str] = field(default_factory=list)  # lines the converted script printed, the original not

    @property
    def failed(self) -> str | None:
        """Why the comparison could not be made, or None."""
        for name, side in (("original", self.original), ("converted", self.converted)):
            if side.error:
                if any(sign in side.stderr_tail for sign in NETWORK_SIGNS):
                    return f"the {name} script needs a download and cannot be verified offline: {side.error}"
                return f"the {name} script failed: {side.error}"
        if not self.original.losses and self.original.forked_backward:
            return ("the original script trained only in processes it forked (torch.multiprocessing's Process, "
                    "hogwild), which --verify does not follow: nothing to compare")
        if not self.original.losses:
            return "the original script called no backward(): nothing to compare"
        return None

    @property
    def compared(self) -> int:
        return min(len(self.original.losses), len(self.converted.losses))

    @property
    def bitwise_equal(self) -> bool:
        return self.failed is None and self.original.losses == self.converted.losses

    @property
    def agrees(self) -> bool:
        """The losses are bitwise equal and the original printed every line the converted script printed."""
        return self.bitwise_equal and not self.printed_different

    @property
    def max_abs_diff(self) -> float:
        pairs = zip(self.original.losses, self.converted.losses)
        return max((abs(a - b) for a, b in pairs), default=0.0)

    @property
    def first_difference(self) -> int | None:
        for i, (a, b) in enumerate(zip(self.original.losses, self.converted.losses)):
            if a != b:
                return i
        return None if len(self.original.losses) == len(self.converted.losses) else self.compared

    @property
    def initial_weights_equal(self) -> bool | None:
        """Whether both sides start from the same weights (None when a side never stepped an optimizer)."""
        a, b = self.original.initial_weights, self.converted.initial_weights
        if not a or not b:
            return None
        return a == b

    @property
    def diagnosis(self) -> str | None:
        """Where a difference starts, in words a user can act on; None when the losses are equal."""
        first = self.first_difference
        if self.failed or first is None:
            return None
        if self.initial_weights_equal is False:
            return ("the initial weights already differ: the two scripts build or initialise the model differently, "
                    "or draw random numbers in a different order before training")  # fmt: skip
        if first == 0:
            return ("the same initial weights, but the first loss differs: the first batch differs (data order, "
                    "augmentation, a different split) or the loss is computed differently")  # fmt: skip
        if first >= self.compared:
            return f"equal for {self.compared} losses, then one side stopped early: a different number of steps"
        return (f"equal for the first {first} losses, then different: the same start, so the update or the data "
                f"after step {first} differs")  # fmt: skip

    def to_dict(self) -> dict:
        return {
            "bitwise_equal": self.bitwise_equal,
            "seed": self.seed,
            "initial_weights_equal": self.initial_weights_equal,
            "diagnosis": self.diagnosis,
            "steps": self.steps,
            "losses_compared": self.compared,
            "max_abs_diff": self.max_abs_diff,
            "ranks": [self.original.ranks, self.converted.ranks],
            "first_difference": self.first_difference,
            "failed": self.failed,
            "printed_compared": len(self.converted.printed_compared),
            "printed_different": self.printed_different,
            "original": self.original.losses,
            "converted": self.converted.losses,
        }


def verify(original: Path, converted: Path, script_args: list[str], steps: int = 20, threads: int = 1,
           cwd: Path | None = None, timeout: float = 600, seed: int = 0,
           extra_env: dict[str, str] | None = None, torchrun: int = 0) -> Verification:  # fmt: skip
    """Run both scripts (in parallel, one torch thread each by default) on CPU and read their losses and the lines
    they printed (see `converter._verify_printed` for what of those is compared).

    Both processes seed `random`, `numpy.random` and `torch` with `seed` before the script starts, and each runs
    in its own view of `cwd` (default: the original script's directory, so its relative paths work; see
    `private_view`): what one side writes (a checkpoint it resumes from, logs) neither the other side nor `cwd`
    sees. `extra_env` is added to this process's environment. With `torchrun`=N both are started by torchrun with N processes (scripts
    written for it read their rank from its environment); every process a script starts is recorded, and the
    losses of all are compared, in rank order.
    """
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", PYTHONHASHSEED="0", **(extra_env or {}))
    if not any(LIGHTNING_IMPORT.search(path.read_text(errors="replace")) for path in (original, converted)):
        env["T2L_VERIFY_LIGHTNING"] = "0"  # neither imports Lightning (whose import draws from `random`): no need to
    if torchrun:
        env["T2L_VERIFY_TORCHRUN"] = str(torchrun)

    def run(name: str, script: Path, tmp: str, tick: str = "0.001") -> tuple[Path, subprocess.Popen]:
        out = Path(tmp) / f"{name}.json"
        command = [sys.executable, "-m", "converter._verify_run", str(out), str(steps), str(threads),
                   str(seed), str(script.resolve()), *script_args]  # fmt: skip
        workdir = private_view(cwd or original.resolve().parent, Path(tmp) / f"{name}-cwd")
        return out, subprocess.Popen(command, cwd=workdir, env={**env, TICK: tick}, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="t2l-verify-") as tmp:
        runs = [run("original", original, tmp), run("converted", converted, tmp)]
        sides = [_side(out, process, timeout) for out, process in runs]
        result = Verification(sides[0], sides[1], steps, seed)
        different = unmatched(sides[1].printed_compared, sides[0].printed)
        if different and result.bitwise_equal:  # a number that changes from run to run? Run the original again
            # (not when the losses differ: the verdict is made, and the lines are shown as they came)
            again = _side(*run("original-again", original, tmp, tick="0.0017"), timeout)  # a time figure changes too
            different = unmatched(sides[1].printed_compared, sides[0].printed, again.printed)
        result.printed_different = different
    return result


def _side(out: Path, process: subprocess.Popen, timeout: float) -> SideRun:
    """Wait for one side's run and read what it recorded."""
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:  # with the processes it started (a process group left waiting)
        os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
        stderr += f"\ntimed out after {timeout:g} s"
        out.unlink(missing_ok=True)
    if not out.exists():
        last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit code {process.returncode}"
        return SideRun([], 0, last, stderr[-4000:])
    data = _with_children(json.loads(out.read_text()), out, timeout)
    return SideRun([float(x) for x in data["losses"]], data["steps"], data["error"], stderr[-4000:],
                   data.get("initial_weights", []), data.get("ranks", 1), data["printed_lines"], data["compared_lines"],
                   Path(forked_sign(str(out))).exists())


COPIED_BELOW = 16 * 2**20  # bytes: smaller files are copied into a private view, larger ones linked ...
COPIED_IN_ALL = 256 * 2**20  # ... until this much is copied (a folder of many files: the rest linked)


def private_view(directory: Path, view: Path) -> Path:
    """`view`, a new directory holding `directory`'s entries: its files under 16 MiB copied (256 MiB in all),
    larger files and folders linked. A script run there reads what it would read in `directory`, and the files it
    creates or overwrites at the top (a checkpoint it resumes from when it exists, `lightning_logs/`) stay in the
    view: the two sides of a verify run in parallel without seeing each other's, and the user's directory is left
    as it was. (Writes inside a linked folder still reach it.)"""
    view.mkdir()
    budget = COPIED_IN_ALL
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        target = view / entry.name
        size = entry.stat().st_size if entry.is_file(follow_symlinks=True) else None
        if size is not None and size < COPIED_BELOW and size <= budget:
            shutil.copy2(entry.path, target)
            budget -= size
        else:
            target.symlink_to(Path(entry.path).resolve())
    return view


def _with_children(first: dict, out: Path, timeout: float) -> dict:
    """The first process's record joined with those of the processes the script started (`mp.spawn`, Fabric's
    launcher): the losses of every process that trained, in rank order. A launcher's first process may end before
    the others have written: wait for them."""
    waited, children = 0.0, children_of(out)
    while any(not child["done"] for child in children) and waited < timeout:
        time.sleep(0.2)
        waited += 0.2
        children = children_of(out)
    printed = {"printed_lines": [line for r in (first, *children) for _, line in r.get("printed", [])],
               "compared_lines": [line for r in (first, *children) for line in compared(r)]}  # every process's
    if not children:
        return {**first, **printed}
    if any(not child["done"] for child in children):
        return {**first, **printed, "error": first["error"] or "a process the script started did not finish"}
    trained = sorted([r for r in (first, *children) if r["losses"]], key=lambda r: -1 if r["rank"] is None else r["rank"])
    return {**first, **printed, "losses": [x for r in trained for x in r["losses"]], "steps": sum(r["steps"] for r in trained),
            "ranks": len(trained),
            "error": first["error"] or next((r["error"] for r in children if r["error"]), None),
            "initial_weights": [w for r in trained for w in r["initial_weights"]]}  # fmt: skip

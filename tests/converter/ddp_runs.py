"""Run a `--to fabric` output under real DDP (gloo, two CPU processes) and ask whether its models' weights ended
equal on both ranks: what a model left bare (no gradient averaging) gets wrong, and one CPU cannot show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ONE_DEVICE = 'Fabric(accelerator="cpu", devices=1)'
TWO_PROCESSES = 'Fabric(accelerator="cpu", devices=2, strategy="ddp")'
COMPARE = """
import torch.distributed as dist
weights = torch.cat([p.detach().flatten() for m in ({models}) for p in m.parameters()])
gathered = [torch.zeros_like(weights) for _ in range(2)]
dist.all_gather(gathered, weights)
print("SYNCED" if torch.equal(gathered[0], gathered[1]) else "DIVERGED", flush=True)
dist.barrier()
dist.destroy_process_group()  # torn down before the interpreter exits: a live gloo group's threads can abort it
"""


def run_under_ddp(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    """The one-device output run as two DDP processes (its Fabric line changed, nothing else)."""
    assert ONE_DEVICE in script
    path = tmp_path / "ddp.py"
    path.write_text(script.replace(ONE_DEVICE, TWO_PROCESSES))
    return subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=300)


def rank_verdicts(tmp_path: Path, script: str, models: list[str]) -> dict[str, int]:
    """How many ranks found the models' weights equal across ranks (SYNCED) or not (DIVERGED). The two processes
    share the pipe, so their lines may run together: counted, not split."""
    run = run_under_ddp(tmp_path, script + COMPARE.format(models=", ".join(models) + ","))
    assert run.returncode == 0, run.stderr[-2000:]
    return {verdict: run.stdout.count(verdict) for verdict in ("SYNCED", "DIVERGED")}


SYNCED = {"SYNCED": 2, "DIVERGED": 0}
DIVERGED = {"SYNCED": 0, "DIVERGED": 2}

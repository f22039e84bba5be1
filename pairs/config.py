"""The settings both sides of a pair read. One object, so that the two sides cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RunConfig:
    epochs: int = 3
    max_steps: int = -1  # -1: no limit (Lightning's convention); otherwise stop after this many steps
    seed: int = 42
    data: str = "embedded"  # "embedded" (offline sample) or "full" (download)
    batch_size: int = 64
    threads: int = 1  # torch.set_num_threads for both sides: float sums depend on the split of work
    root_dir: Path = field(default_factory=lambda: Path("runs"))  # logs and checkpoints go under here

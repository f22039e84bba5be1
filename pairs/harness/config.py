"""The settings of one `t2l check` run, passed to both sides as the same command line (`argv`)."""

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
    accelerator: str = "cpu"  # "cpu" or "gpu" (deterministic algorithms on, both sides)
    devices: int = 1  # processes, one per device; 2+ means DDP, launched by torchrun (pairs/harness/worker.py)
    precision: str = "32-true"  # or "bf16-mixed": torch.autocast on the plain side
    checkpoint: bool = False  # write a checkpoint after every epoch's validation
    resume: bool = False  # continue from the newest checkpoint under root_dir/checkpoints

    @property
    def checkpoint_dir(self) -> Path:
        """Where either side writes the checkpoints a resumed run starts from (see pairs/arguments.py)."""
        return self.root_dir / "checkpoints"

    def argv(self) -> list[str]:
        """The command line both sides' `main(argv)` parse (pairs/arguments.py); threads are set from outside."""
        flags = {"--epochs": self.epochs, "--max-steps": self.max_steps, "--seed": self.seed, "--data": self.data,
                 "--batch-size": self.batch_size, "--root-dir": self.root_dir, "--accelerator": self.accelerator,
                 "--devices": self.devices, "--precision": self.precision}  # fmt: skip
        argv = [str(part) for flag, value in flags.items() for part in (flag, value)]
        return argv + ["--checkpoint"] * self.checkpoint + ["--resume"] * self.resume

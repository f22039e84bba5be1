"""A script that never names a GPU (no `cuda` in it) ran on the CPU. `pl.Trainer()` alone picks a GPU where there
is one, and the tensors training_step reads besides its batch (a full-batch graph's features, a module-level
`X_train`, a mask) stay on the CPU: a device mismatch, and `--verify` on that machine would compare GPU losses with
the script's CPU ones. `Trainer(accelerator="cpu")` keeps the training where the script ran it (T2L168), as the
Fabric route's `Fabric(accelerator="cpu")` does (T2L302); a script that mentions CUDA keeps Lightning's "auto"."""

from __future__ import annotations

CODES = {"T2L168": "the script names no GPU (no `cuda` in it) and ran on the CPU: Trainer(accelerator=\"cpu\") keeps "
                   "it there (\"auto\" would pick a GPU, where tensors it reads besides the batch stay on the CPU)"}


def choose(conv) -> None:
    """Set the Trainer's accelerator for a script that names no GPU."""
    plan = conv.plan
    if "cuda" in (plan.index.source or plan.module.code) or "accelerator" in conv.trainer_args:
        return
    conv.trainer_args["accelerator"] = '"cpu"'
    conv.report.add("T2L168", plan.line(plan.site))

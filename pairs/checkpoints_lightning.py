"""This project's own additions to Lightning's checkpoints (see pairs/checkpoints.py for why each exists).

`ModelCheckpoint` saves the model, optimizers, schedulers and loop counters, but not the global RNG states
a resumed run draws its next shuffle order (and the GAN its next noise) from. `RandomState` carries them,
through the `state_dict` / `load_state_dict` that Lightning calls on every callback, and seals the file.
"""

from __future__ import annotations

from pathlib import Path

import pytorch_lightning as pl
import torch

from pairs.checkpoints import CheckpointError, digest, first_readable, restore_rng_states, rng_states

SEAL = "t2l_sha256"
SEALED = ("state_dict", "optimizer_states", "lr_schedulers")


class RandomState(pl.Callback):
    """Ours, not Lightning's: the RNG states travel in the checkpoint, and its tensors are sealed."""

    def state_dict(self) -> dict:
        return rng_states()

    def load_state_dict(self, state_dict: dict) -> None:
        restore_rng_states(state_dict)

    def on_save_checkpoint(self, trainer, pl_module, checkpoint: dict) -> None:
        checkpoint[SEAL] = _seal(checkpoint)


def _seal(checkpoint: dict) -> str:
    return digest({key: checkpoint[key] for key in SEALED if key in checkpoint})


def newest_readable(directory: Path) -> str | None:
    """What `trainer.fit(ckpt_path=...)` should resume from: last.ckpt, else the newest readable checkpoint.

    `ckpt_path="last"` finds last.ckpt in the ModelCheckpoint's dirpath; this also checks the seal and falls
    back to an older epoch checkpoint when the newest is damaged, as the plain side falls back to previous.pt."""
    candidates = sorted(directory.glob("*.ckpt"), key=lambda p: (p.name != "last.ckpt", -p.stat().st_mtime))
    found = first_readable(candidates, _check_seal)
    return str(found[0]) if found else None


def _check_seal(path: Path) -> None:
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001  (any failure to read means: not usable)
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CheckpointError(f"{path}: unreadable checkpoint (truncated or corrupted? {reason})") from error
    if checkpoint.get(SEAL) != _seal(checkpoint):
        raise CheckpointError(f"{path}: unreadable checkpoint (its tensors do not match their SHA-256)")

"""Lightning-side pieces the three pairs share: checkpointing that can resume bit for bit.

`ModelCheckpoint` saves model, optimizers, schedulers and loop counters. It does not save the global RNG
states, and a resumed run draws its next shuffle order (and the GAN its next noise) from them; the
`RandomState` callback carries them through the checkpoint (`state_dict` / `load_state_dict`, which
Lightning calls from its on_save_checkpoint / on_load_checkpoint machinery).
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import ModelCheckpoint

from pairs.checkpoints import CheckpointError, digest, restore_rng_states, rng_states
from pairs.config import RunConfig


class RandomState(pl.Callback):
    """Carries the RNG states through the checkpoint, and seals the checkpoint's tensors with a SHA-256
    (torch.load does not notice flipped bytes inside a tensor; `resume_path` checks the seal)."""

    def state_dict(self) -> dict:
        return rng_states()

    def load_state_dict(self, state_dict: dict) -> None:
        restore_rng_states(state_dict)

    def on_save_checkpoint(self, trainer, pl_module, checkpoint: dict) -> None:
        checkpoint[SEAL] = _seal(checkpoint)


SEAL = "t2l_sha256"
SEALED = ("state_dict", "optimizer_states", "lr_schedulers")


def _seal(checkpoint: dict) -> str:
    return digest({key: checkpoint[key] for key in SEALED if key in checkpoint})


def checkpointing(config: RunConfig) -> list[pl.Callback]:
    """After every epoch's validation: `epoch=E-step=S.ckpt` (all kept) and `last.ckpt`."""
    if not (config.checkpoint or config.resume):
        return []
    every_epoch = ModelCheckpoint(dirpath=config.checkpoint_dir, every_n_epochs=1, save_top_k=-1, save_last=True)
    return [every_epoch, RandomState()]


def resume_path(config: RunConfig) -> str | None:
    """The checkpoint `trainer.fit(ckpt_path=...)` should resume from: last.ckpt, or the newest readable one.

    Lightning's own error for a damaged file is a bare zip or unpickling message; this names the file, and
    falls back to the newest epoch checkpoint that loads, as the plain side falls back to previous.pt."""
    if not config.resume:
        return None
    directory = config.checkpoint_dir
    candidates = sorted(directory.glob("*.ckpt"), key=lambda p: (p.name != "last.ckpt", -p.stat().st_mtime))
    problems = []
    for path in candidates:
        try:
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
            reason = None if checkpoint.get(SEAL) == _seal(checkpoint) else "its tensors do not match their SHA-256"
        except Exception as error:  # noqa: BLE001  (any failure to read means: not usable)
            reason = f"truncated or corrupted? {str(error).splitlines()[0]}"
        if reason is None:
            return str(path)
        problems.append(f"{path}: unreadable checkpoint ({reason})")
        print(f"warning: {problems[-1]}; trying an older checkpoint")
    if problems:
        raise CheckpointError("no readable checkpoint: " + "; ".join(problems))
    return None

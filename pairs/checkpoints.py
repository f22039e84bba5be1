"""This project's own additions to checkpointing, on top of what the pair scripts write with torch's APIs.

Not part of PyTorch or Lightning, and named as such wherever a pair calls them:
  * a seal: torch.load checks a checkpoint's zip structure but not its tensor bytes, so a flipped bit inside
    a weight loads without a word. Every checkpoint carries a SHA-256 of its tensors, checked on load;
  * a fallback: the previous good checkpoint is kept (`last.pt` -> `previous.pt`) and used, saying why, when
    the newest one is truncated or corrupted;
  * the RNG states both sides store (the Lightning side through `pairs.checkpoints_lightning.RandomState`):
    a resumed run draws its next shuffle order, dropout masks and GAN noise from them, which is what makes a
    resumed run bitwise equal to an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

LAST, PREVIOUS = "last.pt", "previous.pt"
SEAL = "sha256"


class CheckpointError(RuntimeError):
    """A checkpoint file that cannot be read: truncated, corrupted, or not a checkpoint."""


def rng_states() -> dict[str, torch.Tensor]:
    """The random states training draws from (torch's CPU generator, and CUDA's when it is in use)."""
    states = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states["cuda"] = torch.stack(torch.cuda.get_rng_state_all())
    return states


def restore_rng_states(states: dict[str, torch.Tensor]) -> None:
    torch.set_rng_state(states["torch"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(list(states["cuda"]))


def digest(value: Any, hasher=None) -> str:
    """SHA-256 over every tensor's bytes and every plain value in a nested state, in a fixed order."""
    hasher = hasher or hashlib.sha256()
    if isinstance(value, torch.Tensor):
        hasher.update(f"{value.dtype}{tuple(value.shape)}".encode())
        hasher.update(value.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            hasher.update(repr(key).encode())
            digest(value[key], hasher)
    elif isinstance(value, (list, tuple)):
        for item in value:
            digest(item, hasher)
    else:
        hasher.update(repr(value).encode())
    return hasher.hexdigest()


def seal(state: dict[str, Any]) -> dict[str, Any]:
    """The state plus a SHA-256 of everything in it."""
    return {**state, SEAL: digest(state)}


def keep_previous(directory: Path) -> None:
    """last.pt -> previous.pt before a new last.pt replaces it (os.replace: atomic, never a half file)."""
    if (directory / LAST).exists():
        os.replace(directory / LAST, directory / PREVIOUS)


def fsync_file(path: Path) -> None:
    """Make a file another writer wrote (fabric.save) reach the disk before it is renamed into place."""
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def fsync_directory(directory: Path) -> None:
    """Make a rename inside `directory` survive a power loss."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_sealed(path: Path, load: Callable[[Path], Any]) -> dict[str, Any]:
    """`load(path)` (the script's own torch.load), then the seal check; CheckpointError naming the file."""
    try:
        state = load(path)
    except FileNotFoundError:
        raise
    except Exception as error:  # truncated zip, bad pickle, a callable refused by weights_only: all unreadable
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CheckpointError(f"{path}: unreadable checkpoint (truncated or corrupted?): {reason}") from error
    if not isinstance(state, dict) or "model" not in state:
        raise CheckpointError(f"{path}: not a checkpoint of this toolkit (no 'model' entry)")
    if state.pop(SEAL, None) != digest(state):
        raise CheckpointError(f"{path}: unreadable checkpoint (corrupted: its tensors do not match their SHA-256)")
    return state


def first_readable(paths: list[Path], read: Callable[[Path], Any], warn=print) -> tuple[Path, Any] | None:
    """The first path `read` accepts, newest first, saying why each one before it was refused; None when there
    is none; CheckpointError when every one is damaged."""
    errors = []
    for path in paths:
        try:
            return path, read(path)
        except CheckpointError as error:
            errors.append(str(error))
            warn(f"warning: {error}; trying an older checkpoint")
    if errors:
        raise CheckpointError("no readable checkpoint: " + "; ".join(errors))
    return None


def newest_readable(directory: Path, load: Callable[[Path], Any], warn=print) -> dict[str, Any] | None:
    """last.pt, else previous.pt (saying why), else None when there is no checkpoint yet."""
    paths = [path for path in (directory / LAST, directory / PREVIOUS) if path.exists()]
    found = first_readable(paths, lambda path: read_sealed(path, load), warn)
    return found[1] if found else None

"""Plain-side checkpoints written the way a crash cannot corrupt them, and every RNG state the run needs.

Why each step of `save` matters (a crash can hit between any two lines):
  1. write the new checkpoint to a temporary file *in the same directory* (os.replace is atomic only
     within one file system);
  2. flush and fsync it: until then its bytes may sit in the page cache and vanish with the machine;
  3. keep the previous good checkpoint (`last.pt` -> `previous.pt`) before replacing it;
  4. os.replace the temporary file onto `last.pt`: readers see the old file or the new one, never half;
  5. fsync the directory, so that the rename itself survives a power loss.
"Rename the old file, then write the new one in place" loses both when the crash hits during the write.

torch.load checks the zip structure but not the tensor bytes: a flipped bit inside a weight loads without
a word. So every checkpoint carries a SHA-256 of its tensors (`digest`), checked on load.

Loading uses `torch.load(weights_only=True)`: a checkpoint is a pickle, and unpickling a file from a
stranger runs whatever code it names. weights_only accepts only tensors and plain containers, so keep the
state in those (RNG states are uint8 tensors; counters are ints).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import torch

LAST, PREVIOUS = "last.pt", "previous.pt"


class CheckpointError(RuntimeError):
    """A checkpoint file that cannot be read: truncated, corrupted, or not a checkpoint."""


def rng_states() -> dict[str, torch.Tensor]:
    """The random states training draws from. The pairs draw only from torch's generators (shuffling, dropout,
    GAN noise); the data split uses its own seeded numpy generator, so numpy's global state plays no part."""
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


def save(state: dict[str, Any], directory: Path) -> Path:
    """Atomically write `state` to directory/last.pt, keeping the previous good one as previous.pt."""
    directory.mkdir(parents=True, exist_ok=True)
    state = {**state, "sha256": digest(state)}
    last, previous = directory / LAST, directory / PREVIOUS
    temporary = directory / f".{LAST}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        torch.save(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    if last.exists():
        os.replace(last, previous)  # atomic: `previous.pt` is always a complete file
    os.replace(temporary, last)
    _fsync_directory(directory)
    return last


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def load_file(path: Path) -> dict[str, Any]:
    """One checkpoint file, or CheckpointError naming it and saying what is wrong."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as error:  # truncated zip, bad pickle, foreign object: all unreadable
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CheckpointError(f"{path}: unreadable checkpoint (truncated or corrupted?): {reason}") from error
    if not isinstance(state, dict) or "model" not in state:
        raise CheckpointError(f"{path}: not a checkpoint of this toolkit (no 'model' entry)")
    expected = state.pop("sha256", None)
    if expected != digest(state):
        raise CheckpointError(f"{path}: unreadable checkpoint (corrupted: its tensors do not match their SHA-256)")
    return state


def load_latest(directory: Path, warn=print) -> dict[str, Any] | None:
    """The newest readable checkpoint: last.pt, else previous.pt (saying why), else None if there is none."""
    errors = []
    for name in (LAST, PREVIOUS):
        path = directory / name
        if not path.exists():
            continue
        try:
            state = load_file(path)
        except CheckpointError as error:
            errors.append(str(error))
            warn(f"warning: {error}; trying the previous checkpoint")
            continue
        state["path"] = str(path)
        return state
    if errors:
        raise CheckpointError("no readable checkpoint: " + "; ".join(errors))
    return None


def save_training(directory: Path, epoch: int, step: int, **stateful) -> Path:
    """What a resumed run needs: each object's state_dict (model=..., optimizer=..., scheduler=...), the
    epoch and step counters, and the RNG states, saved atomically."""
    state = {name: obj.state_dict() for name, obj in stateful.items()}
    return save(state | {"epoch": epoch, "step": step, "rng": rng_states()}, directory)


def resume_training(directory: Path, **stateful) -> tuple[int, int]:
    """Load the newest readable checkpoint into the objects; returns (epoch, step) to continue from, (0, 0)
    when there is no checkpoint yet."""
    state = load_latest(directory)
    if state is None:
        return 0, 0
    for name, obj in stateful.items():
        obj.load_state_dict(state[name])
    restore_rng_states(state["rng"])
    return state["epoch"], state["step"]

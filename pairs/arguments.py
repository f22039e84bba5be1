"""The command line every pair script accepts, plain and Lightning alike: the same flags mean the same run.

    python -m pairs.mnist_mlp.plain --epochs 3
    python -m pairs.mnist_mlp.lightning --epochs 3 --precision bf16-mixed
    torchrun --nproc-per-node 2 -m pairs.mnist_mlp.plain --devices 2          # DDP, gloo on CPU
    python -m pairs.gan.plain --checkpoint ... then, after a crash, ... --resume
"""

from __future__ import annotations

import argparse
from pathlib import Path


def parse(argv: list[str] | None, description: str | None, epochs: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=epochs, help=f"training epochs (default {epochs})")
    parser.add_argument("--max-steps", type=int, default=-1, help="stop after this many optimizer steps (-1: no limit)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=42, help="seeds the weights, the shuffle and any noise")
    parser.add_argument("--data", choices=["embedded", "full"], default="embedded",
                        help="embedded: the offline sample shipped with the package; full: download the data set")
    parser.add_argument("--accelerator", choices=["cpu", "gpu"], default="cpu")
    parser.add_argument("--devices", type=int, default=1,
                        help="processes, one per device; with 2 or more, launch with torchrun --nproc-per-node N")
    parser.add_argument("--precision", choices=["32-true", "bf16-mixed"], default="32-true")
    parser.add_argument("--root-dir", type=Path, default=Path("runs"), help="logs, samples and checkpoints go here")
    parser.add_argument("--checkpoint", action="store_true", help="save a checkpoint after every epoch")
    parser.add_argument("--resume", action="store_true", help="continue from the newest readable checkpoint")
    args = parser.parse_args(argv)
    args.checkpoint_dir = args.root_dir / "checkpoints"
    return args

"""One process of one side of a pair, as torchrun (or any launcher) starts it.

    torchrun --standalone --nproc-per-node 2 -m pairs.harness.worker mnist_mlp plain --out runs/ddp --config '{"devices": 2}'
    python -m pairs.harness.worker gan lightning --out runs/crash --config '{"epochs": 3, "checkpoint": true}'

Each process runs its side's `main` under the probe, prints `t2l-step N` after every training batch (rank 0
only; `t2l check` and the crash test read it), and writes DIR/rank{R}.pt: its losses, validation metrics
and final weights, loaded back with weights_only=True.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch

from pairs.harness.registry import SIDES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pair")
    parser.add_argument("side", choices=SIDES)
    parser.add_argument("--out", type=Path, required=True, help="where rank{R}.pt goes")
    parser.add_argument("--config", default="{}", help="RunConfig fields as JSON")
    parser.add_argument("--source", type=Path, help="run this file instead of the side's own (a negative control)")
    args = parser.parse_args(argv)

    from pairs.harness.registry import get
    from pairs.harness.run import config_for, quiet_lightning, run_side

    quiet_lightning()
    pair = get(args.pair)
    config = config_for(pair, **json.loads(args.config))
    rank = int(os.environ.get("RANK", "0"))
    batches = 0

    def progress() -> None:
        nonlocal batches
        batches += 1
        if rank == 0:
            print(f"t2l-step {batches}", flush=True)

    result = run_side(pair, args.side, config, on_batch=progress, source=args.source, in_process=True)
    args.out.mkdir(parents=True, exist_ok=True)
    # The world size training actually ran with: a side that ignored --devices trained alone.
    world = torch.distributed.get_world_size() if torch.distributed.is_initialized() else 1
    record = {"series": result.series, "epochs": result.epochs, "state_dict": result.state_dict,
              "seconds": result.seconds, "artifacts": result.artifacts, "world_size": world}  # fmt: skip
    torch.save(record, args.out / f"rank{rank}.pt")
    if torch.distributed.is_initialized():  # leave the group before exiting: gloo's threads otherwise may abort
        torch.distributed.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Training shapes that are not a loop over a data set, declined with what to do instead: a reinforcement-learning
episode loop (`env.step` / `env.reset`, T2L905) and hogwild / multiprocessing training (T2L906)."""

from __future__ import annotations

import re

import libcst as cst

from converter.analysis import walk
from converter.names import method_call

CODES = {
    "T2L905": "reinforcement-learning episode loop",
    "T2L906": "multiprocessing / hogwild training",
}
HOGWILD = "T2L906"
HOGWILD_REASON = 'hogwild / multiprocessing training; keep it, or run one process per worker with Trainer(strategy="ddp")'
HOGWILD_CALLS = re.compile(r"\.share_memory\(\)|\bmp\.Process\(|multiprocessing\.Process\(")


def decline(conv) -> str | None:
    if not _environment_loop(conv.plan):
        return None
    return conv.unsupported(conv.plan.batch_loop, "T2L905", "an environment episode loop, not a data set; yield "
                            "experience from an IterableDataset (Lightning's RL examples) or keep the loop under Fabric")  # fmt: skip


def _environment_loop(plan) -> bool:
    """A reinforcement-learning loop: `env.step(...)` / `env.reset()` around the backward."""
    for node in walk(plan.site):
        if method_call(node, "step", "reset"):
            owner = node.func.value
            name = owner.value if isinstance(owner, cst.Name) else owner.attr.value if isinstance(owner, cst.Attribute) else ""
            if re.fullmatch(r"env\w*", name):
                return True
    return False

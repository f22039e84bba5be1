"""The 1.5 loop customisation API (TODO T2L963): `trainer.fit_loop = MyLoop()`, `loop.connect(...)`,
`trainer.fit_loop.epoch_loop.batch_loop...` (not a Trainer's own `self.fit_loop`). 2.0 made the loops private and
removed `connect`, the `batch_loop` and `OptimizerLoop`: there is no 2.x form to rewrite to, so each use is marked
(a custom loop's imports are marked by the post-check, installed.py). Lightning Fabric is the 2.x way to own the
loop."""

from __future__ import annotations

import libcst as cst

from converter.names import code
from converter.upgrade.engine import Upgrade

CODES = {
    "T2L963": "the 1.x loop customisation API (fit_loop = ..., loop.connect, batch_loop) was removed in 2.0",
}
LOOPS = frozenset({"fit_loop", "validate_loop", "test_loop", "predict_loop"})
WHY = "2.0 made the Trainer's loops private (no replacing them, no connect): keep the custom logic in hooks or " \
      "callbacks, or own the loop with Lightning Fabric"  # fmt: skip


def upgrade_loops(up: Upgrade) -> None:
    for assign in up.nodes(cst.Assign):
        for target in assign.targets:
            owner = target.target.value if isinstance(target.target, cst.Attribute) else None
            if owner is not None and target.target.attr.value in LOOPS and code(owner) != "self":  # not the Trainer's own
                up.todo("T2L963", assign, f"`{code(target.target)} = ...`: {WHY}")
    for call in up.nodes(cst.Call):
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "connect" and _loop_chain(func.value) \
                and code(func.value).split(".")[:2] not in [["self", loop] for loop in LOOPS]:  # fmt: skip
            up.todo("T2L963", call, f"`{code(func)}(...)`: {WHY}")


def _loop_chain(node: cst.BaseExpression) -> bool:
    """`trainer.fit_loop`, `trainer.fit_loop.epoch_loop.batch_loop`, `self.trainer.fit_loop.epoch_loop`."""
    while isinstance(node, cst.Attribute):
        if node.attr.value in LOOPS or node.attr.value.endswith("_loop"):
            return True
        node = node.value
    return False

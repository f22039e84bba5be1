"""`self.hparams = hparams` (1.x's setter, the 0.x-1.0 way to keep hyperparameters) -> `self.save_hyperparameters(hparams)`.

2.x's `hparams` is a property without a setter: the assignment raises AttributeError when the module is built.
`save_hyperparameters(obj)` with one Namespace or dict does what the setter did: `self.hparams` becomes an
AttributeDict of it (`self.hparams.lr` reads as before) and the checkpoint keeps it (T2L245). Only the plain
statement `self.hparams = <value>` is rewritten; any other write to `self.hparams` is left to the check against the
installed 2.x (T2L960: a read-only property).
"""

from __future__ import annotations

import libcst as cst

from converter.names import code, dotted
from converter.upgrade.engine import Upgrade

CODES = {"T2L245": "self.hparams = x (no setter in 2.x: AttributeError) -> self.save_hyperparameters(x)"}


def upgrade_hparams(up: Upgrade) -> None:
    for cls in up.lightning_classes():
        for line in up.nodes(cst.SimpleStatementLine, cls):
            assign = line.body[0] if len(line.body) == 1 else None
            if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1
                    and dotted(assign.targets[0].target) == "self.hparams"):  # fmt: skip
                continue
            value = code(assign.value)
            call = cst.parse_statement(f"self.save_hyperparameters({value})\n")
            up.edit(line, lambda updated, call=call: call.with_changes(leading_lines=updated.leading_lines))
            up.mapped("T2L245", line, f"self.hparams = {value} -> self.save_hyperparameters({value})")

"""Trainer flags set as dict entries and splatted later (T2L232; TODO T2L962).

    cfg["distributed_backend"] = "ddp"       ->   cfg["strategy"] = "ddp"
    cfg["accelerator"] = "ddp"               ->   cfg["strategy"] = "ddp"
    cfg["gpus"] = 2                          ->   TODO: accelerator= and devices=
    trainer = pl.Trainer(**cfg)

1.x scripts often build the Trainer's keywords in a dict (from a config, per experiment) and pass `**cfg`; the
flags 2.x removed hide in the entries, where `Trainer(...)`'s own rewrite does not see them. An entry is read as a
Trainer flag only when the dict is splatted into a `Trainer(...)` in the same function (or module). Renamed keys
with the same value are rewritten; a key whose 2.x form needs two entries or another value is marked.
"""

from __future__ import annotations

import libcst as cst

from converter.names import dotted
from converter.upgrade import table
from converter.upgrade.engine import Upgrade
from converter.upgrade.legacy import TRAINER_FLAGS

CODES = {
    "T2L232": "a renamed Trainer flag set as a dict entry splatted into Trainer(**cfg) -> its 2.x key",
    "T2L962": "a removed Trainer flag set as a dict entry splatted into Trainer(**cfg): set its 2.x keys by hand",
}


def upgrade_trainer_dicts(up: Upgrade) -> None:
    for trainer in up.trainer_calls():
        splatted = {dotted(a.value) for a in trainer.args if a.star == "**" and dotted(a.value)}
        if not splatted:
            continue
        for assign in up.nodes(cst.Assign, up.scope_of(trainer)):
            target = assign.targets[0].target if len(assign.targets) == 1 else None
            if isinstance(target, cst.Subscript) and dotted(target.value) in splatted and len(target.slice) == 1:
                _entry(up, assign, target)


def _entry(up: Upgrade, assign: cst.Assign, target: cst.Subscript) -> None:
    key = target.slice[0].slice
    if not (isinstance(key, cst.Index) and isinstance(key.value, cst.SimpleString)):
        return
    name = key.value.evaluated_value
    value = assign.value.evaluated_value if isinstance(assign.value, cst.SimpleString) else None
    strategy = name == "accelerator" and value in table.STRATEGY_ACCELERATORS and table.STRATEGY_ACCELERATORS[value][0] is None
    new = "strategy" if strategy else table.RENAMED_TRAINER_ARGS.get(name, (None,))[0]
    if new is not None:
        quote = key.value.value[0]
        up.edit(key.value, lambda _n, q=quote, new=new: cst.SimpleString(f"{q}{new}{q}"))
        up.mapped("T2L232", assign, f'["{name}"] = ... -> ["{new}"] = ... (the dict is splatted into Trainer)')
    elif name in TRAINER_FLAGS or name == "accelerator" and value in table.REMOVED_STRATEGIES:
        up.todo("T2L962", assign, f'Trainer flag "{name}" set in a dict splatted into Trainer(**...) was removed or '
                "changed in 2.0: set its 2.x keys (gpus -> accelerator + devices, checkpoint_callback -> "
                "enable_checkpointing or callbacks; see the upgrade guide)")  # fmt: skip

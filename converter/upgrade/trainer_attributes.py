"""Trainer attributes 1.x had under another name: `trainer.running_sanity_check` -> `trainer.sanity_checking`,
`trainer.get_model()` -> `trainer.lightning_module`, `trainer.lr_schedulers[i]["scheduler"]` ->
`trainer.lr_scheduler_configs[i].scheduler`, `trainer.train_dataloader.loaders` -> `trainer.train_dataloader` (1.x's
was a CombinedLoader around the loaders given, 2.x's is those loaders), ... (T2L246; the names are
`table.TRAINER_ATTRIBUTES`).

On 2.x the old names raise AttributeError where the code runs (usually a hook, mid-training). A Trainer is
recognised by its name, as the check against the installed 2.x does: `trainer.x`, `self.trainer.x`,
`pl_module.trainer.x`. What has no twin of the same meaning (`trainer.num_gpus`: 0 on CPU where `num_devices` is 1)
stays for that check to mark (T2L960).
"""

from __future__ import annotations

import libcst as cst

from converter.names import code, dotted
from converter.upgrade import table
from converter.upgrade.engine import Upgrade

CODES = {"T2L246": "trainer attribute renamed since 1.x (running_sanity_check, get_model(), lr_schedulers[i][\"scheduler\"], "
                   "train_dataloader.loaders, ...) -> 2.x's"}


def upgrade_trainer_attributes(up: Upgrade) -> None:
    for node in up.nodes(cst.Attribute):
        if not _on_a_trainer(node):
            continue
        old = node.attr.value
        if new := table.TRAINER_ATTRIBUTES.get(old):
            _rename(up, node, node.with_changes(attr=cst.Name(new)), f"trainer.{old} -> trainer.{new}")
        elif old in table.TRAINER_METHODS and isinstance(call := up.parent(node), cst.Call) and not call.args:
            new = table.TRAINER_METHODS[old]
            _rename(up, call, node.with_changes(attr=cst.Name(new)), f"trainer.{old}() -> trainer.{new}")
        elif old == "train_dataloader" and isinstance(outer := up.parent(node), cst.Attribute) and outer.attr.value == "loaders":
            _rename(up, outer, node, "trainer.train_dataloader.loaders -> trainer.train_dataloader (2.x's is the loaders given)")
        elif old == "lr_schedulers" and (config := _scheduler_of_config(up, node)) is not None:
            index, outer = config
            new = cst.parse_expression(f"{code(node.value)}.lr_scheduler_configs[{code(index)}].scheduler")
            _rename(up, outer, new, 'trainer.lr_schedulers[i]["scheduler"] -> trainer.lr_scheduler_configs[i].scheduler')


def _on_a_trainer(node: cst.Attribute) -> bool:
    owner = dotted(node.value)
    return owner is not None and owner.split(".")[-1] == "trainer"


def _scheduler_of_config(up: Upgrade, node: cst.Attribute) -> tuple[cst.BaseExpression, cst.Subscript] | None:
    """`<node>[i]["scheduler"]`: (i, the outer subscript)."""
    inner = up.parent(node)
    if not (isinstance(inner, cst.Subscript) and len(inner.slice) == 1 and isinstance(inner.slice[0].slice, cst.Index)):
        return None
    outer = up.parent(inner)
    if not (isinstance(outer, cst.Subscript) and outer.value is inner and len(outer.slice) == 1):
        return None
    key = outer.slice[0].slice
    if not (isinstance(key, cst.Index) and isinstance(key.value, cst.SimpleString) and key.value.evaluated_value == "scheduler"):
        return None
    return inner.slice[0].slice.value, outer


def _rename(up: Upgrade, node: cst.CSTNode, new: cst.BaseExpression, message: str) -> None:
    up.edit(node, lambda updated, new=new: new.with_changes(lpar=updated.lpar, rpar=updated.rpar) if hasattr(updated, "lpar") else new)
    up.mapped("T2L246", node, message)

"""`trainer.val_dataloaders[0]` where the loader is one DataLoader -> `trainer.val_dataloaders` (T2L248); marked
where which one is not known from the file (T2L972). The same for `test_dataloaders` and `predict_dataloaders`.

    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=64)     (unchanged)

    def on_validation_epoch_end(self):
        ds = self.trainer.val_dataloaders[0].dataset  ->   ds = self.trainer.val_dataloaders.dataset

1.x's `trainer.val_dataloaders` was always a list, one entry per loader; 2.x's is what `val_dataloader()` returned
(or `fit` was given): a single DataLoader is not subscriptable (TypeError where the hook runs, mid-training). The
index goes only where every `val_dataloader` of the file returns a `DataLoader(...)` and no `fit`/`validate` call
of the file passes loaders of its own; a list or tuple returned keeps it; anything else is marked.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.names import code, dotted
from converter.upgrade.engine import Upgrade

CODES = {
    "T2L248": "trainer.val_dataloaders[0] (1.x: always a list) -> trainer.val_dataloaders, where it is one DataLoader",
    "T2L972": "trainer.val_dataloaders[0]: 2.x's is what val_dataloader() returned, which the file does not show: marked",
}
HOOKS = {"val_dataloaders": "val_dataloader", "test_dataloaders": "test_dataloader", "predict_dataloaders": "predict_dataloader"}
# Trainer methods that take loaders of their own (which then replace the module's hook), and their keywords.
LOADER_TAKING = {"fit", "validate", "test", "predict"}
LOADER_KEYWORDS = {"train_dataloaders", "val_dataloaders", "dataloaders", "datamodule"}


def upgrade_eval_loaders(up: Upgrade) -> None:
    kinds: dict[str, str | None] = {}
    for node in up.nodes(cst.Subscript):
        attribute = _first_of_trainer_loaders(node)
        if attribute is None:
            continue
        hook = HOOKS[attribute.attr.value]
        if hook not in kinds:
            kinds[hook] = _returned_kind(up, hook)
        if kinds[hook] == "list":
            continue
        if kinds[hook] == "one":
            up.edit(node, lambda updated, new=attribute: new.with_changes(lpar=updated.lpar, rpar=updated.rpar))
            up.mapped("T2L248", node, f"{code(node)} -> {code(attribute)} ({hook}() returns one DataLoader; 1.x "
                      "wrapped it in a list, 2.x does not)")  # fmt: skip
        else:
            up.todo("T2L972", node, f"1.x's trainer.{attribute.attr.value} was always a list; 2.x's is what {hook}() "
                    "returned (or fit was given): if that is one DataLoader, drop the [0] (it is not subscriptable)")  # fmt: skip


def _first_of_trainer_loaders(node: cst.Subscript) -> cst.Attribute | None:
    """`<...>trainer.val_dataloaders` when `node` is it indexed by 0."""
    value = node.value
    if not (isinstance(value, cst.Attribute) and value.attr.value in HOOKS):
        return None
    owner = dotted(value.value)
    if owner is None or owner.split(".")[-1] != "trainer" or len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer) and index.value.value == "0":
        return value
    return None


def _returned_kind(up: Upgrade, hook: str) -> str | None:
    """"one" when every `hook` method of the file returns a DataLoader(...) (directly or through a name only ever
    assigned one), "list" when each returns a list or tuple display, else None (unknown, mixed, or no such method;
    or a Trainer call of the file passes loaders of its own)."""
    if any(_passes_loaders(call) for call in up.nodes(cst.Call)):
        return None
    methods = [f for f in up.nodes(cst.FunctionDef) if f.name.value == hook and isinstance(up.parent(up.parent(f)), cst.ClassDef)]
    returned = [(f, r.value) for f in methods for r in walk(f.body) if isinstance(r, cst.Return)]
    if not returned or any(value is None for _, value in returned):
        return None
    if all(_builds_a_loader(value, function) for function, value in returned):
        return "one"
    if all(isinstance(value, (cst.List, cst.Tuple)) for _, value in returned):
        return "list"
    return None


def _builds_a_loader(value: cst.BaseExpression, function: cst.FunctionDef) -> bool:
    if _is_loader_call(value):
        return True
    if not isinstance(value, cst.Name):
        return False
    assigned = [a.value for a in walk(function.body) if isinstance(a, cst.Assign)
                and any(isinstance(t.target, cst.Name) and t.target.value == value.value for t in a.targets)]  # fmt: skip
    return bool(assigned) and all(_is_loader_call(v) for v in assigned)


def _is_loader_call(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Call) and (dotted(value.func) or "").split(".")[-1] == "DataLoader"


def _passes_loaders(call: cst.Call) -> bool:
    """`trainer.fit(model, train_loader, val_loader)`, `trainer.validate(model, dataloaders=...)`."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in LOADER_TAKING):
        return False
    return len([a for a in call.args if a.keyword is None]) > 1 or any(
        a.keyword is not None and a.keyword.value in LOADER_KEYWORDS for a in call.args)  # fmt: skip

"""Hooks 2.x stopped calling without a word (T2L227): `on_epoch_end`, `on_pretrain_routine_start`, Callback
`on_batch_end`... A 1.x module that defines them runs on 2.x and its hook simply never fires. Renamed to the
2.x hook, with the parameters 2.x passes. A batch hook's required `dataloader_idx` (1.x always passed it; any name
ending so, anomalib's `_dataloader_idx` too): dropped from a training batch hook that does not read it, else given
a default of 0, what 1.x passed there and what 2.x's evaluation hooks get with one loader (T2L231)."""

from __future__ import annotations

import libcst as cst

from converter.names import reads
from converter.syntax import named, without_params
from converter.upgrade import table
from converter.upgrade.engine import Upgrade, subclasses
from converter.upgrade.hooks import methods, param_names, rename_super_calls

CODES = {
    "T2L227": "a hook 2.x no longer calls (silently) -> its 2.x name and signature",
    "T2L231": "a hook's parameters -> what 2.x passes (dataloader_idx=0; an epoch end's unused outputs dropped)",
}
EVAL_BATCH_HOOKS = {f"on_{stage}_batch_{when}" for stage in ("validation", "test", "predict") for when in ("start", "end")}
EPOCH_END_OUTPUTS = {"on_train_epoch_end", "on_validation_epoch_end", "on_test_epoch_end"}  # 1.x passed outputs
# hook: (parameters 1.x passed, self included; the index of the one 2.x dropped)
DROPPED_PARAMETER = {"finetune_function": (5, 4), "lr_scheduler_step": (4, 2)}  # opt_idx / optimizer_idx


def is_callback_base(name: str | None) -> bool:
    """Callback itself or one of Lightning's callbacks (a ProgressBarBase, EarlyStopping, ... subclass)."""
    return name in table.CALLBACK or bool(name and name.startswith("pl.callbacks.") and name.split(".")[-1][:1].isupper())


def upgrade_removed_hooks(up: Upgrade) -> None:
    for cls, is_callback in [(c, False) for c in up.lightning_classes()] + [(c, True) for c in subclasses(up, is_callback_base)]:
        defined = methods(cls)
        targets = [table.REMOVED_HOOKS[name][0] for name in defined if name in table.REMOVED_HOOKS]
        targets += [table.EPOCH_END_HOOKS[name][0] for name in defined if name in table.EPOCH_END_HOOKS]
        for name, method in defined.items():
            if name in table.REMOVED_HOOKS:
                new, extra, why = table.REMOVED_HOOKS[name]
                if new in defined or targets.count(new) > 1:
                    up.todo("T2L227", method, f"{name} is never called by 2.x, and {new} is taken: merge it into {new}")
                    continue
                added = tuple(p for p in extra if p not in param_names(method))  # what 2.x passes besides
                _rename(up, method, new, added)
                rename_super_calls(up, method, name, new, added)
                up.mapped("T2L227", method, f"{name} -> {new} (2.x never calls {name}; {why})")
            elif name in table.NO_DATALOADER_IDX and _index_parameter(method) is not None:
                _drop_dataloader_idx(up, method)
            elif name in EVAL_BATCH_HOOKS:
                _default_dataloader_idx(up, method)
            elif is_callback and name in EPOCH_END_OUTPUTS and len(param_names(method)) == 4:
                _drop_parameter(up, method, 3, f"collect what you need in {name.replace('epoch_end', 'batch_end')}")
            elif name in DROPPED_PARAMETER and len(param_names(method)) == DROPPED_PARAMETER[name][0]:
                _drop_parameter(up, method, DROPPED_PARAMETER[name][1], "2.x has one optimizer per call")


def _index_parameter(method: cst.FunctionDef) -> cst.Param | None:
    """The hook's `dataloader_idx` (any name ending so: anomalib's callbacks write `_dataloader_idx`), last."""
    params = method.params.params
    return params[-1] if params and params[-1].name.value.endswith("dataloader_idx") else None


def _default_dataloader_idx(up: Upgrade, method: cst.FunctionDef, why: str = "passes it only with several loaders "
                            "(TypeError with one)") -> None:  # fmt: skip
    """2.x passes dataloader_idx to the evaluation batch hooks only when there are several loaders (1.x always did)."""
    param = _index_parameter(method)
    if param is None or param.default is not None:
        return
    up.edit(param, lambda updated: updated.with_changes(
        default=cst.Integer("0"), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
    name = param.name.value
    up.mapped("T2L231", method, f"{method.name.value}(..., {name}) -> {name}=0: 2.x {why}")


def _drop_parameter(up: Upgrade, method: cst.FunctionDef, index: int, otherwise: str) -> None:
    """A parameter 2.x no longer passes (a Callback epoch end's `outputs`, `finetune_function`'s `opt_idx`):
    removed when the body does not read it, else marked."""
    dropped = method.params.params[index].name.value
    if dropped in reads(method.body):
        up.todo("T2L231", method, f"{method.name.value} reads {dropped}, which 2.x no longer passes: {otherwise}")
        return
    params = without_params(method.params, lambda i, _: i == index)
    up.edit(method, lambda updated: updated.with_changes(params=params))
    up.mapped("T2L231", method, f"{method.name.value}: the unused {dropped} parameter removed (2.x passes none)")


def _rename(up: Upgrade, method: cst.FunctionDef, new: str, extra: tuple[str, ...]) -> None:
    added = [cst.Param(cst.Name(p)) for p in extra]

    def change(updated: cst.FunctionDef) -> cst.FunctionDef:
        params = list(updated.params.params)
        if added and params:
            params[-1] = params[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return updated.with_changes(name=cst.Name(new), params=updated.params.with_changes(params=[*params, *added]))

    up.edit(method, change)


def _drop_dataloader_idx(up: Upgrade, method: cst.FunctionDef) -> None:
    name = _index_parameter(method).name.value  # type: ignore[union-attr]
    if name in reads(method.body):  # 1.x passed 0 to the training batch hooks: the body sees what it saw
        _default_dataloader_idx(up, method, "never passes it to a training batch hook; 1.x passed 0")
        return
    params = without_params(method.params, named(name))
    up.edit(method, lambda updated: updated.with_changes(params=params))
    up.mapped("T2L227", method, f"{method.name.value}: dataloader_idx parameter removed (2.x does not pass it)")

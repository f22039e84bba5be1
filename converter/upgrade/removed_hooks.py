"""Hooks 2.x stopped calling without a word (T2L227): `on_epoch_end`, `on_pretrain_routine_start`, Callback
`on_batch_end`... A 1.x module that defines them runs on 2.x and its hook simply never fires. Renamed to the
2.x hook, with the parameters 2.x passes; `dataloader_idx` dropped from training batch hooks."""

from __future__ import annotations

import libcst as cst

from converter.names import reads
from converter.upgrade import table
from converter.upgrade.engine import Upgrade, subclasses
from converter.upgrade.hooks import methods, param_names, rename_super_calls

CODES = {
    "T2L227": "a hook 2.x no longer calls (silently) -> its 2.x name and signature",
}


def _is_callback(name: str | None) -> bool:
    """Callback itself or one of Lightning's callbacks (a ProgressBarBase, EarlyStopping, ... subclass)."""
    return name in table.CALLBACK or bool(name and name.startswith("pl.callbacks.") and name.split(".")[-1][:1].isupper())


def upgrade_removed_hooks(up: Upgrade) -> None:
    for cls, is_callback in [(c, False) for c in up.lightning_classes()] + [(c, True) for c in subclasses(up, _is_callback)]:
        defined = methods(cls)
        targets = [table.REMOVED_HOOKS[name][0] for name in defined if name in table.REMOVED_HOOKS]
        for name, method in defined.items():
            if name in table.REMOVED_HOOKS:
                new, extra, why = table.REMOVED_HOOKS[name]
                if new in defined or targets.count(new) > 1:
                    up.todo("T2L227", method, f"{name} is never called by 2.x, and {new} is taken: merge it into {new}")
                    continue
                added = tuple(p for p in extra if p not in param_names(method)) if is_callback else ()
                _rename(up, method, new, added)
                rename_super_calls(up, method, name, new, added)
                up.mapped("T2L227", method, f"{name} -> {new} (2.x never calls {name}; {why})")
            elif name in table.NO_DATALOADER_IDX and "dataloader_idx" in param_names(method):
                _drop_dataloader_idx(up, method)


def _rename(up: Upgrade, method: cst.FunctionDef, new: str, extra: tuple[str, ...]) -> None:
    added = [cst.Param(cst.Name(p)) for p in extra]

    def change(updated: cst.FunctionDef) -> cst.FunctionDef:
        params = list(updated.params.params)
        if added and params:
            params[-1] = params[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return updated.with_changes(name=cst.Name(new), params=updated.params.with_changes(params=[*params, *added]))

    up.edit(method, change)


def _drop_dataloader_idx(up: Upgrade, method: cst.FunctionDef) -> None:
    if "dataloader_idx" in reads(method.body):
        up.todo("T2L227", method, f"{method.name.value} uses dataloader_idx, which 2.x no longer passes")
        return
    params = [p for p in method.params.params if p.name.value != "dataloader_idx"]
    params[-1] = params[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    up.edit(method, lambda updated: updated.with_changes(params=updated.params.with_changes(params=params)))
    up.mapped("T2L227", method, f"{method.name.value}: dataloader_idx parameter removed (2.x does not pass it)")

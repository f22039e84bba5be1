"""Hooks 1.x called and 2.x never does, beyond the renamed ones of removed_hooks: a 1.x class that defines them
runs on 2.x and the hook simply never fires, or fires with other arguments.

- Callback `on_keyboard_interrupt(trainer, pl_module)` -> `on_exception(trainer, pl_module, exception)`, its body
  under `if isinstance(exception, KeyboardInterrupt):` (on_exception sees every exception) (T2L237).
- Callback state by return value: `on_save_checkpoint(...)` returning a dict -> `state_dict(self)`, and
  `on_load_checkpoint(trainer, pl_module, callback_state)` -> `load_state_dict(self, callback_state)` (2.x ignores
  the return value and passes the whole checkpoint, where `callback_state["key"]` is a KeyError at resume) (T2L238).
- Hooks with no 2.x twin (`on_init_start`, `on_train_dataloader`, `on_post_move_to_device`, `on_hpc_save`,
  `get_progress_bar_dict`, ...): marked at the `def`, with where the body belongs now (T2L967).
"""

from __future__ import annotations

import libcst as cst

from converter.names import reads
from converter.upgrade import table
from converter.upgrade.engine import Upgrade, subclasses
from converter.upgrade.hooks import methods, own_returns, param_names
from converter.upgrade.removed_hooks import is_callback_base

CODES = {
    "T2L237": "Callback on_keyboard_interrupt -> on_exception, under isinstance(exception, KeyboardInterrupt)",
    "T2L238": "Callback state returned by on_save_checkpoint / read from callback_state -> state_dict / load_state_dict",
    "T2L967": "a hook 2.x never calls, with no 2.x twin: marked with where its body belongs",
}
# hook -> where its body belongs in 2.x (each name is absent from the installed 2.x classes: a test checks)
NO_TWIN = {
    "on_init_start": "the code that builds the Trainer (2.x has no hook inside Trainer.__init__)",
    "on_init_end": "the code that builds the Trainer (2.x has no hook inside Trainer.__init__)",
    "on_configure_sharded_model": "setup(trainer, pl_module, stage), or the module's configure_model",
    "on_before_accelerator_backend_setup": "setup(trainer, pl_module, stage)",
    "on_train_dataloader": "train_dataloader(), before it builds the loader",
    "on_val_dataloader": "val_dataloader(), before it builds the loader",
    "on_test_dataloader": "test_dataloader(), before it builds the loader",
    "on_predict_dataloader": "predict_dataloader(), before it builds the loader",
    "on_post_move_to_device": "setup(stage) (weights tied there stay tied when the module moves)",
    "on_hpc_save": "on_save_checkpoint(checkpoint), which 2.x calls on every save, not only SLURM's",
    "on_hpc_load": "on_load_checkpoint(checkpoint), which 2.x calls on every load, not only SLURM's",
    "get_progress_bar_dict": "a progress-bar callback's get_metrics(trainer, pl_module)",
}


def upgrade_never_called(up: Upgrade) -> None:
    callbacks = subclasses(up, is_callback_base)
    modules = up.lightning_classes() + subclasses(up, lambda name: name in table.DATA_MODULE)
    for cls in [*callbacks, *(c for c in modules if c not in callbacks)]:
        defined = methods(cls)
        for name, method in defined.items():
            if name in NO_TWIN:
                up.todo("T2L967", method, f"2.x never calls {name}: move its body to {NO_TWIN[name]}")
            elif name == "on_keyboard_interrupt" and cls in callbacks:
                _on_exception(up, method, taken="on_exception" in defined)
        if cls in callbacks:
            _callback_state(up, defined)


def _on_exception(up: Upgrade, method: cst.FunctionDef, taken: bool) -> None:
    if taken or len(param_names(method)) != 3:
        up.todo("T2L237", method, "2.x never calls on_keyboard_interrupt: move its body to on_exception(trainer, "
                f"pl_module, exception){', which the class defines,' if taken else ''} under "
                "`if isinstance(exception, KeyboardInterrupt):`")  # fmt: skip
        return

    def change(updated: cst.FunctionDef) -> cst.FunctionDef:
        params = list(updated.params.params)
        params[-1] = params[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        guard = cst.If(test=cst.parse_expression("isinstance(exception, KeyboardInterrupt)"),
                       body=updated.body)  # type: ignore[arg-type]  # fmt: skip
        return updated.with_changes(name=cst.Name("on_exception"), body=cst.IndentedBlock([guard]),
                                    params=updated.params.with_changes(params=[*params, cst.Param(cst.Name("exception"))]))  # fmt: skip

    up.edit(method, change)
    up.mapped("T2L237", method, "on_keyboard_interrupt -> on_exception(..., exception) under isinstance(exception, "
              "KeyboardInterrupt) (2.x never calls on_keyboard_interrupt)")  # fmt: skip


def _callback_state(up: Upgrade, defined: dict[str, cst.FunctionDef]) -> None:
    """1.x saved a callback's state from on_save_checkpoint's return value and handed it back to
    on_load_checkpoint as `callback_state`; 2.x ignores the return and passes the whole checkpoint. The two are
    mapped together, or both marked: one mapped alone would save nothing to load, or load what was never saved."""
    save, load = defined.get("on_save_checkpoint"), defined.get("on_load_checkpoint")
    returns = save is not None and any(r.value is not None and not _is_none(r.value) for r in own_returns(up, save))
    loads_state = load is not None and len(param_names(load)) == 4 and param_names(load)[3] == "callback_state"
    pairs = [(m, new) for m, is_1x, new in ((save, returns, "state_dict"), (load, loads_state, "load_state_dict")) if m is not None and is_1x]
    why = {"state_dict": "2.x ignores what on_save_checkpoint returns",
           "load_state_dict": "2.x passes the whole checkpoint, not callback_state"}  # fmt: skip
    problems = {}
    for method, new in pairs:
        read = {p.name.value for p in method.params.params[1:3]} | ({"checkpoint"} if new == "state_dict" else set())
        if new in defined:
            problems[method.name.value] = f"{new} is taken: merge it into {new}"
        elif read & reads(method.body):
            problems[method.name.value] = f"it reads `{', '.join(sorted(read & reads(method.body)))}`, which {new} is not given"
    for method, new in pairs:
        if problems:
            reasons = "; ".join(f"{name}: {reason}" for name, reason in problems.items())
            up.todo("T2L238", method, f"{method.name.value} keeps the callback's state the 1.x way ({why[new]}); "
                    f"move it to state_dict / load_state_dict together ({reasons})")  # fmt: skip
            continue
        kept = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in method.params.params if p.name.value in ("self", "callback_state")]
        up.edit(method, lambda updated, kept=kept, new=new: updated.with_changes(
            name=cst.Name(new), params=updated.params.with_changes(params=kept)))  # fmt: skip
        up.mapped("T2L238", method, f"{method.name.value} -> {new} ({why[new]})")


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"

"""`optimizer_step` overridden with 1.x's signature (the learning-rate warm-up of 1.x's docs) -> 2.x's.

    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_idx,        def optimizer_step(self, epoch, batch_idx,
                       optimizer_closure, on_tpu, using_native_amp,      ->                        optimizer, optimizer_closure):
                       using_lbfgs):

2.x calls the hook with four positional arguments (epoch, batch_idx, optimizer, closure). Under 1.x's signature
the closure lands in `optimizer_idx`: with 1.2-1.9's defaults `optimizer.step(closure=optimizer_closure)` steps with
None, never runs training_step and backward, and 2.x stops at the first step ("The closure hasn't been executed");
without the defaults (1.0-1.1) the call raises TypeError. The parameters 2.x no longer
passes (`optimizer_idx`, `on_tpu`, `using_native_amp`, `using_lbfgs`) are dropped when only a
`super().optimizer_step(...)` call reads them, which gets 2.x's arguments too (T2L244). A body that reads them
otherwise, or steps without the closure (0.x/1.0 ran training_step before the hook; 2.x runs it in the closure),
is marked (T2L971).
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from converter.analysis import walk
from converter.names import dotted, reads
from converter.syntax import with_args, without_params
from converter.upgrade.engine import Upgrade
from converter.upgrade.hooks import methods, param_names

CODES = {
    "T2L244": "optimizer_step(self, epoch, batch_idx, optimizer, optimizer_idx, closure, on_tpu, ...) -> 2.x's four "
              "parameters",
    "T2L971": "optimizer_step reads what 2.x no longer passes, or steps without the closure: marked",
}
CLOSURE = 4  # the closure's position among 1.x's parameters after self (epoch, batch_idx, optimizer, optimizer_idx)


def upgrade_optimizer_step(up: Upgrade) -> None:
    for cls in up.lightning_classes():
        defined = methods(cls)
        hook = defined.get("optimizer_step")
        step = defined.get("training_step")
        if hook is None or (step is not None and "optimizer_idx" in param_names(step)):
            continue  # optimizer_idx.py: manual optimization, where Lightning calls no optimizer_step
        params = [p.name.value for p in hook.params.params][1:]  # after self
        if len(params) <= CLOSURE or not (params[3] == "optimizer_idx" or "closure" in params[CLOSURE]):
            continue  # 2.x's signature (or one t2l cannot read as 1.x's: the index fourth, the closure fifth)
        closure, dropped = params[CLOSURE], {params[3], *params[CLOSURE + 1 :]}
        supers = [c for c in walk(hook.body) if _is_super_step(c)]
        read_elsewhere = set(_uses(hook.body, dropped) - sum((_uses(c, dropped) for c in supers), Counter()))
        if read_elsewhere:
            up.todo("T2L971", hook, f"optimizer_step reads `{', '.join(sorted(read_elsewhere))}`, which 2.x no longer "
                    "passes (it calls optimizer_step(epoch, batch_idx, optimizer, optimizer_closure))")  # fmt: skip
            continue
        if not supers and closure not in reads(hook.body):
            up.todo("T2L971", hook, f"optimizer_step never passes `{closure}` on: in 2.x the closure runs "
                    f"training_step and backward, so call optimizer.step(closure={closure})")  # fmt: skip
        positions = {i + 1 for i, name in enumerate(params) if name in dropped}  # +1: self
        new_params = without_params(hook.params, lambda i, _, positions=positions: i in positions)
        up.edit(hook, lambda updated, new_params=new_params: updated.with_changes(params=new_params))
        for call in supers:
            up.edit(call, lambda updated, dropped=dropped: with_args(updated, _kept_args(updated.args, dropped)))
        up.mapped("T2L244", hook, f"optimizer_step: {', '.join(p for p in params if p in dropped)} dropped (2.x "
                  f"passes epoch, batch_idx, optimizer, {closure})")  # fmt: skip


def _is_super_step(node: cst.CSTNode) -> bool:
    """`super().optimizer_step(...)`."""
    func = node.func if isinstance(node, cst.Call) else None
    return (isinstance(func, cst.Attribute) and func.attr.value == "optimizer_step" and isinstance(func.value, cst.Call)
            and dotted(func.value.func) == "super")  # fmt: skip


def _uses(node: cst.CSTNode, names: set[str]) -> Counter:
    return Counter(n.value for n in walk(node) if isinstance(n, cst.Name) and n.value in names)


def _kept_args(args, dropped: set[str]) -> list[cst.Arg]:
    return [a for a in args if not (isinstance(a.value, cst.Name) and a.value.value in dropped)
            and not (a.keyword is not None and a.keyword.value in ("optimizer_idx", "on_tpu", "using_native_amp", "using_lbfgs"))]  # fmt: skip

"""1.x manual-optimization calls that 2.x runs otherwise, or not at all.

- `self.manual_backward(loss, optimizer, ...)`: 1.1 to 1.3 took the optimizer second (ignored from 1.2, gone in
  1.4); 2.x hands every extra argument on to `loss.backward`, where an optimizer is a TypeError at the first step.
  Dropped when it is one (a name bound from `self.optimizers()`, or named `opt...`); otherwise marked (T2L240).
- `self.manual_optimizer_step(optimizer)` (1.1; 2.x has no such method: an AttributeError at the first step) ->
  `optimizer.step()` then `optimizer.zero_grad()`, which 1.1's step ran after it (T2L241); a call with other
  arguments (`force_optimizer_step=True`), or not a statement of its own, is marked (T2L969).
- `Trainer(automatic_optimization=False)` (1.1; 2.x reads it from the module): dropped where the file's
  LightningModule sets it already, or moved into its `__init__` where the file has one LightningModule; `=True`
  (the default) dropped (T2L242). Otherwise the installed-2.x check marks it.
"""

from __future__ import annotations

import re

import libcst as cst

from converter.names import code, dotted, writes
from converter.syntax import without_args
from converter.upgrade.engine import Upgrade, kwarg, literal

CODES = {
    "T2L240": "self.manual_backward(loss, optimizer) -> self.manual_backward(loss) (2.x passes extra arguments to "
              "loss.backward)",
    "T2L241": "self.manual_optimizer_step(opt) (1.1) -> opt.step(); opt.zero_grad()",
    "T2L242": "Trainer(automatic_optimization=False) (1.1) -> self.automatic_optimization = False in the module",
    "T2L969": "a 1.x manual-optimization call this cannot map for sure: marked",
}


def upgrade_manual_steps(up: Upgrade) -> None:
    for call in up.trainer_calls():
        if (arg := kwarg(call, "automatic_optimization")) is not None:
            _trainer_argument(up, call, arg)
    for cls in up.lightning_classes():
        for call in up.nodes(cst.Call, cls):
            if not (isinstance(call.func, cst.Attribute) and dotted(call.func.value) == "self"):
                continue
            if call.func.attr.value == "manual_backward":
                _manual_backward(up, call)
            elif call.func.attr.value == "manual_optimizer_step":
                _manual_optimizer_step(up, call)


def _manual_backward(up: Upgrade, call: cst.Call) -> None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) < 2:
        return
    second = positional[1]
    if not _an_optimizer(up, call, second.value):
        up.todo("T2L969", call, f"self.manual_backward(..., {code(second.value)}): 1.1-1.3 took an optimizer "
                "second; 2.x passes it to loss.backward: drop it if it is one")  # fmt: skip
        return
    up.edit(call, lambda updated: without_args(updated, [second]))
    up.mapped("T2L240", call, f"self.manual_backward(...): the optimizer `{code(second.value)}` dropped (2.x would "
              "pass it to loss.backward)")  # fmt: skip


_OPTIMIZER_NAME = re.compile(r"opt(imizer)?(_\w+|\d+)?")  # opt, opt_g, opt2, optimizer_d: not `options`


def _an_optimizer(up: Upgrade, call: cst.Call, value: cst.BaseExpression) -> bool:
    """Named like one (`opt`, `opt_g`, `optimizer`), or bound in the same function from `self.optimizers()`."""
    name = (dotted(value) or "").rsplit(".", 1)[-1]
    if _OPTIMIZER_NAME.fullmatch(name):
        return True
    scope = up.scope_of(call)
    for assign in up.nodes(cst.Assign, scope):
        if name in writes(assign) and "self.optimizers(" in code(assign.value):
            return True
    return False


def _manual_optimizer_step(up: Upgrade, call: cst.Call) -> None:
    statement = up.statement(call)
    alone = (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
             and isinstance(statement.body[0], cst.Expr) and statement.body[0].value is call)  # fmt: skip
    if not alone or len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        up.todo("T2L969", call, "self.manual_optimizer_step(...) (1.1) is gone in 2.x: call `opt.step()` then "
                "`opt.zero_grad()` (1.1's step zeroed the gradients after it)")  # fmt: skip
        return
    optimizer = code(call.args[0].value)
    steps = cst.parse_module(f"{optimizer}.step()\n{optimizer}.zero_grad()  # 1.1's manual_optimizer_step did both\n").body

    def change(updated: cst.SimpleStatementLine) -> cst.FlattenSentinel:
        return cst.FlattenSentinel([steps[0].with_changes(leading_lines=updated.leading_lines), steps[1]])

    up.edit(statement, change)
    up.mapped("T2L241", call, f"self.manual_optimizer_step({optimizer}) -> {optimizer}.step(); {optimizer}.zero_grad()")


# `self.automatic_optimization = False`, or the 1.x property `def automatic_optimization(self): return False`
_SETS_MANUAL = re.compile(r"\.automatic_optimization\s*=\s*False|def automatic_optimization\(self\)[^:]*:\s*(#.*\s*)?return\s+False")


def _trainer_argument(up: Upgrade, call: cst.Call, arg: cst.Arg) -> None:
    value = literal(arg.value)
    classes = up.lightning_classes()
    if value is not True and (value is not False or not classes):
        return  # not a literal, or no module here: the installed-2.x check marks it
    manual = [c for c in classes if _SETS_MANUAL.search(code(c))]
    inits = [m for c in classes for m in c.body.body if isinstance(m, cst.FunctionDef) and m.name.value == "__init__"]
    if value is False and len(manual) < len(classes):
        supers = [s for s in (inits[0].body.body if len(classes) == 1 and len(inits) == 1 else [])
                  if "super().__init__(" in code(s) and isinstance(s, cst.SimpleStatementLine)]  # fmt: skip
        if not supers:
            return
        line = cst.parse_statement("self.automatic_optimization = False  # was Trainer(automatic_optimization=False)\n")
        up.edit(supers[0], lambda updated: cst.FlattenSentinel([updated, line]))
    up.edit(call, lambda updated: without_args(updated, [arg]))
    where = "2.x's default" if value else "the module sets it" if len(manual) == len(classes) else f"set in {classes[0].name.value}.__init__"
    up.mapped("T2L242", arg, f"Trainer(automatic_optimization={value}) dropped: {where}")

"""An optimizer class the script writes itself, whose `step()` takes no closure (T2L161): it gets one, and runs it.

    class LARS(torch.optim.Optimizer):                class LARS(torch.optim.Optimizer):
        @torch.no_grad()                                  @torch.no_grad()
        def step(self):                         ->        def step(self, closure=None):
            for group in self.param_groups:                   if closure is not None:
                ...                                               with torch.enable_grad():
                                                                      closure()
                                                              for group in self.param_groups:
                                                                  ...

Lightning steps every optimizer as `optimizer.step(closure=...)`, the closure running training_step and backward
(under manual optimization too: `self.optimizers().step()` passes an empty one), as torch's own optimizers
accept it. A step without the parameter raises TypeError at the first batch; one that takes it and never calls it
leaves the closure unrun, and Lightning stops ("The closure hasn't been executed"). The closure runs first, with
gradients on (a step is usually `@torch.no_grad()`), as torch's SGD runs it; the script's own call, `step()`
without a closure, runs the method as it was. It applies to a class of the module the optimizer is built from
(`optimizer = LARS(model.parameters(), ...)`) whose `step` has no parameter but `self`, or `closure` unread.
"""

from __future__ import annotations

import libcst as cst

from converter.convert.edits import parse_statements
from converter.convert.plan import assigned_calls
from converter.names import dotted, reads

CODES = {"T2L161": "an optimizer class of the script whose step() takes no closure: step(self, closure=None) runs it"}
MESSAGE = ("`{cls}.step()` takes no closure, and Lightning steps optimizers as `step(closure=...)` (training_step and "
           "backward): it takes one now and runs it first, with gradients on; the script's own `step()` runs as before")  # fmt: skip
_RUN = "if closure is not None:  # Lightning's: training_step and backward\n    with {torch}.enable_grad():\n        closure()\n"


def mark(conv, declined: bool = False) -> None:
    if declined:
        return
    plan = conv.plan
    classes = {s.name.value: s for s in plan.module.body if isinstance(s, cst.ClassDef)}
    calls = assigned_calls(plan.module, index=plan.index)
    for name in sorted(conv.kinds["optimizers"]):
        built = {dotted(c.func) for c in calls.get(name, []) if isinstance(c, cst.Call)}
        for cls in sorted(n for n in built if n in classes):
            step = _closureless_step(classes[cls])
            if step is not None and id(step) not in conv.replace:
                torch = plan.imports.local_name("torch")
                conv.replace[id(step)] = _with_closure(step, torch)
                conv.report.add("T2L161", plan.line(step), MESSAGE.format(cls=cls))


def _closureless_step(cls: cst.ClassDef) -> cst.FunctionDef | None:
    """The class's `def step(self)` or `def step(self, closure=None)` that never reads `closure`; None otherwise."""
    if not isinstance(cls.body, cst.IndentedBlock):
        return None
    step = next((s for s in cls.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "step"), None)
    if step is None or step.params.star_arg is not cst.MaybeSentinel.DEFAULT or step.params.star_kwarg or step.params.kwonly_params:
        return None
    names = [p.name.value for p in step.params.params]
    if names == ["self"] or (names == ["self", "closure"] and "closure" not in reads(step.body)):
        return step
    return None


def _with_closure(step: cst.FunctionDef, torch: str) -> cst.FunctionDef:
    params = list(step.params.params)
    if len(params) == 1:
        params.append(cst.Param(cst.Name("closure"), default=cst.Name("None"), equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))))  # fmt: skip
    body = step.body
    assert isinstance(body, cst.IndentedBlock)
    statements = list(body.body)
    first = 1 if statements and _is_docstring(statements[0]) else 0
    statements[first:first] = parse_statements(_RUN.format(torch=torch))
    return step.with_changes(params=step.params.with_changes(params=params), body=body.with_changes(body=statements))


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, cst.SimpleString))  # fmt: skip

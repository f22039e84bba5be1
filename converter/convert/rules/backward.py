"""`loss.backward()`: removed, `training_step` returns the loss and Lightning calls backward on it.

The tensor given to backward is the loss the hook returns (under accumulation, before the division Lightning
makes itself; under AMP, unscaled); an expression is assigned to a free name (`loss`) first. `retain_graph=False` /
`create_graph=False` (the defaults) are dropped. Several backward calls per step, or one that keeps the graph,
make the optimization manual (manual_optimization.BACKWARDS): `self.manual_backward(loss, retain_graph=...)` each,
as written. Custom backward hooks are kept and marked.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.rules import accumulation, manual_optimization, precision
from converter.convert.step import NO_MATCH
from converter.names import bound_names, code, method_call, targets_of

CODES = {
    "T2L102": "loss.backward() removed: training_step returns the loss and Lightning calls backward",
    "T2L902": "custom backward hooks",
}
REGISTER_HOOKS = {"register_hook", "register_full_backward_hook", "register_backward_hook"}


def on_call(step, line, call, owner, method):
    if method in REGISTER_HOOKS:
        return step.todo(line, "T2L902", f"custom backward hook `{code(call.func)}` kept; check it under Lightning")
    if method != "backward":
        return NO_MATCH
    target = precision.unscaled(step, accumulation.undivided(step, call.func.value))
    # `criterion(model(x), y).backward()`: the loss is computed once, into a name, then logged and returned
    # (computing it again would run the model twice and, with dropout, draw other random numbers)
    computed = not isinstance(target, (cst.Name, cst.Attribute, cst.Subscript))
    assigned = _assigned(step, target) if computed else None
    loss = assigned.targets[0].target if assigned is not None else target
    if step.ctx.manual:
        backward = manual_optimization.manual_backward(step, loss, call.args)
        if manual_optimization.gradient_given(call) is None:  # given a gradient, it may hold many values: not logged
            step.out.losses.append(loss)
        if assigned is None:
            return backward
        return cst.FlattenSentinel([cst.SimpleStatementLine([assigned]), cst.SimpleStatementLine([cst.Expr(backward)])])
    step.report.add("T2L102", step.line)
    if isinstance(target, cst.Name) and target.value in step.ctx.rebound:
        # `loss, current = loss.item(), ...` after backward (the quickstart tutorial): the hook returns the tensor
        kept = cst.Name(f"{target.value}_at_backward")
        step.out.losses.append(kept)
        return cst.Assign([cst.AssignTarget(kept)], target)
    step.out.losses.append(loss)
    return assigned  # None: the statement goes


def _assigned(step, loss: cst.BaseExpression) -> cst.Assign:
    """`loss = <the expression given to backward>`, in a name the loop does not use."""
    name = next(n for n in ("loss", *(f"loss_{i}" for i in range(1, 1000))) if n not in step.ctx.names)
    step.ctx.names.add(name)  # a second backward on an expression gets the next name
    return cst.Assign([cst.AssignTarget(cst.Name(name))], loss.with_changes(lpar=[], rpar=[]))  # `(a - b).backward()`


def rebound_losses(loop: cst.For | cst.While, line_of) -> set[str]:
    """Names given to backward() that a later statement of the loop body assigns again."""
    backwards: list[tuple[str, int]] = []
    assignments: list[cst.CSTNode] = []
    for node in walk(loop.body):
        if method_call(node, "backward"):
            if isinstance(node.func.value, cst.Name):
                backwards.append((node.func.value.value, line_of(node)))
        elif isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            assignments.append(node)
    found: set[str] = set()
    for node in assignments if backwards else []:
        bound = set().union(*(bound_names(t) for t in targets_of(node)))
        found |= {name for name, line in backwards if name in bound and line_of(node) > line}
    return found

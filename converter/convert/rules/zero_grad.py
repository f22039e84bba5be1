"""`optimizer.zero_grad()` / `model.zero_grad()` in the batch loop: removed, Lightning zeroes the gradients.

Under manual optimization (two optimizers) the call stays where the user put it: there the order of
zero_grad, backward and step is the user's to keep.

Lightning zeroes before each step and sets the gradients to None. A loop that zeroes otherwise gets an
`optimizer_zero_grad` hook that does what it did (T2L143): `zero_grad(set_to_none=False)` keeps zero tensors
(AdamW still decays, and its moments still move, a parameter a batch left unused, where a None gradient leaves it
alone); a zero_grad only before the batch loop lets the gradients add up over the epoch's batches; a loop that
never zeroes lets them add up over the whole training. Lightning zeroes them before each validation too
(`on_validation_model_zero_grad`), which such a loop never did: that hook then does nothing.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.edits import parse_statements, statements_before
from converter.convert.hook import Hook
from converter.convert.step import NO_MATCH
from converter.names import dotted, method_call

CODES = {
    "T2L101": "optimizer.zero_grad() / model.zero_grad() removed: Lightning zeroes gradients",
    "T2L143": "gradients zeroed otherwise than before each step (kept as zeros, once an epoch, never) -> optimizer_zero_grad",
}


def on_call(step, line, call, owner, method):
    if method != "zero_grad":
        return NO_MATCH
    if step.ctx.manual:
        return call
    step.report.add("T2L101", step.line)
    return None


def hooks(conv) -> list[Hook]:
    """optimizer_zero_grad, when the loop zeroed the gradients otherwise than Lightning does, and then, with a
    validation loop, on_validation_model_zero_grad doing nothing: Lightning also zeroes them (to None) before each
    validation, which the loop never did (gradients meant to add up over all steps restarted after each epoch's
    evaluation: a clean exit, the losses different from the second epoch's second batch)."""
    found = _zero_grad_hook(conv)
    if found is None or "val" not in conv.loaders:
        return [found] if found else []
    kept = parse_statements("pass  # the loop never zeroed the gradients around its evaluation\n")
    return [found, Hook("on_validation_model_zero_grad", [], kept, None)]


def _zero_grad_hook(conv) -> Hook | None:
    plan = conv.plan
    if conv.manual or "accumulate_grad_batches" in conv.trainer_args:
        return None  # the user's own calls stay (manual), or accumulation decides when Lightning zeroes
    in_loop = [c for c in walk(plan.batch_loop.body) if _is_zero_grad(c)]
    if in_loop:
        kept = [c for c in in_loop if _keeps_zeros(c)]
        if not kept:
            return None
        body, reason = "optimizer.zero_grad(set_to_none=False)", "zero_grad(set_to_none=False): zero gradients, not None"
        line = plan.line(plan.index.statement(kept[0]))
    elif any(_grad_set_by_hand(n) for n in walk(plan.batch_loop.body)):
        return None  # `p.grad = None`, `p.grad.zero_()`: zeroed by hand each batch
    else:
        around = [n for scope in (plan.epoch_loop, plan.scope if plan.train_call is not None else None) if scope is not None
                  for n in walk(scope) if _is_zero_grad(n)]  # fmt: skip
        if around:
            zeroes = "optimizer.zero_grad(set_to_none=False)" if any(_keeps_zeros(c) for c in around) else "optimizer.zero_grad()"
            body = f"if batch_idx == 0:  # once an epoch, before its first batch: the gradients add up over the epoch\n    {zeroes}"
            reason, line = "zero_grad once an epoch, before the batch loop", plan.line(plan.index.statement(around[0]))
        else:
            body, reason = "pass  # the loop never zeroed the gradients: they add up over all steps", "the loop never zeroes the gradients"
            line = plan.line(plan.batch_loop)
    conv.report.add("T2L143", line, f"{reason} -> optimizer_zero_grad (Lightning would zero them to None before each step)")
    return Hook("optimizer_zero_grad", ["epoch", "batch_idx", "optimizer"], parse_statements(body + "\n"), None)


def before_the_training(conv, stmt: cst.BaseStatement) -> bool:
    """`optimizer.zero_grad()` on a line of its own beside the loop and before it, with no backward before it (none
    written above it, none in a script function a statement above it in its block calls): there are no gradients
    yet, and Lightning zeroes them its way. Removed (T2L101), where it was left reading an optimizer that
    configure_optimizers now builds (a NameError, marked T2L909)."""
    plan = conv.plan
    small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if not (isinstance(small, cst.Expr) and _is_zero_grad(small.value) and plan.line(stmt) < plan.line(plan.site)):
        return False
    line = plan.index.line(stmt)
    if any(method_call(n, "backward") and plan.index.line(n) < line for n in plan.index.of_kind(cst.Call)):
        return False
    functions = {f.name.value: f for f in plan.module.body if isinstance(f, cst.FunctionDef)}
    called = {dotted(c.func) for s in statements_before(plan.index, stmt) for c in walk(s) if isinstance(c, cst.Call)}
    if any(method_call(n, "backward") for name in called if name in functions for n in walk(functions[name])):
        return False
    conv.report.add("T2L101", plan.line(stmt), f"{CODES['T2L101']} (before the training: no gradients yet)")
    return True


def _is_zero_grad(node: cst.CSTNode) -> bool:
    return method_call(node, "zero_grad")


def _keeps_zeros(call: cst.Call) -> bool:
    return any(a.keyword is not None and a.keyword.value == "set_to_none" and isinstance(a.value, cst.Name)
               and a.value.value == "False" for a in call.args)  # fmt: skip


def _grad_set_by_hand(node: cst.CSTNode) -> bool:
    """`.grad` assigned (`p.grad = None`) or zeroed in place (`p.grad.zero_()`, `p.grad.data.zero_()`)."""
    if isinstance(node, cst.AssignTarget):
        return isinstance(node.target, cst.Attribute) and node.target.attr.value == "grad"
    if method_call(node, "zero_", "detach_"):
        return any(isinstance(n, cst.Attribute) and n.attr.value == "grad" for n in walk(node.func.value))
    return False

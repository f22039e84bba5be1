"""Resume code that loads an optimizer's or scheduler's state before training: loaded in on_fit_start.

    if os.path.exists(ckpt_path):                        if os.path.exists(ckpt_path):
        checkpoint = torch.load(ckpt_path)                   checkpoint = torch.load(ckpt_path)
        optimizer.load_state_dict(checkpoint["opt"])  ->     optimizer_state = checkpoint["opt"]
                                                         ...
                                                         def on_fit_start(self):
                                                             if optimizer_state is not None:
                                                                 self.trainer.optimizers[0].load_state_dict(optimizer_state)

configure_optimizers now builds the optimizer, so the name is gone beside the loop. The state the script read is
kept where it read it and loaded into the objects Lightning steps once they exist: on_fit_start runs after
configure_optimizers and before the first step, the order of the script (built, loaded, trained). The optimizer is
the Trainer's own (`self.trainer.optimizers[i]`): `self.optimizers()` is a LightningOptimizer, on which
`load_state_dict` would set the wrapper's copy of the state, not the optimizer's.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import children
from converter.convert import site
from converter.convert.edits import parse_statements, site_statements
from converter.convert.hook import Hook
from converter.convert.plan import free_name
from converter.convert.rules import schedulers
from converter.names import code, loads

CODES = {"T2L152": "an optimizer's or scheduler's state loaded before training (resume code) -> on_fit_start"}


def keep(conv) -> tuple[set[int], Hook | None]:
    """Rewrite each `NAME.load_state_dict(state)` before the loop, NAME built in configure_optimizers, into
    `NAME_state = state`; return the ids of those statements and the on_fit_start hook that loads them."""
    plan = conv.plan
    found: list[tuple[str, str, bool]] = []  # (object, variable, loaded under a condition)
    handled: set[int] = set()
    conditional: dict[int, tuple[cst.CSTNode, list[str]]] = {}  # statement -> the variables it loads under a condition
    for top in site_statements(plan):
        if plan.line(top) >= plan.line(plan.site) or isinstance(top, (cst.FunctionDef, cst.ClassDef)):
            continue
        for line, name, state in _state_loads(top, conv.configured):
            variable = free_name(f"{name}_state", plan.bound[1] | {v for _, v, _ in found})
            conv.replace[id(line)] = parse_statements(f"{variable} = {code(state)}\n")[0].with_changes(
                leading_lines=line.leading_lines)  # fmt: skip
            conv.report.add("T2L152", plan.line(line), f"`{name}.load_state_dict(...)` before training: the state is "
                            f"kept in `{variable}` and loaded in on_fit_start into the {name} configure_optimizers builds")  # fmt: skip
            found.append((name, variable, line is not top))
            handled.add(id(line))
            if line is not top:
                conditional.setdefault(id(top), (top, []))[1].append(variable)
    for top, variables in conditional.values():
        _declare_before(conv, top, variables)
    if not found:
        return handled, None
    body = "".join(_loading(conv, name, variable, under_if) for name, variable, under_if in found)
    # bound at the site: a global there, else handed to __init__ (the site's scope bound no such name before)
    local = {} if isinstance(plan.site_scope, cst.Module) else {v: cst.Name(v) for _, v, _ in found}
    return handled, Hook("on_fit_start", [], parse_statements(body), plan.site_scope, local)


def _state_loads(top: cst.CSTNode, configured: set[str]):
    """(statement line, object name, state expression) for each `name.load_state_dict(state)` line in `top`,
    outside loops and definitions (a load each pass, or one that runs when called, is not resume code)."""
    stack = [top]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.SimpleStatementLine):
            if len(node.body) == 1 and isinstance(expr := node.body[0], cst.Expr) and (found := _load(expr.value, configured)):
                yield node, *found
            continue
        stack.extend(reversed(children(node)))


def _load(call: cst.BaseExpression, configured: set[str]) -> tuple[str, cst.BaseExpression] | None:
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "load_state_dict"):
        return None
    owner = call.func.value
    if isinstance(owner, cst.Name) and owner.value in configured and len(call.args) == 1 and not call.args[0].keyword:
        state = call.args[0].value
        return None if loads(state) & configured else (owner.value, state)  # `optimizer.state_dict()` is gone too
    return None


def _declare_before(conv, top: cst.CSTNode, variables: list[str]) -> None:
    """`variable = None` above the statement that loads them under a condition (the comments above it stay above)."""

    def around(kept: list) -> list:
        declared = parse_statements("".join(f"{variable} = None\n" for variable in variables))
        declared[0] = declared[0].with_changes(leading_lines=kept[0].leading_lines)
        return [*declared, kept[0].with_changes(leading_lines=[]), *kept[1:]]

    site.insert(conv, top, around)


def _loading(conv, name: str, variable: str, conditional: bool) -> str:
    if name in conv.stepped:
        target = f"self.trainer.optimizers[{conv.stepped.index(name)}]"
    else:
        target = code(schedulers.seen_from_hooks(conv, name))
    load = f"{target}.load_state_dict({variable})\n"
    return f"if {variable} is not None:\n    {load}" if conditional else load

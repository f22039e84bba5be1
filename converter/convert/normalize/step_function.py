"""A step function called once per batch (T2L133) is inlined into its batch loop, then the loop converts as usual.

    def train_step(model, x, y, optimizer):      for x, y in loader:
        optimizer.zero_grad()                        optimizer.zero_grad()
        loss = criterion(model(x), y)       ->       loss = criterion(model(x), y)
        loss.backward()                              loss.backward()
        optimizer.step()                             optimizer.step()
        return loss.item()                           epoch_loss += loss.item()
    for x, y in loader:
        epoch_loss += train_step(model, x, y, optimizer)

Inlining a function that is called in one place, with its parameters renamed to the names the call passes, runs
the same statements in the same order: the converted script stays bitwise equal. Like the manual-SGD rewrite,
this works on the source text before planning, and maps every line back to the input (an inlined statement to
its line in the function). It applies only when that is sure: a module-level function without decorators,
`*args`/`**kwargs`, `yield`, `global` or early `return`, called once, from a statement inside a loop, with each
parameter given a name, an attribute or a literal, and no renamed parameter assigned in the body. Otherwise the
T2L908 TODO stands.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import Index, walk
from converter.convert import inline
from converter.convert.inline import ATOMIC, Inlined, statement_lines
from converter.convert.normalize import Normalized, Text
from converter.convert.plan import bind
from converter.convert.rules.full_batch import NOT_A_LOOP
from converter.names import bound_names, rename

CODES = {"T2L133": "a step function called once per batch -> inlined into its batch loop, then converted"}
RUNS_ON = {NOT_A_LOOP}  # no loop around the backward: it may be in a function a loop calls

def normalize(text: Text) -> Normalized | None:
    """The script with its per-batch step function inlined; None (the T2L908 TODO stands) when that is not sure."""
    inlined = _inlined(text.source, text.module, text.index)
    if inlined is None:
        return None
    message = f"`{inlined.function}(...)`, called once per batch, inlined into its loop"
    return Normalized(inlined.source, inlined.original_line, "T2L133", inlined.call_line, message)


def _inlined(source: str, module: cst.Module, index: Index) -> Inlined | None:
    functions = {n.name.value: n for n in module.body if isinstance(n, cst.FunctionDef) and _trains(n) and not n.decorators}
    calls = [n for n in index.of_kind(cst.Call) if isinstance(n.func, cst.Name)]
    for name, function in functions.items():
        sites = [c for c in calls if c.func.value == name]  # type: ignore[union-attr]
        if any(index.contains(function, c) for c in sites):
            continue
        # the one call that is a statement in a loop; other calls (an evaluation without the optimizer,
        # `loss_batch(model, xb, yb)`) keep calling the definition, which then stays
        steps = [(c, st) for c in sites if (st := _statement(c, index)) is not None and _in_loop(st, index)]
        if len(steps) != 1:
            continue
        call, statement = steps[0]
        inlinable = inline.body(function)
        bound = _renames(function, call, _names_outside(function, index))
        if inlinable is None or bound is None:
            continue
        renames, computed = bound
        statements, result = inlinable
        taken = {n.value for n in index.of_kind(cst.Name)}
        for local in _clashing_locals(function, statement, call, result, set(inline.param_names(function))):
            renames[local] = cst.Name(_fresh(f"{name}_{local}", taken))
        last = inline.final(statement, call, result, renames)
        if last is False:
            continue
        return _splice(source, module, index, statement, statements, renames, last, function, computed,
                       keep=len(sites) > 1)
    return None


def _names_outside(function: cst.FunctionDef, index: Index) -> set[str]:
    return {n.value for n in index.of_kind(cst.Name) if not index.contains(function, n)}


def _trains(function: cst.FunctionDef) -> bool:
    return any(isinstance(n, cst.Attribute) and n.attr.value == "backward" for n in walk(function.body))


def _statement(call: cst.Call, index: Index) -> cst.SimpleStatementLine | None:
    """The one-statement line holding the call, when the call is not inside a lambda or comprehension."""
    node = index.parent(call)
    while node is not None and not isinstance(node, cst.SimpleStatementLine):
        if isinstance(node, (cst.Lambda, cst.BaseComp, cst.BaseCompoundStatement)):
            return None
        node = index.parent(node)
    return node if node is not None and len(node.body) == 1 else None


def _in_loop(statement: cst.CSTNode, index: Index) -> bool:
    node = index.parent(statement)
    while node is not None and not isinstance(node, (cst.FunctionDef, cst.Module)):
        if isinstance(node, (cst.For, cst.While)):
            return True
        node = index.parent(node)
    return False


def _renames(function: cst.FunctionDef, call: cst.Call,
             outside: set[str]) -> tuple[dict[str, cst.BaseExpression], list[cst.SimpleStatementLine]] | None:
    """Parameter -> what replaces it, and the assignments that bind computed arguments first.

    A name, attribute or literal the call passes replaces the parameter. A computed argument (`srcs[0]`,
    `random_batch()`) is assigned to the parameter's own name before the body, in the call's order, as the call
    evaluated it; `f(*batch())` alone, for a function whose parameters all come from it, becomes
    `a, b = batch()`. A parameter's name that the rest of the file uses gets a fresh one. None when a parameter is
    unbound, a default is not atomic, or a parameter given a caller's name is assigned in the body (a rename would
    then change the caller's variable)."""
    params = inline.param_names(function)
    fresh = {p: _fresh(f"{function.name.value}_{p}", outside) if p in outside else p for p in params}
    computed: list[cst.SimpleStatementLine] = []
    if any(a.star for a in call.args):
        (only,) = call.args if len(call.args) == 1 else (None,)
        plain = function.params.params
        if only is None or only.star != "*" or function.params.posonly_params or function.params.kwonly_params or any(
                p.default is not None for p in plain):  # fmt: skip
            return None
        targets = [cst.Element(cst.Name(fresh[p])) for p in params]
        computed.append(_assignment(cst.Tuple(targets, lpar=[], rpar=[]), only.value))
        binding: dict[str, cst.BaseExpression] = {p: cst.Name(fresh[p]) for p in params}
    else:
        binding = bind(function, call)
        if set(params) - set(binding):
            return None
        passed = [a.value for a in call.args]
        for value in passed:  # in the call's order
            param = next(p for p in params if binding.get(p) is value)
            if not isinstance(value, ATOMIC):
                computed.append(_assignment(cst.Name(fresh[param]), value))
                binding[param] = cst.Name(fresh[param])
        if not all(isinstance(binding[p], ATOMIC) for p in params):
            return None  # a computed default: evaluated once, at the definition
    own = {fresh[p] for p in params}
    assigned = inline.assigned(function)
    callers = {e.value for e in binding.values() if isinstance(e, cst.Name)} - own
    if any(p in assigned and not (isinstance(binding[p], cst.Name) and binding[p].value in (p, fresh[p]))
           for p in params):  # fmt: skip
        return None
    locals_clash = (assigned - set(params)) & (callers - set(params))
    if locals_clash:  # a local of the function has the name a parameter is renamed to
        return None
    renames = {p: binding[p] for p in params if not (isinstance(binding[p], cst.Name) and binding[p].value == p)}
    return renames, computed


def _fresh(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    return name


def _assignment(target: cst.BaseAssignTargetExpression, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], value)])


def _clashing_locals(function, statement, call, result, params: set[str]) -> set[str]:
    """Locals of the function that the call's statement rebinds to another value (`output, loss = step(...)`
    returning `output, loss.item()`): inlined as they are, the caller's `loss` would overwrite the tensor the body
    called backward() on. They get fresh names, as they were apart in the function."""
    small = statement.body[0]
    if isinstance(small, cst.Assign) and small.value is call:
        targets = [t.target for t in small.targets]
    elif isinstance(small, cst.AugAssign):
        targets = [small.target]
    else:
        return set()
    written = set().union(*(bound_names(t) for t in targets))
    same: set[str] = set()
    if len(targets) == 1 and isinstance(targets[0], cst.Tuple) and isinstance(result, cst.Tuple):
        pairs = zip(targets[0].elements, result.elements)
        same = {t.value.value for t, e in pairs if isinstance(t.value, cst.Name) and e.value.deep_equals(t.value)}
    elif len(targets) == 1 and result is not None and result.deep_equals(targets[0]):
        same = written
    local = inline.assigned(function) - params
    return (written & local) - same


def _splice(source, module, index, statement, statements, renames, last, function, computed, keep: bool) -> Inlined:
    """The source with the call's statement replaced by the `computed` arguments' assignments and the renamed
    body, the function's definition removed (unless other calls `keep` it), and the map from the new lines to the
    input's (an argument's assignment to the call's line)."""
    start, end = statement_lines(module, index, statement)
    line = source.splitlines()[start - 1]
    indent = line[: len(line) - len(line.lstrip())]
    new = [rendered for assignment in computed for rendered in inline.rendered(module, assignment, start, indent)]
    for original in statements:  # comments above a statement come along, on their own lines
        first = statement_lines(module, index, original)[0] - len(original.leading_lines)
        new += inline.rendered(module, rename(original, renames), first, indent)
    if last is not None:
        new += inline.rendered(module, last.with_changes(leading_lines=[]), start, indent)
    if not new:
        new = [(indent + "pass\n", start)]
    first, last_of_function = statement_lines(module, index, function)
    removed = [] if keep else [(first - len(function.leading_lines), last_of_function, [])]
    text, original_line = inline.splice(source, [(start, end, new), *removed])
    return Inlined(text, original_line, start, function.name.value)

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

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from converter.analysis import Index, walk
from converter.convert.plan import bind
from converter.names import bound_names, is_docstring
from converter.report import Report, same_line

CODES = {"T2L133": "a step function called once per batch -> inlined into its batch loop, then converted"}
ATOMIC = (cst.Name, cst.Attribute, cst.Integer, cst.Float, cst.SimpleString)


@dataclass
class Inlined:
    source: str
    original_line: Callable[[int], int]  # a line of `source` -> the line of the input it came from
    call_line: int
    function: str


def converted(source: str, path: str, convert, input_line=same_line) -> tuple[str, Report] | None:
    """Convert `source` with its per-batch step function inlined (`convert` as in Report.converted_rewrite), every
    report line mapped back to the input; None (the T2L908 TODO stands) when inlining does not apply."""
    inlined = inline(source)
    if inlined is None:
        return None
    report = Report(path, input_line=input_line)  # `source` may itself be a rewrite of the input
    message = f"`{inlined.function}(...)`, called once per batch, inlined into its loop"
    return report.converted_rewrite(inlined.source, inlined.original_line, convert, "T2L133", inlined.call_line, message)


def inline(source: str) -> Inlined | None:
    module = cst.parse_module(source)
    index = Index(module, source)  # one walk for parents and nodes; lines from Python's ast (MetadataWrapper: ~3x)
    functions = {n.name.value: n for n in module.body if isinstance(n, cst.FunctionDef) and _trains(n) and not n.decorators}
    calls = [n for n in index.of_kind(cst.Call) if isinstance(n.func, cst.Name)]
    for name, function in functions.items():
        sites = [c for c in calls if c.func.value == name]  # type: ignore[union-attr]
        if len(sites) != 1 or index.contains(function, sites[0]):
            continue
        call = sites[0]
        statement = _statement(call, index)
        if statement is None or not _in_loop(statement, index):
            continue
        body = _body(function)
        renames = _renames(function, call)
        if body is None or renames is None:
            continue
        statements, result = body
        taken = {n.value for n in index.of_kind(cst.Name)}
        for local in _clashing_locals(function, statement, call, result, set(_params(function))):
            fresh = f"{name}_{local}"
            while fresh in taken:
                fresh += "_"
            renames[local] = cst.Name(fresh)
        last = _final(statement, call, result, renames)
        if last is False:
            continue
        return _splice(source, module, index, statement, statements, renames, last, function)
    return None


def _lines(module: cst.Module, index: Index, node: cst.CSTNode) -> tuple[int, int]:
    """A statement's (or function's) first and last line, its leading comments and blank lines left out."""
    first = index.line(node)
    return first, first + module.code_for_node(node.with_changes(leading_lines=[])).rstrip("\n").count("\n")


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


def _body(function: cst.FunctionDef) -> tuple[list[cst.BaseStatement], cst.BaseExpression | None] | None:
    """The statements to inline and the returned expression; None for a shape inlining could change."""
    params = function.params
    if function.decorators or isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return None
    if not isinstance(function.body, cst.IndentedBlock):
        return None
    statements = list(function.body.body)
    if statements and is_docstring(statements[0]):
        statements = statements[1:]
    result = None
    if statements and isinstance(statements[-1], cst.SimpleStatementLine) and isinstance(statements[-1].body[0], cst.Return):
        result = statements[-1].body[0].value
        statements = statements[:-1]
    nested = [n for s in statements for n in walk(s)]
    if any(isinstance(n, (cst.Return, cst.Yield, cst.Global, cst.Nonlocal, cst.FunctionDef, cst.ClassDef)) for n in nested):
        return None
    return statements, result


def _renames(function: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    """Parameter -> what replaces it (the call's name, attribute or literal); None when a parameter is unbound,
    given an expression that is not atomic, or assigned in the body (a rename would then change a caller's name)."""
    if any(a.star for a in call.args):
        return None
    params = _params(function)
    binding = bind(function, call)
    if set(params) - set(binding) or not all(isinstance(binding[p], ATOMIC) for p in params):
        return None
    assigned = _assigned(function)
    callers = {e.value for e in binding.values() if isinstance(e, cst.Name)}
    if any(p in assigned and not (isinstance(binding[p], cst.Name) and binding[p].value == p) for p in params):
        return None
    locals_clash = (assigned - set(params)) & (callers - set(params))
    if locals_clash:  # a local of the function has the name a parameter is renamed to
        return None
    return {p: binding[p] for p in params if not (isinstance(binding[p], cst.Name) and binding[p].value == p)}


def _params(function: cst.FunctionDef) -> list[str]:
    params = function.params
    return [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]


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
    local = _assigned(function) - params
    return (written & local) - same


def _assigned(function: cst.FunctionDef) -> set[str]:
    """Every name the body binds: assignment, loop, comprehension, `with ... as` and walrus targets."""
    targets: list[cst.CSTNode] = []
    for node in walk(function.body):
        if isinstance(node, cst.Assign):
            targets += [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            targets.append(node.target)
        elif isinstance(node, cst.AsName):
            targets.append(node.name)
    return set().union(*(bound_names(t) for t in targets)) if targets else set()


def _final(statement: cst.SimpleStatementLine, call: cst.Call, result, renames) -> cst.SimpleStatementLine | None | bool:
    """The call's statement with the call replaced by the returned expression; None when it is a bare call of a
    function whose value nobody reads; False when the statement reads a value the function does not return."""
    small = statement.body[0]
    if isinstance(small, cst.Expr) and small.value is call:
        return None
    if result is None:
        return False
    value = _renamed(result, renames)
    if isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1 and value.deep_equals(
            small.targets[0].target):
        return None  # `loss = step(...)` returning `loss`: the inlined body already assigned it
    if not isinstance(value, ATOMIC + (cst.Call, cst.Subscript)):
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return statement.deep_replace(call, value)  # type: ignore[return-value]


class _Rename(cst.CSTTransformer):
    """Parameter names -> the call's expressions; attribute names and keyword names stay."""

    def __init__(self, renames: dict[str, cst.BaseExpression]) -> None:
        self.renames = renames

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self.renames.get(original.value, updated)


def _renamed(node, renames):
    return node.visit(_Rename(renames)) if renames else node


def _splice(source, module, index, statement, statements, renames, last, function) -> Inlined:
    """The source with the call's statement replaced by the renamed body and the function's definition removed
    (nothing else calls it), and the map from the new lines to the input's."""
    lines = source.splitlines(keepends=True)
    start, end = _lines(module, index, statement)
    indent = lines[start - 1][: len(lines[start - 1]) - len(lines[start - 1].lstrip())]
    new: list[str] = []
    origin: list[int] = []
    for original in statements:  # comments above a statement come along, on their own lines
        text = module.code_for_node(_renamed(original, renames))
        first = _lines(module, index, original)[0] - len(original.leading_lines)
        for offset, line in enumerate(text.splitlines()):
            new.append(indent + line + "\n" if line.strip() else "\n")
            origin.append(first + offset)
    if last is not None:
        for offset, line in enumerate(module.code_for_node(last.with_changes(leading_lines=[])).splitlines()):
            new.append(indent + line + "\n")
            origin.append(start + offset)
    if not new:
        new, origin = [indent + "pass\n"], [start]
    edits = [(start, end, new, origin)]
    first, last_of_function = _lines(module, index, function)
    definition = first - len(function.leading_lines), last_of_function
    edits.append((*definition, [], []))
    text: list[str] = []
    mapping: list[int] = []
    line = 1
    for first, last_line, replacement, origins in sorted(edits):
        text += lines[line - 1 : first - 1]
        mapping += range(line, first)
        text += replacement
        mapping += origins
        line = last_line + 1
    text += lines[line - 1 :]
    mapping += range(line, len(lines) + 1)

    def original_line(number: int) -> int:
        return mapping[number - 1] if 0 < number <= len(mapping) else number

    return Inlined("".join(text), original_line, start, function.name.value)

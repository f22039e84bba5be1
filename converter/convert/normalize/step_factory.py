"""A step function made by a factory (T2L170) -> the step function itself, defined where the factory was called;
step_function (T2L133) then inlines it into its batch loop.

    def make_train_step(model, loss_fn, optimizer):
        def train_step(x, y):                       def train_step(x, y):
            loss = loss_fn(y, model(x))                 loss = loss_fn(y, model(x))
            ...                             ->          ...
            return loss.item()                          return loss.item()
        return train_step
    ...
    train_step = make_train_step(model, loss_fn, optimizer)

The shape of a much-read "understanding PyTorch with an example" post: the closure reads the factory's parameters,
which the one call binds to the script's objects of the same names. Defined in the call's place, the function
reads those objects themselves: the same statements on the same objects, bitwise equal. Only when that is sure: a
factory without decorators whose body is one inner function (no decorators) and `return` of it, called once, as
`name = factory(a, b, c)` with each argument the name of the parameter it binds, none of those names bound again
after the call, the factory named nowhere else and the inner function not calling itself. Otherwise the T2L908 decline
stands.
"""

from __future__ import annotations

import ast

from converter.convert.normalize import Normalized, Text, docstring, line_edits, python_tree
from converter.convert.rules.full_batch import NOT_A_LOOP

CODES = {"T2L170": "a step function made by a factory (`train_step = make_train_step(model, loss_fn, optimizer)`) -> "
                   "the function itself where the factory was called, then inlined"}
RUNS_ON = {NOT_A_LOOP}  # the loop calls a function this route cannot see into: it may be a factory's closure


def normalize(text: Text) -> Normalized | None:
    source = text.source
    if "\n    def " not in source or "\n    return " not in source:
        return None
    tree = python_tree(source)
    if tree is None:
        return None
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    lines = source.splitlines(keepends=True)
    edits: dict[int, list[str]] = {}
    made = []
    for factory in (s for s in tree.body if isinstance(s, ast.FunctionDef)):
        inner = _inner(factory)
        call = _the_call(tree, factory, names) if inner else None
        if inner is None or call is None:
            continue
        target = call.targets[0].id  # type: ignore[attr-defined]
        recursive = any(isinstance(n, ast.Name) and n.id == inner.name for n in ast.walk(inner))
        if recursive or _bound_after(tree, call, [p.arg for p in factory.args.args]):
            continue
        indent = lines[call.lineno - 1][: call.col_offset]
        depth = inner.col_offset - factory.col_offset
        body = [_dedented(line, depth, indent) for line in lines[inner.lineno - 1 : inner.end_lineno]]
        body[0] = body[0].replace(f"def {inner.name}(", f"def {target}(", 1)
        edits[call.lineno] = body
        end = factory.end_lineno or factory.lineno
        while end < len(lines) and not lines[end].strip():  # the blank lines after the factory go with it
            end += 1
        for line in range(factory.lineno, end + 1):
            edits[line] = []
        made.append((call.lineno, target, factory.name))
    if not made:
        return None
    rewritten, original_line = line_edits(lines, edits)
    line, target, factory_name = min(made)
    return Normalized(rewritten, original_line, "T2L170", line,
                      f"`{target} = {factory_name}(...)` makes a step function: defined there as `def {target}(...)`, "
                      "then inlined into its loop")  # fmt: skip


def _inner(factory: ast.FunctionDef) -> ast.FunctionDef | None:
    """The one function the factory defines and returns (after an optional docstring), with plain parameters."""
    body = factory.body[1:] if factory.body and docstring(factory.body[0]) else factory.body
    arguments = factory.args
    if factory.decorator_list or arguments.posonlyargs or arguments.vararg or arguments.kwonlyargs or arguments.kwarg:
        return None
    if arguments.defaults or len(body) != 2 or not isinstance(body[0], ast.FunctionDef) or body[0].decorator_list:
        return None
    returned = body[1]
    if not (isinstance(returned, ast.Return) and isinstance(returned.value, ast.Name) and returned.value.id == body[0].name):
        return None
    return body[0]


def _the_call(tree: ast.Module, factory: ast.FunctionDef, names: list[ast.Name]) -> ast.Assign | None:
    """`name = factory(a, b, c)`, each argument the name of its parameter, the factory named nowhere else."""
    if sum(n.id == factory.name for n in names) != 1:
        return None
    parameters = [p.arg for p in factory.args.args]
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                and node.value.func.id == factory.name and not node.value.keywords
                and [a.id if isinstance(a, ast.Name) else None for a in node.value.args] == parameters
                and node.lineno == node.end_lineno):  # fmt: skip
            return node
    return None


def _bound_after(tree: ast.Module, call: ast.Assign, parameters: list[str]) -> bool:
    """A parameter's name bound again after the call (the closure kept the object the call passed) or the step
    function's name bound twice."""
    target = call.targets[0].id  # type: ignore[attr-defined]
    stores = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    return any(n.id in parameters and n.lineno > call.lineno for n in stores) or sum(n.id == target for n in stores) > 1


def _dedented(line: str, depth: int, indent: str) -> str:
    if not line.strip():
        return line
    return indent + (line[depth:] if line[:depth].strip() == "" else line.lstrip())


"""Inlining on the source text, shared by the normalizers that flatten code before planning (step_function,
trainer_class): a function's body in place of its call, its parameters replaced by the call's arguments, and a
map from every line of the new text back to the line of the input it came from, so that report lines still point
into the file the user wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from converter.analysis import Index, walk
from converter.names import bound_names, is_docstring, rename, targets_of

ATOMIC = (cst.Name, cst.Attribute, cst.Integer, cst.Float, cst.SimpleString)
Lines = list[tuple[str, int]]  # (a line of new text, with its newline; the input line it came from)
Edit = tuple[int, int, Lines]  # replace the input's lines first..last (1-based, inclusive) by these


@dataclass
class Inlined:
    source: str
    original_line: Callable[[int], int]  # a line of `source` -> the line of the input it came from
    call_line: int
    function: str


def statement_lines(module: cst.Module, index: Index, node: cst.CSTNode) -> tuple[int, int]:
    """A statement's (or function's) first and last line, its leading comments and blank lines left out."""
    first = index.line(node)
    return first, first + module.code_for_node(node.with_changes(leading_lines=[])).rstrip("\n").count("\n")


def body(function: cst.FunctionDef) -> tuple[list[cst.BaseStatement], cst.BaseExpression | None] | None:
    """The statements to inline and the returned expression; None for a shape inlining could change (decorators,
    `*args`/`**kwargs`, a return before the end, `yield`, `global`, nested definitions)."""
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


def param_names(function: cst.FunctionDef) -> list[str]:
    params = function.params
    return [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]


def assigned(function: cst.FunctionDef) -> set[str]:
    """Every name the body binds: assignment, loop, comprehension, `with ... as` and walrus targets."""
    targets: list[cst.CSTNode] = []
    for node in walk(function.body):
        if isinstance(node, (cst.CompFor, cst.NamedExpr)):
            targets.append(node.target)
        elif isinstance(node, cst.AsName):
            targets.append(node.name)
        else:
            targets += targets_of(node)
    return set().union(*(bound_names(t) for t in targets)) if targets else set()


def final(statement: cst.SimpleStatementLine, call: cst.Call, result, renames) -> cst.SimpleStatementLine | None | bool:
    """The call's statement with the call replaced by the returned expression (renamed as the body is); None when
    it is a bare call of a function whose value nobody reads; False when the statement reads a value the
    function does not return."""
    small = statement.body[0]
    if isinstance(small, cst.Expr) and small.value is call:
        return None
    if result is None:
        return False
    value = rename(result, renames)
    if isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1 and value.deep_equals(
            small.targets[0].target):
        return None  # `loss = step(...)` returning `loss`: the inlined body already assigned it
    if not isinstance(value, ATOMIC + (cst.Call, cst.Subscript)):
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return statement.deep_replace(call, value)  # type: ignore[return-value]


def rendered(module: cst.Module, node: cst.CSTNode, first_line: int, indent: str) -> Lines:
    """A statement's text (as it is, or renamed: a rename keeps the line count) indented to `indent`, each line
    paired with its input line counted from `first_line` (the line of its first leading comment, if any)."""
    return [(indent + line + "\n" if line.strip() else "\n", first_line + offset)
            for offset, line in enumerate(module.code_for_node(node).splitlines())]  # fmt: skip


def splice(source: str, edits: list[Edit]) -> tuple[str, Callable[[int], int]]:
    """The source with each edit's lines replaced, and the map from the new text's lines to the input's."""
    lines = source.splitlines(keepends=True)
    text: list[str] = []
    mapping: list[int] = []
    line = 1
    for first, last, replacement in sorted(edits, key=lambda e: e[:2]):
        text += lines[line - 1 : first - 1]
        mapping += range(line, first)
        text += [t for t, _ in replacement]
        mapping += [o for _, o in replacement]
        line = last + 1
    text += lines[line - 1 :]
    mapping += range(line, len(lines) + 1)

    def original_line(number: int) -> int:
        return mapping[number - 1] if 0 < number <= len(mapping) else number

    return "".join(text), original_line

"""A step loop counted by hand (T2L137) becomes a `for` over a range, then converts like one (T2L130).

    iter_num = 0                                 iter_num = 0
    while True:                                  for iter_num in range(max_iters + 1):
        xb, yb = get_batch("train")      ->          xb, yb = get_batch("train")
        ...                                          ...
        iter_num += 1
        if iter_num > max_iters:
            break

The loop body runs for the same counter values in the same order, so the converted script stays bitwise equal
(nanoGPT's and makemore's shape). Also `while it < max_iters: ...; it += 1`, and the check first in the body
(`if it >= n: break` before the work). It applies only when that is sure: one `+= 1` as the loop's last
statement (or beside its check), no other assignment to the counter or to the bound in the loop, no `continue`
of this loop (it would skip the increment; another `break` ends the `for` where it ended the `while`) and no `else:`, the counter bound before the loop and not read after it (a
range leaves it one short of the `while`'s final value) nor read as a global by a function (the converted
script's counter is training_step's parameter). Otherwise the T2L910 TODO stands.

Like the manual-SGD rewrite, this works on the source text before planning and maps every line back to the input.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from converter.convert.normalize import Normalized, Text, line_edits, python_tree
from converter.convert.normalize.sgd_optimizer import calls_backward

CODES = {"T2L137": "a `while` step loop counted by hand (`it += 1`, `if it > n: break`) -> `for it in range(...)`, then converted"}  # fmt: skip
RUNS_ON = {"T2L910"}  # step_loops declines a `while` it cannot read as a loop over batches


def normalize(text: Text) -> Normalized | None:
    """The script with its counted `while` loop made a `for` over a range; None (the T2L910 TODO stands) when that
    is not sure."""
    rewritten = rewrite(text.source)
    if rewritten is None:
        return None
    message = f"`{rewritten.header}` counted by hand -> `{rewritten.for_header}`; the same counter values, in order"
    return Normalized(rewritten.source, rewritten.original_line, "T2L137", rewritten.line, message)


@dataclass
class Rewritten:
    source: str
    original_line: Callable[[int], int]  # a line of `source` -> the line of the input it came from
    line: int  # the loop's line, in the input
    header: str
    for_header: str


@dataclass
class _Count:
    counter: str
    bound: ast.expr
    last: int  # the last counter value the body runs with is `bound + last`
    removed: list[ast.stmt]  # the increment and the break check


def rewrite(source: str) -> Rewritten | None:
    tree = python_tree(source)
    if tree is None:
        return None
    found = [(loop, count) for loop in ast.walk(tree) if isinstance(loop, ast.While) and calls_backward(loop)
             and (count := _count(loop)) is not None]  # fmt: skip
    if len(found) != 1:
        return None
    loop, count = found[0]
    scope, block = _home(tree, loop)
    start = _start(block, loop, count.counter)
    if start is None or _read_after(scope, loop, count.counter) or _read_as_a_global(tree, count.counter):
        return None
    lines = source.splitlines(keepends=True)
    header = lines[loop.lineno - 1]
    if loop.body[0].lineno == loop.lineno or (loop.test.end_lineno or 0) > loop.lineno or any(";" in lines[n - 1] for s in count.removed
                                                  for n in range(s.lineno, (s.end_lineno or s.lineno) + 1)):  # fmt: skip
        return None  # a header over several lines, a body on its line, or another statement on a removed line
    bound = ast.get_source_segment(source, count.bound) or ast.unparse(count.bound)
    if isinstance(count.bound, ast.Constant) and type(count.bound.value) is int:
        bound = str(count.bound.value + count.last + 1)
    elif count.last != -1:  # range's stop is one past the last value the body runs with
        simple = isinstance(count.bound, (ast.Name, ast.Attribute, ast.Constant))
        bound = f"{bound if simple else f'({bound})'} + {count.last + 1}"
    arguments = bound if start == "0" else f"{count.counter}, {bound}"
    for_header = f"for {count.counter} in range({arguments}):"
    indent = header[: loop.col_offset]
    edits: dict[int, list[str]] = {loop.lineno: [f"{indent}{for_header}\n"]}
    edits |= {n: [] for s in count.removed for n in range(s.lineno, (s.end_lineno or s.lineno) + 1)}
    text, original_line = line_edits(lines, edits)
    return Rewritten(text, original_line, loop.lineno, header.strip().rstrip(":").strip() + ":", for_header)


def _count(loop: ast.While) -> _Count | None:
    """How `loop` counts its steps, when it is one of the shapes this rewrite reads; None otherwise."""
    if loop.orelse or len(loop.body) < 3:
        return None
    body, count = loop.body, None
    if _is_true(loop.test):
        # (the check, the increment, how far past the check's value the body ran)
        shapes = [(body[0], body[-1], -1),  # `if it >= n: break` first, `it += 1` last
                  (body[-1], body[-2], -1),  # `it += 1`, then the check
                  (body[-2], body[-1], 0)]  # the check, then `it += 1`
        for check, increment, past in shapes:
            counter = _increment(increment)
            if counter and (stop := _break_check(check, counter)):
                count = _Count(counter, stop[0], stop[1] + past, [check, increment])
                break
    elif (counter := _increment(body[-1])) and (stop := _less_than(loop.test, counter)):
        count = _Count(counter, stop[0], stop[1] - 1, [body[-1]])
    if count is None:
        return None
    increment = next(s for s in count.removed if isinstance(s, ast.AugAssign))
    bound_names = {n.id for n in ast.walk(count.bound) if isinstance(n, ast.Name)}
    if bindings_in(loop, {count.counter} | bound_names) != [increment]:
        return None  # the counter (or the bound) changes elsewhere in the loop
    if any(s not in count.removed and continues(s) for s in loop_exits(loop)):
        return None  # another `continue` of this loop skips the increment (another `break` ends the `for` alike)
    if any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(loop)):
        return None
    return count


def _is_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and test.value in (True, 1)


def _increment(statement: ast.stmt) -> str | None:
    """`it += 1`: the counter's name."""
    if (isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add) and isinstance(statement.target, ast.Name)
            and isinstance(statement.value, ast.Constant) and statement.value.value == 1):  # fmt: skip
        return statement.target.id
    return None


FLIPPED = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}


def _compare(test: ast.expr, counter: str) -> tuple[ast.expr, type] | None:
    """`counter OP n` or `n OP' counter`: (n, OP) with OP one of <, <=, >, >= as seen from the counter."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in FLIPPED):
        return None
    left, right, op = test.left, test.comparators[0], type(test.ops[0])
    if isinstance(left, ast.Name) and left.id == counter:
        return right, op
    if isinstance(right, ast.Name) and right.id == counter:
        return left, FLIPPED[op]
    return None


def _break_check(statement: ast.stmt, counter: str) -> tuple[ast.expr, int] | None:
    """`if it > n: break` (or `>=`): (n, k), the check breaks once the counter is n + k."""
    if not (isinstance(statement, ast.If) and not statement.orelse and len(statement.body) == 1
            and isinstance(statement.body[0], ast.Break)):  # fmt: skip
        return None
    compared = _compare(statement.test, counter)
    if compared is None or compared[1] not in (ast.Gt, ast.GtE):
        return None
    return compared[0], 1 if compared[1] is ast.Gt else 0


def _less_than(test: ast.expr, counter: str) -> tuple[ast.expr, int] | None:
    """`while it < n` (or `<=`): (n, k), the loop ends once the counter is n + k."""
    compared = _compare(test, counter)
    if compared is None or compared[1] not in (ast.Lt, ast.LtE):
        return None
    return compared[0], 1 if compared[1] is ast.LtE else 0


def bindings_in(loop: ast.While | ast.For, names: set[str]) -> list[ast.stmt]:
    """The statements in `loop` that bind one of `names` (for-loop targets, `with ... as`, walrus included)."""
    found = []
    for node in ast.walk(loop):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.NamedExpr)):
            targets = [node.target]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [node.optional_vars]
        if any(isinstance(n, ast.Name) and n.id in names for t in targets for n in ast.walk(t)):
            found.append(node)
    return found


def continues(statement: ast.stmt) -> bool:
    """A `continue` of the loop around the statement (not of a loop or function inside it)."""
    if isinstance(statement, ast.Continue):
        return True
    if isinstance(statement, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return any(continues(s) for s in getattr(statement, "orelse", []))  # a loop's `else:` is the outer loop's
    return any(continues(child) for child in ast.iter_child_nodes(statement) if isinstance(child, ast.stmt)) or any(
        continues(s) for handler in getattr(statement, "handlers", []) for s in handler.body)  # fmt: skip


def loop_exits(loop: ast.While | ast.For) -> list[ast.stmt]:
    """The statements holding a `break` or `continue` of `loop` itself (not of a loop or function inside it)."""
    found: list[ast.stmt] = []
    _find_exits(loop.body, None, found)
    return found


def _find_exits(statements: list[ast.stmt], top: ast.stmt | None, found: list[ast.stmt]) -> None:
    for statement in statements:
        owner = top or statement
        if isinstance(statement, (ast.Break, ast.Continue)):
            found.append(owner)
        elif isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
            _find_exits(statement.orelse, owner, found)  # a loop's `else:` belongs to the loop around it
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(statement, field, []):
                    _find_exits(getattr(child, "body", []) if isinstance(child, (ast.ExceptHandler, ast.match_case))
                                else [child], owner, found)  # fmt: skip


def _home(tree: ast.Module, loop: ast.While) -> tuple[ast.AST, list[ast.stmt]]:
    """The function (or module) the loop is in, and the block that holds it."""
    scope: ast.AST = tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and loop in ast.walk(node):
            if scope is tree or node.lineno > scope.lineno:  # type: ignore[attr-defined]
                scope = node
    for node in ast.walk(scope):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and loop in block:
                return scope, block
    return scope, []


def _start(block: list[ast.stmt], loop: ast.While, counter: str) -> str | None:
    """"0" when the last binding of the counter before the loop, in its block, is `counter = 0` (alone or in a
    tuple); the counter's name for any other binding there; None when it is not bound there."""
    for statement in reversed(block[: block.index(loop)]):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
            if isinstance(target, ast.Name) and target.id == counter:
                return "0" if isinstance(value, ast.Constant) and value.value == 0 and value.value is not False else counter
            if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
                for name, item in zip(target.elts, value.elts):
                    if isinstance(name, ast.Name) and name.id == counter:
                        return "0" if isinstance(item, ast.Constant) and item.value == 0 and item.value is not False else counter
        if _binds(statement, counter):
            return None  # bound some other way (a for loop, a with): not a plain start value
    return None


def _binds(statement: ast.stmt, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) for n in ast.walk(statement))


def _read_as_a_global(tree: ast.Module, counter: str) -> bool:
    """A function that reads the counter without binding it (`def log(): print(iter_num)`): in the converted
    script the counter is training_step's parameter, and that global would stay at its value before the loop."""
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = function.args
            bound = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
            names = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == counter]
            if counter not in bound and names and not any(isinstance(n.ctx, ast.Store) for n in names):
                return True
    return False


def _read_after(scope: ast.AST, loop: ast.While, counter: str) -> bool:
    end = loop.end_lineno or loop.lineno
    return any(isinstance(n, ast.Name) and n.id == counter and isinstance(n.ctx, ast.Load) and n.lineno > end
               for n in ast.walk(scope))  # fmt: skip

"""A helper that only zeroes the script's optimizers, called in the loop -> its calls, written out (T2L167).

    def reset_grad():                            d_loss.backward()  (the helper's lines at each call:)
        d_optimizer.zero_grad()          ->      ...
        g_optimizer.zero_grad()                  d_optimizer.zero_grad()
    ...                                          g_optimizer.zero_grad()
        reset_grad()                             d_loss.backward()
        d_loss.backward()

yunjey's pytorch-tutorial GAN zeroes both optimizers through `reset_grad()`. Left as a call, the zero_grad calls run
inside a module-level function that reads the optimizers as globals, which configure_optimizers now builds: a
NameError after the conversion (T2L925). Written out at each call, they are zero_grad calls the rules map (removed
under automatic optimization, kept in the user's order under manual). Only a function without parameters whose
body is nothing but `<name>.zero_grad(...)` lines, each call of it a statement of its own line, and no other use of
its name; the `def` goes with its last call.
"""

from __future__ import annotations

import ast

from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text, docstring, line_edits, python_tree

CODES = {"T2L167": "a helper that only zeroes the optimizers (`reset_grad()`) -> its zero_grad calls at each call"}
RUNS_ON = BEFORE_PLANNING


def normalize(text: Text) -> Normalized | None:
    source = text.source
    if ".zero_grad(" not in source or "\ndef " not in source:
        return None
    tree = python_tree(source)
    if tree is None:
        return None
    helpers = {f.name: f for f in tree.body if _only_zeroes(f)}
    if not helpers:
        return None
    uses = {name: [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name] for name in helpers}
    calls = {name: [s for s in ast.walk(tree) if _calls_alone(s, name)] for name in helpers}
    written_out = {name: f for name, f in helpers.items() if calls[name] and len(calls[name]) == len(uses[name])}
    if not written_out:
        return None
    lines = source.splitlines(keepends=True)
    edits: dict[int, list[str]] = {}  # 1-based input line -> its replacement lines
    for name, function in written_out.items():
        body = [lines[s.lineno - 1].strip() for s in function.body if not docstring(s)]
        for call in calls[name]:
            indent = lines[call.lineno - 1][: call.col_offset]
            edits[call.lineno] = [f"{indent}{statement}\n" for statement in body]
        start = min([function.lineno, *(d.lineno for d in function.decorator_list)])
        end = function.end_lineno or function.lineno
        while end < len(lines) and not lines[end].strip():  # the blank lines after the def go with it
            end += 1
        for line in range(start, end + 1):
            edits[line] = []
    rewritten, original_line = line_edits(lines, edits)
    first = min(c.lineno for name in written_out for c in calls[name])
    names = ", ".join(f"`{n}()`" for n in sorted(written_out))
    return Normalized(rewritten, original_line, "T2L167", first,
                      f"{names} only zeroes optimizers: its zero_grad calls written out where it was called")


def _only_zeroes(node: ast.stmt) -> bool:
    """`def reset_grad(): d_optimizer.zero_grad(); g_optimizer.zero_grad()`: no parameters, one call per line."""
    if not isinstance(node, ast.FunctionDef) or node.decorator_list or _has_parameters(node.args):
        return False
    body = [s for s in node.body if not docstring(s)]
    return bool(body) and all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute)
        and s.value.func.attr == "zero_grad" and isinstance(s.value.func.value, ast.Name) and s.lineno == s.end_lineno
        for s in body
    )  # fmt: skip


def _has_parameters(arguments: ast.arguments) -> bool:
    return bool(arguments.posonlyargs or arguments.args or arguments.vararg or arguments.kwonlyargs or arguments.kwarg)


def _calls_alone(node: ast.AST, name: str) -> bool:
    """`reset_grad()` as a statement alone on its line."""
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            and node.value.func.id == name and not node.value.args and not node.value.keywords
            and node.lineno == node.end_lineno)  # fmt: skip


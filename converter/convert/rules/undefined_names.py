"""The last check on an output: a name the converted code reads that nothing defines where it runs.

The rules move code between scopes (a loop body into a hook, an argument to the site); a name they miss would
raise NameError, perhaps only on a branch `--verify` never takes (`if args.output_dir:`), perhaps at module level
(`LitModel(..., loss=loss)` with `loss` a variable of the loop). Python's own symbol table finds such names:
read in a scope, bound in none that encloses it, not a builtin, and not already undefined in the input (a name
from `globals()[...]` or `exec`). Each statement reading one is marked T2L925, unless a TODO above it in the
same scope already names it (T2L909 says why `loss` is gone). A safety net: each mark is a rule's gap to close.
"""

from __future__ import annotations

import ast
import builtins
import re
import symtable

from converter.analysis import symbol_table

CODES = {"T2L925": "the converted code reads a name nothing defines where it runs (it would raise NameError): marked"}
_INLINE_SCOPES = {"listcomp", "setcomp", "dictcomp", "genexpr", "lambda"}
_MODULE_NAMES = {"__file__", "__name__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__", "__path__"}


def mark(conv, source: str, output: str) -> str:
    """`output` with a T2L925 TODO above each statement reading a name that nothing defines there."""
    undefined = _undefined(output)
    if not undefined:
        return output
    undefined = {scope: names - _all_names(_undefined(source)) for scope, names in undefined.items()}
    reads = list(_reads(ast.parse(output), undefined))
    if not reads:
        return output
    lines = output.splitlines(keepends=True)
    inserted: dict[int, str] = {}
    for scope, statement, name in reads:
        if _named_in_a_todo_above(lines, scope, statement, name):
            continue
        text = lines[statement.lineno - 1].strip()
        reason = f"`{name}` is read here, and nothing defines it where this runs: it would raise NameError"
        conv.report.add("T2L925", _input_line(conv, text), f"{reason}: `{_short(text)}`")
        comment = f"{' ' * statement.col_offset}# TODO(t2l): T2L925 {reason}\n"
        inserted[statement.lineno - 1] = inserted.get(statement.lineno - 1, "") + comment
    return "".join(inserted.get(i, "") + line for i, line in enumerate(lines))


def _undefined(source: str) -> dict[int, set[str]]:
    """Scope (its first line, 0 for the module) -> the names it reads that no enclosing scope binds; a
    comprehension's or a lambda's count as the function's (or module's) they are written in."""
    try:
        top = symbol_table(source)
    except SyntaxError:
        return {}
    if any(symbol.get_name() == "*" for symbol in top.get_symbols()):
        return {}  # `from x import *`: any name may come from it
    tables: list[tuple[symtable.SymbolTable, int]] = []  # (table, the line of the scope its reads count for)
    stack: list[tuple[symtable.SymbolTable, int]] = [(top, 0)]
    while stack:
        table, owner = stack.pop()
        tables.append((table, owner))
        for child in table.get_children():
            inline = child.get_type() == "function" and child.get_name() in _INLINE_SCOPES
            stack.append((child, owner if inline else child.get_lineno()))
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()}
    bound |= {s.get_name() for t, _ in tables if t.get_type() == "function"
              for s in t.get_symbols() if s.is_declared_global() and s.is_assigned()}  # fmt: skip
    found: dict[int, set[str]] = {}
    for table, owner in tables:
        if table.get_type() == "class":
            continue  # a class body's reads are its module's or its own
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if table is top:
                free = not (symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace())
            else:
                free = symbol.is_global() and not symbol.is_declared_global()
            if symbol.is_referenced() and free and name not in bound and name not in _MODULE_NAMES and not hasattr(builtins, name):
                found.setdefault(owner, set()).add(name)
    return found


def _all_names(undefined: dict[int, set[str]]) -> set[str]:
    return set().union(*undefined.values()) if undefined else set()


def _reads(tree: ast.Module, undefined: dict[int, set[str]]):
    """(scope, innermost statement, name) for each read of an undefined name, scope by scope."""
    scopes: list[tuple[int, ast.AST]] = [(0, tree)]
    scopes += [(node.lineno, node) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    seen: set[tuple[int, str]] = set()
    for line, scope in scopes:
        names = undefined.get(line) or undefined.get(_decorated_line(scope)) or set()
        if not names:
            continue
        for statement, node in _names_in(scope.body, None):
            if node.id in names and (statement.lineno, node.id) not in seen:
                seen.add((statement.lineno, node.id))
                yield scope, statement, node.id


def _decorated_line(scope: ast.AST) -> int:
    """symtable numbers a decorated function from its first decorator's line."""
    decorators = getattr(scope, "decorator_list", None)
    return decorators[0].lineno if decorators else -1


def _names_in(nodes, statement):
    """(innermost statement, Name node) for the names loaded under `nodes`, not inside nested functions or classes
    (a lambda's or a comprehension's are: symtable counts them for the scope they are written in, as `_undefined`)."""
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield from _names_in([*node.decorator_list, *getattr(node, "bases", [])], node)
            continue
        current = node if isinstance(node, ast.stmt) else statement
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield current, node
        yield from _names_in(ast.iter_child_nodes(node), current)


def _named_in_a_todo_above(lines: list[str], scope: ast.AST, statement: ast.stmt, name: str) -> bool:
    """A TODO(t2l) comment of the statement's own scope, above it, that names `name` (T2L909's `reads `loss``):
    not one inside a function or class the scope holds (a hook's TODO does not explain a module-level read)."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    nested = [(n.lineno, n.end_lineno or n.lineno) for n in ast.walk(scope)
              if n is not scope and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]  # fmt: skip
    for number in range(getattr(scope, "lineno", 1), statement.lineno):
        stripped = lines[number - 1].lstrip()
        if stripped.startswith("# TODO(t2l):") and word.search(stripped) and not any(a <= number <= b for a, b in nested):
            return True
    return False


def _input_line(conv, text: str) -> int:
    """The line of the converted text that reads as this statement does (an unchanged statement), else the loop's."""
    source = (conv.plan.index.source or conv.plan.module.code).splitlines()
    matches = [i + 1 for i, line in enumerate(source) if line.strip() == text]
    return matches[0] if len(matches) == 1 else conv.plan.line(conv.plan.batch_loop)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."

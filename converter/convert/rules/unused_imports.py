"""Imports only the converted code used go with it: `from tqdm import tqdm` once Lightning draws the progress bar,
`import torch.nn.functional as F` once the train function that alone read `F` is a hook that reads it no more.

Read on the output: a top-level import whose name the input read beyond its import lines and the output's code
reads nowhere (mentions in its docstrings and comments aside). Imports the input itself never read (kept for their
side effects) stay.
"""

from __future__ import annotations

import re
from collections import Counter

import libcst as cst

from converter import verbatim
from converter.analysis import symbol_table
from converter.names import import_binding, without_aliases

CODES = {"T2L177": "import removed: only the code the conversion replaced used it"}


def without_them(conv, module: cst.Module) -> str:
    """The code of `module` (the output) without the imports the conversion left unused."""
    output = verbatim.code(module, conv.plan.index)
    source = conv.plan.index.source or conv.plan.module.code
    input_imports, output_imports = _imports(conv.plan.module), _imports(module)
    in_output = _words(output) - _words(_code(output_imports))  # each name's mentions outside the import lines
    in_input = _words(source) - _words(_code(input_imports))
    unused: dict[int, list[str]] = {}
    read: set[str] | None = None  # the names the output's code reads, when a mention may be in a string or comment
    for statement in output_imports:
        names = []
        for name in _bound(statement):
            mentions, before = in_output[name], in_input[name]
            if before == 0 or mentions > before:
                continue  # never read by the input (kept for its side effects), or more mentions than it had
            if mentions and read is None:
                read = _names_read(output)
            if mentions == 0 or name not in read:  # type: ignore[operator]
                names.append(name)
        if names:
            unused[id(statement)] = names
    if not unused:
        return output
    body: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []  # lines above a removed import, but for its own comment, go to the next statement
    for statement in module.body:
        names = unused.get(id(statement))
        if names is None:
            if carried:
                statement = statement.with_changes(leading_lines=[*carried, *statement.leading_lines])
                carried = []
            body.append(statement)
            continue
        conv.report.add("T2L177", _input_line(conv, statement, input_imports), f"{CODES['T2L177']}: {', '.join(f'`{n}`' for n in names)}")
        dropped = [a for a in statement.body[0].names if import_binding(a) in names]  # type: ignore[attr-defined]
        if len(dropped) < len(statement.body[0].names):  # type: ignore[attr-defined]
            body.append(statement.with_changes(body=[without_aliases(statement.body[0], dropped)]))  # type: ignore[arg-type]
        else:
            carried = _above_its_comment(statement.leading_lines)
    return verbatim.code(module.with_changes(body=body), conv.plan.index)


def _above_its_comment(lines) -> list[cst.EmptyLine]:
    """The lines above a statement but for the comment lines right above it (which speak of it)."""
    kept = list(lines)
    while kept and kept[-1].comment is not None:
        kept.pop()
    return kept if any(line.comment is not None for line in kept) else []


def _names_read(output: str) -> set[str]:
    """The names the output's code reads, in any scope (Python's symbol table: no walk of a tree)."""
    try:
        tables = [symbol_table(output)]
    except SyntaxError:  # (check_parses reports it): every name counts as read
        return set(re.findall(r"\w+", output))
    found: set[str] = set()
    while tables:
        table = tables.pop()
        found.update(symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced())
        tables.extend(table.get_children())
    return found


def _imports(module: cst.Module) -> list[cst.SimpleStatementLine]:
    """The module's top-level one-import lines (not `from x import *`, not `__future__`)."""
    found = []
    for statement in module.body:
        if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
            continue
        small = statement.body[0]
        if isinstance(small, cst.Import) or (
            isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar)
            and not (isinstance(small.module, cst.Name) and small.module.value == "__future__")
        ):  # fmt: skip
            found.append(statement)
    return found


def _code(statements: list[cst.SimpleStatementLine]) -> str:
    empty = cst.Module(body=[])
    return "\n".join(empty.code_for_node(s) for s in statements)


def _bound(statement: cst.SimpleStatementLine) -> list[str]:
    return [import_binding(a) for a in statement.body[0].names]  # type: ignore[attr-defined]


_WORD = re.compile(r"(?<![\w.])\w+")  # a whole word, not an attribute (`F` in `F.relu`, not in `nn.F`)


def _words(text: str) -> Counter[str]:
    """How often each word is written in `text` (read once: a regex per import name read it again for each)."""
    return Counter(_WORD.findall(text))


def _input_line(conv, statement: cst.SimpleStatementLine, input_imports: list[cst.SimpleStatementLine]) -> int:
    plan = conv.plan
    if plan.index.by_id.get(id(statement)) is statement:
        return plan.line(statement)
    wanted = _code([statement]).strip()
    for original in input_imports:
        if _code([original]).strip() == wanted:
            return plan.line(original)
    return plan.line(plan.module.body[0]) if plan.module.body else 1

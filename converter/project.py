"""A project (`t2l convert DIR --entry train.py`): the entry script with the local modules that hold its loop.

    train.py:   from engine import train_one_epoch, evaluate     train_lightning.py:   the engine's definitions
                model = Net(); ...                          ->                        where the import was, then
                for epoch in range(args.epochs):                                      the LightningModule + Trainer
                    train_one_epoch(model, optimizer, ...)

The entry's `from module import name, ...` of a file beside it that calls `.backward()` is replaced by that file's
text (its `if __name__ == "__main__":` block left out), and the script this makes converts as one (or goes to
Fabric). Its other local imports (the models, the data) stay imports: the converted script runs in the project
directory, as the entry did, and `--verify` runs the two there. Every report line names its file
(`engine.py:14`). Inlining is declined with a reason (the entry converts alone, and its TODO says why) when it
could change what runs: an `import module` used as `module.f`, an `as` rename, a relative import inside the
module, or a top-level name the module and the entry both bind.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from converter.files import BadInput, read_source
from converter.report import Report

Transform = Callable[[str, str], tuple[str | None, Report]]
BUILT_FROM_LINE = re.compile(r"from the training loop at line (?P<line>\d+)")


@dataclass
class Combined:
    text: str
    places: list[tuple[str, int]]  # a line of `text` -> (file, its line there)

    def where(self, line: int) -> str:
        if 0 < line <= len(self.places):
            file, number = self.places[line - 1]
            return f"{file}:{number}"
        return str(line)


def combine(entry: Path, source: str) -> Combined:
    """The entry's text with its loop-holding local modules in place of their imports (BadInput: why not)."""
    tree = _parse(source, entry.name)
    lines = source.splitlines(keepends=True)
    entry_names = _top_level_bindings(tree)
    replaced: dict[int, tuple[int, list[str], list[tuple[str, int]]]] = {}  # first line -> (last, text, places)
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        path = entry.parent / (node.module.replace(".", "/") + ".py")
        if node.level or not path.is_file() or path.resolve() == entry.resolve():
            continue
        module_source = read_source(path)
        if ".backward(" not in module_source:
            continue  # the models, the data: imported as they were
        if any(alias.asname not in (None, alias.name) or alias.name == "*" for alias in node.names):
            raise BadInput(f"{entry.name}:{node.lineno}: `{ast.get_source_segment(source, node)}` renames or stars "
                           f"what it imports; import the names of {path.name} as they are to convert them together")
        module = _parse(module_source, path.name)
        if any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(module)):
            raise BadInput(f"{path.name}: a relative import; it cannot run inside {entry.name}")
        imported = {alias.name for alias in node.names}
        bindings = _top_level_bindings(module)
        clash = {name for name in bindings.keys() & entry_names.keys() - imported
                 if not bindings[name] or bindings[name] != entry_names[name]}  # the same import twice is no clash
        if clash:
            raise BadInput(f"{path.name} and {entry.name} both bind `{', '.join(sorted(clash))}` at top level: "
                           "put together, one would replace the other")
        kept, module_lines = _lines_to_inline(module, module_source), module_source.splitlines(keepends=True)
        text = [module_lines[n - 1] for n in kept]
        replaced[node.lineno] = (node.end_lineno or node.lineno, text, [(path.name, n) for n in kept])
    if not replaced:
        module_imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import)]
        hint = f" (`import {module_imports[0].names[0].name}` is not read into it: write `from module import name`)" if module_imports else ""  # fmt: skip
        raise BadInput(f"{entry.name}: no `from module import name` of a file beside it that calls .backward(){hint}")
    # Each module goes below the entry's first block of imports (not at its own import: the class it becomes
    # must come after every import the converter adds, which go at the end of that block).
    block_end = _import_block_end(tree) or min(replaced)  # no block first: where the first module was imported
    out: list[str] = []
    places: list[tuple[str, int]] = []

    def put_modules() -> None:
        for text, where in ((r[1], r[2]) for r in replaced.values()):
            out.extend(["\n", "\n", *(t if t.endswith("\n") else t + "\n" for t in text)])
            places.extend([where[0], where[0], *where])

    number = 1
    while number <= len(lines):
        if number in replaced:  # the import itself goes; the modules go here if it ends the block
            last = replaced[number][0]
            if number <= block_end <= last:
                put_modules()
            number = last + 1
            continue
        out.append(lines[number - 1])
        places.append((entry.name, number))
        if number == block_end:
            put_modules()
        number += 1
    return Combined("".join(out), places)


def transform(inner: Transform, entry: Path) -> Transform:
    """`inner` (convert to Lightning or to Fabric) applied to the entry with its loop modules put in."""

    def on_project(text: str, path: str) -> tuple[str | None, Report]:
        combined = combine(entry, text)
        output, report = inner(combined.text, path)
        report.where, report.where_names_file = combined.where, True
        if output is None:
            return None, report
        return BUILT_FROM_LINE.sub(lambda m: f"from the training loop at {combined.where(int(m['line']))}", output), report

    return on_project


def _import_block_end(tree: ast.Module) -> int:
    """The last line of the entry's first run of top-level imports (its docstring and comments may come before)."""
    end = 0
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            end = node.end_lineno or node.lineno
        elif end or not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            break
    return end


def _parse(source: str, name: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as error:
        raise BadInput(f"{name}:{error.lineno}:{error.offset}: syntax error: {error.msg}") from None


def _top_level_bindings(tree: ast.Module) -> dict[str, str]:
    """Names bound at top level -> what binds them: `import torch` for an import, "" for anything else."""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = ""
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            source = f"from {node.module} " if isinstance(node, ast.ImportFrom) else ""
            names |= {(a.asname or a.name).split(".")[0]: f"{source}import {a.name}" for a in node.names}
        elif not _is_main_block(node):
            names |= {n.id: "" for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return names


def _is_main_block(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":`"""
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__")  # fmt: skip


def _lines_to_inline(module: ast.Module, source: str) -> list[int]:
    """The module's line numbers but its `from __future__` imports, its main block and its trailing blank lines."""
    skipped: set[int] = set()
    for node in module.body:
        if _is_main_block(node) or (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            skipped |= set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    lines = source.splitlines()
    kept = [n for n in range(1, len(lines) + 1) if n not in skipped]
    while kept and not lines[kept[-1] - 1].strip():
        kept.pop()
    return kept

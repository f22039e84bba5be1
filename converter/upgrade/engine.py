"""The shared machinery of `t2l upgrade`: read the tree once, let each rule family register edits, apply them.

Rule families (the other modules in this package) look at the original tree and call `edit`, `mapped`,
`todo` and `require_import`. Edits are functions of the *updated* node, applied bottom-up in one pass, so
two families can touch nested nodes (a keyword of a call and the call's statement) without losing each
other's work.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator

import libcst as cst

from converter.analysis import Index, apply_edits, transform, walk
from converter.marks import marked, todo_line
from converter.names import Imports, code, dotted
from converter.report import Report
from converter.upgrade.table import LIGHTNING_MODULE, TRAINER

# Methods only a LightningModule has: a class defining them on an unknown base is taken for one.
LIGHTNING_HOOKS = frozenset({
    "training_step", "validation_step", "test_step", "configure_optimizers", "training_epoch_end",
    "validation_epoch_end", "test_epoch_end", "training_step_end", "validation_step_end", "test_step_end",
})  # fmt: skip
PACKAGES = {"pytorch_lightning": "pytorch_lightning", "lightning": "lightning.pytorch"}
Edit = Callable[[cst.CSTNode], cst.CSTNode | cst.FlattenSentinel | cst.RemovalSentinel]


def canonical(name: str | None) -> str | None:
    """`pytorch_lightning.Trainer`, `lightning.pytorch.Trainer`, `lightning.Trainer` -> `pl.Trainer`."""
    if name is None:
        return None
    for prefix in ("pytorch_lightning", "lightning.pytorch", "lightning"):
        if name == prefix or name.startswith(prefix + "."):
            rest = name[len(prefix) :]
            if prefix == "lightning" and rest.startswith((".fabric", ".app", ".data", ".store")):
                return None
            return "pl" + rest
    return None


class Upgrade:
    def __init__(self, module: cst.Module, report: Report, package: str, source: str | None = None) -> None:
        self.module = module
        self.report = report
        self.package = package  # "pytorch_lightning" or "lightning.pytorch": what new imports use
        self.index = Index(module, source)  # one walk: nodes in source order, parents; lines when first asked
        self.imports = Imports(self.module)
        self._edits: dict[int, list[Edit]] = defaultdict(list)
        self._imports_needed: list[tuple[str, str]] = []
        self._modules_needed: list[str] = []
        self.exposes_more = False  # set by a rule whose output other rules must see: one more pass
        self._by_kind: dict[type, list] = {}
        self._names: dict[int, str | None] = {}  # name_of per node: the tree does not change while rules read it
        self._call_names: list[tuple[cst.Call, str | None]] | None = None
        self.scratch: dict[object, list] = {}  # state rule modules share across calls (e.g. lines for __init__)

    # --- reading -------------------------------------------------------------------------------------------
    def line(self, node: cst.CSTNode) -> int:
        return self.index.line(node)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.index.parent(node)

    def name_of(self, expr: cst.BaseExpression) -> str | None:
        """The canonical Lightning name an expression refers to (`pl.Trainer`), else None."""
        key = id(expr)
        if key not in self._names:
            self._names[key] = canonical(self.imports.qualified(expr))
        return self._names[key]

    def nodes(self, kind: type[cst.CSTNode], root: cst.CSTNode | None = None) -> Iterator:
        """Every node of a kind under `root` (the whole module by default), in source order."""
        if root is None:
            return iter(self.index.of_kind(kind))
        return (n for n in walk(root) if isinstance(n, kind))

    def conditional(self, node: cst.CSTNode) -> bool:
        """Inside a try or an if statement (for example a deliberate `except ImportError:` fallback import)."""
        current = self.parent(node)
        while current is not None:
            if isinstance(current, (cst.Try, cst.TryStar, cst.If)):
                return True
            current = self.parent(current)
        return False

    def calls_to(self, names: frozenset[str]) -> list[cst.Call]:
        if self._call_names is None:
            self._call_names = [(c, self.name_of(c.func)) for c in self.nodes(cst.Call)]
        return [call for call, name in self._call_names if name in names]

    def trainer_class_calls(self, method: str) -> list[cst.Call]:
        """`Trainer.<method>(...)` calls (`pl.Trainer.from_argparse_args(args)`), in source order."""
        return [c for c in self.nodes(cst.Call) if isinstance(c.func, cst.Attribute) and c.func.attr.value == method
                and self.name_of(c.func.value) in TRAINER]  # fmt: skip

    def trainer_calls(self) -> list[cst.Call]:
        """`Trainer(...)` calls, and `super().__init__(...)` in a class that subclasses the Trainer."""
        subclasses = [c for c in self.nodes(cst.ClassDef) if any(self.name_of(b.value) in TRAINER for b in c.bases)]
        return self.calls_to(TRAINER) + [call for cls in subclasses for call in super_calls(self, cls.body, "__init__")]

    def scope_of(self, node: cst.CSTNode) -> cst.CSTNode:
        """The function (or the module) a node is in."""
        current = self.parent(node)
        while current is not None and not isinstance(current, (cst.FunctionDef, cst.Module)):
            current = self.parent(current)
        return current if current is not None else self.module

    def lightning_classes(self) -> list[cst.ClassDef]:
        """Classes deriving from LightningModule, directly or through a class defined in this file."""
        classes = list(self.nodes(cst.ClassDef))
        found = subclasses(self, lambda name: name in LIGHTNING_MODULE)
        defined = {c.name.value for c in classes}
        for cls in classes:  # a base imported from elsewhere (`class Finetuner(BaseModel)`): go by the hooks
            bases = [dotted(b.value) for b in cls.bases]
            imported = [b for b in bases if b and b.split(".")[0] not in defined and b not in ("object", "nn.Module")]
            hooks = {m.name.value for m in cls.body.body if isinstance(m, cst.FunctionDef)} & LIGHTNING_HOOKS
            if cls not in found and imported and hooks and self.name_of(cst.parse_expression(imported[0])) is None:
                found.append(cls)
        return found

    def statement(self, node: cst.CSTNode) -> cst.CSTNode:
        """The statement line (or compound statement header) that holds a node."""
        return self.index.statement(node)

    def assigned_name(self, call: cst.Call) -> str | None:
        """`trainer = pl.Trainer(...)` -> "trainer"."""
        parent = self.parent(call)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            return dotted(parent.targets[0].target)
        if isinstance(parent, cst.AnnAssign):
            return dotted(parent.target)
        return None

    def method_calls(self, receiver: str, method: str, after: cst.CSTNode) -> list[cst.Call]:
        """Calls `receiver.method(...)` after a node in the same function (the same variable), in source order."""
        start, scope = self.index.statement_line(after), self.scope_of(after)
        return [
            c for c in self.nodes(cst.Call)
            if isinstance(c.func, cst.Attribute) and c.func.attr.value == method and dotted(c.func.value) == receiver
            and self.index.statement_line(c) >= start and self.scope_of(c) is scope  # the same variable
        ]  # fmt: skip

    # --- writing -------------------------------------------------------------------------------------------
    def edit(self, node: cst.CSTNode, change: Edit) -> None:
        self._edits[id(node)].append(change)

    def mapped(self, rule: str, node: cst.CSTNode, message: str = "") -> None:
        self.report.add(rule, self.line(node), message)

    def todo(self, rule: str, node: cst.CSTNode, reason: str) -> None:
        """Report a TODO and mark the statement holding `node` with a `# TODO(t2l)` comment."""
        self.report.add(rule, self.line(node), " ".join(reason.split()))
        comment = todo_line(rule, reason)
        self.edit(self.statement(node), lambda updated: marked(updated, comment))

    def require_import(self, module: str, name: str) -> str:
        """Import `name` from a Lightning module written as `pl.x.y`; returns the local name to use."""
        full = self.package + module[2:]
        for local, qualified in self.imports.aliases.items():
            if qualified == f"{full}.{name}":
                return local
        if (module, name) not in self._imports_needed:
            self._imports_needed.append((module, name))
        return name

    def require_module(self, module: str) -> str:
        """`import <module>` (a standard module such as inspect) if the file does not have it; the local name."""
        for local, qualified in self.imports.aliases.items():
            if qualified == module:
                return local
        if module not in self._modules_needed:
            self._modules_needed.append(module)
        return module

    def apply(self) -> cst.Module:
        module = apply_edits(self.index, self._edits)
        if self._modules_needed:
            module = _insert_first(module, [cst.parse_statement(f"import {m}\n") for m in self._modules_needed])
        new_lines = []
        for package_module, name in self._imports_needed:
            full = self.package + package_module[2:]
            merged = _AddToImport(full, name)
            module = transform(module, merged)
            if not merged.done:
                new_lines.append(cst.parse_statement(f"from {full} import {name}\n"))
        return _insert_after_imports(module, new_lines) if new_lines else module


def super_calls(up: Upgrade, root: cst.CSTNode, method: str) -> list[cst.Call]:
    """`super().<method>(...)` calls under `root`."""
    return [c for c in up.nodes(cst.Call, root) if isinstance(c.func, cst.Attribute) and c.func.attr.value == method
            and code(c.func.value) == "super()"]  # fmt: skip


def subclasses(up: Upgrade, is_base: Callable[[str | None], bool]) -> list[cst.ClassDef]:
    """Classes whose base is one `is_base` accepts (given its canonical Lightning name), directly or through a
    class defined in this file, a few levels deep."""
    found: list[cst.ClassDef] = []
    names: set[str] = set()
    for _ in range(3):
        for cls in up.nodes(cst.ClassDef):
            if cls not in found and any(is_base(up.name_of(b.value)) or dotted(b.value) in names for b in cls.bases):
                found.append(cls)
                names.add(cls.name.value)
    return found


class _AddToImport(cst.CSTTransformer):
    """Add a name to the first top-level `from <module> import ...` that exists."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name, self.done = module, name, False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        if self.done or updated.relative or updated.module is None or isinstance(updated.names, cst.ImportStar):
            return updated
        if code(updated.module) != self.module:
            return updated
        self.done = True
        names = list(updated.names)
        names[-1] = names[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return updated.with_changes(names=[*names, cst.ImportAlias(cst.Name(self.name))])


def _insert_first(module: cst.Module, statements: list[cst.BaseStatement]) -> cst.Module:
    """Before the file's first import (after `from __future__` imports and the docstring)."""
    body = list(module.body)
    at = 0
    for index, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.ImportFrom) and \
                code(stmt.body[0].module or cst.Name("")) == "__future__":  # fmt: skip
            at = index + 1
        elif isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], (cst.Import, cst.ImportFrom)):
            at = at or index
            break
        elif index == 0 and isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr):
            at = 1  # the docstring
    return module.with_changes(body=[*body[:at], *statements, *body[at:]])


def _insert_after_imports(module: cst.Module, statements: list[cst.BaseStatement]) -> cst.Module:
    """Put new imports after the file's last top-level Lightning import (else after its last import)."""
    body = list(module.body)
    last = last_lightning = -1
    for index, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            last = index
            if re.search(r"\b(pytorch_lightning|lightning)\b", code(stmt)):
                last_lightning = index
    at = (last_lightning if last_lightning >= 0 else last) + 1
    return module.with_changes(body=[*body[:at], *statements, *body[at:]])


# --- building call arguments -------------------------------------------------------------------------------
def keyword(name: str, value: str | cst.BaseExpression) -> cst.Arg:
    expr = cst.parse_expression(value) if isinstance(value, str) else value
    return cst.Arg(value=expr, keyword=cst.Name(name), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))


def kwarg(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def literal(expr: cst.BaseExpression) -> object:
    """The Python value of a simple literal (ints, strings, True/False/None, negative numbers), else a sentinel."""
    try:
        import ast

        return ast.literal_eval(code(expr))
    except (ValueError, SyntaxError):
        return NOT_LITERAL


NOT_LITERAL = object()

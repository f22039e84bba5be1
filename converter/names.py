"""Name helpers over libcst trees: dotted names through import aliases, reads and writes, renaming."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import TypeVar

import libcst as cst

BUILTINS = frozenset(dir(builtins))
N = TypeVar("N", bound=cst.CSTNode)


def dotted(node: cst.BaseExpression) -> str | None:
    """`torch.optim.SGD` -> "torch.optim.SGD"; anything that is not a plain dotted name -> None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def code(node: cst.CSTNode) -> str:
    """The source text of a node."""
    return cst.Module([]).code_for_node(node)


class Imports:
    """Resolves local aliases to qualified names: with `import torch.optim as optim`, `optim.SGD` -> torch.optim.SGD."""

    def __init__(self, module: cst.Module) -> None:
        self.aliases: dict[str, str] = {}
        for node in _top_level_imports(module.body):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    full = code(alias.name)
                    local = alias.asname.name.value if alias.asname else full.split(".")[0]
                    self.aliases[local] = full if alias.asname else local
            elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
                if isinstance(node.names, cst.ImportStar):
                    continue
                base = code(node.module)
                for alias in node.names:
                    name = code(alias.name)
                    local = alias.asname.name.value if alias.asname else name
                    self.aliases[local] = f"{base}.{name}"

    def qualified(self, node: cst.BaseExpression) -> str | None:
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        full = self.aliases.get(head, head)
        return f"{full}.{rest}" if rest else full

    def call_name(self, node: cst.CSTNode) -> str | None:
        """The qualified name of the function a Call calls, else None."""
        return self.qualified(node.func) if isinstance(node, cst.Call) else None

    def imported(self, prefix: str) -> bool:
        return any(full == prefix or full.startswith(prefix + ".") for full in self.aliases.values())


def _top_level_imports(body: Sequence[cst.CSTNode]) -> Iterable[cst.CSTNode]:
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from (s for s in stmt.body if isinstance(s, (cst.Import, cst.ImportFrom)))
        elif isinstance(stmt, (cst.If, cst.Try)):  # try: import wandb / if TYPE_CHECKING
            yield from _top_level_imports(stmt.body.body)


class _SkipsNonNames:
    """Remembers the Name nodes that are not variables: attribute names, keyword names, parameter names."""

    def __init__(self) -> None:
        self._skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self._skip.add(id(node.name))


class _NameUses(_SkipsNonNames, cst.CSTVisitor):
    """Names read and names bound in a piece of code (not descending into nested defs' bodies)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []
        self.writes: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.writes.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.writes.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        inner = names_in(node.body)
        params = {p.name.value for p in node.params.params}
        self.reads.extend(n for n in inner.reads if n not in params)
        return False

    def visit_Param(self, node: cst.Param) -> None:
        super().visit_Param(node)
        self.writes.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.writes.update(bound_names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.writes.update(bound_names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.writes.update(bound_names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.writes.update(bound_names(node.target))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.writes.update(bound_names(node.target))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.writes.update(bound_names(node.asname.name))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.writes.update(bound_names(node.name.name))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.writes.update(bound_names(node.target))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        local = node.asname.name if node.asname else node.name
        self.writes.add(code(local).split(".")[0])
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._skip:
            self.reads.append(node.value)


def bound_names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(bound_names(e.value) for e in target.elements)) if target.elements else set()
    if isinstance(target, cst.StarredElement):
        return bound_names(target.value)
    return set()  # attribute or subscript targets bind no new name


def names_in(*nodes: cst.CSTNode) -> _NameUses:
    uses = _NameUses()
    for node in nodes:
        node.visit(uses)
    return uses


def reads(*nodes: cst.CSTNode) -> set[str]:
    return set(names_in(*nodes).reads)


def writes(*nodes: cst.CSTNode) -> set[str]:
    return names_in(*nodes).writes


class _Renamer(_SkipsNonNames, cst.CSTTransformer):
    def __init__(self, mapping: dict[str, cst.BaseExpression]) -> None:
        super().__init__()
        self.mapping = mapping

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if id(original) in self._skip or original.value not in self.mapping:
            return updated
        return self.mapping[original.value]


def rename(node: N, mapping: dict[str, cst.BaseExpression]) -> N:
    """Replace every use of the mapped names (reads and writes, not attributes or keywords) by an expression."""
    if not mapping:
        return node
    return node.visit(_Renamer(mapping))  # type: ignore[return-value]


def self_attr(name: str) -> cst.Attribute:
    return cst.Attribute(cst.Name("self"), cst.Name(name))


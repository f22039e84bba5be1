"""Name helpers over libcst trees: dotted names through import aliases, reads and writes, renaming."""

from __future__ import annotations

import builtins
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import TypeVar

import libcst as cst

from converter.analysis import children, rebuild_paths, walk, with_children

BUILTINS = frozenset(dir(builtins))
# builtins whose value is a function of their arguments alone (no clock, no file, no random numbers)
PURE_BUILTINS = frozenset({"len", "int", "float", "bool", "str", "abs", "min", "max", "round", "sum", "any", "all",
                           "isinstance", "hasattr", "getattr", "range", "list", "tuple", "sorted"})  # fmt: skip
N = TypeVar("N", bound=cst.CSTNode)


def dotted(node: cst.BaseExpression) -> str | None:
    """`torch.optim.SGD` -> "torch.optim.SGD"; anything that is not a plain dotted name -> None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def method_call(node: cst.CSTNode, *methods: str, on: Iterable[str | None] | None = None) -> bool:
    """`<receiver>.<method>(...)` for one of `methods` (`optimizer.step()`, `loss.backward()`), on one of the
    receivers `on` (dotted names) when given."""
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in methods
            and (on is None or dotted(node.func.value) in on))  # fmt: skip


def receivers(node: cst.CSTNode, method: str) -> set[str | None]:
    """The receivers (dotted names; None for others) of every `<receiver>.<method>(...)` call in a node: empty
    when it makes none (`receivers(loop, "step")`: the optimizers a loop steps)."""
    return {dotted(n.func.value) for n in walk(node) if method_call(n, method)}  # type: ignore[attr-defined]


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
                    full = dotted(alias.name) or code(alias.name)
                    local = alias.asname.name.value if alias.asname else full.split(".")[0]
                    self.aliases[local] = full if alias.asname else local
            elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
                if isinstance(node.names, cst.ImportStar):
                    continue
                base = dotted(node.module) or code(node.module)
                for alias in node.names:
                    name = dotted(alias.name) or code(alias.name)
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

    def local_name(self, full: str) -> str:
        """The name the script gives a module (`th` after `import torch as th`); the full name where none is given."""
        return next((local for local, name in self.aliases.items() if name == full), full)

    def imported(self, prefix: str) -> bool:
        return any(full == prefix or full.startswith(prefix + ".") for full in self.aliases.values())


def import_binding(alias: cst.ImportAlias) -> str:
    """The name an import binds: `import numpy as np` binds `np`, `import torch.nn` binds `torch`."""
    if alias.asname is not None:
        return alias.asname.name.value  # type: ignore[union-attr]
    name = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value
    return name.value  # type: ignore[union-attr]


def without_aliases(imported: cst.Import | cst.ImportFrom, dropped: Iterable[cst.ImportAlias]) -> cst.Import | cst.ImportFrom:
    """`from tqdm import tqdm, trange` without `tqdm`'s alias: `from tqdm import trange` (the last comma gone)."""
    kept = [a for a in imported.names if a not in dropped]  # type: ignore[union-attr]
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return imported.with_changes(names=kept)


def _top_level_imports(body: Sequence[cst.CSTNode]) -> Iterable[cst.CSTNode]:
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from (s for s in stmt.body if isinstance(s, (cst.Import, cst.ImportFrom)))
        elif isinstance(stmt, (cst.If, cst.Try)):  # try: import wandb / if TYPE_CHECKING
            yield from _top_level_imports(stmt.body.body)


class NameUses:
    """Names read and names bound in a piece of code (not descending into nested defs' bodies).

    A name that is bound is read too (its Name node is a use); attribute names, keyword names and parameter
    names are not reads. One fast field walk (converter.analysis), not a libcst visitor.
    """

    def __init__(self) -> None:
        self.reads: list[str] = []
        self.writes: set[str] = set()
        self.scope: set[str] = set()  # `writes` but for the names a comprehension's `for` binds in it alone

    def add(self, root: cst.CSTNode, replaced: dict[int, object] | None = None) -> None:
        """Add the names of `root`; with `replaced`, read nodes as replaced (id -> node, sentinel, or a function
        of the node, which keeps it)."""
        skip: set[int] = set()
        stack = [root]
        reads, writes = self.reads, self.writes
        known = None if replaced else _caches.uses  # a statement already read: its names, not another walk
        while stack:
            node = stack.pop()
            kind = type(node)
            if known is not None and kind in _STATEMENT_KINDS and node is not root:
                entry = known.get(id(node))
                if entry is not None and entry[0] is node:
                    reads.extend(entry[1].reads)
                    writes.update(entry[1].writes)
                    self.scope.update(entry[1].scope)
                    continue
            if replaced and id(node) in replaced and not callable(replaced[id(node)]):
                new = replaced[id(node)]
                if isinstance(new, cst.FlattenSentinel):
                    stack.extend(reversed(new.nodes))
                elif isinstance(new, cst.CSTNode):
                    stack.append(new)
                continue
            if kind is cst.Name:
                if id(node) not in skip:
                    reads.append(node.value)
                continue
            if kind in (cst.FunctionDef, cst.ClassDef):
                writes.add(node.name.value)  # type: ignore[attr-defined]
                self.scope.add(node.name.value)  # type: ignore[attr-defined]
                continue
            if kind is cst.Lambda:
                params = {p.name.value for p in node.params.params}  # type: ignore[attr-defined]
                reads.extend(n for n in names_in(node.body).reads if n not in params)  # type: ignore[attr-defined]
                continue
            if kind is cst.ImportAlias:
                local = node.asname.name if node.asname else node.name  # type: ignore[attr-defined]
                bound = (dotted(local) or code(local)).split(".")[0]  # `import a.b` binds `a`
                writes.add(bound)
                self.scope.add(bound)
                continue
            if kind is cst.Attribute:
                skip.add(id(node.attr))  # type: ignore[attr-defined]
            elif kind is cst.Arg:
                if node.keyword is not None:  # type: ignore[attr-defined]
                    skip.add(id(node.keyword))  # type: ignore[attr-defined]
            elif kind is cst.Param:
                skip.add(id(node.name))  # type: ignore[attr-defined]
                writes.add(node.name.value)  # type: ignore[attr-defined]
                self.scope.add(node.name.value)  # type: ignore[attr-defined]
            elif kind in _BINDS:
                target = _BINDS[kind](node)
                if target is not None:
                    writes.update(bound_names(target))
                    if kind is not cst.CompFor:
                        self.scope.update(bound_names(target))
            stack.extend(reversed(children(node)))


_STATEMENT_KINDS = frozenset({
    cst.SimpleStatementLine, cst.IndentedBlock, cst.If, cst.For, cst.While, cst.With, cst.Try, cst.Else,
})  # fmt: skip
_BINDS = {
    cst.AssignTarget: lambda n: n.target,
    cst.AnnAssign: lambda n: n.target,
    cst.AugAssign: lambda n: n.target,
    cst.For: lambda n: n.target,
    cst.CompFor: lambda n: n.target,
    cst.NamedExpr: lambda n: n.target,
    cst.WithItem: lambda n: n.asname.name if n.asname is not None else None,
    cst.ExceptHandler: lambda n: n.name.name if n.name is not None else None,
}


def targets_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    """What an assignment (`=`, `+=`, annotated) or a for loop binds; nothing for any other node."""
    if isinstance(node, cst.Assign):
        return [t.target for t in node.targets]
    return [node.target] if isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For)) else []


def bound_names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(bound_names(e.value) for e in target.elements)) if target.elements else set()
    if isinstance(target, cst.StarredElement):
        return bound_names(target.value)
    return set()  # attribute or subscript targets bind no new name


def names_in(*nodes: cst.CSTNode) -> NameUses:
    uses = NameUses()
    for node in nodes:
        found = _uses_of(node)
        uses.reads.extend(found.reads)
        uses.writes |= found.writes
        uses.scope |= found.scope
    return uses


class _NameCaches(threading.local):
    """One thread's remembered answers (threads convert files side by side: the site's build does)."""

    def __init__(self) -> None:
        self.uses: OrderedDict[int, tuple[cst.CSTNode, NameUses]] = OrderedDict()
        self.loads: OrderedDict[int, tuple[cst.CSTNode, frozenset[str]]] = OrderedDict()


_caches = _NameCaches()
_CACHE_SIZE = 4096


def _uses_of(node: cst.CSTNode) -> NameUses:
    """The names of one node, remembered: the same statements are asked about by several rules. Nodes are
    immutable, and each entry keeps its node alive, so an id in the cache always means that node."""
    cache = _caches.uses
    entry = cache.get(id(node))
    if entry is not None and entry[0] is node:
        cache.move_to_end(id(node))
        return entry[1]
    found = NameUses()
    found.add(node)
    cache[id(node)] = (node, found)
    if len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return found


def loads(*nodes: cst.CSTNode) -> set[str]:
    """Names whose value is read: `reads` without the plain names an assignment only binds, nor the variables
    of a comprehension (`[f(x) for x in xs]` reads `f` and `xs`: its `x` lives inside it)."""
    found: set[str] = set()
    for node in nodes:
        found |= _loads_of(node)
    return found


def forget() -> None:
    """Empty the caches once a file is done: their entries keep that file's nodes alive, and the next file asks
    about other nodes (kept, they made every later garbage collection walk thousands of dead trees)."""
    _caches.uses.clear()
    _caches.loads.clear()


def _loads_of(node: cst.CSTNode) -> frozenset[str]:
    """One node's loads, remembered as `_uses_of` remembers its names (rules ask about the statements after each
    statement: without it, quadratic walks)."""
    cache = _caches.loads
    entry = cache.get(id(node))
    if entry is not None and entry[0] is node:
        return entry[1]
    bound: dict[int, object] = {}  # id -> REMOVE for each bare Name bound by `=` (and tuples of them)
    local: set[str] = set()
    for inner in walk(node):
        kind = type(inner)
        if kind is cst.CompFor:
            local |= bound_names(inner.target)  # type: ignore[attr-defined]
            continue
        stack = [t.target for t in inner.targets] if kind is cst.Assign else [inner.target] if kind is cst.AnnAssign else []  # type: ignore[attr-defined]
        while stack:
            target = stack.pop()
            if isinstance(target, cst.Name):
                bound[id(target)] = cst.RemovalSentinel.REMOVE
            elif isinstance(target, (cst.Tuple, cst.List)):
                stack.extend(e.value for e in target.elements)
    uses = NameUses()
    uses.add(node, bound)
    found = cache[id(node)] = (node, frozenset(uses.reads) - local)
    if len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return found[1]


def first_reads(*statements: cst.BaseStatement) -> set[str]:
    """Names a block reads before it assigns them (statement by statement, into compound statements' bodies)."""
    found: set[str] = set()
    defined: set[str] = set()
    for stmt in statements:
        if isinstance(stmt, cst.SimpleStatementLine):
            found |= loads(stmt) - defined
        elif isinstance(stmt, (cst.With, cst.If, cst.For, cst.While)) and isinstance(stmt.body, cst.IndentedBlock):
            header = [i.item for i in stmt.items] if isinstance(stmt, cst.With) else [getattr(stmt, "test", None), getattr(stmt, "iter", None)]
            found |= loads(*[h for h in header if h is not None]) - defined
            bound = bound_names(stmt.target) if isinstance(stmt, cst.For) else set()
            found |= first_reads(*stmt.body.body) - defined - bound
            orelse = getattr(stmt, "orelse", None)
            if orelse is not None:
                found |= loads(orelse) - defined
        else:
            found |= loads(stmt) - defined
        defined |= writes(stmt)
    return found


def always_written(*statements: cst.BaseStatement) -> set[str]:
    """Names a block binds whenever it runs: by its simple lines and `with` blocks, not under an `if` or a loop."""
    return writes(*[s for s in statements if isinstance(s, (cst.SimpleStatementLine, cst.With))])


def reads(*nodes: cst.CSTNode) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        found.update(_uses_of(node).reads)
    return found


def writes(*nodes: cst.CSTNode) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        found |= _uses_of(node).writes
    return found


def scope_writes(*nodes: cst.CSTNode) -> set[str]:
    """`writes` without the names only a comprehension binds (`{k: 0.0 for k in keys}`: its `k` lives inside it)."""
    found: set[str] = set()
    for node in nodes:
        found |= _uses_of(node).scope
    return found


def rename(node: N, mapping: dict[str, cst.BaseExpression], owner: str | None = None,
           attributes: dict[str, cst.BaseExpression] | None = None) -> N:
    """Replace every use of the mapped names (reads and writes, not attributes or keywords) by an expression,
    and every `<owner>.<attribute>` of the mapped `attributes` too.

    Nested function and class bodies are left alone. Only the paths down to the renamed names are rebuilt.
    """
    if not mapping and not attributes:
        return node
    if not attributes and not any(type(n) is cst.Name and n.value in mapping for n in walk(node)):  # type: ignore[attr-defined]
        return node  # (a scan of the node's names: cheaper than the walk below, which keeps paths and contexts)
    skip: set[int] = set()
    found: dict[int, object] = {}
    parents: dict[int, int] = {}
    operand_of: dict[int, object] = {}  # a child of an operator, attribute, subscript or call -> that kind
    dirty: set[int] = set()
    quote_of: dict[int, str] = {}  # a node inside an f-string's braces -> that f-string's quote character
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is cst.Name:
            if id(current) not in skip and current.value in mapping:  # type: ignore[attr-defined]
                found[id(current)] = _in_place(mapping[current.value], operand_of.get(id(current)), quote_of.get(id(current)))  # type: ignore[attr-defined]
                above = parents.get(id(current))
                while above is not None and above not in dirty:
                    dirty.add(above)
                    above = parents.get(above)
            continue
        if kind in (cst.FunctionDef, cst.ClassDef):  # their names are their own
            continue
        if kind is cst.Attribute:
            value = current.value  # type: ignore[attr-defined]
            if attributes and type(value) is cst.Name and value.value == owner and current.attr.value in attributes:
                found[id(current)] = _in_place(attributes[current.attr.value], operand_of.get(id(current)), quote_of.get(id(current)))  # type: ignore[attr-defined]
                above = parents.get(id(current))
                while above is not None and above not in dirty:
                    dirty.add(above)
                    above = parents.get(above)
                continue
            skip.add(id(current.attr))  # type: ignore[attr-defined]
        elif kind is cst.Arg and current.keyword is not None:  # type: ignore[attr-defined]
            skip.add(id(current.keyword))  # type: ignore[attr-defined]
        elif kind is cst.Param:
            skip.add(id(current.name))  # type: ignore[attr-defined]
        below = children(current)
        for child in below:
            parents[id(child)] = id(current)
        quote = current.start.lstrip("rRbBuUfF")[0] if kind is cst.FormattedString else quote_of.get(id(current))  # type: ignore[attr-defined]
        if quote:
            quote_of.update((id(child), quote) for child in below)
        if kind in _TIGHT:
            operand_of.update((id(child), kind) for child in below)
            if kind is cst.BinaryOperation and isinstance(current.operator, _ADDITIVE):  # type: ignore[attr-defined]
                operand_of[id(current.left)] = _ADDITIVE  # type: ignore[attr-defined]  # `(a + b) + 1` is `a + b + 1`
        stack.extend(below)
    if not found:
        return node
    return rebuild_paths(node, dirty, {}, found)


# Where an expression binds tighter than a loose one put in a name's place: `"%d" % epoch` with epoch ->
# `self.current_epoch + start` must read `"%d" % (self.current_epoch + start)`.
_TIGHT = (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget, cst.BooleanOperation,
          cst.Attribute, cst.Subscript, cst.Call, cst.Await)  # fmt: skip
_LOOSE = (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.BooleanOperation, cst.IfExp, cst.Lambda,
          cst.NamedExpr, cst.Await)  # fmt: skip


_ADDITIVE = (cst.Add, cst.Subtract)


def _in_place(expression: cst.BaseExpression, context: object, quote: str | None) -> cst.BaseExpression:
    """`expression` as it must be written where the replaced name stood: bracketed in a tight context, and inside an
    f-string's braces with its string literals in the other quotes (before Python 3.12 the f-string's own quote
    ends it: `f"Test: {suffix}"` with suffix -> `""` must read `f"Test: {''}"`)."""
    expression = _bracketed(expression, context)
    return _requoted(expression, quote) if quote else expression


def _requoted(expression: cst.BaseExpression, quote: str) -> cst.BaseExpression:
    other = "'" if quote == '"' else '"'
    strings = {id(n): n for n in walk(expression) if isinstance(n, (cst.SimpleString, cst.FormattedString))}
    if not strings:
        return expression
    swapped: dict[int, cst.CSTNode] = {}
    for key, string in strings.items():
        if isinstance(string, cst.SimpleString):
            prefix = string.value[: len(string.value) - len(string.value.lstrip("rRbBuUfF"))]
            body = string.value[len(prefix):]
            if body.startswith(quote) and not body.startswith(quote * 3) and other not in body and "\\" not in body:
                swapped[key] = string.with_changes(value=prefix + other + body[1:-1] + other)
        elif string.start.endswith(quote) and not string.start.endswith(quote * 3):
            swapped[key] = string.with_changes(start=string.start[:-1] + other, end=other)
    if not swapped:
        return expression  # left as written: the output's compile check reports what cannot be requoted
    return _replaced(expression, swapped)


def replace_node(node: N, target: cst.CSTNode, replacement: cst.CSTNode) -> N:
    """`node` with the node `target` (found by identity) replaced."""
    return _replaced(node, {id(target): replacement})


def _replaced(node: cst.CSTNode, replacements: dict[int, cst.CSTNode]):
    if id(node) in replacements:
        return replacements[id(node)]
    return with_children(node, lambda child: _replaced(child, replacements))


def _bracketed(expression: cst.BaseExpression, context: object) -> cst.BaseExpression:
    if context is None or not isinstance(expression, _LOOSE) or expression.lpar:
        return expression
    if context is _ADDITIVE and isinstance(expression, cst.BinaryOperation) and isinstance(expression.operator, _ADDITIVE):
        return expression
    return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def is_declaration(statement: cst.CSTNode) -> bool:
    """`global best_acc` / `nonlocal step` alone on a line."""
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(s, (cst.Global, cst.Nonlocal)) for s in statement.body)


def is_docstring(statement: cst.CSTNode) -> bool:
    """A string literal alone on a line (the first statement of a body is its docstring)."""
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr) and isinstance(
        statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))


def self_attr(name: str) -> cst.Attribute:
    return cst.Attribute(cst.Name("self"), cst.Name(name))


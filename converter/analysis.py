"""One pass over a libcst tree that every rule queries: nodes in source order, parents, line numbers, edits.

Why not libcst's visitors and metadata: on real training scripts a no-op `CSTVisitor` walk costs about 0.8 of
parse + code generation, and `PositionProvider` 3-4.6x; walking the dataclass fields that can hold code costs
about 0.15. So the converter and the upgrader walk a file once here, ask `Index` for what they need, and apply
their edits by rebuilding only the paths from the module down to the edited nodes.

Line numbers come from Python's own `ast` (a C parser, about 0.13 of a libcst parse): statements appear in the
same order in both trees, so each libcst statement is paired with the `ast` statement at the same place.
"""

from __future__ import annotations

import ast
import dataclasses
import symtable
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import repeat

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

# Fields that hold only layout (whitespace, commas, parentheses, operators' tokens): never code to analyse.
_LAYOUT_PREFIXES = (
    "whitespace", "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after", "header", "footer",
    "equal", "colon", "dot", "trailing", "newline", "indent", "operator", "asynchronous", "default_indent",
    "default_newline", "has_trailing_newline", "encoding", "first_colon", "second_colon",
)  # fmt: skip
_FIELDS: dict[type, tuple[str, ...]] = {}
Edit = Callable[[cst.CSTNode], "cst.CSTNode | cst.FlattenSentinel | cst.RemovalSentinel"]


def _fields(kind: type) -> tuple[str, ...]:
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if not f.name.startswith(_LAYOUT_PREFIXES))
    return found


def _node_types() -> frozenset[type]:
    """Every concrete libcst node class: `type(x) in NODE_TYPES` avoids the ABC isinstance machinery."""
    found, stack = set(), [cst.CSTNode]
    while stack:
        kind = stack.pop()
        found.add(kind)
        stack.extend(kind.__subclasses__())
    return frozenset(found)


NODE_TYPES = _node_types()


class _FileCaches(threading.local):
    """One thread's caches for the file it converts (None outside a conversion): threads convert files side by side
    (the site's build does), and an id is only a node's within the conversion that made it."""

    remembered: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] | None = None
    spans: dict[int, tuple[cst.CSTNode, list[cst.CSTNode], int, int]] | None = None


_file = _FileCaches()


@contextmanager
def children_remembered() -> Iterator[None]:
    """Within one file's conversion, remember each node's children, and each indexed node's place in its index's
    source-order list: rules walk the same statements again and again, and a walk of an indexed node is then a
    slice of that list (each entry keeps its node alive, so an id always means that node). Forgotten after, with
    the file's trees."""
    state = _file
    outer, outer_spans = state.remembered, state.spans
    state.remembered = {} if outer is None else outer
    state.spans = {} if outer_spans is None else outer_spans
    try:
        yield
    finally:
        state.remembered, state.spans = outer, outer_spans


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The child nodes that can hold code, in source order (decorators before the def they decorate). The list is
    shared: do not change it."""
    known = _file.remembered
    if known is not None:
        entry = known.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
    found: list[cst.CSTNode] = []
    node_types = NODE_TYPES
    for name in _fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in node_types:
            found.append(value)
        elif kind is tuple or kind is list:
            found.extend(v for v in value if type(v) in node_types)
    if type(node) in (cst.FunctionDef, cst.ClassDef) and node.decorators:  # type: ignore[attr-defined]
        decorators = [d for d in found if isinstance(d, cst.Decorator)]
        found = decorators + [c for c in found if not isinstance(c, cst.Decorator)]
    if known is not None:
        known[id(node)] = (node, found)
    return found


def walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `root` (itself included), pre-order, in source order."""
    spans = _file.spans
    span = spans.get(id(root)) if spans is not None else None
    if span is not None and span[0] is root:
        return iter(span[1][span[2] : span[3]])  # a node of an index: its subtree is a run of the index's list
    return _walk(root)


def _walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


@lru_cache(maxsize=8)
def python_ast(source: str) -> ast.Module:
    """The stdlib's tree of a source, parsed once for the readers of the same text (the line numbers of an index,
    the normalizers that read `ast`): shared, so never changed by a reader. Raises SyntaxError as ast.parse does."""
    return ast.parse(source)


@lru_cache(maxsize=8)
def symbol_table(source: str) -> symtable.SymbolTable:
    """Python's own symbol table of a source (its module scope; the others are its children), made once for the
    checks that read the same output (the unused imports, the undefined names). Raises SyntaxError."""
    return symtable.symtable(source, "<t2l>", "exec")


STATEMENTS = (cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.SimpleStatementLine)


class Index:
    """A module read once: every node in source order, each node's parent, nodes by kind, line numbers."""

    def __init__(self, module: cst.CSTNode, source: str | None = None) -> None:
        self.module = module  # usually a Module; any node works (line numbers need a Module)
        self.source = source
        self.nodes: list[cst.CSTNode] = []
        self._parents: dict[int, cst.CSTNode] = {}
        nodes, parents, spans = self.nodes, self._parents, _file.spans
        starts: dict[int, int] = {}
        stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [(module, None)]
        while stack:
            node, parent = stack.pop()
            if node is None:  # every node under `parent` is listed: its subtree is nodes[start:len(nodes)]
                if spans is not None:
                    spans[id(parent)] = (parent, nodes, starts[id(parent)], len(nodes))
                continue
            if parent is not None:
                parents[id(node)] = parent
            kids = children(node)
            if kids:
                starts[id(node)] = len(nodes)
                stack.append((None, node))  # type: ignore[arg-type]
                stack.extend(zip(reversed(kids), repeat(node)))
            nodes.append(node)
        self._by_kind: dict[type | tuple[type, ...], list] = {}
        self._by_type: dict[type, list[tuple[int, cst.CSTNode]]] = {}
        self._lines: dict[int, int] | None = None
        self._offsets: dict[int, dict[int, int]] = {}
        self._by_id: dict[int, cst.CSTNode] | None = None
        self.memo: dict[object, object] = {}  # answers about this module that readers ask again (keyed by their name)

    @property
    def by_id(self) -> dict[int, cst.CSTNode]:
        if self._by_id is None:
            self._by_id = {id(n): n for n in self.nodes}
        return self._by_id

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(id(node))

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """From the module down to the node's parent."""
        chain = []
        current = self.parent(node)
        while current is not None:
            chain.append(current)
            current = self.parent(current)
        return chain[::-1]

    def of_kind(self, kind: type | tuple[type, ...]) -> list:
        """Every node of a kind in the module, in source order (cached per kind)."""
        if kind not in self._by_kind:
            if not self._by_type:
                for position, node in enumerate(self.nodes):
                    self._by_type.setdefault(type(node), []).append((position, node))
            wanted = kind if isinstance(kind, tuple) else (kind,)
            lists = [pairs for t, pairs in self._by_type.items() if issubclass(t, wanted)]
            found = lists[0] if len(lists) == 1 else sorted((p for pairs in lists for p in pairs), key=lambda p: p[0])
            self._by_kind[kind] = [node for _, node in found]  # one type: already in source order
        return self._by_kind[kind]

    def contains(self, outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = inner
        while current is not None:
            if current is outer:
                return True
            current = self.parent(current)
        return False

    def statement(self, node: cst.CSTNode) -> cst.CSTNode:
        """The statement line (or compound statement) that holds a node."""
        current = node
        while not isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            parent = self.parent(current)
            if parent is None:
                return current
            current = parent
        return current

    def statement_line(self, node: cst.CSTNode) -> int:
        """The first line of the statement holding `node`: enough to order nodes, and never more than a lookup."""
        if self._lines is None:
            self._lines = self._statement_lines()
        current: cst.CSTNode | None = node
        while current is not None:
            line = self._lines.get(id(current))
            if line is not None:
                return line
            current = self.parent(current)
        return 0

    def line(self, node: cst.CSTNode) -> int:
        """The line `node` starts on (0 for a node not in this module). Statements come from the `ast` pairing;
        a part of a statement (an argument on its own line) adds its offset inside the statement."""
        if self._lines is None:
            self._lines = self._statement_lines()
        current: cst.CSTNode | None = node
        while current is not None:
            line = self._lines.get(id(current))
            if line is not None:
                return line + (self._offset(current, node) if current is not node else 0)
            current = self.parent(current)
        return 0

    def _offset(self, statement: cst.CSTNode, node: cst.CSTNode) -> int:
        """Lines between a statement's first line and a node inside it (positions of the statement alone,
        computed once per statement and only when a finding asks)."""
        if not isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement, cst.BaseSmallStatement)):
            return 0
        if isinstance(statement, cst.BaseSmallStatement):
            statement = self.parent(statement) or statement
        cache = self._offsets.get(id(statement))
        if cache is None:
            alone = statement.with_changes(leading_lines=[]) if hasattr(statement, "leading_lines") else statement
            headed = isinstance(alone, (cst.FunctionDef, cst.ClassDef, cst.For, cst.While, cst.If, cst.With))
            if headed:  # a node of the header (a parameter, a base, a loop's iterable): not the body, whose statements
                # have lines of their own
                header = {"orelse": None} if isinstance(alone, (cst.For, cst.While, cst.If)) else {}
                alone = alone.with_changes(body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Pass()])]), **header)
            mini = cst.Module(body=[alone])  # type: ignore[list-item]
            header_lines = 2 if headed else 1 if isinstance(alone, cst.SimpleStatementLine) else 0
            if mini.code.count("\n") <= header_lines:  # one line (and `pass`): every node is on the statement's line
                self._offsets[id(statement)] = {}
                return 0
            positions = MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider)
            twins = {id(n): n for n in walk(alone)}  # with_changes keeps the children: the same nodes in both
            twins[id(statement)] = alone
            cache = self._offsets[id(statement)] = {i: positions[t].start.line - 1 for i, t in twins.items() if t in positions}
        return cache.get(id(node), 0)

    def _statement_lines(self) -> dict[int, int]:
        paired = paired_statements(self)
        if paired is None:  # the slow, sure way
            positions = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
            return {id(n): p.start.line for n, p in positions.items() if isinstance(n, STATEMENTS)}
        lines = {id(node): twin.lineno for node, twin in paired}
        for line in self.of_kind(cst.SimpleStatementLine):
            if line.body and id(line.body[0]) in lines:
                lines[id(line)] = lines[id(line.body[0])]
        return lines


def paired_statements(index: Index) -> list[tuple[cst.CSTNode, ast.stmt]] | None:
    """libcst's small and compound statements of the index's module, each with `ast`'s statement at the same place
    (None when the two lists differ: a shape the pairing does not know). Made once per index."""
    if "paired" not in index.memo:
        source = index.source if index.source is not None else index.module.code
        try:
            cst_statements = list(_cst_statements(index.module.body))  # type: ignore[attr-defined]
            ast_statements = list(_ast_statements(python_ast(source).body))
        except (SyntaxError, ValueError):
            cst_statements, ast_statements = [], [None]
        same = len(cst_statements) == len(ast_statements)
        index.memo["paired"] = list(zip(cst_statements, ast_statements)) if same else None
    return index.memo["paired"]  # type: ignore[return-value]


def statements(module: cst.Module) -> Iterator[cst.CSTNode]:
    """Every small and compound statement of a module, in source order, without walking expressions."""
    return _cst_statements(module.body)


def _cst_statements(body) -> Iterator[cst.CSTNode]:
    """Small and compound statements in source order, each before the statements it holds."""
    for stmt in body:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            yield from stmt.body
        elif isinstance(stmt, cst.BaseSmallStatement):
            yield stmt
        else:
            yield stmt
            yield from _cst_blocks(stmt)


def _cst_blocks(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    for block in blocks_of(stmt):
        if isinstance(block, cst.If):  # elif: a statement of its own in ast's orelse
            yield block
            yield from _cst_blocks(block)
        else:
            yield from _cst_statements(block.body)


def blocks_of(stmt: cst.CSTNode) -> list:
    if isinstance(stmt, (cst.Try, cst.TryStar)):
        blocks = [stmt.body, *(h.body for h in stmt.handlers)]
        blocks += [b.body for b in (stmt.orelse, stmt.finalbody) if b is not None]
        return blocks
    if isinstance(stmt, cst.Match):
        return [case.body for case in stmt.cases]
    blocks = [stmt.body]  # type: ignore[attr-defined]
    orelse = getattr(stmt, "orelse", None)
    if isinstance(orelse, cst.If):
        blocks.append(orelse)
    elif orelse is not None:
        blocks.append(orelse.body)
    return blocks


def _ast_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            yield from _ast_statements(stmt.body)
            for handler in stmt.handlers:
                yield from _ast_statements(handler.body)
            yield from _ast_statements(stmt.orelse)
            yield from _ast_statements(stmt.finalbody)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                yield from _ast_statements(case.body)
        else:
            yield from _ast_statements(getattr(stmt, "body", []))
            yield from _ast_statements(getattr(stmt, "orelse", []))


# --- applying edits ---------------------------------------------------------------------------------------
def apply_edits(index: Index, edits: dict[int, list[Edit]], replacements: dict[int, object] | None = None):
    """Apply edits (functions of the updated node, in order) bottom-up, rebuilding only the edited paths.

    The semantics are those of a libcst transformer's `on_leave`: an edit may return a node, a FlattenSentinel
    (in a sequence) or RemovalSentinel.REMOVE.
    """
    dirty: set[int] = set()
    for node_id in list(edits) + list(replacements or {}):
        node = index.by_id.get(node_id)
        if node is None:
            continue
        for ancestor in index.ancestors(node):
            dirty.add(id(ancestor))
    return rebuild_paths(index.module, dirty, edits, replacements)


def rebuild_paths(root: cst.CSTNode, dirty: set[int], edits: dict[int, list[Edit]],
                  replacements: dict[int, object] | None = None):  # fmt: skip
    """Rebuild `root`, descending only into nodes whose ids are in `dirty` (the ancestors of edited nodes)."""
    return _Rebuild(dirty, edits, replacements or {})(root)


class _Rebuild:
    """`rebuild_paths`' visit. A callable object, not a closure that calls itself: such a closure is a reference
    cycle, which keeps the edits and all they hold alive until the garbage collector walks them (a tenth of a
    conversion's time, measured)."""

    def __init__(self, dirty: set[int], edits: dict[int, list[Edit]], replacements: dict[int, object]) -> None:
        self.dirty, self.edits, self.replacements = dirty, edits, replacements

    def __call__(self, node: cst.CSTNode):
        node_id = id(node)
        if node_id in self.dirty:
            node = with_children(node, self)
        result: object = node
        if node_id in self.replacements:
            replacement = self.replacements[node_id]
            result = replacement(node) if callable(replacement) else replacement
        for change in self.edits.get(node_id, ()):
            result = change(result)  # type: ignore[arg-type]
        return result


def with_children(node: cst.CSTNode, visit: Callable[[cst.CSTNode], object]) -> cst.CSTNode:
    """`node` with `visit` applied to each child that can hold code; rebuilt only if a child changed. In a
    sequence a FlattenSentinel splices and REMOVE drops; in a single field REMOVE leaves None, as in libcst."""
    changes: dict[str, object] = {}
    for name in _fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in NODE_TYPES:
            new = visit(value)
            if new is not value:
                changes[name] = None if new is cst.RemovalSentinel.REMOVE else new
        elif (kind is tuple or kind is list) and value:
            items, changed = [], False
            for item in value:
                new = visit(item) if type(item) in NODE_TYPES else item
                if new is item:
                    items.append(item)
                    continue
                changed = True
                if isinstance(new, cst.FlattenSentinel):
                    items.extend(new.nodes)
                elif new is not cst.RemovalSentinel.REMOVE:
                    items.append(new)
            if changed:
                changes[name] = items
    return node.with_changes(**changes) if changes else node


def transform(root: cst.CSTNode, transformer: cst.CSTTransformer):
    """`root.visit(transformer)` with libcst's visit/leave order and semantics, but over the code-holding fields
    only, and rebuilding a node only when one of its children changed (libcst rebuilds every node)."""
    return _Transform(transformer)(root)


class _Transform:
    """`transform`'s visit (an object, not a recursive closure: see `_Rebuild`)."""

    def __init__(self, transformer: cst.CSTTransformer) -> None:
        self.transformer = transformer

    def __call__(self, node: cst.CSTNode):
        updated = with_children(node, self) if self.transformer.on_visit(node) else node
        return self.transformer.on_leave(node, updated)


class UnparsableOutput(AssertionError):
    """An output that does not compile: a bug of ours (or an input this Python cannot compile: `files.one_file`)."""


def check_parses(code_text: str | ast.Module, path: str) -> None:
    """The output always compiles: Python's own compiler is the judge (much faster than libcst's parser). It also
    catches what parses but cannot compile, such as a `break` moved out of its loop."""
    try:
        compile(code_text, path, "exec", dont_inherit=True)
    except SyntaxError as error:  # a bug of ours: never hand out code that does not parse
        raise UnparsableOutput(f"t2l produced unparsable code for {path}: {error}") from error


def in_code_or_called_functions(module: cst.Module, node: cst.CSTNode, test: Callable[[cst.CSTNode], bool]) -> bool:
    """Whether `test` holds of a node of the code itself or of a module-level function it calls (in_called_functions)."""
    return any(test(n) for n in walk(node)) or in_called_functions(module, node, test)


def in_called_functions(module: cst.Module, node: cst.CSTNode, test: Callable[[cst.CSTNode], bool]) -> bool:
    """Whether `test` holds of a node in a module-level function that `node` calls by name or hands to a call
    (`model.apply(set_bn_eval)`), or in one those call (each function looked at once): what code does through the
    script's own helpers (`grad_clipping(net, 1)`)."""
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    seen: set[str] = set()
    todo = [node]
    while todo:
        for inner in walk(todo.pop()):
            if not isinstance(inner, cst.Call):
                continue
            called = [inner.func, *(a.value for a in inner.args)]
            for name in (n.value for n in called if isinstance(n, cst.Name) and n.value in functions):
                if name not in seen:
                    seen.add(name)
                    body = functions[name].body
                    if any(test(n) for n in walk(body)):
                        return True
                    todo.append(body)
    return False

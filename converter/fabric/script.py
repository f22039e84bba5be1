"""What the Fabric rules share: the script read once, where `fabric` lives, and the edits the rules ask for.

The Fabric route keeps the loop, so it needs no plan of the training: each rule finds its own statements
(an optimizer built, a DataLoader built, a `.backward()` called) and asks for a local edit. `Script` knows
whether the `fabric` object is reachable at a statement (a rule that cannot reach it leaves the line as
written, which stays correct on one device) and collects the edits, applied bottom-up in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from converter import marks, verbatim
from converter.analysis import Index, apply_edits, walk
from converter.convert.edits import parse_statements
from converter.names import Imports, code, method_call
from converter.report import Report

Scope = cst.Module | cst.FunctionDef


@dataclass
class Creation:
    """Where `fabric = Fabric(...)` goes: after `anchor` (a statement of `scope`)."""

    scope: Scope
    anchor: cst.CSTNode  # the statement the Fabric lines follow
    accelerator: cst.BaseExpression
    device: str | None = None  # the script's device variable Fabric was made from, if any
    blank_line: bool = False  # set the Fabric lines apart (they follow the imports)
    precision: str | None = None  # the `precision=` expression, when a rule found the script's own precision
    strategy: str | None = None  # the `strategy=` expression, when the script starts its own processes
    devices: str = "1"
    num_nodes: str | None = None
    launch: str = ""  # what `fabric.launch(...)` runs (a function and its arguments), else nothing: run on
    replaces_anchor: bool = False  # the anchor is the script's own launch (`mp.spawn`): the Fabric lines replace it

    def keywords(self) -> str:
        strategy = f", strategy={self.strategy}" if self.strategy else ""
        precision = f", precision={self.precision}" if self.precision else ""
        nodes = f", num_nodes={self.num_nodes}" if self.num_nodes else ""
        return f"accelerator={code(self.accelerator)}{strategy}, devices={self.devices}{nodes}{precision}"

    def lines(self, name: str) -> tuple[str, str]:
        return f"{name} = Fabric({self.keywords()})", f"{name}.launch({self.launch})"

    def statements(self, name: str) -> list[cst.BaseStatement]:
        """The Fabric lines in place of the anchor, keeping the comments and blank lines above it."""
        new = [s for line in self.lines(name) for s in parse_statements(line)]
        return [new[0].with_changes(leading_lines=self.anchor.leading_lines), *new[1:]]


@dataclass
class Script:
    module: cst.Module
    source: str
    report: Report
    index: Index = field(init=False)
    imports: Imports = field(init=False)
    name: str = "fabric"  # the Fabric object's name in the output
    creation: Creation | None = None
    _after: dict[int, list[cst.BaseStatement]] = field(default_factory=dict)
    after_fabric: list[str] = field(default_factory=list)  # lines to follow the Fabric lines (`setup_point`)
    _edits: dict[int, list[Callable]] = field(default_factory=dict)
    used_in: list[cst.CSTNode] = field(default_factory=list)  # statements that call the Fabric object
    optimizer_of: dict[str, str] = field(default_factory=dict)  # a model set up -> its optimizer (for clipping)
    optimizers: set[str] = field(default_factory=set)  # every optimizer set up (with a model or alone)
    grouped: set[str] = field(default_factory=set)  # models set up with an optimizer holding their parameters in groups
    handled: set[int] = field(default_factory=set)  # calls a rule rewrote that a later rule would otherwise mark
    model_setups: dict[str, cst.CSTNode] = field(default_factory=dict)  # a model set up -> its optimizer's statement
    loader_setups: dict[str, cst.CSTNode] = field(default_factory=dict)  # a loader set up -> its DataLoader statement
    _positions: dict[int, int] | None = None
    _names: set[str] = field(default_factory=set)  # every name the script uses, and the ones made fresh
    _call_names: dict[int, str | None] = field(default_factory=dict)
    launched: set[str] = field(default_factory=set)  # module-level functions fabric.launch runs (given `fabric`)
    gone: list[cst.CSTNode] = field(default_factory=list)  # code a rule removed (imports only it used can go too)

    def __post_init__(self) -> None:
        self.index = Index(self.module, self.source)
        self.imports = Imports(self.module)
        self._names = {node.value for node in self.index.of_kind(cst.Name)}
        self.name = self.fresh(self.name)  # the script has its own `fabric`: never shadow it

    def fresh(self, name: str) -> str:
        """`name`, or `name_`, `name__`...: the first the script does not use."""
        while name in self._names:
            name = f"{name}_"
        self._names.add(name)
        return name

    # --- reading ---------------------------------------------------------------------------------------------
    def line(self, node: cst.CSTNode) -> int:
        """The first line of the statement holding `node` (a lookup; a part's own line would cost a code generation)."""
        return self.index.statement_line(node)

    def statement(self, node: cst.CSTNode) -> cst.CSTNode:
        return self.index.statement(node)

    def scope_of(self, node: cst.CSTNode) -> Scope:
        """The function whose body holds the node (not a class: its body runs once, at import), else the module."""
        for ancestor in reversed(self.index.ancestors(node)):
            if isinstance(ancestor, cst.FunctionDef):
                return ancestor
        return self.module

    def call_name(self, node: cst.CSTNode) -> str | None:
        """The qualified name a Call calls (`torch.autocast`), else None; each call is named once for all rules."""
        key = id(node)
        if key not in self._call_names:
            self._call_names[key] = self.imports.call_name(node)
        return self._call_names[key]

    def calls(self, qualified: str | tuple[str, ...]) -> list[cst.Call]:
        """The calls of these qualified names, in source order."""
        wanted = (qualified,) if isinstance(qualified, str) else qualified
        return [call for call in self.index.of_kind(cst.Call) if self.call_name(call) in wanted]

    def fabric_reachable(self, node: cst.CSTNode, depth: int = 6) -> bool:
        """Whether `fabric` surely exists when the statement holding `node` runs: it is in the creating scope, after
        the Fabric lines and inside their block; or in a function whose `def` runs after them (so it cannot be called
        earlier); or in a function whose every call (by name, or by attribute for a method) is itself reachable.
        Where it is not, a rule leaves the line as it is, which stays right on one device."""
        if self.creation is None or depth == 0:
            return False
        statement, scope = self.statement(node), self.scope_of(node)
        if scope is self.creation.scope:
            anchor = self.creation.anchor
            return self.before(anchor, statement) and self.index.contains(self.index.parent(anchor), statement)
        if after_a_call_of_the_maker(self, statement, scope):
            return True
        if not isinstance(scope, cst.FunctionDef):
            return False
        if scope.name.value in self.launched and self.index.parent(scope) is self.module:
            return True  # fabric.launch calls it with the Fabric object
        return self.fabric_reachable(scope, depth - 1) or self._every_call_reachable(scope, depth - 1)

    def _every_call_reachable(self, function: cst.FunctionDef, depth: int) -> bool:
        """Every call of `function` is reachable (found nowhere: not known, so no)."""
        calls = calls_of(self.index, function)
        return bool(calls) and all(self.fabric_reachable(call, depth) for call in calls)

    def before(self, first: cst.CSTNode, second: cst.CSTNode) -> bool:
        if self._positions is None:
            self._positions = {id(node): i for i, node in enumerate(self.index.nodes)}
        return self._positions[id(first)] < self._positions[id(second)]

    # --- asking for edits --------------------------------------------------------------------------------------
    def insert_after(self, statement: cst.CSTNode, *lines: str, blank_line: bool = False) -> None:
        new = [s for line in lines for s in parse_statements(line)]
        if blank_line and new:  # set apart from the imports above
            new[0] = new[0].with_changes(leading_lines=[cst.EmptyLine()])
        self._after.setdefault(id(statement), []).extend(new)

    def replace(self, node: cst.CSTNode, new: cst.CSTNode | Callable[[cst.CSTNode], cst.CSTNode]) -> None:
        self._edits.setdefault(id(node), []).append(new if callable(new) else (lambda _updated, n=new: n))

    def trains_in_processes(self) -> bool:
        """The script started its own processes (DDP by hand), which Fabric's "ddp" strategy now starts."""
        return self.creation is not None and self.creation.strategy is not None

    def uses_fabric(self, node: cst.CSTNode) -> None:
        self.used_in.append(self.statement(node))

    def mark(self, code: str, node: cst.CSTNode, reason: str) -> None:
        statement = self.statement(node)
        self.report.add(code, self.line(statement), reason)
        self._edits.setdefault(id(statement), []).append(
            lambda updated: marks.marked(updated, marks.todo_line(code, reason)))

    def droppable(self, statement: cst.CSTNode) -> bool:
        """A statement can go if its block keeps another one (an empty block does not parse)."""
        body = getattr(self.index.parent(statement), "body", ())
        return isinstance(body, (list, tuple)) and len(body) > 1

    def drop(self, statement: cst.CSTNode) -> None:
        """Remove a statement, or leave `pass` where it was its block's only one (or, in an `if flag:` of its own,
        remove the `if`)."""
        flagged = flag_if(self, statement)
        if flagged is not None and flagged.orelse is None and not self.droppable(statement) and self.droppable(flagged):
            return self.drop(flagged)
        gone = cst.RemovalSentinel.REMOVE if self.droppable(statement) else cst.SimpleStatementLine([cst.Pass()])
        self.gone.append(statement)
        self.replace(statement, lambda _updated: gone)

    def output(self) -> str:
        creation = self.creation
        if creation is not None and creation.replaces_anchor:  # last: later rules may add keywords (precision=)
            self.replace(creation.anchor, lambda _updated: cst.FlattenSentinel(creation.statements(self.name)))
        if creation is not None:  # the Fabric lines (unless they replace the anchor), then what follows them
            self.insert_after(creation.anchor, *([] if creation.replaces_anchor else creation.lines(self.name)),
                              *self.after_fabric, blank_line=creation.blank_line and not creation.replaces_anchor)
        for statement_id, lines in self._after.items():
            self._edits.setdefault(statement_id, []).append(
                lambda updated, lines=lines: cst.FlattenSentinel([*_kept(updated), *lines]))
        module = apply_edits(self.index, self._edits)
        self._edits.clear()  # the edits' closures hold the script: a reference cycle, broken once they have run
        self._after.clear()
        return verbatim.code(module, self.index)


def setup_point(script: Script, statement: cst.CSTNode) -> cst.CSTNode | None:
    """The statement a set-up line for what `statement` builds goes after: the statement itself where `fabric`
    exists there; the Fabric lines' anchor where the statement comes before them in their block and nothing
    between trains (the Hugging Face course builds the optimizer, then chooses `device`, where the Fabric object
    is made); else None (the line stays as it is, right on one device)."""
    if script.fabric_reachable(statement):
        return statement
    if script.creation is None:
        return None
    anchor = script.creation.anchor
    block = list(getattr(script.index.parent(anchor), "body", ()))
    if statement not in block or anchor not in block or block.index(statement) > block.index(anchor):
        return None
    between = block[block.index(statement) + 1 : block.index(anchor) + 1]
    trains = any(method_call(n, "backward", "step") for s in between for n in walk(s))
    return None if trains else anchor


def calls_of(index: Index, function: cst.FunctionDef) -> list[cst.Call]:
    """The calls of a function: a method by attribute (`self.train_epoch()`), a function by name."""
    name = function.name.value
    method = isinstance(index.parent(index.parent(function)), cst.ClassDef)

    def calls_it(call: cst.Call) -> bool:
        func = call.func
        if method:
            return isinstance(func, cst.Attribute) and func.attr.value == name
        return isinstance(func, cst.Name) and func.value == name

    return [call for call in index.of_kind(cst.Call) if calls_it(call)]


def after_a_call_of_the_maker(script: Script, statement: cst.CSTNode, scope: Scope) -> bool:
    """The Fabric object is made unconditionally in a function (`def ddp_setup(): fabric = Fabric(...)`), and the
    statement comes after a call of that function in its own block or an enclosing one of the same scope."""
    maker = script.creation.scope if script.creation else None
    if not isinstance(maker, cst.FunctionDef) or script.index.parent(script.creation.anchor) is not maker.body:
        return False
    return any(script.scope_of(call) is scope and script.before(call, statement)
               and script.index.contains(script.index.parent(script.statement(call)), statement)
               for call in calls_of(script.index, maker))  # fmt: skip


def _kept(updated: object) -> list[cst.CSTNode]:
    """What is left of a statement other edits removed (nothing) or replaced by several (their list)."""
    if isinstance(updated, cst.RemovalSentinel):
        return []
    return list(updated.nodes) if isinstance(updated, cst.FlattenSentinel) else [updated]  # type: ignore[list-item]


def flag_if(script: Script, statement: cst.CSTNode) -> cst.If | None:
    """The `if flag:` (a bare name: nanoGPT's `if ddp:`) whose body holds the statement directly, else None."""
    block = script.index.parent(statement)
    flagged = script.index.parent(block) if isinstance(block, cst.IndentedBlock) else None
    return flagged if isinstance(flagged, cst.If) and flagged.body is block and isinstance(flagged.test, cst.Name) else None

"""A trainer class (T2L135) is flattened into the function that runs it, then the loop converts as usual.

    class Trainer:                                         def main():
        def __init__(self, model, loader, optimizer):          model, loader, optimizer = build()
            self.model = model                                 for epoch in range(epochs):
            self.loader = loader                                   for x, y in loader:
            self.optimizer = optimizer                                 optimizer.zero_grad()
        def _run_batch(self, x, y):                    ->              loss = F.mse_loss(model(x), y)
            self.optimizer.zero_grad()                                 loss.backward()
            loss = F.mse_loss(self.model(x), y)                        optimizer.step()
            loss.backward()
            self.optimizer.step()
        def train(self, epochs):
            for epoch in range(epochs):
                for x, y in self.loader:
                    self._run_batch(x, y)
    def main():
        model, loader, optimizer = build()
        trainer = Trainer(model, loader, optimizer)
        trainer.train(epochs)

The shape of PyTorch's DDP tutorial series and of many repositories. Each method is inlined where it is called
(`__init__` where the instance is made), its parameters replaced by the arguments, `self.x` by a local: the
argument's own name when `self.x = x` only keeps it, `x` otherwise (or `<instance>_x` when taken). Inlining
runs the same statements in the same order, so the converted script stays bitwise equal. Every line maps back to
the input: report lines point into the class. It applies only when that is sure: a class without bases,
decorators or class attributes; one instance, made in one place, used only to call methods and read attributes;
`self` used only as `self.attr` and `self.method(...)` (a call that is a statement or an assignment's value);
methods without early returns, `yield`, recursion or `*args`. Otherwise the T2L908 TODO stands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst

from converter.analysis import Index, children, walk
from converter.convert import inline
from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text
from converter.convert.plan import bind
from converter.names import code, is_docstring, reads, rename, targets_of

RUNS_ON = BEFORE_PLANNING  # a class's loop is in a method, which planning would decline
CODES = {"T2L135": "a trainer class run by one instance -> its methods inlined where they are called, then converted"}
MOVES = ("to", "cuda", "cpu")
GRAD_MODES = ("no_grad", "inference_mode")  # `@torch.no_grad()` on a method: its body inlined under `with`  # `self.model = model.to(device)`: the same module, moved in place


def normalize(text: Text) -> Normalized | None:
    """The script with its first flattenable trainer class flattened; None when there is none (the converter then
    goes on with the input as it is)."""
    classes = [c for c in text.module.body if isinstance(c, cst.ClassDef) and _plain(c) and _trains(c)]
    for cls in classes:
        try:
            flat = _Flattening.of(cls, text.module, text.index)
            inlined = _Text(flat).inlined(text.source)
        except Unflattenable:
            continue
        message = f"class {cls.name.value} flattened: its methods inlined where `{flat.instance}` calls them"
        return Normalized(inlined.source, inlined.original_line, "T2L135", inlined.call_line, message)
    return None


def why_not(text: Text) -> str | None:
    """Why a class whose methods call backward was not flattened (the T2L908 message says it), else None."""
    for cls in [c for c in text.module.body if isinstance(c, cst.ClassDef) and _trains(c)]:
        try:
            _Text(_Flattening.of(cls, text.module, text.index)).inlined(text.source)
        except Unflattenable as reason:
            return str(reason)
    return None


class Unflattenable(Exception):
    """A shape flattening could change: the class is left as it was."""


@dataclass
class _Flattening:
    cls: cst.ClassDef
    module: cst.Module
    index: Index
    methods: dict[str, cst.FunctionDef]
    instance: str
    made: cst.SimpleStatementLine  # `trainer = Trainer(...)`
    scope: cst.CSTNode  # the function (or module) that makes and uses the instance
    attributes: dict[str, cst.BaseExpression] = field(default_factory=dict)  # `self.x` -> what replaces it
    aliases: set[str] = field(default_factory=set)  # attributes that only keep an argument: their `self.x = x` goes
    locals: dict[str, dict[str, cst.BaseExpression]] = field(default_factory=dict)  # method -> renamed locals
    taken: set[str] = field(default_factory=set)
    _assigned: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, class_def: cst.ClassDef, module: cst.Module, index: Index) -> _Flattening:
        """The flattening of a class; Unflattenable says why there is none."""
        name = class_def.name.value
        methods = _methods(class_def)
        if methods is None:
            raise Unflattenable(_not_plain(class_def))
        made = _instantiation(class_def, index)
        if made is None:
            raise Unflattenable(f"no single `x = {name}(...)` statement in this file makes its instance; if a "
                                "script beside it does, `t2l convert DIR --entry that_script.py` converts the two "
                                "together")  # fmt: skip
        instance = made.body[0].targets[0].target.value  # type: ignore[attr-defined]
        flat = cls(class_def, module, index, methods, instance, made, _scope(made, index))
        flat.check()
        return flat

    # --- checks -----------------------------------------------------------------------------------------
    def check(self) -> None:
        index, name = self.index, self.instance
        if not isinstance(self.scope, (cst.Module, cst.FunctionDef)):
            raise Unflattenable("the instance is made in a class body or a lambda")
        for node in index.of_kind(cst.Name):
            owner = _scope(node, index) if node.value == name else self.scope
            if owner is self.scope or not index.contains(self.scope, owner):
                continue  # the instance itself, or another function's own variable of that name
            if isinstance(owner, cst.FunctionDef) and name in {*inline.param_names(owner), *inline.assigned(owner)}:
                continue  # a function of the module with its own `trainer`
            raise Unflattenable(f"`{name}` is read by a function that the flattening would not reach")
        for method in self.methods.values():
            owner = _self_name(method)
            for node in walk(method.body):
                if isinstance(node, cst.Name) and node.value == owner and not self._used_as_owner(node, method):
                    raise Unflattenable(f"{method.name.value} uses `{owner}` other than as {owner}.attr or {owner}.method(...)")
        for node in walk(self.scope):
            if isinstance(node, cst.Name) and node.value == name and not self._used_as_owner(node, None):
                if node is not self.made.body[0].targets[0].target:  # type: ignore[attr-defined]
                    raise Unflattenable(f"`{name}` is used other than to call its methods and read its attributes")

    def _used_as_owner(self, name: cst.Name, method: cst.FunctionDef | None) -> bool:
        """`self.attr` of an attribute the class sets, or `self.method(...)` as a statement or assigned value."""
        parent = self.index.parent(name)
        if isinstance(parent, cst.Param) or not isinstance(parent, cst.Attribute) or parent.value is not name:
            return isinstance(parent, cst.Param) and method is not None
        attribute = parent.attr.value
        if attribute not in self.methods:
            return attribute in self.setters
        call = self.index.parent(parent)
        statement = self.index.parent(self.index.parent(call)) if isinstance(call, cst.Call) else None
        return attribute != "__init__" and call is not None and self.method_call(statement, name.value) is call

    def method_call(self, statement: cst.CSTNode, owner: str) -> cst.Call | None:
        """The call of `owner.method(...)` that a statement is (a bare call or an assignment's value)."""
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        small = statement.body[0]
        if not (isinstance(small, cst.Expr) or isinstance(small, cst.Assign) and len(small.targets) == 1):
            return None
        call = small.value
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name):
            if call.func.value.value == owner and call.func.attr.value in self.methods:
                return call
        return None

    # --- what names are what ----------------------------------------------------------------------------
    @cached_property
    def setters(self) -> Counter[str]:
        return _setters(self.methods.values())

    @cached_property
    def written_after(self) -> set[str]:
        """Names the scope binds after the instance is made (an alias of them would see the new value)."""
        after = self.index.line(self.made)
        found: set[str] = set()
        for node in walk(self.scope):
            if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.For)) and self.index.line(node) > after:
                found |= {n.value for t in targets_of(node) for n in walk(t) if isinstance(n, cst.Name)}
        return found

    def assigned(self, method: cst.FunctionDef) -> set[str]:
        """The names a method binds (asked for each attribute and call: computed once)."""
        if method.name.value not in self._assigned:
            self._assigned[method.name.value] = inline.assigned(method)
        return self._assigned[method.name.value]

    def _fresh(self, name: str) -> str:
        while name in self.taken:
            name += "_"
        return name

    def _calls_in(self, node: cst.CSTNode, owner: str) -> list[cst.Call]:
        return [n for n in walk(node) if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute)
                and isinstance(n.func.value, cst.Name) and n.func.value.value == owner
                and n.func.attr.value in self.methods]  # fmt: skip


class _Text:
    """The flattened source: each statement of the scope that uses the instance rewritten, the class removed."""

    def __init__(self, flat: _Flattening) -> None:
        self.flat = flat
        index = flat.index
        # Statements inlining replaces, and the statements that hold them: the rest render as they are, unwalked.
        self.special: set[int] = set()
        self.holders: set[int] = set()
        for method in flat.methods.values():
            self._find_specials(method.body, _self_name(method))
        self._find_specials(flat.scope, flat.instance)
        for statement_id in self.special:
            self.holders.update(id(a) for a in index.ancestors(index.by_id[statement_id]))

    def _find_specials(self, root: cst.CSTNode, owner: str) -> None:
        for node in walk(root):
            if node is self.flat.made or self.flat.method_call(node, owner):
                self.special.add(id(node))

    def inlined(self, source: str) -> inline.Inlined:
        _plan_names(self.flat)
        edits = self._edits(source)
        text, original_line = inline.splice(source, edits)
        return inline.Inlined(text, original_line, self.flat.index.line(self.flat.made), self.flat.cls.name.value)

    def _edits(self, source: str) -> list[inline.Edit]:
        lines = source.splitlines()
        body = self.flat.scope.body if isinstance(self.flat.scope, cst.Module) else self.flat.scope.body.body  # type: ignore[attr-defined]
        edits: list[inline.Edit] = []
        top = _Frame(self.flat.instance, {})
        for statement in body:  # those that make the instance, call its methods or read its attributes
            if not any(isinstance(n, cst.Name) and n.value == self.flat.instance for n in walk(statement)):
                continue
            first, last = inline.statement_lines(self.flat.module, self.flat.index, statement)
            indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
            edits.append((first, last, self._render(statement.with_changes(leading_lines=[]), statement, top, indent, first)))
        first, last = inline.statement_lines(self.flat.module, self.flat.index, self.flat.cls)
        edits.append((first - len(self.flat.cls.leading_lines), last, []))
        return edits

    def _specials(self, node: cst.CSTNode) -> list[cst.SimpleStatementLine]:
        """The statements under `node` that inlining replaces: the instantiation, and `owner.method(...)` calls
        (a bare call or an assignment's value)."""
        if id(node) in self.special:
            return [node]  # type: ignore[list-item]
        return [s for s in walk(node) if id(s) in self.special] if id(node) in self.holders else []

    def _render(self, node: cst.CSTNode, original: cst.CSTNode, frame: _Frame, indent: str, first: int) -> inline.Lines:
        """A statement (`node`, a copy of `original` without its leading lines or with them) renamed for its frame,
        each instantiation or method call in it replaced by the inlined body; lines paired with input lines."""
        specials = self._specials(original)
        if any(s is original for s in specials):
            return self._expand(original, frame, indent)
        markers = {id(s): _marker(k, s) for k, s in enumerate(specials)}
        marked = _replace(node, markers) if markers else node
        text = rename(marked, frame.names, frame.owner, self.flat.attributes)
        out: inline.Lines = []
        line = first
        for rendered_line, _ in inline.rendered(self.flat.module, text, first, indent):
            stripped = rendered_line.strip()
            if stripped.startswith("__t2l_inline_") and stripped.endswith("()"):
                special = specials[int(stripped[len("__t2l_inline_") : -2])]
                inner = rendered_line[: len(rendered_line) - len(rendered_line.lstrip())]
                out += self._expand(special, frame, inner)
                line = inline.statement_lines(self.flat.module, self.flat.index, special)[1] + 1
                continue
            out.append((rendered_line, line))
            line += 1
        return out

    def _expand(self, statement: cst.SimpleStatementLine, frame: _Frame, indent: str) -> inline.Lines:
        """The body of the method a statement calls (or of `__init__`, for the instantiation), renamed."""
        renamed = rename(statement, frame.names, frame.owner, self.flat.attributes)
        small = renamed.body[0]
        call = small.value  # type: ignore[attr-defined]
        method = self.flat.methods.get("__init__") if statement is self.flat.made else self.flat.methods[call.func.attr.value]
        line = self.flat.index.line(statement)
        if method is None:
            return []
        inlinable = inline.body(method.with_changes(decorators=[]))
        if inlinable is None:
            raise Unflattenable(f"{method.name.value} returns early, yields, takes *args or defines a function")
        statements, result = inlinable
        if statement is self.flat.made:
            statements = [s for s in statements if _set_attribute(s, _self_name(method)) not in self.flat.aliases]
        names, out = self._bind(method, call, indent, line)
        callee = _Frame(_self_name(method), names)
        mode = _grad_mode(method)
        if isinstance(mode, cst.Call):  # `@torch.no_grad()`: the body (and its returned value) under `with`
            out.append((f"{indent}with {self.flat.module.code_for_node(mode)}:\n", self.flat.index.line(method)))
            indent += self.flat.module.default_indent
        body: inline.Lines = []
        for original in statements:
            first = self.flat.index.line(original) - len(original.leading_lines)
            body += self._render(original, original, callee, indent, first)
        if statement is not self.flat.made:
            value = rename(result, names, callee.owner, self.flat.attributes) if result is not None else None
            last = inline.final(renamed, call, value, {})
            if last is False:
                raise Unflattenable(f"the value of {method.name.value} is read but it returns none")
            if last is not None:
                body += inline.rendered(self.flat.module, last.with_changes(leading_lines=[]), line, indent)
        return out + (body or [(indent + "pass\n", line)])

    def _bind(self, method, call, indent, line) -> tuple[dict[str, cst.BaseExpression], inline.Lines]:
        """Parameter -> the argument (a name, attribute or literal the body never assigns), or else an assignment
        `param = argument` before the body; the method's renamed locals."""
        binding = bind(_unbound(method), call)
        params = inline.param_names(method)[1:]
        if any(a.star for a in call.args) or set(params) - set(binding):
            raise Unflattenable(f"a call of {method.name.value} leaves a parameter unbound")
        names = dict(self.flat.locals[method.name.value])
        written = self.flat.assigned(method)
        prelude: inline.Lines = []
        for param in params:
            value = binding[param]
            if isinstance(value, cst.Name) and value.value == param and param not in names:
                continue
            if param not in names and isinstance(value, inline.ATOMIC) and param not in written and "\n" not in self.flat.module.code_for_node(value):
                names[param] = value
                continue
            local = names.get(param) or cst.Name(param if param not in self.flat.taken else self.flat._fresh(f"{method.name.value.strip('_')}_{param}"))
            self.flat.taken.add(local.value)  # type: ignore[attr-defined]
            names[param] = local
            assignment = cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(local)], value)])
            prelude += inline.rendered(self.flat.module, assignment, line, indent)
        return names, prelude


@dataclass
class _Frame:
    owner: str  # `self` inside a method; the instance's name in the scope that made it
    names: dict[str, cst.BaseExpression]  # parameters -> arguments, renamed locals


def _plan_names(flat: _Flattening) -> None:
    """What replaces `self.x`, and which locals of a method are renamed (a name the flattened scope already
    uses; the first method inlined keeps its names)."""
    flat.taken = _names_in_scope(flat)
    for method in flat.methods.values():
        flat.taken |= _free_reads(method)
    init = flat.methods.get("__init__")
    binding = bind(_unbound(init), flat.made.body[0].value) if init else {}  # type: ignore[attr-defined]
    assigned_arguments: dict[str, cst.BaseExpression] = {}  # __init__'s parameter -> the local it is assigned to
    for attribute in sorted(flat.setters):
        param = _kept_parameter(init, attribute, binding, flat) if init else None
        if param is not None:
            flat.aliases.add(attribute)  # `self.x = x` goes: `self.x` is the argument, or a local set to it
            argument = binding[param]
            renamed = isinstance(argument, cst.Name) and argument.value != param  # keep the class's word for it
            if isinstance(argument, inline.ATOMIC) and not renamed and _root(argument) not in flat.written_after:
                flat.attributes[attribute] = argument
                continue
            assigned_arguments[param] = cst.Name(flat._fresh(attribute))
            flat.attributes[attribute] = assigned_arguments[param]
        else:
            local = attribute if attribute not in flat.taken or _moved_argument(flat, init, attribute, binding) else None
            flat.attributes[attribute] = cst.Name(local or flat._fresh(f"{flat.instance}_{attribute}"))
        flat.taken.add(flat.attributes[attribute].value)  # type: ignore[attr-defined]
    for method in _order(flat):
        params = set(inline.param_names(method))
        renames: dict[str, cst.BaseExpression] = dict(assigned_arguments) if method is init else {}
        for local in sorted(flat.assigned(method) - params):
            if local in flat.taken:
                renames[local] = cst.Name(flat._fresh(f"{method.name.value.strip('_')}_{local}"))
            flat.taken.add(renames[local].value if local in renames else local)  # type: ignore[attr-defined]
        flat.locals[method.name.value] = renames


def _names_in_scope(flat: _Flattening) -> set[str]:
    """Names a flattened local could hide: the scope's own, and (from a function) the module's globals."""
    found: set[str] = set()
    stack: list[cst.CSTNode] = [flat.module]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            found.add(node.value)
            continue
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node is not flat.scope:
            found.add(node.name.value)
            if not isinstance(flat.scope, cst.Module) or node is flat.cls:
                continue  # a function's locals are its own; flattened module-level names are globals to all
        below = children(node)
        if isinstance(node, cst.Attribute):  # `torch.device`: `device` is no name of this scope
            below = [node.value]
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            below = [node.value]
        stack.extend(below)
    return found


def _moved_argument(flat: _Flattening, init, attribute: str, binding) -> bool:
    """`self.model = model.to(device)`, `model` passed by that name and not used again outside the class:
    the local keeps the name (Module.to moves the module in place and returns it)."""
    value = _only_assignment(init, attribute)
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in MOVES):
        return False
    param = value.func.value
    if not isinstance(param, cst.Name) or not isinstance(binding.get(param.value), cst.Name):
        return False
    passed = binding[param.value].value
    later = flat.index.line(flat.made)
    uses = [n for n in flat.index.of_kind(cst.Name) if n.value == passed and not flat.index.contains(flat.cls, n)]
    return passed == attribute and all(flat.index.line(n) <= later for n in uses)


def _order(flat: _Flattening) -> list[cst.FunctionDef]:
    """Methods in the order they are first inlined (depth first from the scope); a cycle is refused."""
    order: list[cst.FunctionDef] = []
    if "__init__" in flat.methods:
        _visit(flat, flat.methods["__init__"], (), order)
    for call in flat._calls_in(flat.scope, flat.instance):
        _visit(flat, flat.methods[call.func.attr.value], (), order)  # type: ignore[attr-defined]
    return order


def _visit(flat: _Flattening, method: cst.FunctionDef, path: tuple[str, ...], order: list[cst.FunctionDef]) -> None:
    if method.name.value in path:
        raise Unflattenable(f"{method.name.value} calls itself")
    if method not in order:
        order.append(method)
    for callee in flat._calls_in(method, _self_name(method)):
        _visit(flat, flat.methods[callee.func.attr.value], (*path, method.name.value), order)  # type: ignore[attr-defined]


def _methods(cls: cst.ClassDef) -> dict[str, cst.FunctionDef] | None:
    """The class's methods, when it is a plain class of undecorated methods (no bases, no class attributes)."""
    if not _plain(cls):
        return None
    statements = list(cls.body.body) if isinstance(cls.body, cst.IndentedBlock) else []
    if statements and is_docstring(statements[0]):
        statements = statements[1:]
    if not statements or not all(isinstance(s, cst.FunctionDef) and _grad_mode(s) is not False for s in statements):
        return None
    methods = {s.name.value: s for s in statements}  # type: ignore[union-attr]
    if any(not m.params.params for m in methods.values()):
        return None
    return methods


def _not_plain(cls: cst.ClassDef) -> str:
    """Why `_methods` found no plain class, in the class's own terms."""
    name = cls.name.value
    bases = [code(b.value) for b in cls.bases if not (isinstance(b.value, cst.Name) and b.value.value == "object")]
    if bases:
        itself = ", a model that trains itself: move its loop out of the class, or keep it under Fabric" if any(
            b.split(".")[-1] == "Module" for b in bases) else ""  # fmt: skip
        return f"{name} has the base class{'es' if len(bases) > 1 else ''} {', '.join(f'`{b}`' for b in bases)}{itself}"
    if cls.decorators or cls.keywords:
        return f"{name} has a class decorator or a metaclass"
    return f"{name} has class attributes, a decorated method or a method without `self`"


def _plain(cls: cst.ClassDef) -> bool:
    """No bases but `object`, no decorators, no metaclass."""
    bases = all(isinstance(b.value, cst.Name) and b.value.value == "object" for b in cls.bases)
    return bases and not cls.decorators and not cls.keywords


def _grad_mode(method: cst.FunctionDef) -> cst.BaseExpression | None | bool:
    """The context manager of a `@torch.no_grad()` (or `inference_mode()`) method, None without decorators, False
    for any other decorator (a property, a staticmethod: not inlined)."""
    if not method.decorators:
        return None
    decorator = method.decorators[0].decorator
    if len(method.decorators) == 1 and isinstance(decorator, cst.Call) and not decorator.args:
        if isinstance(decorator.func, cst.Attribute) and decorator.func.attr.value in GRAD_MODES:
            return decorator
    return False


def _trains(node: cst.FunctionDef | cst.ClassDef) -> bool:
    return any(isinstance(n, cst.Attribute) and n.attr.value == "backward" for n in walk(node.body))


def _instantiation(cls: cst.ClassDef, index: Index) -> cst.SimpleStatementLine | None:
    """The one statement `name = Cls(...)`, when the class name is used nowhere else."""
    uses = [n for n in index.of_kind(cst.Name) if n.value == cls.name.value and n is not cls.name]
    if len(uses) != 1:
        return None
    call = index.parent(uses[0])
    assign = index.parent(call) if isinstance(call, cst.Call) and call.func is uses[0] else None
    statement = index.parent(assign) if isinstance(assign, cst.Assign) else None
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1 or len(assign.targets) != 1:
        return None
    return statement if isinstance(assign.targets[0].target, cst.Name) else None


def _scope(node: cst.CSTNode, index: Index) -> cst.CSTNode:
    """The function (or lambda, class, module) whose namespace a node is in."""
    current = index.parent(node)
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)):
        current = index.parent(current)
    return current if current is not None else index.module


def _self_name(method: cst.FunctionDef) -> str:
    return method.params.params[0].name.value


def _unbound(method: cst.FunctionDef) -> cst.FunctionDef:
    """The method without `self`, for binding a call's arguments."""
    return method.with_changes(params=method.params.with_changes(params=method.params.params[1:]))


def _setters(methods) -> Counter[str]:
    """Attribute -> how many statements assign `self.<attribute>` (plain, augmented or annotated) in any method."""
    found: Counter[str] = Counter()
    for method in methods:
        owner = _self_name(method)
        for node in walk(method.body):
            if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                found.update({p.attr.value for t in targets_of(node) for p in walk(t) if isinstance(p, cst.Attribute)
                              and isinstance(p.value, cst.Name) and p.value.value == owner})  # fmt: skip
    return found


def _set_attribute(statement: cst.CSTNode, owner: str) -> str | None:
    """`x` for a statement `owner.x = value`."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == owner:
            return target.attr.value
    return None


def _only_assignment(init: cst.FunctionDef | None, attribute: str) -> cst.BaseExpression | None:
    """The value of the first top-level `self.<attribute> = value` of `__init__`."""
    if init is None:
        return None
    for statement in init.body.body:  # type: ignore[union-attr]
        if _set_attribute(statement, _self_name(init)) == attribute:
            return statement.body[0].value  # type: ignore[union-attr]
    return None


def _kept_parameter(init: cst.FunctionDef, attribute: str, binding, flat: _Flattening) -> str | None:
    """`p` for `self.x = p` in `__init__`, when no method sets `self.x` again and `p` is never reassigned."""
    value = _only_assignment(init, attribute)
    if not isinstance(value, cst.Name) or value.value not in binding or value.value in flat.assigned(init):
        return None
    return value.value if flat.setters[attribute] == 1 else None


def _root(expression: cst.BaseExpression) -> str | None:
    while isinstance(expression, cst.Attribute):
        expression = expression.value
    return expression.value if isinstance(expression, cst.Name) else None


def _free_reads(method: cst.FunctionDef) -> set[str]:
    """Names a method reads that are not its own (globals, builtins): a flattened local must not hide them."""
    return reads(method.body) - set(inline.param_names(method)) - inline.assigned(method)


def _marker(k: int, statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    call = cst.Call(cst.Name(f"__t2l_inline_{k}"))
    return cst.SimpleStatementLine([cst.Expr(call)], leading_lines=statement.leading_lines)


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        self.replacements = replacements

    def on_leave(self, original, updated):
        return self.replacements.get(id(original), updated)


def _replace(node: cst.CSTNode, replacements: dict[int, cst.CSTNode]) -> cst.CSTNode:
    return node.visit(_Replace(replacements))

"""An `isinstance` test the script's own values answer -> the branch that runs (T2L165).

    def train_epoch(net, train_iter, loss, updater):          def train_epoch(net, train_iter, loss, updater):
        if isinstance(net, torch.nn.Module):                      net.train()
            net.train()                                           for X, y in train_iter:
        for X, y in train_iter:                                       l = loss(net(X), y)
            l = loss(net(X), y)                         ->            updater.zero_grad()
            if isinstance(updater, torch.optim.Optimizer):            l.mean().backward()
                updater.zero_grad()                                   updater.step()
                l.mean().backward()
                updater.step()                                ...
            else:                                             trainer = torch.optim.SGD(net.parameters(), lr=0.1)
                l.sum().backward()                            train_epoch(net, train_iter, loss, trainer)
                updater(X.shape[0])
    ...
    trainer = torch.optim.SGD(net.parameters(), lr=0.1)
    train_epoch(net, train_iter, loss, trainer)

Dive into Deep Learning's training functions are written for a torch optimizer or a hand-written updater, for a
`nn.Module` or a plain function: the branch the script never takes made the loop one with two backward calls
(manual optimization) or none the rules could follow. Only where the answer is sure: the tested name a parameter
of a function called by name only (never passed around), each call handing in a name set once, or set once
itself, to a torch optimizer (`torch.optim.SGD(...)`), a torch module (`nn.Sequential(...)`, a class of the
script based on `nn.Module`, `.to(device)` of one) or a function of the script; every value giving one answer.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from converter.analysis import apply_edits
from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text
from converter.convert.normalize.phase_function import compiles
from converter.convert.plan import bind
from converter.names import Imports, code, dotted, writes
from converter.report import line_map
from converter.torch_names import is_optimizer

CODES = {"T2L165": "`if isinstance(updater, torch.optim.Optimizer):` where every value the name can hold is one the "
                   "script builds (a torch optimizer, a module, a function of its own) -> the branch that runs"}  # fmt: skip
RUNS_ON = BEFORE_PLANNING

OPTIMIZER = ("torch.optim.Optimizer", "torch.optim.optimizer.Optimizer")
MODULE = ("torch.nn.Module", "torch.nn.modules.module.Module")
RETURNS_ITSELF = {"to", "cuda", "cpu", "float", "double", "half", "train", "eval"}  # module methods returning the module
DEPTH = 4  # calls followed back from a parameter to a value
ROUNDS = 3  # passes over a script whose folds let further tests be answered


def normalize(text: Text) -> Normalized | None:
    """The tests answered, again on the result while that answers more (a fold can leave a name set once that was
    set under a test: d2l's `if isinstance(net, nn.Module): updater = torch.optim.SGD(...)`), at most ROUNDS times."""
    if "isinstance(" not in text.source or not ("Optimizer" in text.source or "Module" in text.source):
        return None
    result = _answered(text)
    for _ in range(ROUNDS - 1):
        more = _answered(Text(result.source, text.path)) if result is not None else None
        if more is None:
            break
        result = Normalized(more.source, _composed(more.original_line, result.original_line), result.code, result.line,
                            result.message)  # fmt: skip
    return result


def _composed(inner: Callable[[int], int], outer: Callable[[int], int]) -> Callable[[int], int]:
    return lambda line: outer(inner(line))


def _answered(text: Text) -> Normalized | None:
    tests = _Tests(text)
    edits: dict[int, list] = {}
    answered: list[cst.If] = []
    for branch in text.index.of_kind(cst.If):
        if not isinstance(text.index.parent(branch), (cst.IndentedBlock, cst.Module)):
            continue  # an `elif`: its chain's head is the statement
        answer = tests.answer(branch.test)
        if answer is None:
            continue
        kept = _kept(branch, answer)
        if kept is None:
            continue
        edits[id(branch)] = [lambda updated, answer=answer: _kept(updated, answer) or updated]  # inner folds kept
        answered.append(branch)
    if not answered:
        return None
    source = apply_edits(text.index, edits).code
    if not compiles(source):
        return None
    first = answered[0]
    more = f" (and {len(answered) - 1} more)" if len(answered) > 1 else ""
    message = (f"`if {code(first.test)}:`{more} -> the branch that runs: every value the name can hold here is "
               "one the script builds")  # fmt: skip
    return Normalized(source, line_map(text.source.splitlines(), source.splitlines()), "T2L165", text.index.line(first), message)


def _kept(branch: cst.If, answer: bool) -> object | None:
    """What the `if` becomes: its body, or its `else:` body / `elif` (None when that leaves a block empty)."""
    if answer:
        statements = list(branch.body.body) if isinstance(branch.body, cst.IndentedBlock) else None
    elif branch.orelse is None:
        return cst.RemovalSentinel.REMOVE
    elif isinstance(branch.orelse, cst.If):
        return branch.orelse.with_changes(leading_lines=branch.leading_lines)
    else:
        statements = list(branch.orelse.body.body) if isinstance(branch.orelse.body, cst.IndentedBlock) else None
    if not statements:
        return None
    statements[0] = statements[0].with_changes(leading_lines=[*branch.leading_lines, *statements[0].leading_lines])
    return cst.FlattenSentinel(statements)


class _Tests:
    """`isinstance(name, torch.optim.Optimizer)` / `isinstance(name, nn.Module)` answered from the values the
    name can hold, or None."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.imports = Imports(text.module)
        self.top = text.module.body
        self.classes = {s.name.value: s for s in self.top if isinstance(s, cst.ClassDef)}

    def answer(self, test: cst.BaseExpression) -> bool | None:
        if not (isinstance(test, cst.Call) and dotted(test.func) == "isinstance" and len(test.args) == 2
                and all(a.keyword is None and not a.star for a in test.args)):  # fmt: skip
            return None
        name, kind = dotted(test.args[0].value), self.imports.qualified(test.args[1].value)
        if name is None or "." in name or kind not in (*OPTIMIZER, *MODULE):
            return None
        values = self._values(name, self._scope_of(test), DEPTH)
        answers = {self._is(value, kind in OPTIMIZER) for value in values or ()}
        return answers.pop() if len(answers) == 1 and None not in answers else None

    def _scope_of(self, node: cst.CSTNode) -> cst.FunctionDef | cst.Module:
        current = self.text.index.parent(node)
        while current is not None and not isinstance(current, (cst.FunctionDef, cst.Module)):
            current = self.text.index.parent(current)
        return current if current is not None else self.text.module

    def _values(self, name: str, scope: cst.FunctionDef | cst.Module, depth: int) -> list[cst.CSTNode] | None:
        """Every value `name` can hold where `scope` reads it: the arguments of each call for a parameter, the
        one value it is set to otherwise; None when that is not sure."""
        if depth == 0:
            return None
        if isinstance(scope, cst.FunctionDef) and name in {p.name.value for p in scope.params.params}:
            if name in writes(scope.body):
                return None
            values: list[cst.CSTNode] = []
            for call in self._calls_of(scope) or ():
                argument = bind(scope, call).get(name)
                if argument is None:
                    return None
                found = self._value(argument, self._scope_of(call), depth - 1)
                if found is None:
                    return None
                values += found
            return values or None
        setting = scope if isinstance(scope, cst.FunctionDef) and name in writes(scope.body) else self.text.module
        return self._set_once(name, setting)

    def _value(self, expression: cst.BaseExpression, scope: cst.FunctionDef | cst.Module, depth: int) -> list[cst.CSTNode] | None:
        if isinstance(expression, cst.Name):
            return self._values(expression.value, scope, depth)
        return [expression]

    def _set_once(self, name: str, scope: cst.FunctionDef | cst.Module) -> list[cst.CSTNode] | None:
        """The one value a scope sets `name` to (`name = value`, or `def name`): None when set twice or otherwise."""
        body = scope.body.body if isinstance(scope, cst.FunctionDef) and isinstance(scope.body, cst.IndentedBlock) else scope.body
        setting = [s for s in body if name in writes(s) or isinstance(s, cst.FunctionDef) and s.name.value == name]
        if len(setting) != 1 or (isinstance(scope, cst.Module) and self._set_in_functions(name)):
            return None
        statement = setting[0]
        if isinstance(statement, cst.FunctionDef):
            return [statement]
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and dotted(small.targets[0].target) == name:
            return [small.value]
        return None

    def _set_in_functions(self, name: str) -> bool:
        """A `global name` anywhere: a function may set the module's name too."""
        return any(name in (n.name.value for n in g.names) for g in self.text.index.of_kind(cst.Global))

    def _calls_of(self, function: cst.FunctionDef) -> list[cst.Call] | None:
        """The calls of a function of the script, when it is only ever called by its name (never passed around)."""
        named = function.name.value
        uses = [n for n in self.text.index.of_kind(cst.Name) if n.value == named and n is not function.name]
        calls = [c for c in self.text.index.of_kind(cst.Call) if isinstance(c.func, cst.Name) and c.func.value == named]
        definitions = [f for f in self.text.index.of_kind(cst.FunctionDef) if f.name.value == named]
        if len(definitions) != 1 or len(uses) != len(calls) or any(a.star for c in calls for a in c.args):
            return None
        return calls or None

    def _is(self, value: cst.CSTNode, optimizer: bool) -> bool | None:
        """Whether a value is a torch optimizer (or a module); None when it cannot be told."""
        if isinstance(value, (cst.FunctionDef, cst.Lambda)):
            return False
        while (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
               and value.func.attr.value in RETURNS_ITSELF and not optimizer):  # fmt: skip
            value = value.func.value  # `Net().to(device)`
        if not isinstance(value, cst.Call):
            return None
        called = self.imports.call_name(value) or ""
        if optimizer:
            return True if is_optimizer(called) else None
        if called.startswith("torch.nn.") and called.rsplit(".", 1)[-1][:1].isupper() and called.count(".") == 2:
            return True
        return True if self._module_class(called) else None

    def _module_class(self, name: str) -> bool:
        """A class of the script with torch.nn.Module among its bases, through the script's own classes."""
        seen, todo = {name}, [self.classes[name]] if name in self.classes else []
        while todo:
            for base in todo.pop().bases:
                qualified = self.imports.qualified(base.value) or ""
                if qualified in MODULE:
                    return True
                if qualified in self.classes and qualified not in seen:
                    seen.add(qualified)
                    todo.append(self.classes[qualified])
        return False

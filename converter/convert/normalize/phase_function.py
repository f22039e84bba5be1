"""A function run for both phases (`run_epoch(loader, train=True)`) -> one copy per phase (T2L155), then converted
as a train function and an evaluation function.

    def run_epoch(loader, optimizer=None):            def run_epoch_train(loader, optimizer=None):
        is_train = optimizer is not None                  model.train()
        model.train(is_train)                             for x, y in loader:
        with torch.set_grad_enabled(is_train):               loss = criterion(model(x), y)
            for x, y in loader:                 ->            optimizer.zero_grad(); loss.backward(); ...
                loss = criterion(model(x), y)                 total += loss.item()
                if is_train:                          ...
                    optimizer.zero_grad(); ...    def run_epoch_eval(loader, optimizer=None):
                total += loss.item()                  model.eval()
        ...                                           with torch.no_grad():
                                                          for x, y in loader: ...
    run_epoch(train_loader, optimizer)            run_epoch_train(train_loader, optimizer)
    run_epoch(val_loader)                         run_epoch_eval(val_loader)

When every call of the function says which phase it runs (the flag parameter given as True/False or left to its
default; `optimizer` given or not, for `is_train = optimizer is not None`; `phase == "train"` on a string given),
each copy is the body with the flag's value put in: `if` branches chosen, `torch.set_grad_enabled(True)` dropped and
`(False)` made `torch.no_grad()`, `model.train(False)` made `model.eval()`. Each copy runs what the function ran for
that phase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from converter.analysis import walk as _walk
from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text
from converter.names import dotted
from converter.report import line_map

CODES = {"T2L155": "a function run for both phases (`if is_train:` around the step) -> one copy per phase, then converted"}
# Before planning: unsplit, such a function is the training and the evaluation at once, which no rule can read
# right (a step under `if is_train:` read as a condition of every batch; without one, the evaluation's calls were left to a function
# the training's conversion removed).
RUNS_ON = BEFORE_PLANNING


def normalize(text: Text) -> Normalized | None:
    tested = {n.test.value for n in text.index.of_kind(cst.If) if isinstance(n.test, cst.Name)}  # `if is_train:`
    if not tested:
        return None  # (it runs before planning on every input: this is its cheap test)
    for function in text.module.body:
        if isinstance(function, cst.FunctionDef):
            found = _phases(text, function, tested)
            if found is not None:
                return _split(text, function, *found)
    return None


@dataclass
class _Flag:
    """How a function tells its phase: a parameter, or a local computed from one at the top of its body."""

    name: str
    parameter: cst.Param
    test: str  # "is" (the parameter itself), "given" (`is not None`), "equals" (`== "train"`)
    assignment: cst.SimpleStatementLine | None  # the local's assignment, which the copies drop
    phase: str | None = None  # the string "equals" compares with

    def value(self, argument: cst.BaseExpression | None) -> bool | None:
        """The flag's value for what a call passes for the parameter (None: left to a default that is not there)."""
        if self.test == "given":  # `is_train = optimizer is not None`
            return argument is not None and dotted(argument) != "None"
        if self.test == "is":  # the parameter itself
            return {"True": True, "False": False}.get(dotted(argument) or "") if argument is not None else None
        if isinstance(argument, cst.SimpleString):  # `is_train = phase == "train"`
            return argument.evaluated_value == self.phase
        return None


def _phases(text: Text, function: cst.FunctionDef, tested: set[str]) -> tuple[_Flag, dict[int, bool]] | None:
    """The function's flag and, for each of its calls, the phase it runs; None unless every call is known and
    both phases run (or the function is not only called)."""
    flag = _flag(function, tested)
    if flag is None or not _steps_under(function, flag.name):
        return None
    name = function.name.value
    calls = [n for n in text.index.of_kind(cst.Call) if dotted(n.func) == name]
    references = sum(1 for n in text.index.of_kind(cst.Name) if n.value == name)
    if not calls or references != len(calls) + 1:  # passed around, or called as `x.run_epoch`: not every call known
        return None
    values: dict[int, bool] = {}
    for call in calls:
        argument = _argument(call, function, flag.parameter)
        if argument is False:
            return None
        value = flag.value(argument)  # type: ignore[arg-type]
        if value is None:
            return None
        values[id(call)] = value
    return (flag, values) if set(values.values()) == {True, False} else None


def _flag(function: cst.FunctionDef, tested: set[str]) -> _Flag | None:
    """The flag, among the names some `if` of the file tests."""
    parameters = {p.name.value: p for p in function.params.params}
    for statement in function.body.body[:3]:  # `is_train = optimizer is not None` opens the body
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
            continue
        local, value = small.targets[0].target.value, small.value
        if local not in tested:
            continue
        if isinstance(value, cst.Comparison) and len(value.comparisons) == 1 and dotted(value.left) in parameters:
            operator, right = value.comparisons[0].operator, value.comparisons[0].comparator
            parameter = parameters[dotted(value.left)]  # type: ignore[index]
            if isinstance(operator, cst.IsNot) and dotted(right) == "None":
                return _Flag(local, parameter, "given", statement)
            if isinstance(operator, cst.Equal) and isinstance(right, cst.SimpleString):
                return _Flag(local, parameter, "equals", statement, str(right.evaluated_value))
    for name, parameter in parameters.items():
        if name in tested and (parameter.default is None or dotted(parameter.default) in ("True", "False")):
            return _Flag(name, parameter, "is", None)
    return None


def _steps_under(function: cst.FunctionDef, flag: str) -> bool:
    """A `.backward()` call under `if <flag>:`."""
    for node in _walk(function.body):
        if isinstance(node, cst.If) and dotted(node.test) == flag:
            if any(isinstance(n, cst.Attribute) and n.attr.value == "backward" for n in _walk(node.body)):
                return True
    return False


def _argument(call: cst.Call, function: cst.FunctionDef, parameter: cst.Param) -> cst.BaseExpression | None | bool:
    """What the call passes for the parameter (its default when it passes nothing, None without one); False when
    that is not known (`*args`, `**kwargs`)."""
    if any(a.star for a in call.args):
        return False
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == parameter.name.value:
            return arg.value
    position = list(function.params.params).index(parameter)
    positional = [a for a in call.args if a.keyword is None]
    if position < len(positional):
        return positional[position].value
    return parameter.default


def _split(text: Text, function: cst.FunctionDef, flag: _Flag, values: dict[int, bool]) -> Normalized | None:
    name = function.name.value
    names = {True: _fresh(text.source, f"{name}_train"), False: _fresh(text.source, f"{name}_eval")}
    fold = {value: Fold({flag.name: cst.Name(str(value))}, drop=flag.assignment) for value in (True, False)}
    copies = [function.visit(fold[True]).with_changes(name=cst.Name(names[True])),
              function.visit(fold[False]).with_changes(name=cst.Name(names[False]), leading_lines=[cst.EmptyLine(), cst.EmptyLine()])]  # fmt: skip
    module = text.module.visit(_Calls(function, copies, values, names))
    source = module.code
    if not compiles(source):
        return None
    line = text.index.line(function)
    message = f"`{name}` runs both phases on `{flag.name}` -> `{names[True]}` and `{names[False]}`, one per phase"
    return Normalized(source, line_map(text.source.splitlines(), source.splitlines()), "T2L155", line, message)


def compiles(source: str) -> bool:
    """A normalizer's output must compile (a value put in where Python does not take it: left as it was)."""
    try:
        compile(source, "<normalized>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def _fresh(source: str, name: str) -> str:
    while re.search(rf"\b{re.escape(name)}\b", source):
        name += "_"
    return name


class _Calls(cst.CSTTransformer):
    """The function replaced by its two copies; each call by the copy of its phase."""

    def __init__(self, function: cst.FunctionDef, copies: list[cst.FunctionDef], values: dict[int, bool],
                 names: dict[bool, str]) -> None:  # fmt: skip
        super().__init__()
        self.function, self.copies, self.values, self.names = function, copies, values, names

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        return cst.FlattenSentinel(self.copies) if original is self.function else updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if id(original) in self.values:
            return updated.with_changes(func=cst.Name(self.names[self.values[id(original)]]))
        return updated


class Fold(cst.CSTTransformer):
    """Code for one phase: the phase's values put in for the names that told it (`is_train` -> True, `loader` ->
    `val_loader`), and what they decided chosen; `drop` (the flag's own assignment) removed."""

    def __init__(self, values: dict[str, cst.BaseExpression], drop: cst.CSTNode | None = None) -> None:
        super().__init__()
        self.values, self.drop = values, drop
        self.not_read: set[int] = set()  # attribute and keyword names: not the flag

    def visit_Parameters(self, node: cst.Parameters) -> bool:
        return False  # the signature stays: every call still passes what it passed

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_read.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_read.add(id(node.keyword))

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated):
        return cst.RemovalSentinel.REMOVE if original is self.drop else updated

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        value = self.values.get(original.value)
        return value if value is not None and id(original) not in self.not_read else updated

    def leave_FormattedString(self, original: cst.FormattedString, updated: cst.FormattedString) -> cst.FormattedString:
        """`f"{phase} loss"` with `phase` put in as "val": `f"val loss"`."""
        parts: list[cst.BaseFormattedStringContent] = []
        other_quote = "'" if '"' in updated.end else '"'  # a string put in an expression must not close the f-string
        for part in updated.parts:
            text = _plain_text(part)
            if text is not None and parts and isinstance(parts[-1], cst.FormattedStringText):
                parts[-1] = cst.FormattedStringText(parts[-1].value + text)
            elif text is not None:
                parts.append(cst.FormattedStringText(text))
            elif isinstance(part, cst.FormattedStringExpression) and isinstance(part.expression, cst.SimpleString):
                value = part.expression.evaluated_value
                parts.append(part.with_changes(expression=cst.SimpleString(f"{other_quote}{value}{other_quote}")))
            else:
                parts.append(part)
        return updated.with_changes(parts=parts)

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        """`"val" == "train"` (a phase's name put in) -> False."""
        folded = _constant(updated)
        return updated if folded is None else cst.Name(str(folded))

    def leave_BooleanOperation(self, original: cst.BooleanOperation, updated: cst.BooleanOperation) -> cst.BaseExpression:
        """`False and acc > best` -> False; `True and acc > best` -> `acc > best` (and `or` alike)."""
        left, right = _constant(updated.left), _constant(updated.right)
        deciding = isinstance(updated.operator, cst.Or)  # the value that decides `or` (True) or `and` (False)
        if left is deciding or right is deciding:
            return cst.Name(str(deciding))
        if left is not None:
            return updated.right
        if right is not None:
            return updated.left
        return updated

    def leave_If(self, original: cst.If, updated: cst.If):
        test = _constant(updated.test)
        if test is None:
            return updated
        if test:
            return cst.FlattenSentinel(updated.body.body)
        orelse = updated.orelse
        if isinstance(orelse, cst.If):
            return orelse
        return cst.FlattenSentinel(orelse.body.body) if orelse is not None else cst.RemovalSentinel.REMOVE

    def leave_IfExp(self, original: cst.IfExp, updated: cst.IfExp) -> cst.BaseExpression:
        test = _constant(updated.test)
        return updated if test is None else (updated.body if test else updated.orelse)

    def leave_With(self, original: cst.With, updated: cst.With):
        items = [i for i in updated.items if not _grad_enabled(i.item, True)]
        if not items:
            return cst.FlattenSentinel(updated.body.body)
        items = [i.with_changes(item=cst.parse_expression("torch.no_grad()")) if _grad_enabled(i.item, False) else i for i in items]
        return updated.with_changes(items=[*items[:-1], items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """`model.train(True)` -> `model.train()`, `model.train(False)` -> `model.eval()`."""
        func = updated.func
        if isinstance(func, cst.Attribute) and func.attr.value == "train" and len(updated.args) == 1:
            mode = _constant(updated.args[0].value)
            if mode is not None:
                return updated.with_changes(func=func.with_changes(attr=cst.Name("train" if mode else "eval")), args=[])
        return updated

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated if updated.body else updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])


def _plain_text(part: cst.BaseFormattedStringContent) -> str | None:
    """An f-string part that is only a plain string put in (`{'val'}`): its text, braces doubled; else None."""
    if isinstance(part, cst.FormattedStringText):
        return part.value
    if (isinstance(part, cst.FormattedStringExpression) and isinstance(part.expression, cst.SimpleString)
            and part.conversion is None and part.format_spec is None and not isinstance(part.equal, cst.AssignEqual)):  # fmt: skip
        text = str(part.expression.evaluated_value)
        if "\\" not in text and "\n" not in text and "'" not in text and '"' not in text:
            return text.replace("{", "{{").replace("}", "}}")
    return None


def _constant(test: cst.BaseExpression) -> bool | None:
    """True/False for a test the phase's values decide (`True`, `not False`, `"val" == "train"`, `"val" == "val"
    and acc > best` is left for `leave_BooleanOperation`), None for any other."""
    if dotted(test) in ("True", "False"):
        return dotted(test) == "True"
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _constant(test.expression)
        return None if inner is None else not inner
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:  # a phase's name put in: `"val" == "train"`
        (comparison,) = test.comparisons
        left, right = test.left, comparison.comparator
        if isinstance(left, cst.SimpleString) and isinstance(right, cst.SimpleString):
            if isinstance(comparison.operator, (cst.Equal, cst.NotEqual)):
                equal = left.evaluated_value == right.evaluated_value
                return equal if isinstance(comparison.operator, cst.Equal) else not equal
    return None


def _grad_enabled(item: cst.BaseExpression, value: bool) -> bool:
    return (isinstance(item, cst.Call) and dotted(item.func) == "torch.set_grad_enabled" and len(item.args) == 1
            and _constant(item.args[0].value) is value)  # fmt: skip

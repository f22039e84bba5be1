"""torchmetrics classification metrics without `task=` (T2L230, T2L233; TODO T2L961).

Lightning 2.x installs torchmetrics >= 0.11, where `Accuracy(num_classes=10)` raises: the metric classes became
factories that need `task="binary" | "multiclass" | "multilabel"`. Which metrics need it is read from the installed
torchmetrics (a `__new__` taking `task`), not kept by hand. Where the code states the classes the task is
multiclass; the factories keep the old default averages (Accuracy, Precision, Recall, F1: "micro", the share
correct; a test checks it), so the metric computes what it did. Without `num_classes` the task cannot be told from
the code (binary? multilabel?): marked, unless every call of the metric passes sigmoid probabilities
(`acc(torch.sigmoid(logits), y)`, or a name the same function assigned from `torch.sigmoid(...)`): 0.x read
float predictions shaped like the targets as binary with threshold 0.5, which is what `task="binary"` does.
"""

from __future__ import annotations

import ast

import libcst as cst

from converter.names import dotted
from converter.upgrade.engine import Upgrade
from converter.upgrade.installed import installed_class

CODES = {
    "T2L230": "torchmetrics metric without task= -> task=\"multiclass\" (num_classes given)",
    "T2L233": "torchmetrics metric without task=, fed sigmoid probabilities -> task=\"binary\"",
    "T2L961": "torchmetrics metric without task= and without num_classes: the task cannot be told from the code",
}


def needs_task(qualified: str) -> bool:
    cls = installed_class(qualified)
    new = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__new__"), None) if cls else None
    return new is not None and any(a.arg == "task" for a in [*new.args.args, *new.args.kwonlyargs])


def upgrade_torchmetrics_task(up: Upgrade) -> None:
    for call in up.nodes(cst.Call):
        qualified = up.imports.qualified(call.func)
        if not qualified or not qualified.startswith("torchmetrics.") or not needs_task(qualified):
            continue
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        if "task" in keywords or any(a.keyword is None for a in call.args):
            continue  # 2.x form already (or the task passed first, by position)
        name = qualified.rsplit(".", 1)[-1]
        if "num_classes" not in keywords and _fed_probabilities(up, call):
            _add_task(up, call, "binary")
            up.mapped("T2L233", call, f'{name}() fed sigmoid probabilities -> {name}(task="binary")')
            continue
        if "num_classes" not in keywords:
            up.todo("T2L961", call, f"torchmetrics >= 0.11 needs {name}(task=...): \"binary\", \"multiclass\" with "
                    "num_classes=, or \"multilabel\" with num_labels=")  # fmt: skip
            continue
        _add_task(up, call, "multiclass")
        up.mapped("T2L230", call, f'{name}(num_classes=...) -> {name}(task="multiclass", num_classes=...)')


def _add_task(up: Upgrade, call: cst.Call, task: str) -> None:
    added = cst.Arg(cst.SimpleString(f'"{task}"'), keyword=cst.Name("task"))
    added = _with_commas([added])[0]
    alone = added.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    up.edit(call, lambda updated: updated.with_changes(args=[added, *updated.args] if updated.args else [alone]))


def _fed_probabilities(up: Upgrade, metric: cst.Call) -> bool:
    """Every call of the metric (`self.acc(preds, y)`, `.update(...)`, `.forward(...)`) passes sigmoid outputs."""
    name = up.assigned_name(metric)
    if name is None:
        return False
    uses = [c for c in up.nodes(cst.Call) if dotted(c.func) == name or (
        isinstance(c.func, cst.Attribute) and c.func.attr.value in ("update", "forward") and dotted(c.func.value) == name)]
    return bool(uses) and all(c.args and _is_sigmoid(up, c.args[0].value, c) for c in uses)


def _is_sigmoid(up: Upgrade, expr: cst.BaseExpression, at: cst.Call) -> bool:
    if isinstance(expr, cst.Call):
        return up.imports.qualified(expr.func) == "torch.sigmoid" or (
            isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "sigmoid" and not expr.args)
    if not isinstance(expr, cst.Name):
        return False
    scope = up.scope_of(at)
    values = [a.value for a in up.nodes(cst.Assign, scope) if any(dotted(t.target) == expr.value for t in a.targets)]
    return bool(values) and all(_is_sigmoid(up, v, at) for v in values)


def _with_commas(args: list[cst.Arg]) -> list[cst.Arg]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    return [a.with_changes(comma=comma, equal=equal) for a in args]

"""torchmetrics classification metrics without `task=` (T2L230, T2L233, T2L234; TODO T2L961) and the removed
`compute_on_step=` (T2L235; TODO T2L965).

Lightning 2.x installs torchmetrics >= 0.11, where `Accuracy(num_classes=10)` raises: the metric classes became
factories that need `task="binary" | "multiclass" | "multilabel"`. Which metrics need it is read from the installed
torchmetrics (a `__new__` taking `task`), not kept by hand. Where the code states the classes the task is
multiclass; the factories keep the old default averages (Accuracy, Precision, Recall, F1: "micro", the share
correct; a test checks it), so the metric computes what it did. Without `num_classes` the task cannot be told from
the code (binary? multilabel?): marked, unless every call of the metric passes sigmoid probabilities
(`acc(torch.sigmoid(logits), y)`, or a name the same function assigned from `torch.sigmoid(...)`): 0.x read
float predictions shaped like the targets as binary with threshold 0.5, which is what `task="binary"` does. Fed
softmax scores (`acc(logits.softmax(-1), y)`) in a function given `num_classes` (a model's `__init__`), the task is
multiclass over that count: if the count were wrong, torchmetrics raises on the scores' shape, so it is never
silently wrong. Fed the scores a cross-entropy/NLL loss is taken on, the output of a model whose last layer is
`nn.Linear(_, C)` (class_count.py, which may read the model's class in another local file), the task is multiclass
over C: applied with a TODO (T2L966) where that model is only a default (`model or Net()`).
"""

from __future__ import annotations

import ast

import libcst as cst

from converter.names import dotted
from converter.syntax import with_args
from converter.upgrade.class_count import class_count
from converter.upgrade.engine import Upgrade, keyword
from converter.upgrade.installed import installed_class

CODES = {
    "T2L230": "torchmetrics metric without task= -> task=\"multiclass\" (num_classes given)",
    "T2L233": "torchmetrics metric without task=, fed sigmoid probabilities -> task=\"binary\"",
    "T2L234": "torchmetrics metric without task=, fed softmax scores where num_classes is given -> task=\"multiclass\"",
    "T2L236": "torchmetrics metric without task=, fed the class scores of a model whose last layer states the count "
              "-> task=\"multiclass\", num_classes=<that count>",
    "T2L235": "torchmetrics compute_on_step= (removed) dropped where no call's result is used",
    "T2L961": "torchmetrics metric without task= and without num_classes: the task cannot be told from the code",
    "T2L966": "torchmetrics metric without task=: task=\"multiclass\" with the class count of the default model's last "
              "layer (applied; a model passed in with another count raises at the first update)",
    "T2L965": "torchmetrics compute_on_step= (removed) where a call's result is used: marked",
}


def needs_task(qualified: str) -> bool:
    cls = installed_class(qualified)
    new = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__new__"), None) if cls else None
    return new is not None and any(a.arg == "task" for a in [*new.args.args, *new.args.kwonlyargs])


def upgrade_torchmetrics_task(up: Upgrade) -> None:
    for call in up.nodes(cst.Call):
        qualified = up.imports.qualified(call.func)
        if not qualified or not qualified.startswith("torchmetrics."):
            continue
        _compute_on_step(up, call)
        if not needs_task(qualified):
            continue
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        if "task" in keywords or any(a.keyword is None for a in call.args):
            continue  # 2.x form already (or the task passed first, by position)
        name = qualified.rsplit(".", 1)[-1]
        if "num_classes" not in keywords and _fed(up, call, SIGMOID):
            _add_task(up, call, "binary")
            up.mapped("T2L233", call, f'{name}() fed sigmoid probabilities -> {name}(task="binary")')
            continue
        if "num_classes" not in keywords and _fed(up, call, SOFTMAX) and _has_parameter(up, call, "num_classes"):
            _add_task(up, call, "multiclass", "num_classes")
            up.mapped("T2L234", call, f'{name}() fed softmax scores, built where num_classes is given -> {name}('
                      'task="multiclass", num_classes=num_classes) (a wrong count raises: torchmetrics checks the shape)')  # fmt: skip
            continue
        count = class_count(up, call, _uses(up, call)) if "num_classes" not in keywords else None
        if count is not None:
            _add_task(up, call, "multiclass", str(count.classes))
            what = (f'{name}() fed class scores a cross-entropy/NLL loss is taken on -> {name}(task="multiclass", '
                    f"num_classes={count.classes}), the count of {count.layer}")  # fmt: skip
            if count.default:
                up.todo("T2L966", call, f"{what}, the model built when none is given: a model passed in with another "
                        "class count makes torchmetrics raise at the first update (it checks the scores' shape)")  # fmt: skip
            else:
                up.mapped("T2L236", call, what)
            continue
        if "num_classes" not in keywords:
            up.todo("T2L961", call, f"torchmetrics >= 0.11 needs {name}(task=...): \"binary\", \"multiclass\" with "
                    "num_classes=, or \"multilabel\" with num_labels=")  # fmt: skip
            continue
        _add_task(up, call, "multiclass")
        up.mapped("T2L230", call, f'{name}(num_classes=...) -> {name}(task="multiclass", num_classes=...)')


def _add_task(up: Upgrade, call: cst.Call, task: str, num_classes: str | None = None) -> None:
    added = [keyword("task", f'"{task}"'), *([keyword("num_classes", num_classes)] if num_classes else [])]
    up.edit(call, lambda updated: with_args(updated, [*added, *updated.args]))


def _compute_on_step(up: Upgrade, call: cst.Call) -> None:
    """`compute_on_step=` left torchmetrics in 0.9 (a ValueError now). With False, forward returned None, so
    dropping it changes nothing where no call's result is used; elsewhere it is marked."""
    arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == "compute_on_step"), None)
    if arg is None:
        return
    uses = _uses(up, call)
    if uses and all(isinstance(up.parent(c), cst.Expr) for c in uses):
        up.edit(call, lambda updated: with_args(updated, [a for a in updated.args if a.keyword is None
                                                          or a.keyword.value != "compute_on_step"]))
        up.mapped("T2L235", arg, "compute_on_step= dropped (removed from torchmetrics); no call's result is used")
    else:
        up.todo("T2L965", arg, "compute_on_step= was removed from torchmetrics: forward now always returns the "
                "batch's value; drop it and check what reads the result")  # fmt: skip


def _uses(up: Upgrade, metric: cst.Call) -> list[cst.Call]:
    """The calls of the metric a statement builds (`self.acc(preds, y)`, `.update(...)`, `.forward(...)`)."""
    name = up.assigned_name(metric)
    if name is None:
        return []
    return [c for c in up.nodes(cst.Call) if dotted(c.func) == name or (
        isinstance(c.func, cst.Attribute) and c.func.attr.value in ("update", "forward") and dotted(c.func.value) == name)]


SIGMOID = frozenset({"sigmoid"})
SOFTMAX = frozenset({"softmax", "log_softmax"})


def _fed(up: Upgrade, metric: cst.Call, functions: frozenset[str]) -> bool:
    """Every call of the metric passes the output of one of `functions` (torch.sigmoid(x), x.softmax(-1),
    F.softmax(x, dim=1), or a name the same function assigned from one)."""
    uses = _uses(up, metric)
    return bool(uses) and all(c.args and _made_by(up, c.args[0].value, c, functions) for c in uses)


def _made_by(up: Upgrade, expr: cst.BaseExpression, at: cst.Call, functions: frozenset[str]) -> bool:
    if isinstance(expr, cst.Call):
        qualified = up.imports.qualified(expr.func) or ""
        method = isinstance(expr.func, cst.Attribute) and expr.func.attr.value in functions
        return method or qualified.rsplit(".", 1)[-1] in functions and qualified.startswith("torch")
    if not isinstance(expr, cst.Name):
        return False
    scope = up.scope_of(at)
    values = [a.value for a in up.nodes(cst.Assign, scope) if any(dotted(t.target) == expr.value for t in a.targets)]
    return bool(values) and all(_made_by(up, v, at, functions) for v in values)


def _has_parameter(up: Upgrade, call: cst.Call, name: str) -> bool:
    scope = up.scope_of(call)
    return isinstance(scope, cst.FunctionDef) and any(p.name.value == name for p in scope.params.params)

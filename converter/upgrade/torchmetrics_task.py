"""torchmetrics classification metrics without `task=` (T2L230; TODO T2L961).

Lightning 2.x installs torchmetrics >= 0.11, where `Accuracy(num_classes=10)` raises: the metric classes became
factories that need `task="binary" | "multiclass" | "multilabel"`. Which metrics need it is read from the installed
torchmetrics (a `__new__` taking `task`), not kept by hand. Where the code states the classes the task is
multiclass; the factories keep the old default averages (Accuracy, Precision, Recall, F1: "micro", the share
correct; a test checks it), so the metric computes what it did. Without `num_classes` the task cannot be told from
the code (binary? multilabel?): marked.
"""

from __future__ import annotations

import ast

import libcst as cst

from converter.upgrade.engine import Upgrade
from converter.upgrade.installed import installed_class

CODES = {
    "T2L230": "torchmetrics metric without task= -> task=\"multiclass\" (num_classes given)",
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
        if "num_classes" not in keywords:
            up.todo("T2L961", call, f"torchmetrics >= 0.11 needs {name}(task=...): \"binary\", \"multiclass\" with "
                    "num_classes=, or \"multilabel\" with num_labels=")  # fmt: skip
            continue
        added = [cst.Arg(cst.SimpleString('"multiclass"'), keyword=cst.Name("task"))]
        up.edit(call, lambda updated, added=added: updated.with_changes(args=[*_with_commas(added), *updated.args]))
        up.mapped("T2L230", call, f'{name}(num_classes=...) -> {name}(task="multiclass", num_classes=...)')


def _with_commas(args: list[cst.Arg]) -> list[cst.Arg]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    return [a.with_changes(comma=comma, equal=equal) for a in args]

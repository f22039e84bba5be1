"""`model = model.eval()` (or `.train()`) becomes the call alone (T2L154), then converts like one (T2L105).

    def eval_model(model, loader):               def eval_model(model, loader):
        model = model.eval()             ->          model.eval()
        ...                                          ...

A module's train() and eval() return the module itself, so the assignment binds the name to the object it
already held. Written as a call, the rules see the mode switch they map; as an assignment, a train or evaluation
function that does this to its `model` parameter made the model a local of its own, which the hooks then read
before anything set it (an AttributeError after a clean exit). Only `name = name.train(...)` / `name.eval()`,
one statement on one line; every line keeps its number.
"""

from __future__ import annotations

import ast
import re

from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text, python_tree

CODES = {"T2L154": "`model = model.eval()` / `model = model.train()` -> the call alone: both return the module itself"}
RUNS_ON = BEFORE_PLANNING

_CANDIDATE = re.compile(r"\b(\w+)[ \t]*=[ \t]*\1\.(train|eval)\(")  # a cheap test before any parse
_ASSIGNED_SWITCH = re.compile(r"=[ \t]*\w+\.(?:train|eval)\(")  # cheaper still (no backreference): most inputs stop here


def normalize(text: Text) -> Normalized | None:
    if not _ASSIGNED_SWITCH.search(text.source) or not _CANDIDATE.search(text.source):
        return None
    tree = python_tree(text.source)
    if tree is None:
        return None
    lines = text.source.splitlines(keepends=True)
    rewritten = []
    for node in ast.walk(tree):
        if _switch_assigned_to_itself(node) and node.lineno == node.end_lineno:
            line = lines[node.lineno - 1]
            lines[node.lineno - 1] = line[: node.col_offset] + line[node.value.col_offset :]  # drop `model = `
            rewritten.append(node.lineno)
    if not rewritten:
        return None
    first = min(rewritten)
    more = f" (and {len(rewritten) - 1} more)" if len(rewritten) > 1 else ""
    message = f"`{text.source.splitlines()[first - 1].strip()}`{more} -> the call alone: train()/eval() return the module"
    return Normalized("".join(lines), lambda line: line, "T2L154", first, message)


def _switch_assigned_to_itself(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
        return False
    call = node.value
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in ("train", "eval")
            and isinstance(call.func.value, ast.Name) and call.func.value.id == node.targets[0].id
            and not call.keywords and len(call.args) <= (1 if call.func.attr == "train" else 0))  # fmt: skip

"""How many classes a LightningModule's scores have, where the code states it, for a metric built without
`num_classes` (`self.test_acc = Accuracy()` in Lightning 1.5's MNIST examples).

Read, in order: every call of the metric gets the module's own output (`logits = self(x)`, `self.forward(x)` or
`self.model(x)`), and the same function takes a cross-entropy or NLL loss of that tensor, so it holds (N, C) class
scores; `forward` returns `self.model(x)`; `self.model` is built as `Net()` (or `model or Net()`: a default); `Net`'s
`forward` ends with `self.fc2(...)`, built as `nn.Linear(_, C)` with C a number, then at most a (log-)softmax. `Net`
may live in another file: a local module found from the importing file's path (read, never written), as Python
would find it with the project's root on its path.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from converter.names import dotted
from converter.upgrade.engine import Upgrade

LOSSES = ("torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss")
SOFTMAX = ("softmax", "log_softmax")


@dataclass(frozen=True)
class ClassCount:
    classes: int
    layer: str  # where the count is written: "file.py:37 (Net.fc2)"
    default: bool  # the model is a default (`model or Net()`): another model passed in may have another count


def class_count(up: Upgrade, metric: cst.Call, uses: list[cst.Call]) -> ClassCount | None:
    target = up.assigned_name(metric) or ""
    owner = next((a for a in reversed(up.index.ancestors(metric)) if isinstance(a, cst.ClassDef)), None)
    if not target.startswith("self.") or owner is None or not uses:
        return None
    submodules = {_scored_by(up, owner, use) for use in uses}
    if len(submodules) != 1 or None in submodules:
        return None
    built = _built_as(up, owner, submodules.pop())
    if built is None:
        return None
    name, default = built
    found = _output_features(up, name)
    return ClassCount(found[0], found[1], default) if found else None


def _scored_by(up: Upgrade, owner: cst.ClassDef, use: cst.Call) -> str | None:
    """The submodule (`model` for `self.model`) whose output the metric gets, when a loss is taken on it too."""
    scope = up.scope_of(use)
    scores = use.args[0].value if use.args else None
    if not isinstance(scores, cst.Name) or not isinstance(scope, cst.FunctionDef):
        return None
    values = [a.value for a in up.nodes(cst.Assign, scope) if any(dotted(t.target) == scores.value for t in a.targets)]
    losses = [c for c in up.nodes(cst.Call, scope) if up.imports.qualified(c.func) in LOSSES and c.args
              and isinstance(c.args[0].value, cst.Name) and c.args[0].value.value == scores.value]  # fmt: skip
    if len(values) != 1 or not losses or not isinstance(values[0], cst.Call):
        return None
    called = dotted(values[0].func)
    if called in ("self", "self.forward"):
        called = _forward_returns(owner)
    return called.removeprefix("self.") if called and called.count(".") == 1 and called.startswith("self.") else None


def _forward_returns(owner: cst.ClassDef) -> str | None:
    """`self.model` when the class's forward is `return self.model(...)`."""
    forward = next((m for m in owner.body.body if isinstance(m, cst.FunctionDef) and m.name.value == "forward"), None)
    body = forward.body.body if forward is not None and isinstance(forward.body, cst.IndentedBlock) else ()
    returned = body[-1].body[0] if body and isinstance(body[-1], cst.SimpleStatementLine) else None
    if isinstance(returned, cst.Return) and isinstance(returned.value, cst.Call):
        return dotted(returned.value.func)
    return None


def _built_as(up: Upgrade, owner: cst.ClassDef, submodule: str) -> tuple[str, bool] | None:
    """(the class's qualified name, whether it is only a default) for `self.model = Net()` / `model or Net()`."""
    values = [a.value for a in up.nodes(cst.Assign, owner) if any(dotted(t.target) == f"self.{submodule}" for t in a.targets)]
    if len(values) != 1:
        return None
    value, default = values[0], False
    if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
        value, default = value.right, True
    if not isinstance(value, cst.Call) or value.args or not isinstance(value.func, cst.Name):
        return None
    return up.imports.qualified(value.func) or value.func.value, default


def _output_features(up: Upgrade, qualified: str) -> tuple[int, str] | None:
    module, _, name = qualified.rpartition(".")
    path = Path(up.report.path)
    if module:
        path = next((root / f"{module.replace('.', '/')}.py" for root in path.resolve().parents
                     if (root / f"{module.replace('.', '/')}.py").is_file()), None)  # fmt: skip
        if path is None:
            return None
        tree = ast.parse(path.read_text(), str(path))
    else:
        tree = ast.parse(up.module.code)
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
    methods = {m.name: m for m in cls.body if isinstance(m, ast.FunctionDef)} if cls else {}
    last = _last_layer(methods["forward"]) if "forward" in methods else None
    built = [s.value for s in ast.walk(methods["__init__"]) if isinstance(s, ast.Assign) and len(s.targets) == 1
             and ast.unparse(s.targets[0]) == f"self.{last}"] if last and "__init__" in methods else []  # fmt: skip
    if len(built) != 1 or not isinstance(call := built[0], ast.Call) or ast.unparse(call.func).rsplit(".", 1)[-1] != "Linear":
        return None
    out = next((k.value for k in call.keywords if k.arg == "out_features"), call.args[1] if len(call.args) > 1 else None)
    if not (isinstance(out, ast.Constant) and isinstance(out.value, int)):
        return None
    return out.value, f"{path.name}:{call.lineno} ({name}.{last})"


def _last_layer(forward: ast.FunctionDef) -> str | None:
    """`fc2` when forward's statements end `x = self.fc2(x)` (or `return self.fc2(x)`), then at most a
    (log-)softmax of it and the return: nothing else that could change the last dimension."""
    body = forward.body
    layer_at = max((i for i, s in enumerate(body) if any(_layer(n) for n in ast.walk(s))), default=None)
    if layer_at is None or not all(isinstance(s, (ast.Assign, ast.Return)) and s.value is not None
                                   for s in body[layer_at:]):  # fmt: skip
        return None
    value = _unwrap(body[layer_at].value)
    if not _layer(value):
        return None
    flowing = _target(body[layer_at])  # the name the layer's output is in, statement by statement
    for statement in body[layer_at + 1:]:
        read = _unwrap(statement.value)
        if flowing is None or not (isinstance(read, ast.Name) and read.id == flowing):
            return None
        flowing = _target(statement)
    return value.func.attr


def _target(statement: ast.stmt) -> str | None:
    """The one name an assignment binds (None for a return, or for anything else)."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    return None


def _layer(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) == "self"


def _unwrap(node: ast.expr) -> ast.expr:
    """The tensor a (log-)softmax is taken of (`F.log_softmax(x, dim=1)` -> `x`), else the node."""
    while isinstance(node, ast.Call) and ast.unparse(node.func).rsplit(".", 1)[-1] in SOFTMAX and node.args:
        node = node.args[0]
    return node

"""Metrics returned in a dict (the 0.x / 1.0 API): `return {"loss": loss, "log": logs, "progress_bar": bar}` from
training_step, `return {"val_loss": avg, "log": logs}` from validation_epoch_end. 2.x logs only what `self.log`
is given: those dicts are ignored, the metrics never reach the logger, and a ModelCheckpoint or EarlyStopping
monitoring "val_loss" stops the run (T2L239).

- `"log": D` -> `self.log_dict(D)`; `"progress_bar": P` -> `self.log_dict(P, prog_bar=True)` (both dict literals
  with no key in common), or one `self.log_dict(D, prog_bar=True)` when they are the same dict (`bar = logs`);
  otherwise the progress bar's part is marked (T2L968).
- In an epoch end, the other keys were the callback metrics a checkpoint monitored: logged too (`self.log_dict({
  "val_loss": avg})`), and the return goes (2.x ignores it). In training_step the rest is returned (`{"loss": loss}`).
"""

from __future__ import annotations

import libcst as cst

from converter.names import code
from converter.upgrade.engine import Upgrade
from converter.upgrade.hooks import methods, own_returns

CODES = {
    "T2L239": "metrics returned under 'log' / 'progress_bar' (the 0.x/1.0 dict API) -> self.log_dict",
    "T2L968": "metrics returned under 'progress_bar' beside a 'log' the rule cannot tell apart: marked",
}
STEP_HOOKS = {"training_step"}
EPOCH_END_HOOKS = {"training_epoch_end", "validation_epoch_end", "test_epoch_end", "on_train_epoch_end",
                   "on_validation_epoch_end", "on_test_epoch_end"}  # fmt: skip
KEYS = ("log", "progress_bar")


def upgrade_returned_logs(up: Upgrade) -> None:
    for cls in up.lightning_classes():
        for name, method in methods(cls).items():
            if name in STEP_HOOKS or name in EPOCH_END_HOOKS:
                for returned in own_returns(up, method):
                    if isinstance(returned.value, cst.Dict) and _parts(returned.value)[0]:
                        _rewrite(up, method, returned, name in EPOCH_END_HOOKS)


def _rewrite(up: Upgrade, method: cst.FunctionDef, returned: cst.Return, epoch_end: bool) -> None:
    metrics, rest = _parts(returned.value)  # type: ignore[arg-type]
    resolved = {key: _literal(up, method, value) for key, value in metrics.items()}  # `logs` -> its `{...}`
    calls = []
    same = "log" in resolved and resolved["log"] is resolved.get("progress_bar")  # `bar = logs`: one dict
    if "log" in metrics:
        calls.append(f"self.log_dict({code(metrics['log'])}{', prog_bar=True' if same else ''})")
    if "progress_bar" in metrics and not same:
        log_keys, bar_keys = _keys(resolved.get("log", cst.Dict([]))), _keys(resolved["progress_bar"])
        if log_keys is None or bar_keys is None or log_keys & bar_keys:
            up.todo("T2L968", method, "2.x ignores a returned 'progress_bar' dict: add prog_bar=True to the "
                    "self.log of the keys 1.x showed there (its keys may repeat the logged ones, and one key "
                    "logged twice with other arguments is an error)")  # fmt: skip
        else:
            calls.append(f"self.log_dict({code(metrics['progress_bar'])}, prog_bar=True)")
    logged = set().union(*(_keys(m) or set() for m in resolved.values()))
    if epoch_end:  # the other keys were callback metrics (what a checkpoint monitored); the return value goes
        extra = [e for e in rest if _key(e) is not None and _key(e) not in logged]
        if extra:
            calls.append(f"self.log_dict({code(cst.Dict(extra))})")
        kept: list[str] = []
    else:
        kept = [f"return {code(cst.Dict(rest))}"] if rest else []
    if not kept and up.statement(returned) is not method.body.body[-1]:  # an early return still ends the hook
        kept = ["return"]
    statements = [cst.parse_statement(line + "\n") for line in [*calls, *kept]]

    up.edit(up.statement(returned), lambda updated: cst.FlattenSentinel(statements))  # never empty: a "log" or
    # a "progress_bar" is there, and the latter is logged unless a "log" is too
    up.mapped("T2L239", returned, f"returned {' and '.join(repr(k) for k in metrics)} -> self.log_dict (2.x ignores "
              "a returned metrics dict)")  # fmt: skip


def _parts(value: cst.Dict) -> tuple[dict[str, cst.BaseExpression], list[cst.DictElement]]:
    metrics = {_key(e): e.value for e in value.elements if isinstance(e, cst.DictElement) and _key(e) in KEYS}
    rest = [e.with_changes(comma=cst.MaybeSentinel.DEFAULT) for e in value.elements if _key(e) not in KEYS]
    return metrics, rest  # type: ignore[return-value]


def _key(element: cst.BaseDictElement) -> str | None:
    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
        return element.key.evaluated_value  # type: ignore[return-value]
    return None


def _keys(value: cst.BaseExpression | None) -> set[str] | None:
    """The string keys of a dict literal; None for anything else (a name: its keys are not known here)."""
    if not isinstance(value, cst.Dict) or any(_key(e) is None for e in value.elements):
        return None
    return {_key(e) for e in value.elements}  # type: ignore[misc]


def _literal(up: Upgrade, method: cst.FunctionDef, value: cst.BaseExpression) -> cst.BaseExpression:
    """`logs` -> the dict literal the method assigns to it, when that is its only assignment (`logs = {...}`),
    through names assigned one from another (`bar = logs`)."""
    for _ in range(3):
        if not isinstance(value, cst.Name):
            return value
        name = value.value
        assigned = [n.value for n in up.nodes(cst.Assign, method.body)
                    if any(isinstance(t.target, cst.Name) and t.target.value == name for t in n.targets)]  # fmt: skip
        if len(assigned) != 1 or not isinstance(assigned[0], (cst.Dict, cst.Name)):
            return value
        value = assigned[0]
    return value

"""`model.train()` / `model.eval()`: removed, Lightning switches modes around its loops; kept where the training
step switches after its backward (a periodic evaluation inside the batch loop), and a batch's `model.train()` where
code moved to on_train_batch_end runs between the batches (an evaluation every N steps leaves eval mode).

Lightning 2.x switches nothing when training starts (its validation puts back the modes it found), so a switch
stays where it decides a mode the Trainer would not: a part of the model or another model put in eval mode before
the training (`model.backbone.eval()` to freeze its batch norm, `teacher.eval()`): the epoch's switches then all
stay, in order, in on_train_epoch_start. And when code moved to on_train_epoch_end may leave eval mode (an
evaluation function the epoch loop called), the training's `model.train()` is kept at each epoch's start.

A script that never calls `.eval()` before it evaluates (none at all, or only after the training) evaluates in
train mode (dropout on, batch norm on the batch's statistics);
Lightning's validation and test loops would switch to eval mode first, print other numbers and, without the
dropout's draws, shift every later batch's random numbers. `on_validation_model_eval` / `on_test_model_eval` are
overridden to leave the modes as they are (T2L150). The mirror slip: an evaluation every epoch that switches to
eval mode with nothing switching back trains every later epoch in eval mode; Lightning's validation puts train mode
back when it ends, so `on_validation_model_train` is overridden to keep it (T2L176).

A loop whose every epoch ends in eval mode (an evaluation function it calls last, `model.eval()` first) leaves the
model in eval mode for the code after it (predictions written by hand); Lightning's validation puts train mode back
when it ends, so `model.eval()` follows fit where code after it reads the model (T2L173): dropout stays off there.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import in_code_or_called_functions, walk
from converter.convert import plan as planning
from converter.convert.edits import block_of, parse_statements
from converter.convert.hook import Hook
from converter.convert.step import NO_MATCH
from converter.names import code, method_call, rename
from converter.syntax import passed_for

CODES = {
    "T2L105": "model.train() / model.eval() removed: Lightning switches modes around each loop",
    "T2L173": "the loop's last epoch ended in eval mode (its evaluation) -> `model.eval()` after fit",
    "T2L150": "an evaluation the script ran in train mode (no .eval() before it) -> on_validation_model_eval keeps it",
    "T2L182": "the evaluation left the model in eval mode for the epoch-end code after it that runs the model -> "
              "`model.eval()` before that code (Lightning's validation puts train mode back when it ends)",
    "T2L176": "the script never switches back to train mode after its evaluation -> on_validation_model_train keeps "
              "eval mode (the later epochs trained with dropout off, as written)",
}
KEEP_TRAIN_MODE = "pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval"
KEEP_EVAL_MODE = "pass  # the script never switched back to train mode after evaluating: Lightning would"


def on_call(step, line, call, owner, method):
    if method not in ("train", "eval") or call.args or owner is None:
        return NO_MATCH
    if "." in owner or "[" in owner:  # a part of the model (`model.backbone.eval()`): its mode is the script's own
        step.report.add("T2L105", step.line, f"`{owner}.{method}()` kept: it sets the mode of a part of a model")
        return NO_MATCH
    if step.ctx.kind == "train" and step.out.losses:  # after the step's backward: a block of its own (a periodic
        # plot or test prediction) that the loop ran in eval mode; without the switch its dropout would also draw
        # from the RNG and shift every later batch
        step.report.add("T2L105", step.line, f"`.{method}()` after the step's backward kept: the code after it ran "
                        "in that mode in the loop")  # fmt: skip
        return NO_MATCH
    if step.ctx.kind == "train" and method == "train" and step.ctx.between_batches:
        step.report.add("T2L105", step.line, f"`{owner}.train()` kept: code moved to on_train_batch_end runs between "
                        "the batches, and may leave eval mode (an evaluation every N steps)")  # fmt: skip
        return NO_MATCH
    if step.ctx.kind == "train" and step.ctx.evaluates_in_step:
        step.report.add("T2L105", step.line, f"`{owner}.{method}()` kept: the training step evaluates in eval mode "
                        "itself (an evaluation inside the batch loop), and Lightning switches no mode within or "
                        "between training steps")  # fmt: skip
        return NO_MATCH
    step.report.add("T2L105", step.line)
    return None


def in_the_evaluation_s_mode(conv, end: list[cst.BaseStatement], first: int | None) -> list[cst.BaseStatement]:
    """on_train_epoch_end's statements, with the evaluation function's `model.eval()` before the first of those
    after the evaluation (from `first` on) that runs the model: the function switches to eval before its loop and
    not back, so that code ran in eval mode; Lightning's validation puts train mode back when it ends, and a sample
    decoded there would run its dropout (drawing from torch's RNG) and batch norm in train mode (T2L182). The
    training's `.train()`, kept at each epoch's start with code at epoch end, switches back."""
    called = conv.plan.val
    if first is None or not isinstance(called, planning.Called):
        return end
    switches = _left_in_eval(called)
    models = {code(s.body[0].value.func.value) for s in switches}  # type: ignore[attr-defined]
    for position in range(first, len(end)):
        if in_code_or_called_functions(conv.plan.module, end[position], lambda node: _runs_one_of(models, node)):
            conv.report.add("T2L182", conv.plan.line(called.call_stmt))
            return [*end[:position], *switches, *end[position:]]
    return end


# module methods that do not run the forward pass: the mode does not change what they do
NOT_RUN = {"state_dict", "load_state_dict", "parameters", "named_parameters", "buffers", "named_buffers", "modules",
           "named_modules", "children", "named_children", "train", "eval", "to", "cpu", "cuda", "half", "float",
           "double", "zero_grad", "requires_grad_", "register_forward_hook", "register_buffer", "apply"}


LOOKS_AT = {"isinstance", "type", "id", "hasattr", "getattr", "len", "print", "str", "repr"}  # given a model, run none


def _left_in_eval(called: planning.Called) -> list[cst.BaseStatement]:
    """The evaluation function's `model.eval()` lines before its loop (in the caller's names), when nothing in it
    switches back to train mode after the loop."""
    block = list(called.scope.body.body) if isinstance(called.scope.body, cst.IndentedBlock) else []
    position = next((i for i, s in enumerate(block) if any(n is called.loop for n in walk(s))), None)
    if position is None or any(_switch_line(n) == "train" for s in block[position + 1 :] for n in walk(s)):
        return []
    switches = [rename(s, dict(called.binding)).with_changes(leading_lines=[]) for s in block[:position] if is_eval(s)]
    return [s for s in switches if isinstance(s.body[0].value.func.value, cst.Name)]  # type: ignore[attr-defined]


def evaluates_in_step(loop: cst.CSTNode, module: cst.Module) -> bool:
    """The batch loop's body switches a model to eval mode itself (an evaluation written inside the step, before or
    after its backward, or in a function of the script it calls: `print(evaluate(model))`): each switch of the step
    stays where it is, the batch's `model.train()` too, since Lightning switches no mode within or between training
    steps."""
    return in_code_or_called_functions(module, loop.body, _to_eval)


def _to_eval(node: cst.CSTNode) -> bool:
    return method_call(node, "eval") and not node.args  # type: ignore[attr-defined]


def kept_at_epoch_start(conv) -> cst.BaseStatement | None:
    """The training's `.train()` call, for on_train_epoch_start."""
    for place in (conv.plan.batch_loop.body, *conv.prelude):
        for node in walk(place):
            if _switch_line(node) == "train":
                conv.report.add("T2L105", conv.plan.line(node), "`.train()` kept in on_train_epoch_start: code at epoch end may switch to eval")
                return node.with_changes(leading_lines=[])
    return None


def stay_at_start(conv, statements: list[cst.BaseStatement]) -> bool:
    """Whether the switches among the statements before the training leave anything but whole models in train
    mode (the state Lightning trains in when no switch runs), or run where other code switches modes too (an
    evaluation kept at the epoch's start, `acc = evaluate()`, whose `model.eval()` the `model.train()` after it
    undoes; batch norm put back in eval mode after `model.train()`, by a loop or `model.apply(set_bn_eval)`)."""
    final: dict[str, tuple[cst.BaseExpression, str]] = {}
    for stmt in statements:
        if (method := _switch_line(stmt)) is not None:
            owner = stmt.body[0].value.func.value  # type: ignore[attr-defined]
            final[code(owner)] = (owner, method)
        elif in_code_or_called_functions(conv.plan.module, stmt, _switches_a_mode):
            return True  # `for m in model.modules(): ... m.eval()`, `model.apply(set_bn_eval)`: after the train()
    return any(method == "eval" or not isinstance(owner, cst.Name) for owner, method in final.values())


def _switches_a_mode(node: cst.CSTNode) -> bool:
    """`.eval()`, `.train(...)`: a module's mode switched (in a function of the script the code calls)."""
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("eval", "train")


def kept_before_training(conv, stmt: cst.BaseStatement) -> bool:
    """A switch of the epoch's start that stays (stay_at_start): reported."""
    if _switch_line(stmt) is None:
        return False
    conv.report.add("T2L105", conv.plan.line(stmt), "kept in on_train_epoch_start: the code before the training "
                    "switches modes (a part of a model or another model left in eval mode, or an evaluation run there), "
                    "which Lightning would not undo or do")  # fmt: skip
    return True


def among(statements: list[cst.BaseStatement]) -> bool:
    return any(_switch_line(s) is not None for s in statements)


def is_eval(stmt: cst.BaseStatement) -> bool:
    return _switch_line(stmt) == "eval"


def dropped_at_epoch_start(conv, stmt: cst.BaseStatement) -> bool:
    """`model.train()` / `model.eval()` alone on a line of the epoch loop: removed (and reported)."""
    if _switch_line(stmt) is None:
        return False
    conv.report.add("T2L105", conv.plan.line(stmt))
    return True


def _switch_line(node: cst.CSTNode) -> str | None:
    """"train" or "eval" for a line that is only `x.train()` / `x.eval()`."""
    if not (isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1 and isinstance(node.body[0], cst.Expr)):
        return None
    call = node.body[0].value
    if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and not call.args:
        return call.func.attr.value if call.func.attr.value in ("train", "eval") else None
    return None


def evaluation_in_train_mode(conv, kinds: list[str]) -> list[Hook]:
    """For each of `kinds` ("val", "test") the module evaluates: a hook that keeps the train mode, where nothing in
    the script switches a module to eval mode (`.eval()`, `.train(False)`) before that evaluation runs: anywhere,
    for the test after the training; for the validation, anywhere but after the training loop (a final evaluation
    after the loop, or in the test function)."""
    plan = conv.plan
    if not kinds:
        return []
    switches = [c for c in plan.index.of_kind(cst.Call) if isinstance(c.func, cst.Attribute)
                and (c.func.attr.value == "eval" or (c.func.attr.value == "train" and c.args))]  # fmt: skip
    kept = [kind for kind in kinds if not (switches if kind == "test" else [c for c in switches if not _after_training(plan, c)])]
    if not kept:
        return []
    conv.report.add("T2L150", plan.line(plan.batch_loop), "the script never switches to eval mode before it evaluates: "
                    "the module's evaluation runs in train mode too (on_validation_model_eval / on_test_model_eval "
                    "do nothing)")  # fmt: skip
    name = {"val": "on_validation_model_eval", "test": "on_test_model_eval"}
    return [Hook(name[kind], [], parse_statements(KEEP_TRAIN_MODE + "\n"), plan.scope, {}) for kind in kept]


def training_in_eval_mode(conv, kinds: list[str]) -> list[Hook]:
    """on_validation_model_train doing nothing, where each epoch ends in the model's eval mode (its evaluation, run
    every epoch) and nothing in the loop or the functions it calls switches a module to train mode: from the second
    epoch on the script trained in eval mode (dropout off), a slip kept as written; Lightning's validation puts train
    mode back when it ends (a clean exit, the losses different from the second epoch's first dropout draw)."""
    plan = conv.plan
    if "val" not in kinds:
        return []
    last = _epoch_end_switch(plan)
    back_to_train = in_code_or_called_functions(plan.module, plan.site, lambda n: method_call(n, "train"))
    if last is None or last[1] != "eval" or not isinstance(last[0], cst.Name) or back_to_train:
        return []
    if planning.trained_models(plan) != {code(conv.to_site(last[0], plan.scope, plan.binding))}:
        return []  # another module (an EMA) switched, or several trained: the trained model's mode is not known
    conv.report.add("T2L176", plan.line(plan.site), f"each epoch ends with `{code(last[0])}.eval()` and nothing switches "
                    "it back: the epochs after the first trained in eval mode, which on_validation_model_train keeps "
                    "(Lightning would put train mode back after each validation)")  # fmt: skip
    return [Hook("on_validation_model_train", [], parse_statements(KEEP_EVAL_MODE + "\n"), plan.scope, {})]


def _after_training(plan, call: cst.Call) -> bool:
    """The call runs only after the training: below the loop in its block, or in the test function (when that is
    not the validation's too)."""
    chain = [*plan.index.ancestors(call), call]
    block = plan.index.parent(plan.site)
    if block in chain:
        below = chain[chain.index(block) + 1]
        siblings = list(getattr(block, "body", ()))
        return below in siblings and siblings.index(below) > siblings.index(plan.site)
    test, val = (getattr(c, "scope", None) for c in (plan.test, plan.val))
    return test is not None and test is not val and test in chain


def eval_after_fit(conv) -> list[cst.BaseStatement]:
    """`model.eval()` for after fit, where the loop's last epoch ends in eval mode and code after the loop runs the
    model (T2L173)."""
    plan = conv.plan
    last = _epoch_end_switch(plan)
    if last is None or last[1] != "eval" or not isinstance(last[0], cst.Name):
        return []  # a part of a model (`model.backbone.eval()`): Lightning's validation puts back the modes it found
    owner = code(conv.to_site(last[0], plan.scope, plan.binding))
    block = block_of(plan.index, plan.site) or [plan.site]  # a loop always sits in a block; the guard is for typing
    if not any(_runs(owner, s) for s in block[block.index(plan.site) + 1 :]):
        return []
    conv.report.add("T2L173", plan.line(plan.site), f"each epoch ended in eval mode: `{owner}.eval()` after fit, "
                    "where Lightning's validation put train mode back, for the code after the loop")  # fmt: skip
    return parse_statements(f"{owner}.eval()  # as the loop left it: its last epoch ended in eval mode\n")


def _epoch_end_switch(plan):
    """The last mode switch each pass of the loop runs (`_last_switch` over the site's body), read once for the
    hooks that ask (T2L173 after fit, T2L176 after each validation)."""
    key = ("epoch_end_switch", id(plan.site))
    if key not in plan.index.memo:
        functions = {f.name.value: f for f in plan.module.body if isinstance(f, cst.FunctionDef)}
        plan.index.memo[key] = _last_switch(plan.module, functions, list(getattr(plan.site.body, "body", ())), set())
    return plan.index.memo[key]


def _runs(owner: str, statement: cst.BaseStatement) -> bool:
    """The statement runs the model or returns it: where its mode decides what comes out."""
    return any(_runs_one_of({owner}, node) or (isinstance(node, cst.Return) and node.value is not None
                                                and code(node.value) == owner) for node in walk(statement))  # fmt: skip


def _runs_one_of(models: set[str], node: cst.CSTNode) -> bool:
    """A call of one of the models (`model(x)`), of a method that runs it (`model.decode(z)`, not `model.state_dict()`,
    `model.parameters()`), or that hands it on (`sample(model, 8)`)."""
    if not isinstance(node, cst.Call):
        return False
    func = node.func
    if isinstance(func, cst.Attribute) and code(func.value) in models:
        return func.attr.value not in NOT_RUN
    return code(func) in models or (code(func) not in LOOKS_AT and any(code(a.value) in models for a in node.args))


def _last_switch(module: cst.Module, functions: dict[str, cst.FunctionDef], statements: list[cst.BaseStatement],
                 seen: set[str]):  # fmt: skip
    """(owner, "train" / "eval") of the last mode switch the statements run each time, in order, into the
    script's functions they call (`functions`, by name); None where there is none, or where one runs only sometimes
    (under an `if`, in a loop, in a `try`): then the mode the loop ends in is not known."""
    last = None
    for statement in statements:
        if isinstance(statement, cst.With) and isinstance(statement.body, cst.IndentedBlock):
            inner = _last_switch(module, functions, list(statement.body.body), seen)
        elif isinstance(statement, cst.SimpleStatementLine):
            inner = None
            for call in (n for n in walk(statement) if isinstance(n, cst.Call)):
                if _switches_a_mode(call) and not call.args:
                    inner = (call.func.value, call.func.attr.value)  # type: ignore[attr-defined]
                elif isinstance(call.func, cst.Name) and call.func.value in functions and call.func.value not in seen:
                    called = functions[call.func.value]
                    found = _last_switch(module, functions, list(getattr(called.body, "body", ())), seen | {call.func.value})
                    found = _in_the_caller_s_names(found, called, call)
                    inner = found if found is not None else inner
                    if found is _UNKNOWN:
                        return _UNKNOWN
        elif in_code_or_called_functions(module, statement, _switches_a_mode):
            return _UNKNOWN  # a switch that runs only sometimes
        else:
            inner = None
        if inner is _UNKNOWN:
            return _UNKNOWN
        last = inner if inner is not None else last
    return last


_UNKNOWN = (cst.Name("unknown"), "unknown")


def _in_the_caller_s_names(found, function: cst.FunctionDef, call: cst.Call):
    """A switch on the called function's own parameter (`net.eval()` in `evaluate(net)`), on what the call passes
    for it (`evaluate(model)`: `model.eval()`)."""
    if found is None or found is _UNKNOWN or not isinstance(found[0], cst.Name):
        return found
    params = [p.name.value for p in function.params.params]
    if found[0].value not in params:
        return found
    passed = passed_for(call, found[0].value, params.index(found[0].value))
    return (passed.value, found[1]) if passed is not None else _UNKNOWN  # left to a default: not known

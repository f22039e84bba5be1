"""Code after `optimizer.step()` that reads the trained model -> `on_train_batch_end` (T2L138).

    for it in range(max_iters):                  def training_step(self, it, batch_idx):
        loss = model(*get_batch())                   loss = self.model(*get_batch())
        ...                                          return loss
        optimizer.step()                  ->
        if it % 100 == 0:                        def on_train_batch_end(self, outputs, it, batch_idx):
            print(estimate_loss())                   if it % 100 == 0:
                                                         print(estimate_loss())

Lightning steps the optimizer after training_step returns, so code the loop ran after its step would, left in
training_step, run on the weights of one update earlier: an evaluation every N steps would print other numbers
(and the converted script would still verify, since it changes no loss). on_train_batch_end runs after the step.
The block moves as written: prints, TensorBoard writes and a `torch.save` of the best weights included (a
save alone on its line is checkpoint_save's). Names set before the loop that it updates (`best_loss`) become
module state, like the training's. It moves only when it reads nothing else the loop body computed but the batch
(the loss is not in on_train_batch_end's scope) and binds nothing read elsewhere; otherwise it stays in
training_step as written, marked (T2L923). Under manual optimization the step stays in training_step, in the
user's order: nothing moves.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.hook import Hook
from converter.convert.loops import batch_params
from converter.names import code, dotted, loads, reads, writes

CODES = {
    "T2L138": "code after optimizer.step() that reads the model -> on_train_batch_end, which runs after Lightning's step",  # fmt: skip
    "T2L923": "code after optimizer.step() that reads the model and the loop's values: in training_step it runs before Lightning's step",  # fmt: skip
}
HOOK = "on_train_batch_end"


def plan_move(conv) -> None:
    """Decide which statements after the step move (`conv.after_step`) and which stay, marked (`after_step_marks`)."""
    plan = conv.plan
    conv.after_step, conv.after_step_marks = [], {}
    body = plan.batch_loop.body.body if isinstance(plan.batch_loop.body, cst.IndentedBlock) else ()
    if conv.manual or plan.whole_batch is not None or plan.phase or not body:
        return
    steppers = conv.kinds["optimizers"] | conv.kinds["scalers"]
    stepping = [i for i, s in enumerate(body) if any(_steps(n, steppers) for n in walk(s))]
    if not stepping:
        return
    tail = list(body[stepping[-1] + 1 :])
    models = {name.split(".")[0] for name in planning.trained_models(plan)}
    readers = _model_readers(plan.module, models)
    mapped = conv.kinds["optimizers"] | conv.kinds["schedulers"] | conv.kinds["scalers"] | conv.kinds["bars"]
    targets = writes(plan.batch_loop.target) if isinstance(plan.batch_loop, cst.For) else set()
    state = writes(*conv.prelude) if conv.prelude else set()  # set before the loop: attributes of the module
    computed = writes(*body) - targets - state  # what the loop body binds, batch by batch
    for statement in tail:
        used = loads(statement)
        if not (used & (models | readers)) or used & mapped or _leaves_the_loop(statement):
            continue  # no model read, or calls the step rules map (a scheduler, a bar), or a break they place
        if _saves(plan, statement) and isinstance(statement, cst.SimpleStatementLine):
            continue  # a save alone: checkpoint_save removes it (Lightning's ModelCheckpoint saves)
        needs = (used & computed) - writes(statement)
        shared = writes(statement) & _names_outside(plan.scope, statement) - state
        if needs or shared:
            reason = (f"runs after optimizer.step() in the loop and reads the model, but uses "
                      f"`{', '.join(sorted(needs or shared))}` from the loop: in training_step it runs before "
                      f"Lightning's step, on the weights of one update earlier; move it to {HOOK} (it runs after the "
                      "step) with what it needs")  # fmt: skip
            conv.report.add("T2L923", plan.line(statement), reason)
            conv.after_step_marks[id(statement)] = ("T2L923", reason)
            continue
        conv.after_step.append(statement)
        conv.report.add("T2L138", plan.line(statement), f"`{_head(statement)}` after optimizer.step() reads the model "
                        f"-> {HOOK}, which runs after Lightning's step (in training_step it would see the weights "
                        "of one update earlier)")  # fmt: skip


def hook(conv, batch_idx: str | None) -> Hook | None:
    """on_train_batch_end(self, outputs, <the batch>, batch_idx) with the moved statements, or None."""
    if not conv.after_step:
        return None
    params, unpack = batch_params(conv.plan.batch_loop, batch_idx)
    moved = [s.with_changes(leading_lines=[]) if i == 0 else s for i, s in enumerate(conv.after_step)]
    unpack = [s for s in unpack if writes(s) & loads(*moved)]
    return Hook(HOOK, ["outputs", *params], [*unpack, *moved], conv.plan.scope, conv.plan.binding)


def carried(conv) -> set[str]:
    """State the moved statements keep from one batch to the next (`best_loss`): attributes, like the training's."""
    if not conv.after_step or not conv.prelude:
        return set()
    return writes(*conv.prelude) & writes(*conv.after_step) & reads(*conv.after_step)


def _steps(node: cst.CSTNode, steppers: set[str]) -> bool:
    """`optimizer.step(...)` or `scaler.step(optimizer)`."""
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "step"
            and dotted(node.func.value) in steppers)  # fmt: skip


def _model_readers(module: cst.Module, models: set[str]) -> set[str]:
    """Module-level functions that read a model as a global (`estimate_loss()` calling `model`), or call one."""
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    parameters = {name: {p.name.value for p in f.params.params} for name, f in functions.items()}
    readers = {name for name, f in functions.items() if (loads(f.body) - parameters[name]) & models}
    while grown := {name for name, f in functions.items() if name not in readers and loads(f.body) & readers}:
        readers |= grown  # a function that calls a reader reads the model too
    return readers


def _names_outside(scope: cst.CSTNode, statement: cst.CSTNode) -> set[str]:
    """The names used in `scope` outside `statement`, not counting the bodies of other functions and classes."""
    found: set[str] = set()
    stack = list(scope.body.body if isinstance(scope, cst.FunctionDef) else scope.body)  # type: ignore[union-attr]
    while stack:
        node = stack.pop()
        if node is statement or isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Name):
            found.add(node.value)
        stack.extend(node.children)
    return found


def _saves(plan, statement: cst.BaseStatement) -> bool:
    """A `torch.save`: checkpoint_save removes it (Lightning's ModelCheckpoint saves)."""
    return any(isinstance(n, cst.Call) and plan.imports.call_name(n) == "torch.save" for n in walk(statement))


def _leaves_the_loop(statement: cst.BaseStatement) -> bool:
    """`break`, `continue` or `return` anywhere in it: the rules that own those decide."""
    return any(isinstance(n, (cst.Break, cst.Continue, cst.Return)) for n in walk(statement))


def _head(statement: cst.BaseStatement) -> str:
    text = code(statement).strip().splitlines()[0]
    return text if len(text) <= 40 else text[:37] + "..."

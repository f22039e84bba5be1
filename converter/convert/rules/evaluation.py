"""Evaluation loops -> `validation_step` (T2L116) and `test_step` + `trainer.test` (T2L117).

An evaluation function called in the epoch loop is the validation; one called after training is the test; the
`"val"` pass of a phase loop is the validation too. The Trainer runs no sanity check (`num_sanity_val_steps=0`):
the script validated nothing before training. Each loop body is rewritten by the same step rules as the
training; its loss is logged as `val_loss` / `test_loss` when the loop logged nothing itself.
"""

from __future__ import annotations

from converter.convert import plan as planning
from converter.convert.edits import parse_statements
from converter.convert.hook import Hook
from converter.convert.loops import batch_params, phase_loader
from converter.convert.rules import (
    evaluation_gradients,
    mode_switch,
    progress_bars,
    unreachable_loader,
    validation_epoch,
)
from converter.names import writes

CODES = {
    "T2L116": "evaluation loop body -> validation_step",
    "T2L117": "evaluation after training -> test_step and trainer.test",
    "T2L140": "evaluation kept as the script wrote it (after training: its result is read, or the model is rebound "
              "before it; in the epoch loop: it runs under a condition)",
}


def hooks(conv) -> list[Hook]:
    plan, found = conv.plan, []
    for statement, why in plan.kept:
        conv.report.add("T2L140", plan.line(statement), f"evaluation kept as it is written: {why}")
    if plan.phase:
        evaluation = next((p for p in plan.phase[1] if p != "train"), None)
        if evaluation:
            body, out, context = conv.rewrite(plan.batch_loop, plan.scope, "val", evaluation)
            conv.logged_val = out.logged
            params, unpack = batch_params(plan.batch_loop, context.batch_idx)
            found.append(Hook("validation_step", params, [*unpack, *body, *_tail(plan.batch_loop, out, "val")], plan.scope, plan.binding))
            loader = phase_loader(plan.batch_loop.iter, plan.phase[0], evaluation)
            conv.loaders["val"] = conv.to_site(loader, plan.scope, plan.binding)
            _no_sanity_check(conv, plan.batch_loop)
        return found
    for kind, called in (("val", plan.val), ("test", plan.test)):
        if called is None:
            continue
        if isinstance(called, planning.Called):
            loop, scope, binding = called.loop, called.scope, called.binding
        else:
            loop, (scope, binding) = called, plan.home(called)
        conv.report.add("T2L116" if kind == "val" else "T2L117", plan.line(loop))
        body, out, context = conv.rewrite(loop, scope, kind, None)
        summaries = validation_epoch.logged_keys(conv) if kind == "val" else []
        if kind == "val":
            conv.logged_val = out.logged + summaries
        params, unpack = batch_params(loop, context.batch_idx)
        name = "validation_step" if kind == "val" else "test_step"
        tail = [] if summaries else _tail(loop, out, kind, conv.val_carried if kind == "val" else set())
        body = [*(validation_epoch.renamed(conv, s) for s in body), *validation_epoch.last_batch_kept(conv)] if kind == "val" else body
        found.append(Hook(name, params, evaluation_gradients.enabled(conv, loop, [*unpack, *body, *tail], name), scope, binding))
        loader = unreachable_loader.built_by_the_function(conv, progress_bars.loader_of(conv, loop, scope), loop, scope)
        conv.loaders[kind] = conv.to_site(loader, scope, binding)
        if kind == "val":
            _no_sanity_check(conv, loop)
    kinds = [kind for kind, called in (("val", plan.val), ("test", plan.test)) if called is not None]
    return [*found, *mode_switch.evaluation_in_train_mode(conv, kinds), *mode_switch.training_in_eval_mode(conv, kinds)]


def _no_sanity_check(conv, loop) -> None:
    """`num_sanity_val_steps=0`: the script validated after training only. Lightning's sanity check would run two
    validation batches before it, with their effects (a list they append to, a line they print)."""
    conv.trainer_args["num_sanity_val_steps"] = "0"
    conv.report.add("T2L116", conv.plan.line(loop), "Trainer(num_sanity_val_steps=0): no validation batches before "
                    "training, where the script ran none")  # fmt: skip


def _tail(loop, out, kind: str, kept: set[str] = frozenset()) -> list:  # type: ignore[assignment]
    """`self.log("val_loss", loss)` when the loop logged nothing itself and computes a loss by a usual name (not a
    total kept across batches)."""
    if out.logged:
        return []
    loss = next((n for n in ("loss", f"{kind}_loss", "val_loss", "test_loss") if n in writes(loop.body) - kept), None)
    return parse_statements(f'self.log("{kind}_loss", {loss})\n') if loss else []

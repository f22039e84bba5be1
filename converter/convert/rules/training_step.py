"""The batch loop's body -> `training_step(self, batch, batch_idx)`, returning the loss given to backward.

The body is rewritten by the step rules (registry.RULES); what they found goes to the Trainer (limits, clipping,
precision) and the class. One conversion makes one module: a second training loop in the file is marked (T2L913),
and the driver converts it in a pass of its own (`driver._later_trainings`), which takes the mark off.
"""

from __future__ import annotations

import libcst as cst

from converter.convert.edits import parse_statements
from converter.convert.hook import Hook
from converter.convert.loops import batch_params
from converter.convert.rules import (
    after_step,
    backward_contexts,
    batch_state,
    breaks,
    checkpoint_save,
    clipping,
    closures,
    full_batch,
    manual_optimization,
    phase_loop,
    precision,
)
from converter.names import code

LATER_LOOP = "T2L913"
CODES = {
    "T2L115": "batch loop body -> training_step",
    LATER_LOOP: "a training loop after the first that its own pass could not convert",
}


def extra_loops(conv) -> None:
    plan = conv.plan
    for other in plan.extra_loops:
        if plan.epoch_loop is not None and plan.index.contains(plan.epoch_loop, other):  # alternating with the first
            reason = (f"a second training loop (line {plan.line(other)}) in the epoch loop runs as written in an "
                      "epoch hook, by hand: outside Lightning's loop (not logged, not in its step count); to have "
                      "Lightning run both, step them in one training_step, or keep the loops with `--to fabric`")  # fmt: skip
        else:
            reason = f"a second training loop (line {plan.line(other)}) is not converted: convert it as its own script"
        conv.todo(LATER_LOOP, other, reason, inside=plan.site, hook="training_step")


def hook(conv) -> Hook:
    plan = conv.plan
    if not closures.report(conv) and not full_batch.report(conv):
        conv.report.add("T2L115", plan.line(plan.batch_loop))
    phase_loop.report(conv)
    manual_optimization.report(conv)
    body, out, context = conv.rewrite(plan.batch_loop, plan.scope, "train", "train" if plan.phase else None)
    conv.train_outcome = out
    params, unpack = batch_params(plan.batch_loop, context.batch_idx)
    if conv.manual:
        body, tail = manual_optimization.training_body(conv, body, out)
    else:
        loss = out.losses[-1] if out.losses else cst.Name("loss")
        tail = [] if out.logged else parse_statements(f'self.log("train_loss", {code(loss)}, prog_bar=True)\n')
        if conv.epoch.stop_unless is not None:  # a `while` on closure evaluations (epoch_loop)
            tail += parse_statements(f"if not ({code(conv.epoch.stop_unless)}):\n    self.trainer.should_stop = True\n")
        tail += parse_statements(f"return {code(loss)}\n")
    breaks.limits(conv, out, context)
    conv.clip_hook = clipping.configure(conv, out.clips)
    precision.trainer_argument(conv, out)
    backward_contexts.trainer_argument(conv, out)
    checkpoint_save.class_comment(conv, out)
    # a step counter read after its increment is a local started from self.global_step, not carried state
    conv.carried = (batch_state.carried(conv, body) - context.counted_in_step) | after_step.carried(conv)
    body = batch_state.start_counters(context.counted_in_step, body)
    return Hook("training_step", params, [*unpack, *body, *tail], plan.scope, plan.binding)

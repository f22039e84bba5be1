"""Two or more optimizers stepped per batch (a GAN), several backward calls per step (or one that keeps the graph), or
a step that reads what backward left (the clipped norm, the gradients): manual optimization.

`automatic_optimization = False`; the user's zero_grad / step calls stay in their order, `loss.backward()`
becomes `self.manual_backward(loss)`, the optimizers come from `self.optimizers()`, and each optimizer's
statements are wrapped in `toggle_optimizer` / `untoggle_optimizer` when each optimizer's statements hold its own
backward (the GAN shape), unless a tensor computed for one optimizer is used by the next (toggling would freeze
the parameters that tensor needs): then no optimizer is toggled, and each backward reaches every model, as in the
loop (T2L169, a note: the code that asked the user to toggle by hand, T2L912, is retired; toggling only spares
gradients the loop computed too). Models trained side by side (every loss, then every backward, then
every step) are not toggled: the first toggle would freeze the second model before its backward.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from converter.analysis import in_called_functions, transform, walk
from converter.convert.edits import nodes, parse_statements
from converter.convert.rules import accumulation, clipping
from converter.names import (
    always_written,
    bound_names,
    code,
    dotted,
    first_reads,
    loads,
    method_call,
    receivers,
    writes,
)

CODES = {
    "T2L119": "two or more optimizers stepped per batch -> manual optimization",
    "T2L169": "toggle_optimizer not inserted: a tensor computed for one optimizer is used by the next; each backward "
              "reaches every model's parameters, as in the loop",
    "T2L920": "optimizers stepped through a loop over a list (`for net, opt in zip(nets, opts)`)",
}


def optimizers_in_a_list(conv) -> str | None:
    """`for net, opt in zip(nets, opts): ... opt.step()` (several models compared side by side): the optimizers are
    not names the plan can give to configure_optimizers one by one; declined with what it is (it is not a
    parameter update by hand)."""
    loop = conv.plan.batch_loop
    loops = [n for n in walk(loop) if isinstance(n, cst.For)]
    targets = set().union(*(bound_names(f.target) for f in loops)) if loops else set()
    for call in walk(loop.body):
        if method_call(call, "step", on=targets):
            name = dotted(call.func.value)
            return conv.unsupported(loop, "T2L920", f"`{name}.step()` steps optimizers taken from a list in a loop: "
                                    "write each optimizer out (opt_a, opt_b, ...: manual optimization), or keep the "
                                    "loop with Lightning Fabric")  # fmt: skip
    return None


# why the optimization is manual
TWO_OPTIMIZERS, NORM_READ, GRADIENTS_READ = "two optimizers", "the step reads the clipped norm", "the step reads the gradients"
CLIPS_OTHERS = "the step clips parameters its optimizer does not hold"
BACKWARDS = "several backward calls per step, or one that keeps the graph"
MICRO_BATCHES = "a backward call for each micro-batch of the batch"
PARTS_STEPPED = "an optimizer step for each part of the batch"
REPEATED = "steps repeated on each batch"
GRADIENT_GIVEN = "a backward call given a gradient"
STEP_CONDITION = "a step under a condition no Trainer flag expresses"
WHY = {REPEATED: "the loop steps the optimizer several times on each batch (`for _ in range(k):` inside the batch "
                 "loop), where Lightning's automatic optimization makes one step a batch",
       PARTS_STEPPED: "the loop steps the optimizer on parts of each batch (truncated backpropagation through time, "
                      "an update per sample), several steps a batch, where Lightning's automatic optimization makes one",
       GRADIENT_GIVEN: "the loop calls backward with a gradient (`D_real.backward(mone)`), which Lightning's own "
                       "backward (one call on the returned loss) does not pass",
       MICRO_BATCHES: "the loop back-propagates the batch in parts (a loop over its micro-batches) before one step, "
                      "which Lightning's own backward (one call on the returned loss) cannot",
       BACKWARDS: "the loop calls backward more than once per step, or with retain_graph/create_graph, which "
                  "Lightning's own backward (one call on the returned loss) does not pass",
       STEP_CONDITION: "the loop steps the optimizer under a condition no Trainer flag expresses (not every batch, "
                       "not a window of K batches whose loss is divided by K as Lightning's accumulation divides it)",
       NORM_READ: "the loop reads the norm gradient clipping returns",
       GRADIENTS_READ: "the loop reads the gradients between backward and the step",
       CLIPS_OTHERS: "the loop clips other parameters than its optimizer's (Trainer(gradient_clip_val=...) would clip "
                     "the optimizer's own, another norm)"}  # fmt: skip


def why_manual(plan, stepped: list[str], scalers: set[str]) -> str | None:
    """Manual optimization, and why: several optimizers stepped, a step that reads the norm clip_grad_norm_
    returns (Lightning's own clipping runs after training_step, out of its reach), or one that reads `.grad`
    between backward and the step (a gradient norm logged: inside training_step, before Lightning's backward,
    every gradient would be None). None: automatic."""
    if len(stepped) > 1:
        return TWO_OPTIMIZERS
    if plan.batch_parts is not None:  # `for xm, ym in zip(xb.chunk(k), yb.chunk(k)): loss.backward()`
        return PARTS_STEPPED if receivers(plan.batch_parts, "step") else MICRO_BATCHES
    if plan.repeats is not None and receivers(plan.repeats, "step"):
        return REPEATED  # `for _ in range(k): ...; loss.backward(); optimizer.step()` on one batch
    if gradient_given(plan.batch_loop) is not None:  # `D_real.backward(mone)`: passed on as written
        return GRADIENT_GIVEN
    if plan.backward_count > 1 or graph_keyword(plan.batch_loop) is not None:  # multi-task losses back-propagated
        return BACKWARDS  # one by one (`loss_a.backward(retain_graph=True); loss_b.backward()`): as written
    if clipping.norm_read(plan):
        return NORM_READ
    if clipping.clips_other_parameters(plan, stepped):
        return CLIPS_OTHERS
    if gradients_read(plan):
        return GRADIENTS_READ
    return STEP_CONDITION if accumulation.unflagged(plan, stepped, scalers) else None


GRAPH_KEYWORDS = ("retain_graph", "create_graph")


def graph_keyword(loop: cst.CSTNode) -> cst.Call | None:
    """A backward call in the loop that asks for more than the default graph handling (`retain_graph=True`...)."""
    for node in walk(loop):
        if method_call(node, "backward"):
            for arg in node.args:
                default = isinstance(arg.value, cst.Name) and arg.value.value in ("False", "None")
                if arg.keyword and arg.keyword.value in GRAPH_KEYWORDS and not default:
                    return node
    return None


def gradient_given(loop: cst.CSTNode) -> cst.Call | None:
    """A backward call in the loop given the gradient of its tensor (`loss.backward(mone)`, `gradient=`)."""
    for node in walk(loop):
        if method_call(node, "backward") and any(not a.keyword or a.keyword.value == "gradient" for a in node.args):
            return node
    return None


def gradients_read(plan) -> bool:
    """A statement between the batch loop's backward and its step that reads a `.grad` (not one that updates it
    in place or assigns it: manual_sgd and zero_grad have those)."""
    body = plan.batch_loop.body.body
    backward = next((i for i, s in enumerate(body) if any(method_call(n, "backward") for n in walk(s))), None)
    if backward is None:
        return False
    for stmt in body[backward + 1 :]:
        if any(method_call(n, "step") for n in walk(stmt)):
            return False
        if any(isinstance(n, cst.Attribute) and n.attr.value == "grad" and _read(plan.index, n) for n in walk(stmt)):
            return True
        if in_called_functions(plan.module, stmt, _uses_gradients):
            return True
    return False


def _uses_gradients(node: cst.CSTNode) -> bool:
    """`.grad` read or changed, or a `clip_grad_*` call (Dive into Deep Learning's `grad_clipping(net, 1)` between
    backward and the step: in training_step it would run before Lightning's backward, on no gradients)."""
    return (isinstance(node, cst.Attribute) and (node.attr.value == "grad" or node.attr.value.startswith("clip_grad_"))
            or isinstance(node, cst.Name) and node.value.startswith("clip_grad_"))  # fmt: skip


def _read(index, grad: cst.Attribute) -> bool:
    """`p.grad.norm()`, `p.grad.detach()`: read. `p.grad.data.mul_(s)`, `p.grad = None`, `p.grad += noise`: not."""
    outer, parent = grad, index.parent(grad)
    while isinstance(parent, cst.Attribute) and parent.value is outer:  # p.grad.data.zero_
        outer, parent = parent, index.parent(parent)
    if isinstance(parent, cst.Call) and parent.func is outer and outer.attr.value.endswith("_"):
        return False
    return not (isinstance(parent, (cst.AssignTarget, cst.AugAssign)) and parent.target is outer)


def read_after_the_step(conv, loop, counters: set[str]) -> set[str]:
    """Under manual optimization, the counters the batch loop reads after its optimizer's step and before their
    `+= 1` (diffuser's `if self.step % update_ema_every == 0: self.step_ema()` after `optimizer.step()`): Lightning
    counts that step in self.global_step inside training_step, one ahead of the loop's counter there; they stay
    state the hooks count as the loop did."""
    if not conv.manual or not counters:
        return set()
    stepped, incremented, found, targets = False, set(), set(), set()  # targets: ids of Names that are not reads
    for node in walk(loop.body):
        if isinstance(node, cst.Attribute):
            targets.add(id(node.attr))  # `optimizer.step`'s `step`
        if method_call(node, "step", on=set(conv.stepped)):
            stepped = True
        elif isinstance(node, cst.AugAssign) and dotted(node.target) in counters:
            incremented.add(dotted(node.target))
            targets.add(id(node.target))
        elif stepped and isinstance(node, cst.Name) and node.value in counters - incremented and id(node) not in targets:
            found.add(node.value)
    return found


def manual_backward(step, target: cst.BaseExpression, arguments: Sequence[cst.Arg] = ()) -> cst.Call:
    """`self.manual_backward(loss, mone, retain_graph=...)`: the backward call's arguments go on (Lightning passes
    them to backward)."""
    step.report.add("T2L119", step.line, "" if step.ctx.manual == TWO_OPTIMIZERS else "loss.backward() -> self.manual_backward(loss) "
                    f"under manual optimization ({WHY[step.ctx.manual]})")  # fmt: skip
    args = [cst.Arg(target), *(a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in arguments)]
    return cst.Call(cst.Attribute(cst.Name("self"), cst.Name("manual_backward")), args)


def report(conv) -> None:
    if conv.manual == TWO_OPTIMIZERS:
        conv.report.add("T2L119", conv.plan.line(conv.plan.batch_loop))
    elif conv.manual:
        conv.report.add("T2L119", conv.plan.line(conv.plan.batch_loop), f"{WHY[conv.manual]} -> manual optimization: "
                        "backward, what follows it and the step in the script's order (Lightning calls backward and "
                        "the step after training_step returns, out of its reach)")  # fmt: skip


def training_body(conv, body: list[cst.BaseStatement], out) -> tuple[list[cst.BaseStatement], list[cst.BaseStatement]]:
    """The hook's statements and its tail under manual optimization: optimizers fetched, steps toggled, and the
    losses logged when the loop logged nothing itself (there is no loss to return)."""
    names = ", ".join(conv.stepped)
    body = [*parse_statements(f"{names} = self.optimizers()\n"), *_toggled(conv, body)]
    if out.logged:
        return body, []
    # a loss computed under a condition (`if i % n_critic == 0:` the generator's step) is logged where it was
    # computed: at the end of the step it is unbound on the batches that skip it
    certain = always_written(*body)
    losses = list({code(x): x for x in out.losses}.values())  # a loss back-propagated twice is logged once
    at_end = [x for x in losses if loads(x) <= certain]
    if logged_after := {code(x) for x in losses if x not in at_end}:
        body = [n for s in body for n in nodes(transform(s, _LoggedAfterBackward(logged_after)))]
    logged = ", ".join(f'"{dotted(x) or "loss"}": {code(x)}' for x in at_end)
    return body, parse_statements(f"self.log_dict({{{logged}}})\n") if at_end else []


class _LoggedAfterBackward(cst.CSTTransformer):
    """`self.log("g_loss", g_loss)` after `self.manual_backward(g_loss)`, in the backward's own block."""

    def __init__(self, losses: set[str]) -> None:
        self.losses = losses

    def leave_SimpleStatementLine(self, original, updated):
        for node in walk(updated):
            if _is_backward(node) and node.args and code(node.args[0].value) in self.losses:
                loss = node.args[0].value
                log = parse_statements(f'self.log("{dotted(loss) or "loss"}", {code(loss)})\n')[0]
                return cst.FlattenSentinel([updated, log])
        return updated


def _toggled(conv, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """Wrap each optimizer's statements in toggle/untoggle when no tensor crosses from one to the next."""
    segments: list[list[cst.BaseStatement]] = [[]]
    owners: list[str | None] = []
    for stmt in body:
        segments[-1].append(stmt)
        calls = {(dotted(c.func.value), c.func.attr.value) for c in walk(stmt)
                 if isinstance(c, cst.Call) and isinstance(c.func, cst.Attribute)}  # fmt: skip
        stepped = next((o for o in conv.stepped if (o, "step") in calls), None)
        if stepped:
            owners.append(stepped)
            segments.append([])
    tail = segments.pop()
    if len(owners) != len(conv.stepped) or len(owners) < 2 or conv.plan.backward_count < 2:  # one loss, one optimizer:
        return body  # nothing to toggle
    if not all(any(_is_backward(n) for s in segment for n in walk(s)) for segment in segments):
        return body  # an optimizer's statements without its backward (models trained side by side: all backwards,
        # then all steps): a toggle would freeze a model whose loss is still to be backpropagated
    for i, segment in enumerate(segments):
        later = first_reads(*[s for seg in segments[i + 1 :] for s in seg], *tail)  # `z` drawn anew is not crossing
        crossing = writes(*segment) & later
        if crossing:
            reason = f"`{', '.join(sorted(crossing))}` computed in {owners[i]}'s step is used afterwards"
            conv.report.add("T2L169", conv.plan.line(conv.plan.batch_loop), reason + ": not toggled, each backward "
                            "reaches every model's parameters, as in the loop")  # fmt: skip
            return body
    result: list[cst.BaseStatement] = []
    for owner, segment in zip(owners, segments):
        result += [*parse_statements(f"self.toggle_optimizer({owner})\n"), *segment,
                   *parse_statements(f"self.untoggle_optimizer({owner})\n")]  # fmt: skip
    return result + tail


def _is_backward(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and dotted(node.func) == "self.manual_backward"

"""Finds the training loop and everything around it: epoch loop, evaluation loops, optimizers, the call site.

A `Plan` is the converter's reading of a script, before anything is rewritten:
- the *batch loop*: the innermost loop around `.backward()`;
- its *scope*: the function (or the module) the batch loop is in, e.g. `train(args, model, ...)`;
- the *site*: the statement the Trainer replaces, usually the epoch loop, e.g. `for epoch in range(...)`
  in `main()`, and its scope; when the batch loop sits in a function called from the epoch loop, `binding`
  maps that function's parameters to the call's argument expressions at the site;
- the evaluation loops (inline, a function called in the epoch loop, or the "val" phase of a phase loop).
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst

from converter import torch_names
from converter.analysis import Index, children, walk
from converter.convert.edits import block_of
from converter.convert.inline import ATOMIC
from converter.convert.loops import unwrap_enumerate, unwrap_tqdm
from converter.convert.rules import epoch_loop as epoch_rule
from converter.convert.rules import full_batch, out_of_reach
from converter.names import (
    Imports,
    bound_names,
    code,
    dotted,
    first_reads,
    loads,
    method_call,
    reads,
    receivers,
    rename,
    targets_of,
    writes,
)

Scope = cst.FunctionDef | cst.Module
LOOPS = (cst.For, cst.While)
STEP_LOOP_ITERS = {"range", "itertools.count"}


@dataclass
class Called:
    """A loop inside a function that the site calls: `test(model, device, test_loader)`."""

    loop: cst.For
    scope: cst.FunctionDef
    call_stmt: cst.BaseStatement
    binding: dict[str, cst.BaseExpression]


@dataclass
class Plan:
    module: cst.Module
    imports: Imports
    index: Index
    batch_loop: cst.For | cst.While
    scope: Scope
    site: cst.BaseStatement
    site_scope: Scope
    epoch_loop: cst.For | cst.While | None
    binding: dict[str, cst.BaseExpression]  # batch-loop scope parameter -> expression at the site
    train_call: cst.BaseStatement | None  # `train(...)` statement at the site, when the loop is in a function
    phase: tuple[str, list[str]] | None = None  # ("phase", ["train", "val"])
    val: Called | cst.For | None = None
    test: Called | None = None
    kept: list[tuple[cst.BaseStatement, str]] = field(default_factory=list)  # evaluations left as calls, and why
    extra_loops: list[cst.For | cst.While] = field(default_factory=list)  # other training loops (not converted)
    backward_count: int = 1
    whole_batch: cst.FunctionDef | None = None  # the closure or function whose body is the synthetic batch loop
    closure_step: cst.Call | None = None  # `optimizer.step(closure)`
    batch_parts: cst.For | None = None  # a loop over parts of the batch inside the batch loop, backward in each
    repeats: cst.For | None = None  # `for _ in range(k):` steps repeated inside the batch loop

    def line(self, node: cst.CSTNode) -> int:
        return self.index.line(self.original(node))

    def original(self, node: cst.CSTNode) -> cst.CSTNode:
        """The input node behind a node of the plan (the synthetic batch loop stands for its function)."""
        if node is self.batch_loop and self.whole_batch is not None:
            return self.whole_batch
        return node

    def home(self, loop: cst.CSTNode) -> tuple[Scope, dict[str, cst.BaseExpression]]:
        """The scope of a loop written inline (an evaluation loop), and its binding: the train function's, where the
        function holds it, else the site's, with nothing to rename (the Training-with-PyTorch tutorial validates in
        the epoch loop, beside `avg_loss = train_one_epoch(...)`)."""
        if self.scope is self.site_scope or self.index.contains(self.scope, loop):
            return self.scope, self.binding
        return self.site_scope, {}

    def to_site(self, expr: cst.BaseExpression, scope: Scope, binding: dict[str, cst.BaseExpression]) -> cst.BaseExpression:
        """An expression of a train function in the names of the site that calls it: its parameters the call's
        arguments, and a local the function sets once, before anything else binds it, from no call (MAE's
        `accum_iter = args.accum_iter`), that value."""
        if scope is self.site_scope:
            return expr
        values: dict[str, cst.BaseExpression] = {}
        if isinstance(scope, cst.FunctionDef) and isinstance(scope.body, cst.IndentedBlock):
            for name in loads(expr):
                sets = [s for s in scope.body.body if name in writes(s)]
                small = sets[0].body[0] if len(sets) == 1 and isinstance(sets[0], cst.SimpleStatementLine) else None
                if (isinstance(small, cst.Assign) and [dotted(t.target) for t in small.targets] == [name]
                        and not any(isinstance(n, cst.Call) for n in walk(small.value))):  # fmt: skip
                    values[name] = small.value
        return rename(rename(expr, values) if values else expr, dict(binding))

    def called_each_epoch(self, scope: Scope) -> bool:
        """A train function the epoch loop calls: it sets its locals again each epoch."""
        return scope is not self.site_scope and isinstance(scope, cst.FunctionDef) and self.epoch_loop is not None

    @property
    def line_of(self) -> LineOf:
        return LineOf(self.index)

    @cached_property
    def bound(self) -> tuple[frozenset[str], frozenset[str]]:
        """Names the script binds at module level, and in the site's scope: names the output must not take."""
        body = self.module.body
        top = {s.name.value for s in body if isinstance(s, (cst.ClassDef, cst.FunctionDef))}
        top |= writes(*[s for s in body if not isinstance(s, (cst.ClassDef, cst.FunctionDef))])
        local = top if isinstance(self.site_scope, cst.Module) else top | writes(self.site_scope.body)
        return frozenset(top), frozenset(local)

    def site_name(self, base: str) -> str:
        """A name the output binds at the site (`lit_model`, `trainer`): `base`, or `base2` where the site's scope
        binds it already (a training an earlier pass converted, in the same scope)."""
        return free_name(base, self.bound[1])


def free_name(name: str, taken: AbstractSet[str]) -> str:
    return name if name not in taken else next(f"{name}{n}" for n in range(2, 1000) if f"{name}{n}" not in taken)


class LineOf:
    """`line_of.get(id(node), default)`: the input line of an original node, looked up by id."""

    def __init__(self, index: Index) -> None:
        self.index = index

    def get(self, node_id: int, default: int = 0) -> int:
        node = self.index.by_id.get(node_id)
        return self.index.line(node) if node is not None else default


class _Finder:
    """The backward calls and the calls of plain names, each with its ancestors (module first, itself last)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.backwards: list[tuple[cst.Call, tuple[cst.CSTNode, ...]]] = []
        self.calls: list[tuple[cst.Call, tuple[cst.CSTNode, ...]]] = []
        for node in index.of_kind(cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "backward":
                self.backwards.append((node, (*index.ancestors(node), node)))
            if isinstance(func, cst.Name):
                self.calls.append((node, (*index.ancestors(node), node)))
        self.line_of = LineOf(index)


def _scope_of(stack: tuple[cst.CSTNode, ...]) -> Scope:
    return next(n for n in reversed(stack) if isinstance(n, (cst.FunctionDef, cst.Module)))


def _statement_of(call: cst.CSTNode, stack: tuple[cst.CSTNode, ...]) -> cst.BaseStatement:
    return next(n for n in reversed(stack) if isinstance(n, (cst.SimpleStatementLine, cst.BaseCompoundStatement)))


def _loops_between(stack: tuple[cst.CSTNode, ...], scope: Scope) -> list[cst.For | cst.While]:
    """Loops enclosing the last node of the stack, innermost first, without leaving `scope`."""
    start = stack.index(scope)
    return [n for n in reversed(stack[start:]) if isinstance(n, LOOPS)]


def phase_values(loop: cst.CSTNode) -> list[str] | None:
    """`for phase in ["train", "val"]` -> ["train", "val"]."""
    if not isinstance(loop, cst.For) or not isinstance(loop.iter, (cst.List, cst.Tuple)):
        return None
    values = [e.value for e in loop.iter.elements]
    if values and all(isinstance(v, cst.SimpleString) for v in values) and isinstance(loop.target, cst.Name):
        return [v.evaluated_value for v in values]  # type: ignore[union-attr]
    return None


def bind(function: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression]:
    """Parameter name -> argument expression for one call (defaults where the call leaves them out)."""
    params = [*function.params.posonly_params, *function.params.params]
    binding: dict[str, cst.BaseExpression] = {}
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for param, arg in zip(params, positional):
        binding[param.name.value] = arg.value
    for arg in call.args:
        if arg.keyword is not None:
            binding[arg.keyword.value] = arg.value
    for param in [*params, *function.params.kwonly_params]:
        if param.name.value not in binding and param.default is not None:
            binding[param.name.value] = param.default
    return binding


def is_step_loop(loop: cst.CSTNode, imports: Imports) -> bool:
    """`for it in range(max_iters)` / `itertools.count()` / `while`: batches are fetched by hand, not iterated."""
    if isinstance(loop, cst.While):
        return True
    return isinstance(loop, cst.For) and imports.call_name(loop.iter) in STEP_LOOP_ITERS


def uses_no_grad(stack: tuple[cst.CSTNode, ...], imports: Imports) -> bool:
    for node in stack:
        if isinstance(node, cst.With) and any(
            imports.call_name(i.item) in ("torch.no_grad", "torch.inference_mode") for i in node.items
        ):
            return True
    return False


def _in_a_method(stack: tuple[cst.CSTNode, ...], scope) -> str | None:
    owner = next((n for n in reversed(stack) if isinstance(n, cst.ClassDef)), None)
    if owner is None or not isinstance(scope, cst.FunctionDef):
        return None
    return (f"`.backward()` is in the method {owner.name.value}.{scope.name.value}: a trainer class is flattened only "
            "when it has no bases and no decorated methods but @torch.no_grad(), one instance made in one place calls its "
            "methods, and `self` is used only as self.attr and self.method(...) statements; else write its batch "
            "method as training_step and its optimizer in configure_optimizers by hand")  # fmt: skip


@dataclass
class Unsupported:
    """A training loop the converter recognises but will not rewrite: marked at `node`."""

    code: str
    reason: str
    node: cst.BaseStatement
    line: int
    module: cst.Module
    index: Index | None = None


def find(module: cst.Module, source: str | None = None, index: Index | None = None) -> Plan | Unsupported | None:
    """The plan; an Unsupported loop with the reason; or None when there is no training loop."""
    index = index or Index(module, source)
    source = source if source is not None else module.code
    finder = _Finder(index)
    imports = Imports(module)
    sites = [(call, stack) for call, stack in finder.backwards if _loops_between(stack, _scope_of(stack))]
    if not finder.backwards:
        return None
    functions = {n.name.value: n for n in module.body if isinstance(n, cst.FunctionDef)}
    if ("share_memory(" in source or "Process(" in source) and out_of_reach.HOGWILD_CALLS.search(source):  # (`in` first: fast)
        call, stack = finder.backwards[0]
        node = _statement_of(call, stack)
        line = finder.line_of.get(id(node), 0)
        return Unsupported(out_of_reach.HOGWILD, out_of_reach.HOGWILD_REASON, node, line, module, index)
    if not sites:
        call, stack = finder.backwards[0]
        scope = _scope_of(stack)
        if isinstance(scope, cst.FunctionDef):
            whole = _whole_batch(scope, finder, index, dict(module=module, imports=imports, index=index))
            if isinstance(whole, Plan):
                _find_evaluation(whole, finder, functions)
            if whole is not None:
                return whole
        outer = [n for n in stack if isinstance(n, LOOPS)]
        node = outer[-1] if outer else _statement_of(call, stack)
        line = finder.line_of.get(id(node), 0)
        reason = _in_a_method(stack, scope) or "`.backward()` is not inside a loop, a closure or a function called in one"
        return Unsupported(full_batch.NOT_A_LOOP, reason, node, line, module, index)
    first_call, stack = sites[0]
    if reason := _in_a_method(stack, _scope_of(stack)):  # a trainer class the trainer_class rule did not flatten
        node = next(n for n in stack if isinstance(n, LOOPS))
        return Unsupported(full_batch.NOT_A_LOOP, reason, node, finder.line_of.get(id(node), 0), module, index)
    scope = _scope_of(stack)
    loops = _loops_between(stack, scope)
    site_loops = [_loops_between(s, _scope_of(s))[0] for _, s in sites]  # each backward's innermost loop
    parts = loops[0] if _parts_of_the_batch(loops, index, imports) else None
    repeated = loops[0] if parts is None and _repeated_steps(loops, site_loops, index, imports) else None
    if parts is not None or repeated is not None:
        loops = loops[1:]
    batch_loop = loops[0]
    innermost = {batch_loop, parts, repeated}
    same_loop = [loop for loop in site_loops if loop in innermost]
    others = set(site_loops) - innermost
    outer = loops[1:]
    phase = None
    if outer and phase_values(outer[0]):
        phase = (outer[0].target.value, phase_values(outer[0]))  # type: ignore[union-attr]
        outer = outer[1:]
    outer = _one_training_per_pass(outer, module, index, imports)
    if isinstance(outer, Unsupported):
        return outer
    if outer and _picks_the_data(outer[0], batch_loop, imports):
        reason = epoch_rule.picks_the_data_reason(index.line(outer[0]), index.line(batch_loop))
        return Unsupported(epoch_rule.NESTED, reason, outer[0], index.line(outer[0]), module, index)
    stepping_its_own = isinstance(batch_loop, cst.For) and any(  # `for net, opt in zip(nets, opts)`: T2L920 says why
        method_call(n, "step", on=bound_names(batch_loop.target)) for n in walk(batch_loop.body))
    if len(outer) > 1 and not stepping_its_own:  # `for update: (rollout); for _ in range(ppo_epochs): for mb in ...:`
        reason = epoch_rule.repeats_the_data_reason(index.line(outer[-1]), index.line(outer[0]), index.line(batch_loop))
        return Unsupported(epoch_rule.NESTED, reason, outer[0], index.line(outer[0]), module, index)
    epoch_loop = outer[-1] if outer else None
    plan_args: dict = dict(
        module=module,
        imports=imports,
        index=index,
        batch_loop=batch_loop,
        scope=scope,
        phase=phase,
        backward_count=len(same_loop),
        batch_parts=parts,
        repeats=repeated,
        extra_loops=sorted(others, key=index.line),
    )
    if epoch_loop is not None or not isinstance(scope, cst.FunctionDef):
        site = epoch_loop or batch_loop
        plan = Plan(site=site, site_scope=scope, epoch_loop=epoch_loop, binding={}, train_call=None, **plan_args)
    else:
        call_site = next(((c, s) for c, s in finder.calls if dotted(c.func) == scope.name.value), None)
        if call_site is None or _builds_the_optimizer(scope, batch_loop, imports):
            # a train function nobody calls, or one that builds its optimizer before the loop (and so runs once:
            # `def main(): model = ...; optimizer = ...; for step in range(n): ...`): the Trainer replaces its loop
            # in place, where the model, the optimizer and the code after the loop still are
            plan = Plan(site=batch_loop, site_scope=scope, epoch_loop=None, binding={}, train_call=None, **plan_args)
        else:
            call, call_stack = call_site
            site_scope = _scope_of(call_stack)
            around = _loops_between(call_stack, site_scope)
            around = _one_training_per_pass(around, module, index, imports)
            if isinstance(around, Unsupported):
                return around
            statement = _statement_of(call, call_stack)
            plan = Plan(
                site=around[-1] if around else statement,
                site_scope=site_scope,
                epoch_loop=around[-1] if around else None,
                binding=bind(scope, call),
                train_call=statement,
                **plan_args,
            )
    _find_evaluation(plan, finder, functions)
    return plan


def _trains_anew(outer: cst.CSTNode, inner: cst.CSTNode, imports: Imports) -> bool:
    """The outer loop builds an optimizer (or scheduler) on each pass, outside the inner loop: every pass is a
    training of its own (k-fold, several runs), not more epochs of one."""
    return any((imports.call_name(call) or "").startswith(torch_names.OPTIMIZERS) for call in _calls_outside(outer, inner))


def _calls_outside(node: cst.CSTNode, inner: cst.CSTNode) -> Iterator[cst.Call]:
    """The calls under `node`, not counting those under `inner`."""
    for child in children(node):
        if child is inner:
            continue
        if isinstance(child, cst.Call):
            yield child
        yield from _calls_outside(child, inner)


def _one_training_per_pass(loops: list, module: cst.Module, index: Index, imports: Imports) -> list | Unsupported:
    """The loops around the training, innermost first. When the outermost builds an optimizer on each pass (folds,
    runs, stages), each pass is a training of its own: only the innermost stays (the Trainer goes there, one per
    pass, the class before the outer loop); declined when the passes share what the training computes."""
    if len(loops) > 1 and _trains_anew(loops[-1], loops[0], imports):
        if len(loops) > 2 or _carried_across_passes(loops[-1], loops[0], index):
            return _nested(loops[-1], loops[0], module, index)
        return loops[:1]
    return loops


def _carried_across_passes(outer: cst.CSTNode, inner: cst.CSTNode, index: Index) -> set[str]:
    """Names the training loop rebinds that a later pass, or the code after the outer loop, reads (a step counter
    bound before the folds, the best loss over all runs): a Trainer per pass would start each from its value
    before the outer loop, and leave it there."""
    trained = writes(inner)
    block = block_of(index, outer) or []
    after = block[next((i for i, s in enumerate(block) if s is outer), len(block)) + 1 :]
    return trained & (first_reads(*outer.body.body) | reads(*after))  # type: ignore[attr-defined]


def _nested(outer: cst.CSTNode, inner: cst.CSTNode, module: cst.Module, index: Index) -> Unsupported:
    """A training loop inside another loop whose passes share state: declined, marked at the outer loop."""
    carried = sorted(_carried_across_passes(outer, inner, index))
    reason = epoch_rule.nested_reason(index.line(outer), index.line(inner), carried)
    return Unsupported(epoch_rule.NESTED, reason, outer, index.line(outer), module, index)  # type: ignore[arg-type]


ONE_BATCH = "[0]"  # one batch per epoch: the step uses the whole data set (a list: a DataLoader would draw a seed)


def _repeated_steps(loops: list[cst.For | cst.While], site_loops: list[cst.For | cst.While], index: Index,
                    imports: Imports) -> bool:  # fmt: skip
    """`for _ in range(n_critic): ...; d_loss.backward(); opt_D.step()` inside a batch loop that has a backward of
    its own after it (a WGAN's critic trained n times a batch, then the generator): the loop around is the batch
    loop, and the repeated steps stay in training_step as written (manual optimization), not a second training.
    The loop around may count iterations (`for iteration in range(ITERS)`, the critic fetching `next(data)`). Or
    steps repeated on each batch of a loader with no backward around them (adversarial training replaying a batch)."""
    if len(loops) < 2 or not isinstance(loops[0], cst.For) or not isinstance(loops[1], cst.For):
        return False
    inner, outer = loops[0], loops[1]
    if not _counts(inner):
        return False
    if outer not in site_loops:  # no backward of its own
        return bool(receivers(inner, "step")) and _iterates_a_loader(outer, index, imports)
    if not _counts(outer):
        return True  # repeats inside a loop over data
    # `for iteration in range(ITERS)` around (batches fetched inside): an iteration loop, not an epoch loop, when it
    # steps an optimizer of its own (the generator's) that the repeated steps do not
    return bool(receivers(outer.body, "step") - receivers(inner, "step"))


def _counts(loop: cst.For) -> bool:
    return isinstance(loop.iter, cst.Call) and dotted(loop.iter.func) == "range"


def _parts_of_the_batch(loops: list[cst.For | cst.While], index: Index, imports: Imports) -> bool:
    """A loop over parts of the batch inside the batch loop, backward in it: micro-batches (`for xm, ym in
    zip(xb.chunk(k), yb.chunk(k))`, gradients accumulated, the optimizer stepped after it), or truncated
    backpropagation through time (`for t in range(0, x.size(1), bptt)`) and updates per sample (`for xi, yi in
    zip(xb, yb)`), a step for each part of a loader's batch. The batch loop is the one around it; the parts stay in
    training_step as written (manual optimization). Not parts: a loop over data sets, which iterates what the loop
    around gives it (`for loader in (a, b): for x, y in loader:`, T2L921), and micro-steps that fetch batches of
    their own (`for micro_step in range(k): x, y = get_batch()`, T2L919)."""
    if len(loops) < 2 or not isinstance(loops[0], cst.For) or not isinstance(loops[1], cst.For):
        return False
    inner, outer = loops[0], loops[1]
    batch = bound_names(outer.target)
    if not batch & reads(inner.iter) or isinstance(_unwrapped(inner.iter, imports), cst.Name):
        return False
    if receivers(inner, "step"):
        return _iterates_a_loader(outer, index, imports)  # a step per part: parts of a loader's batches only
    calls = assigned_calls(index.module, index=index)
    return any(name and (_built_kind(calls, imports, name) or (name not in calls and _kind_by_name(name))) == "optimizers"
               for name in receivers(outer.body, "step"))  # fmt: skip


def _unwrapped(iterated: cst.BaseExpression, imports: Imports) -> cst.BaseExpression:
    """What a loop iterates, without enumerate() / tqdm() around it."""
    while (inner := unwrap_enumerate(unwrap_tqdm(iterated, imports))) is not iterated:
        iterated = inner
    return iterated


def _iterates_a_loader(loop: cst.For, index: Index, imports: Imports) -> bool:
    """`for x, y in train_loader:` (a name built by a DataLoader, or named like one where nothing here builds it)."""
    iterated = _unwrapped(loop.iter, imports)
    if not isinstance(iterated, cst.Name):
        return False
    built = [imports.call_name(call) or "" for call in assigned_calls(index.module, index=index).get(iterated.value, [])]
    return any(b.endswith("DataLoader") for b in built) or (not built and "loader" in iterated.value.lower())


def _builds_the_optimizer(function: cst.FunctionDef, batch_loop: cst.CSTNode, imports: Imports) -> bool:
    """An optimizer built in the function's own body before its batch loop (not one passed in)."""
    for statement in function.body.body:
        if statement is batch_loop:
            return False
        for node in walk(statement):
            if isinstance(node, cst.Assign) and torch_names.is_optimizer(imports.call_name(node.value)):
                return True
    return False


def _picks_the_data(outer: cst.CSTNode, batch_loop: cst.CSTNode, imports: Imports) -> bool:
    """`for loader in (train_dl, probe_dl): for x, y in loader:`: a loop over data sets, not one that counts
    epochs (`tqdm(loader, desc=f"epoch {epoch}")` reads a counting loop's variable, and that loop is an epoch loop)."""
    if not isinstance(outer, cst.For) or not isinstance(batch_loop, cst.For) or _counts_epochs(outer, imports):
        return False
    return bool(bound_names(outer.target) & reads(_unwrapped(batch_loop.iter, imports)))


def _counts_epochs(loop: cst.CSTNode, imports: Imports) -> bool:
    """`for epoch in range(...)` (or trange, tqdm(range(...))): a loop that counts, not one over batches."""
    if not isinstance(loop, cst.For):
        return isinstance(loop, cst.While)
    iterated = loop.iter
    if imports.call_name(iterated) in ("tqdm.tqdm", "tqdm.auto.tqdm", "tqdm") and iterated.args:  # type: ignore[union-attr]
        iterated = iterated.args[0].value  # type: ignore[union-attr]
    return imports.call_name(iterated) in ("range", "tqdm.trange")


def _whole_batch(function: cst.FunctionDef, finder: _Finder, index: Index, base: dict) -> Plan | Unsupported | None:
    """A step without a batch loop: an `optimizer.step(closure)` closure, or a function that trains on the whole
    data set once per call (`loss = train()` in an epoch loop, the graph-network shape). Its body becomes the
    body of a synthetic one-batch loop; the loop that calls it (or steps the closure) is the epoch loop."""
    name = function.name.value
    step_call = next((
        (c, stack) for c, stack in ((n, (*index.ancestors(n), n)) for n in index.of_kind(cst.Call))
        if method_call(c, "step") and c.args and dotted(c.args[0].value) == name
    ), None)  # fmt: skip
    call_site = step_call or next(((c, s) for c, s in finder.calls if dotted(c.func) == name), None)
    if call_site is None:
        return None
    call, call_stack = call_site
    site_scope = _scope_of(call_stack)
    around = _loops_between(call_stack, site_scope)
    statement = _statement_of(call, call_stack)
    closure = step_call is not None
    fetched = around and any(  # a batch made in the loop, or computed in the call (`train(*random_batch())`)
        a.star or not isinstance(a.value, ATOMIC)
        or (isinstance(a.value, cst.Name) and a.value.value in writes(around[0].body)) for a in call.args)
    if not closure and (len(around) > 1 or (around and (fetched or not _counts_epochs(around[0], base["imports"])))):
        # called once per batch (`loss = train_step(x, y)` in a batch loop, or in a step loop with what the loop
        # fetched), not once per epoch: not this shape
        return Unsupported(full_batch.NOT_A_LOOP, f"`{name}(...)` is a step function called once per batch: move its "
                           "body into the batch loop (or write it as training_step) and convert again (t2l inlines it itself only when it "
                           "is called once, with names or constants, and has no early return, yield, global, *args or "
                           "nested function)",
                           statement, index.line(statement), base["module"], index)  # fmt: skip
    if len(around) > 1 and _trains_anew(around[-1], around[0], base["imports"]):
        return _nested(around[-1], around[0], base["module"], index)
    body = list(function.body.body)  # type: ignore[union-attr]
    if body and isinstance(body[-1], cst.SimpleStatementLine) and isinstance(body[-1].body[0], cst.Return):
        body = body[:-1]  # the value goes to the caller, whose reads of it are reported
    loop = cst.For(target=cst.Name("batch"), iter=cst.parse_expression(ONE_BATCH),
                   body=function.body.with_changes(body=body))  # type: ignore[union-attr]  # fmt: skip
    return Plan(
        **base,
        batch_loop=loop,
        scope=site_scope if closure else function,  # a closure reads its enclosing scope's names directly
        site=around[-1] if around else statement,
        site_scope=site_scope,
        epoch_loop=around[-1] if around else None,
        binding={} if closure else bind(function, call),
        train_call=statement,
        whole_batch=function,
        closure_step=call if closure else None,
    )


def _find_evaluation(plan: Plan, finder: _Finder, functions: dict[str, cst.FunctionDef]) -> None:
    if plan.phase is not None:
        return  # the phase loop's "val" pass is the evaluation
    epoch_body = plan.epoch_loop
    models = trained_models(plan)
    # 1. A function called inside the epoch loop (or after it) that loops over batches without backward and runs
    # a trained model (a plotting helper's loop over points is not an evaluation).
    for call, stack in finder.calls:
        name = dotted(call.func)
        function = functions.get(name or "")
        if function is None or function is plan.scope or plan.site_scope not in stack:
            continue
        loop = _evaluation_loop(function, plan.imports)
        if loop is None:
            continue
        binding = bind(function, call)
        if not _runs_a_model(loop, models | {p for p, value in binding.items() if dotted(value) in models}):
            continue
        called = Called(loop, function, _statement_of(call, stack), binding)
        if epoch_body is not None and epoch_body in stack:
            if (condition := _under_a_condition(stack[stack.index(epoch_body) + 1 :])) is not None:
                where = "with the batch's code" if plan.batch_loop in stack else "in on_train_epoch_end"
                plan.kept.append((called.call_stmt, f"it runs only `if {code(condition)}`, and Lightning's validation "
                                  f"runs every epoch: the call stays {where}, under its condition"))  # fmt: skip
                continue
            if plan.val is None and _before_the_training(plan, called.call_stmt):
                plan.kept.append((called.call_stmt, "it runs before each epoch's training, and Lightning validates "
                                  "after it: the call stays in on_train_epoch_start, run as the loop ran it"))  # fmt: skip
                continue
            if isinstance(plan.val, Called) and plan.val.scope is function and plan.val.call_stmt is not called.call_stmt:
                plan.kept.append((called.call_stmt, "the evaluation runs again, on other data, and Lightning's "
                                  "validation runs one: this call stays in on_train_epoch_end, run as the loop ran it"))  # fmt: skip
                continue  # `train_acc = test(train_loader)`, `test_acc = test(test_loader)`: the second stays a call
            plan.val = plan.val or called
        elif plan.site not in stack and plan.line(called.call_stmt) > plan.line(plan.site):
            if (why_not := _why_not_trainer_test(plan, called, models)) is None:
                plan.test = plan.test or called
            elif not plan.kept:
                plan.kept.append((called.call_stmt, f"after training, {why_not}"))
    # 2. An inline loop under no_grad inside the epoch loop, after the batch loop.
    if plan.val is None and epoch_body is not None:
        plan.val = _inline_evaluation(plan, epoch_body)


def _before_the_training(plan: Plan, statement: cst.CSTNode) -> bool:
    """A statement of the epoch loop that runs before the epoch's training (`acc = evaluate()` above the batch loop
    or the train call)."""
    training = plan.train_call if plan.train_call is not None else plan.batch_loop
    return plan.index.line(statement) < plan.index.line(training) and not plan.index.contains(statement, training)


def _why_not_trainer_test(plan: Plan, called: Called, models: set[str]) -> str | None:
    """Why trainer.test cannot stand for a call after training, if it cannot: its result is kept (`test_loss =
    evaluate(...)`: trainer.test returns logged metrics), or the model is rebound before it (`model =
    torch.load(best)`: trainer.test(lit_model) would test the last weights). Such a call stays as written."""
    if kept := sorted(writes(called.call_stmt)):
        return f"its result is kept (`{', '.join(kept)}`), and trainer.test would return logged metrics instead"
    if not _called_alone(called):  # `print(f"test loss {evaluate(test_data):5.2f}")`
        statement = called.call_stmt
        used = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else statement  # not its comment
        return f"its result is used (`{code(used).strip()[:60]}`), and trainer.test would print logged metrics instead"
    start, end = plan.line(plan.site), plan.line(called.call_stmt)
    for node in plan.index.of_kind((cst.Assign, cst.AnnAssign)):
        if start < plan.index.line(node) < end and plan.index.contains(plan.site_scope, node):
            if rebound := sorted(set().union(*(bound_names(t) for t in targets_of(node))) & models):
                return f"`{rebound[0]}` is rebound after training, and trainer.test(lit_model) would test the trained one"
    return None


def _called_alone(called: Called) -> bool:
    """The call is its statement (`evaluate(test_loader)`), its result unused."""
    statement = called.call_stmt
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    return (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and isinstance(called.scope, cst.FunctionDef)
            and dotted(small.value.func) == called.scope.name.value)  # fmt: skip


def trained_models(plan: Plan) -> set[str]:
    """Names whose parameters the script reads (`optim.SGD(model.parameters())`): the models it trains."""
    return {name for c in plan.index.of_kind(cst.Call) if isinstance(c.func, cst.Attribute)
            and c.func.attr.value in ("parameters", "named_parameters") and (name := dotted(c.func.value))}  # fmt: skip


# nn.Module methods that do not run the model: a loop over `zip(ema.parameters(), model.parameters())` (an EMA
# update under no_grad) is no evaluation loop
BOOKKEEPING = {"parameters", "named_parameters", "buffers", "named_buffers", "state_dict", "load_state_dict",
               "modules", "named_modules", "children", "named_children", "zero_grad", "train", "eval", "to", "cpu",
               "cuda", "requires_grad_", "apply"}  # fmt: skip


def _runs_a_model(loop: cst.For, models: set[str]) -> bool:
    """The loop calls one of `models` (`model(x)`, `model.generate(x)`, not `model.parameters()`) or passes it to a
    call, or a model is not known by name."""
    if not models:
        return True
    for node in walk(loop):
        if isinstance(node, cst.Call):
            called = dotted(node.func) or ""
            owner, _, method = called.rpartition(".")
            if called in models or (owner in models and method not in BOOKKEEPING):
                return True
            if any(dotted(a.value) in models for a in node.args):  # `validation_step(generator, batch)`
                return True
    return False


def _evaluation_loop(function: cst.FunctionDef, imports: Imports) -> cst.For | None:
    """The first loop of a function that calls no backward (not looking inside other loops)."""
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.For):
            literal = isinstance(node.iter, (cst.List, cst.Tuple, cst.Set, cst.Dict))  # masks or splits, not batches
            if not literal and not _calls_backward(node) and not is_step_loop(node, imports) and phase_values(node) is None:
                return node
            continue
        stack.extend(reversed(children(node)))
    return None


def _calls_backward(node: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Attribute) and n.attr.value == "backward" for n in walk(node))


def _under_a_condition(between: tuple[cst.CSTNode, ...]) -> cst.BaseExpression | None:
    """The test of an `if` between the epoch loop and an evaluation (`if epoch % 2 == 1: validate()`): such an
    evaluation runs only some epochs (and its loader draws a seed from torch's RNG when it runs), so it is kept."""
    return next((n.test for n in between if isinstance(n, cst.If)), None)


def _inline_evaluation(plan: Plan, epoch_loop: cst.CSTNode) -> cst.For | None:
    stack: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = [(epoch_loop, ())]
    while stack:
        node, above = stack.pop()
        here = (*above, node)
        if node is plan.batch_loop:
            continue
        if isinstance(node, cst.For) and node is not plan.epoch_loop:
            if uses_no_grad(here, plan.imports) and not _runs_a_model(node, trained_models(plan)):
                continue  # `for p_ema, p in zip(ema.parameters(), model.parameters()):` updates, it evaluates nothing
            if uses_no_grad(here, plan.imports) and not is_step_loop(node, plan.imports):
                if (condition := _under_a_condition(here[1:-1])) is None:
                    return node
                plan.kept.append((node, f"it runs only `if {code(condition)}`, and Lightning's validation runs every "
                                  "epoch: the loop stays in on_train_epoch_end under its condition"))  # fmt: skip
                return None
        stack.extend((child, here) for child in reversed(children(node)))
    return None


# --- what names are what ---------------------------------------------------------------------------
def assigned_calls(*scopes: cst.CSTNode, index: Index | None = None) -> dict[str, list[cst.Call]]:
    """name -> the calls assigned to it anywhere in these scopes (`opt = optim.SGD(...)`; `with tqdm(...) as bar:`
    binds `bar` to the call too: tqdm's __enter__ returns the bar itself). Given the index, the answer is kept on it
    (rules ask the same question of the same scopes again): read it, do not change it."""
    key = ("assigned_calls", *map(id, scopes))
    if index is not None and (kept := index.memo.get(key)) is not None:
        return kept[1]  # type: ignore[index]
    found: dict[str, list[cst.Call]] = {}
    if index is not None:
        index.memo[key] = (scopes, found)  # the scopes kept alive with it: their ids name them while it lives
    for scope in scopes:
        nodes = index.of_kind((cst.Assign, cst.WithItem)) if index is not None and scope is index.module else walk(scope)
        for node in nodes:
            if (isinstance(node, cst.WithItem) and isinstance(node.item, cst.Call) and node.asname is not None
                    and isinstance(node.asname.name, cst.Name)):  # fmt: skip
                found.setdefault(node.asname.name.value, []).append(node.item)
            elif isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
                for target in node.targets:
                    for name in bound_names(target.target):
                        found.setdefault(name, []).append(node.value)
            elif isinstance(node, cst.Assign) and isinstance(node.value, cst.Tuple):  # `D, G = Critic(), Gen()`
                for target in node.targets:
                    if isinstance(target.target, cst.Tuple) and len(target.target.elements) == len(node.value.elements):
                        for name, value in zip(target.target.elements, node.value.elements):
                            if isinstance(name.value, cst.Name) and isinstance(value.value, cst.Call):
                                found.setdefault(name.value.value, []).append(value.value)
    return found


def classify(plan: Plan) -> dict[str, set[str]]:
    """Optimizers, schedulers, scalers, writers and progress bars, by name, through the site binding too."""
    calls = assigned_calls(plan.module, index=plan.index)
    kinds: dict[str, set[str]] = {k: set() for k in ("optimizers", "schedulers", "scalers", "writers", "bars")}

    def kind_of(name: str) -> str | None:
        return _built_kind(calls, plan.imports, name)

    for name in {*calls, *plan.binding}:
        kind = kind_of(name)
        bound = plan.binding.get(name)
        if kind is None and bound is not None and dotted(bound):
            kind = kind_of(dotted(bound))  # type: ignore[arg-type]
            if kind is None and (passed := _passed_to_the_site_function(plan, dotted(bound))) is not None:
                kind = kind_of(passed)  # d2l's `train_ch3(net, ..., trainer)` handing `updater` on
        if kind is None and (name in plan.binding or name in calls):
            # A parameter nobody assigns here, or a name assigned from a call of our own
            # (`optimizer = build_optimizer(model)`): go by its name.
            kind = _kind_by_name(name)
            if kind == "schedulers" and _built_by_a_class_of_its_own(plan, calls.get(name, [])):
                kind = None  # `scheduler = WarmupCosine(optimizer, ...)`: a rate policy of the script, stepped as written
        if kind:
            kinds[kind].add(name)
    # Parameters of the train function named like optimizers, when no call site binds them.
    if isinstance(plan.scope, cst.FunctionDef):
        for param in plan.scope.params.params:
            if param.name.value not in calls and param.name.value not in plan.binding:
                if kind := _kind_by_name(param.name.value):
                    kinds[kind].add(param.name.value)
    kinds["schedulers"] -= {name for name in kinds["schedulers"] if _values_of_its_own(plan, calls.get(name, []), kinds["optimizers"])}
    return kinds


def _passed_to_the_site_function(plan: Plan, name: str | None) -> str | None:
    """A parameter of the function that holds the site, called once in the script: the name it is called with
    there (`train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)` for `updater`), else None."""
    scope = plan.site_scope
    if not isinstance(scope, cst.FunctionDef) or name not in {p.name.value for p in scope.params.params}:
        return None
    calls = [c for c in plan.index.of_kind(cst.Call) if isinstance(c.func, cst.Name) and c.func.value == scope.name.value]
    argument = bind(scope, calls[0]).get(name) if len(calls) == 1 else None
    return dotted(argument) if argument is not None else None


def _values_of_its_own(plan: Plan, calls: list[cst.Call], optimizers: set[str]) -> bool:
    """Every call is to a function the script defines that neither receives nor reads an optimizer (DINO's
    `momentum_schedule = cosine_scheduler(0.996, 1, epochs, n)`, a numpy array indexed by the step): named like a
    scheduler, but none, since a scheduler acts on an optimizer."""
    functions = {s.name.value: s for s in plan.module.body if isinstance(s, cst.FunctionDef)}
    return bool(calls) and all(isinstance(c.func, cst.Name) and c.func.value in functions
                               and not (loads(*c.args) | loads(functions[c.func.value].body)) & optimizers
                               for c in calls)  # fmt: skip


def _built_by_a_class_of_its_own(plan: Plan, calls: list[cst.Call]) -> bool:
    """Every call is to a class the script defines that no torch scheduler class is a base of: Lightning would
    refuse it in configure_optimizers (it has no state_dict), and its step() is the script's own code."""
    classes = {s.name.value: s for s in plan.module.body if isinstance(s, cst.ClassDef)}
    return bool(calls) and all(isinstance(c.func, cst.Name) and c.func.value in classes
                               and not _scheduler_based(plan.imports, classes, c.func.value) for c in calls)  # fmt: skip


def _scheduler_based(imports: Imports, classes: dict[str, cst.ClassDef], name: str) -> bool:
    """A class of the script with a torch scheduler among its bases, through the script's own classes. (A loop, not
    a closure that calls itself: that would be a reference cycle holding the tree, see tests/converter/test_no_garbage.)"""
    seen, todo = {name}, [classes[name]]
    while todo:
        for base in todo.pop().bases:
            base_name = dotted(base.value) or ""
            if torch_names.is_scheduler(imports.qualified(base.value)) or "LRScheduler" in base_name:
                return True
            if base_name in classes and base_name not in seen:
                seen.add(base_name)
                todo.append(classes[base_name])
    return False


def _built_kind(calls: dict[str, list[cst.Call]], imports: Imports, name: str) -> str | None:
    """What the calls assigned to `name` build: an optimizer, a scheduler, a scaler, a writer, a progress bar."""
    for call in calls.get(name, []):
        qualified = imports.call_name(call) or ""
        if torch_names.is_scheduler(qualified):
            return "schedulers"
        if torch_names.is_optimizer(qualified):
            return "optimizers"
        if qualified.endswith("GradScaler"):
            return "scalers"
        if qualified.endswith("SummaryWriter"):
            return "writers"
        if qualified.split(".")[0] == "tqdm" or qualified in ("tqdm", "trange"):
            return "bars"
    return None


def _kind_by_name(name: str) -> str | None:
    """`scheduler`, `lr_sched` -> schedulers; `optimizer`, `opt`, `opt_g` -> optimizers (a name is all there is)."""
    lowered = name.lower()
    if "sched" in lowered:
        return "schedulers"
    return "optimizers" if "optim" in lowered or lowered == "opt" or lowered.startswith("opt_") else None


def stepped_optimizers(plan: Plan, kinds: dict[str, set[str]]) -> list[str]:
    """Optimizers stepped inside the batch loop, in order of their first step (SAM's `first_step()` and
    `second_step()` are its steps: kept as written under manual optimization, its two backward calls the reason)."""
    order: list[str] = []
    if plan.closure_step is not None and dotted(plan.closure_step.func.value) in kinds["optimizers"]:  # type: ignore[attr-defined]
        order.append(dotted(plan.closure_step.func.value))  # type: ignore[arg-type, attr-defined]
    for node in calls_in(plan.batch_loop):
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("step", "first_step", "second_step"):
            owner = dotted(func.value)
            if owner in kinds["scalers"] and node.args:
                owner = dotted(node.args[0].value)
            if owner in kinds["optimizers"] and owner not in order:
                order.append(owner)
    return order


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    return [n for n in walk(node) if isinstance(n, cst.Call)]



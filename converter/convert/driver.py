"""`convert_source`: a plain PyTorch training script in, a LightningModule + Trainer script and a report out.

The order of work: parse -> cheap checks (already Lightning? any `.backward(` at all?) -> the normalizers that
run before planning (registry.NORMALIZERS) -> `plan.find` reads the loops -> the declining checks (registry.DECLINES) -> the step rules (registry.RULES, through
`step.StepRewriter`) turn each loop body into a hook body -> free names become module attributes passed to
`__init__` (attributes.py) -> the class is emitted where the train function was, and the Trainer replaces the
epoch loop (site.py). The result is compiled before it is returned: the output always parses. A decline (or a
loop planning cannot read) goes to the normalizers that answer its code; each result goes through the same
pipeline, and the first that converts stands (`_attempt`, `_normalized`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

import libcst as cst

from converter.analysis import Index, apply_edits, check_parses, transform
from converter.convert import plan as planning
from converter.convert import site
from converter.convert.attributes import Attributes
from converter.convert.edits import statements_before
from converter.convert.hook import Hook
from converter.convert.loops import accumulators, batch_index
from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text, trainer_class
from converter.convert.registry import DECLINES, MARKS, NORMALIZERS, RULES
from converter.convert.rules import (
    accumulation,
    after_step,
    backward,
    batch_state,
    breaks,
    distributed,
    epoch_body,
    epoch_loop,
    evaluation,
    full_batch,
    manual_optimization,
    metric_logging,
    mode_switch,
    optimizers,
    schedulers,
    script_globals,
    training_step,
    undefined_names,
    unused_imports,
    validation_epoch,
    zero_grad,
)
from converter.convert.step import StepContext, StepOutcome, StepRewriter
from converter.files import one_file
from converter.marks import marking, todo_line
from converter.names import code, reads, writes
from converter.report import ALREADY_LIGHTNING, CONVERTED, CONVERTED_WITH_TODOS, DECLINED, NO_LOOP, Report, line_map

LIGHTNING_BASES = re.compile(r"\b(LightningModule|LightningDataModule)\b")
LIGHTNING_IMPORT = re.compile(r"^\s*(import|from)\s+(pytorch_lightning|lightning)\b", re.M)


@one_file
def convert_source(source: str, path: str = "<string>") -> tuple[str | None, Report]:
    report = Report(path)
    text = Text(source, path)
    text.module  # noqa: B018  (input that does not parse is an error before anything else)
    if "Lightning" in source and LIGHTNING_BASES.search(source) and LIGHTNING_IMPORT.search(source):  # (`in` first: fast)
        report.status = ALREADY_LIGHTNING
        return None, report
    result = _attempt(text, report, frozenset()) if ".backward(" in source else None
    if result is None:
        report.status = NO_LOOP
        return None, report
    if isinstance(result, _Declined):
        report.status = DECLINED
        return result.marked(), report
    output, report = _later_trainings(source, path, *result)
    report.status = CONVERTED_WITH_TODOS if report.todos else CONVERTED
    return output, report


_LATER_LOOP_MARK = re.compile(rf"^[ \t]*# TODO\(t2l\): {training_step.LATER_LOOP} .*\n", re.M)


def _later_trainings(source: str, path: str, output: str, report: Report) -> tuple[str, Report]:
    """A training loop after the first (a teacher trained, then a student distilled from it) gets its own
    LightningModule and Trainer: a pass converts one loop and marks the others (T2L913), so the output, those marks
    taken off, goes through the pipeline again while one is left. A pass that does not convert its loop leaves the
    marks of the pass before."""
    while (left := sum(f.code == training_step.LATER_LOOP for f in report.findings)) > 0:
        unmarked = _LATER_LOOP_MARK.sub("", output)
        later = Report(path, input_line=line_map(source.splitlines(), unmarked.splitlines()))
        result = _attempt(Text(unmarked, path), later, frozenset())
        if not isinstance(result, tuple) or sum(f.code == training_step.LATER_LOOP for f in result[1].findings) >= left:
            break
        first, last = result[1].site_lines or (0, -1)
        within = [f for f in report.findings if f.code != training_step.LATER_LOOP and first <= f.line <= last]
        if any(f.is_todo for f in within):
            break  # the earlier pass left the loop something to resolve (`optimizer` now built in its module)
        output, later = result
        earlier = [f for f in report.findings if f.code != training_step.LATER_LOOP and f not in within]
        report.findings = earlier + [f for f in later.findings if f not in earlier]  # the later pass's word on its loop
    return output, report


@dataclass
class _Declined:
    """A loop the rules leave as it was: `marked()` is the input with a TODO on the loop saying why (made only
    when it is written: a normalizer may convert the loop instead)."""

    marked: Callable[[], str]


def _attempt(text: Text, report: Report, tried: frozenset[ModuleType]) -> tuple[str, Report] | _Declined | None:
    """One text through the pipeline: the normalizers that run before planning, the plan, the declining checks and
    the step rules; on a decline, the normalizers that answer its code. Returns the output and its report
    (lines mapped to the input through `report.input_line`), _Declined, or None when there is no training loop."""
    if converted := _normalized(text, report, BEFORE_PLANNING, tried):
        return converted
    found = planning.find(text.module, text.source, text.index)
    if found is None:
        return None
    if isinstance(found, planning.Unsupported):
        if converted := _normalized(text, report, {found.code}, tried):
            return converted
        reason = found.reason
        if found.code == full_batch.NOT_A_LOOP and (why := trainer_class.why_not(text)):
            reason += f" (here: {why})"
        report.add(found.code, found.line, reason)
        edit = marking(None, todo_line(found.code, reason + "; not converted"))
        return _Declined(lambda: apply_edits(found.index or Index(found.module), {}, {id(found.node): edit}).code)
    converter = Converter(found, report)
    output = converter.run()
    if converter.declined:
        return _normalized(text, report, {converter.declined}, tried) or _Declined(converter.apply)
    return output, report


def _normalized(text: Text, report: Report, codes: AbstractSet[str],
                tried: frozenset[ModuleType]) -> tuple[str, Report] | None:  # fmt: skip
    """The first normalizer (registry order) that answers one of `codes`, has not run on this path, rewrites `text`
    and whose result converts without declining: that output, and a report with the normalizer's finding and the
    conversion's, every line mapped back to the input. None otherwise."""
    to_input = report.input_line
    for normalizer in NORMALIZERS:
        if normalizer in tried or not normalizer.RUNS_ON & codes or (rewritten := normalizer.normalize(text)) is None:
            continue

        def input_line(line: int, rewritten: Normalized = rewritten) -> int:
            return to_input(rewritten.original_line(line))

        result = _attempt(Text(rewritten.source, text.path), Report(text.path, input_line=input_line), tried | {normalizer})
        if isinstance(result, tuple):
            output, inner = result
            normalized = Report(text.path, input_line=to_input, site_lines=inner.site_lines)  # lines already the input's
            normalized.add(rewritten.code, rewritten.line, rewritten.message)
            normalized.findings += [f for f in inner.findings if f not in normalized.findings]  # lines already the input's
            return output, normalized
    return None


def _at_epoch_start(conv: Converter, leftover: epoch_body.EpochBody) -> list[cst.BaseStatement]:
    """What on_train_epoch_start runs besides the carried state's resets: the epoch variable where the script's
    functions read it as a global, the epoch loop's statements before the training, and the model's mode."""
    switch = mode_switch.kept_at_epoch_start(conv) if leftover.end and not mode_switch.among(leftover.start) else None
    return script_globals.at_epoch_start(conv) + leftover.start + ([switch] if switch else [])


class Converter:
    """One conversion: the plan, what the rules decided, and the edits to the input (keyed by node id)."""

    def __init__(self, plan: planning.Plan, report: Report) -> None:
        self.plan = plan
        self.report = report
        self.kinds = planning.classify(plan)
        self.stepped = planning.stepped_optimizers(plan, self.kinds)
        self.manual = manual_optimization.why_manual(plan, self.stepped, self.kinds["scalers"])  # None: automatic optimization
        self.attributes = Attributes(self)
        self.replace: dict[int, object] = {}
        self.trainer_args: dict[str, str] = {}
        self.loaders: dict[str, cst.BaseExpression] = {}  # "val" / "test" -> the loader at the site
        self.train_wrapper: str | None = None  # the class of the wrapper fit's train loader is given in (site.py)
        self.epoch = epoch_loop.EpochCount()
        self.comments: list[str] = []  # lines for the class's head
        self.counters: set[str] = set()
        self.carried: set[str] = set()
        self.after_step = after_step.Moved()  # the code after the step: on_train_batch_end's, or marked
        self.val_carried: set[str] = set()  # the validation's totals that code after its loop reads
        self.val_around: validation_epoch.Around | None = None
        self.logged_val: list[str] = []
        self.leftover = epoch_body.EpochBody()  # the epoch loop's other statements, and the names they share
        self.declined: str | None = None  # the code of the TODO, when the loop was left as it was
        self.clip_hook: Hook | None = None
        self.hook_todos: dict[str, list[str]] = {}  # hook name -> "CODE reason" TODOs for its first line
        self.configured: set[str] = set()  # optimizers and schedulers now built in configure_optimizers
        self.optional_schedulers: set[str] = set()  # epoch schedulers the script steps `if scheduler is not None:`
        self.conditions: accumulation.StepConditions | None = None
        self._accumulated: dict[tuple[int, int], tuple[set[str], set[str]]] = {}

    def run(self) -> str:
        training_step.extra_loops(self)
        for rule in DECLINES:
            if (declined := rule.decline(self)) is not None:
                return declined
        epoch_loop.plan_epochs(self)
        validation_epoch.plan_totals(self)
        after_step.plan_move(self)
        hooks = [training_step.hook(self)]
        if end := after_step.hook(self, batch_index(self.plan.batch_loop)):
            hooks.append(end)
        if start := validation_epoch.start_hook(self):
            hooks.append(start)
        hooks += [*evaluation.hooks(self), *optimizers.configure_optimizers(self)]
        hooks += ([self.clip_hook] if self.clip_hook is not None else []) + zero_grad.hooks(self)
        self.leftover = leftover = epoch_body.split(self, hooks[0])
        hooks = validation_epoch.updates_first(self, hooks, leftover.before_validation)
        kept = leftover.last_batch - script_globals.shared(self)
        hooks[0] = epoch_body.keeping_last_batch(hooks[0], kept, accumulation.undivided_losses(self))
        if epoch_start := batch_state.epoch_start_hook(self, _at_epoch_start(self, leftover)):
            hooks.insert(0, epoch_start)
        if end := leftover.end:
            hooks.append(Hook("on_train_epoch_end", [], end, self.plan.site_scope, {}))
        site.build(self, [self.attributes.render(h) for h in hooks])
        script_globals.report(self)
        for rule in MARKS:
            rule.mark(self)
        return self.apply()

    # --- what rules use -----------------------------------------------------------------------------------
    def todo(self, code_: str, node: cst.CSTNode, reason: str, inside: cst.CSTNode | None = None,
             hook: str | None = None) -> None:  # fmt: skip
        """Report a TODO and mark its line: the statement in the output, or, when the statement is replaced
        (it sits in `inside`, which the Trainer replaces), the first line of the hook that took its place."""
        self.report.add(code_, self.plan.line(node), reason)
        if inside is not None and hook is not None and self.plan.index.contains(inside, node):
            self.hook_todos.setdefault(hook, []).append(f"{code_} {reason}")
            return
        statement = self.plan.index.statement(node)
        self.replace[id(statement)] = marking(self.replace.get(id(statement)), todo_line(code_, reason))

    def unsupported(self, node: cst.CSTNode, code_: str, reason: str) -> str:
        """Not convertible: the input comes back (from `apply()`) unchanged but for a TODO comment on the loop."""
        node = self.plan.original(node)
        self.declined = code_
        self.report.add(code_, self.plan.line(node), reason)
        distributed.mark(self, declined=True)  # hand-written DDP is named on the declined path too
        self.replace[id(node)] = marking(self.replace.get(id(node)), todo_line(code_, reason + "; not converted"))
        return ""  # the marked input is `apply()`, made when it is written (a retry may convert the loop instead)

    def apply(self) -> str:
        output = unused_imports.without_them(self, apply_edits(self.plan.index, {}, self.replace))
        check_parses(output, self.report.path)  # the output always parses (compile: ~0.1 of a libcst parse)
        return undefined_names.mark(self, self.plan.index.source or self.plan.module.code, output)

    def rewrite(self, loop, scope, kind: str, phase: str | None) -> tuple[list[cst.BaseStatement], StepOutcome, StepContext]:
        """A loop body rewritten by the step rules into the body of a `kind` hook."""
        context = self._context(kind, loop, scope, phase)
        rewriter = StepRewriter(context, self.report, self.plan.line_of, RULES)
        body = transform(loop.body, rewriter)
        self.counters |= context.counters
        return list(body.body) if isinstance(body, cst.IndentedBlock) else [], rewriter.out, context

    def _context(self, kind: str, loop: cst.For | cst.While, scope: cst.CSTNode, phase: str | None) -> StepContext:
        totals, counters = self.accumulated(loop, scope)
        totals -= self.val_carried if kind == "val" else set()  # kept as attributes, not logged
        train = kind == "train"
        if train and scope is self.plan.scope and not self.plan.phase:  # read later: carried
            totals -= epoch_body.read_after_the_batch_loop(self)
        accumulated = self.conditions.accumulation if train and self.conditions else None
        ending = breaks.ending_training(self, loop, counters) if train else breaks.Ending()
        return StepContext(
            imports=self.plan.imports, kind=kind, manual=self.manual if train else None,
            optimizers=self.kinds["optimizers"], schedulers=self.kinds["schedulers"], scalers=self.kinds["scalers"],
            writers=self.kinds["writers"], progress_bars=self.kinds["bars"],
            accumulators=totals, counters=counters | self.counters, batch_idx=batch_index(loop),
            counted_in_step=batch_state.counted_in_step(counters, loop.body.body, self.after_step.dropped) if train else set(),
            unwrap=accumulation.unwrapped(self.conditions) if train and self.conditions else set(),
            guards=self.conditions.guards if train and self.conditions else set(),
            drop=(accumulated.removed if accumulated else set()) | (self.after_step.dropped if train else set()),
            accumulate_every=code(accumulated.every) if accumulated else None, divided=accumulation.divided_lines(self, accumulated),
            phase=(self.plan.phase[0], phase) if self.plan.phase and phase else None,
            rebound=backward.rebound_losses(loop, self.plan.line) if train else set(), names=reads(loop.body) | writes(loop.body), computed=metric_logging.computed_each_batch(loop, counters | {batch_index(loop)}),
            marks=self.after_step.marks if train else {}, ends_training=ending.lines, stops_before_the_step=ending.before_the_step, skipping=breaks.skipping(loop), between_batches=train and bool(self.after_step.statements), evaluates_in_step=train and mode_switch.evaluates_in_step(loop, self.plan.module),
        )  # fmt: skip

    def accumulated(self, loop, scope) -> tuple[set[str], set[str]]:
        """(running totals, step counters) of a loop in a scope."""
        key = (id(loop), id(scope))
        if key not in self._accumulated:
            each_epoch = self.plan.called_each_epoch(scope)
            totals, counters = accumulators(self.plan.index, loop, scope, epoch_loop.steps_per_batch(self), each_epoch)
            self._accumulated[key] = totals, counters - manual_optimization.read_after_the_step(self, loop, counters)
        totals, counters = self._accumulated[key]
        kept_global = script_globals.shared(self)  # a function reads it: counted as the loop counts it
        return set(totals) - kept_global, set(counters) - kept_global

    def to_site(self, expr: cst.BaseExpression, scope, binding) -> cst.BaseExpression:
        """An expression of the train function, in the names of the site that calls it."""
        return self.plan.to_site(expr, scope, binding)

    @cached_property
    def prelude(self) -> list[cst.BaseStatement]:
        """The statements before the batch loop in its block."""
        return statements_before(self.plan.index, self.plan.batch_loop)

    @cached_property
    def epoch_schedulers(self) -> list[tuple[str, cst.Call]]:
        return schedulers.epoch_schedulers(self)

    @cached_property
    def reset_names(self) -> set[str]:
        """Running totals and counters: assigned before the batch loop, incremented in it."""
        names: set[str] = set()
        for loop in (self.plan.batch_loop, self.plan.val if isinstance(self.plan.val, cst.For) else None):
            if loop is not None:
                names |= set().union(*self.accumulated(loop, self.plan.home(loop)[0]))
        return names


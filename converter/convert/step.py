"""Rewrites one loop body into the body of a Lightning hook: the training mechanics go, the user's code stays.

`StepRewriter` walks the statements of a batch loop once and asks the rules (`converter/convert/rules/`, in the
order of `registry.RULES`) what to do with each construct. A rule module answers the events it defines:

    on_call(step, line, call, owner, method)   a call statement (`optimizer.step()`: owner "optimizer")
    on_assign(step, line, assign)              `x = ...`
    on_aug_assign(step, aug_assign)            `x += ...`
    on_statement(step, line, small)            `break`, `continue`, `return`
    on_expression_call(step, call, owner, method)  any call inside an expression (`x.to(device)`)
    on_with_item(step, with_node, call, name)  an item of a `with`: True removes it
    on_emptied_with(step, original, updated)   a `with` whose body the rules removed (its context now holds nothing)
    on_if(step, original, updated)             an `if` block
    on_for(step, original, updated)            a nested `for`

Each returns NO_MATCH to pass, or its answer: None removes the construct, a node replaces it. The first rule
that answers wins. What a rule finds that the hook, configure_optimizers or the Trainer must carry goes into
`step.out`; the findings go into the report with the line of the input.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import ModuleType

import libcst as cst

from converter.marks import kept, marked, todo_line
from converter.names import Imports, dotted
from converter.report import Report

NO_MATCH = object()
EVENTS = ("on_call", "on_assign", "on_aug_assign", "on_statement", "on_expression_call", "on_with_item", "on_emptied_with",
          "on_if", "on_for")


@dataclass
class StepContext:
    """What the rewriter knows about the script around the loop."""

    imports: Imports
    kind: str  # "train", "val" or "test"
    manual: str | None  # why the optimization is manual (keep zero_grad/step, backward -> manual_backward), or None
    optimizers: set[str]
    schedulers: set[str]
    scalers: set[str]
    writers: set[str]
    progress_bars: set[str]
    accumulators: set[str]  # names initialised before the loop and summed inside it
    counters: set[str]  # step counters incremented by one per batch
    batch_idx: str | None
    counted_in_step: set[str] = field(default_factory=set)  # counters read after their increment: kept, a local
    phase: tuple[str, str] | None = None  # ("phase", "train"): fold `phase == "train"` to True
    unwrap: set[int] = field(default_factory=set)  # ids of `if`s around steps: replaced by their body
    guards: set[int] = field(default_factory=set)  # ... of those, the ones a `return None` opens (batch skipped)
    drop: set[int] = field(default_factory=set)  # ids of statements to remove (`loss = loss / accum`)
    accumulate_every: str | None = None  # K of accumulate_grad_batches: Lightning divides the loss by it
    divided: dict[str, int] = field(default_factory=dict)  # loss name -> the line after which the loop read it divided
    rebound: set[str] = field(default_factory=set)  # loss names the body assigns again after their backward()
    names: set[str] = field(default_factory=set)  # every name the loop body reads or binds (for a new local's name)
    computed: set[str] = field(default_factory=set)  # the names the loop body binds to the batch's values (not counts)
    marks: dict[int, tuple[str, str]] = field(default_factory=dict)  # statement id -> (code, reason) of its TODO
    ends_training: frozenset[int] = frozenset()  # ids of the lines of the block whose `break` ends the training
    stops_before_the_step: bool = False  # ... which comes before the batch's backward and step (none taken)
    skipping: set[int] = field(default_factory=set)  # ids of the lines of blocks that skip the batch or end the run
    between_batches: bool = False  # code moved to on_train_batch_end runs between the batches (it may leave eval mode)
    evaluates_in_step: bool = False  # the batch loop switches to eval mode itself: the step keeps its switches


@dataclass
class StepOutcome:
    """What the rewrite found that the hook, configure_optimizers or the Trainer must carry."""

    losses: list[cst.BaseExpression] = field(default_factory=list)
    clips: list[tuple[str, cst.BaseExpression | None, int, cst.Call]] = field(default_factory=list)  # (algorithm, value, line, call)
    precision: tuple[str, cst.BaseExpression | None, bool] | None = None  # (dtype, enabled, cuda-only)
    detect_anomaly: bool = False  # a `with torch.autograd.detect_anomaly():` in the step
    step_schedulers: set[str] = field(default_factory=set)
    early_schedulers: set[str] = field(default_factory=set)  # of those, stepped before the optimizer: by training_step
    plateau_metric: cst.BaseExpression | None = None
    breaks: list[tuple[cst.BaseExpression | None, int]] = field(default_factory=list)  # (condition, line)
    logged: list[str] = field(default_factory=list)
    printed_loss: bool = False
    saves: int = 0
    optimizer_order: list[str] = field(default_factory=list)


@functools.cache
def _handlers(rules: tuple[ModuleType, ...]) -> dict[str, list]:
    """Event -> the rules' handlers for it, in the rules' order (the same for every rewrite: found once)."""
    return {event: [getattr(rule, event) for rule in rules if hasattr(rule, event)] for event in EVENTS}


class StepRewriter(cst.CSTTransformer):
    def __init__(self, context: StepContext, report: Report, line_of, rules: list[ModuleType]) -> None:
        self.ctx = context
        self.report = report
        self.line_of = line_of  # id(original statement node) -> line in the input
        self.out = StepOutcome()
        self.line = 0  # the line of the statement being rewritten
        self.conditions: list[cst.BaseExpression] = []  # the tests of the `if`s around it
        self.ifs: list[cst.If] = []  # ... and those `if`s
        self._handlers = _handlers(tuple(rules))

    # --- what rules use ---------------------------------------------------------------------------------
    def at(self, node: cst.CSTNode) -> int:
        return self.line_of.get(id(node), self.line)

    def todo(self, node: cst.BaseStatement, code: str, reason: str) -> cst.BaseStatement:
        """Keep `node` as written, marked with a TODO, and report it."""
        return kept(self.report, code, self.at(node), node, reason)

    def calls(self, call: cst.CSTNode, names: set[str] | dict[str, str]) -> bool:
        return self.ctx.imports.call_name(call) in names

    @staticmethod
    def method(call: cst.CSTNode) -> tuple[str | None, str | None]:
        """`x.y.step()` -> ("x.y", "step"); `x().step()` -> (None, "step")."""
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
            return dotted(call.func.value), call.func.attr.value
        return None, None

    def _ask(self, event: str, *args):
        for handler in self._handlers[event]:
            answer = handler(self, *args)
            if answer is not NO_MATCH:
                return answer
        return NO_MATCH

    # --- statements -------------------------------------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseStatement) and (id(node) in self.ctx.drop or id(node) in self.ctx.marks):
            return False  # a block that goes to a hook of its own, or stays as written with a TODO: no rule sees it
        return super().on_visit(node)

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode):
        if isinstance(original, cst.BaseCompoundStatement) and id(original) in self.ctx.drop:
            return cst.RemovalSentinel.REMOVE
        if mark := self.ctx.marks.get(id(original)):  # ("", ""): kept as written, its block's mark is above it
            return marked(updated, todo_line(*mark)) if mark[0] else updated
        return super().on_leave(original, updated)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.line = self.line_of.get(id(node), self.line)

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        if id(original) in self.ctx.drop:
            return cst.RemovalSentinel.REMOVE  # a statement the plan removes (`loss = loss / accum`)
        kept: list[cst.BaseSmallStatement] = []
        for small in updated.body:
            answer = self._small(original, small)
            if isinstance(answer, (cst.BaseStatement, cst.FlattenSentinel)):
                return answer  # a rule kept the whole line, marked with a TODO, or made it several
            if answer is not None:
                kept.append(answer)
        return updated.with_changes(body=kept) if kept else cst.RemovalSentinel.REMOVE

    def _small(self, line: cst.SimpleStatementLine, small: cst.BaseSmallStatement):
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            answer = self._ask("on_call", line, small.value, *self.method(small.value))
            if isinstance(answer, cst.BaseExpression):
                return cst.Expr(answer)
        elif isinstance(small, cst.Assign):
            answer = self._ask("on_assign", line, small)
        elif isinstance(small, cst.AugAssign):
            answer = self._ask("on_aug_assign", small)
        else:
            answer = self._ask("on_statement", line, small)
        return small if answer is NO_MATCH else answer

    # --- expressions and blocks -------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        answer = self._ask("on_expression_call", updated, *self.method(updated))
        return updated if answer is NO_MATCH else answer

    def visit_If(self, node: cst.If) -> None:
        if self.ifs and self.ifs[-1].orelse is node:  # an `elif`: the test above it was false
            self.conditions[-1] = negated(self.conditions[-1])
        self.conditions.append(node.test)
        self.ifs.append(node)

    def visit_Else(self, node: cst.Else) -> None:
        self.conditions[-1] = negated(self.conditions[-1])  # a statement of `else:` runs when the test is false

    def leave_If(self, original: cst.If, updated: cst.If):
        self.conditions.pop()
        self.ifs.pop()
        answer = self._ask("on_if", original, updated)
        if answer is not NO_MATCH:
            return answer
        if _empty(updated.body) and updated.orelse is None:
            return cst.RemovalSentinel.REMOVE  # every statement of it went
        return updated

    def leave_With(self, original: cst.With, updated: cst.With):
        kept = []
        for item in updated.items:
            name = self.ctx.imports.call_name(item.item)
            if not any(handler(self, original, item.item, name) for handler in self._handlers["on_with_item"]):
                kept.append(item)
        if not kept:
            return cst.FlattenSentinel(updated.body.body)  # type: ignore[union-attr]
        updated = updated.with_changes(items=[*kept[:-1], kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
        if _empty(updated.body) and not _empty(original.body):
            answer = self._ask("on_emptied_with", original, updated)
            return updated if answer is NO_MATCH else answer
        return updated

    def leave_For(self, original: cst.For, updated: cst.For):
        answer = self._ask("on_for", original, updated)
        return updated if answer is NO_MATCH else answer


def _empty(block: cst.BaseSuite) -> bool:
    body = block.body if isinstance(block, cst.IndentedBlock) else []
    return all(isinstance(s, cst.SimpleStatementLine) and all(isinstance(x, cst.Pass) for x in s.body) for s in body)


def negated(test: cst.BaseExpression) -> cst.BaseExpression:
    """`not (<test>)`, or the test itself when it is `not <x>`."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return test.expression.with_changes(lpar=[], rpar=[])
    return cst.UnaryOperation(cst.Not(), test.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))

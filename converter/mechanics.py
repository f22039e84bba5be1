"""Rewrites one loop body into the body of a Lightning hook: the training mechanics go, the user's code stays.

`StepRewriter` walks the statements of a batch loop once. Each rule is a small method named after what it
handles (`_zero_grad`, `_backward`, `_optimizer_step`, ...); it either removes the construct and records a
finding (and, where Lightning needs it, a Trainer argument), or marks it with a TODO and keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from converter.accumulation import divides
from converter.names import Imports, code, dotted, reads, self_attr
from converter.report import Report

AUTOCAST = {"torch.autocast", "torch.cuda.amp.autocast", "torch.amp.autocast", "torch.cpu.amp.autocast"}
NO_GRAD = {"torch.no_grad", "torch.inference_mode"}
CLIP = {"torch.nn.utils.clip_grad_norm_": "norm", "torch.nn.utils.clip_grad_value_": "value"}
LOG_METHODS = {"add_scalar"}
TQDM = {"tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm", "tqdm.trange", "tqdm"}
REGISTER_HOOKS = {"register_hook", "register_full_backward_hook", "register_backward_hook"}
INPLACE_UPDATES = {"add_", "sub_", "mul_", "copy_", "zero_", "addcmul_", "addcdiv_"}


@dataclass
class StepContext:
    """What the rewriter knows about the script around the loop."""

    imports: Imports
    kind: str  # "train", "val" or "test"
    manual: bool  # manual optimization: keep zero_grad/step, backward -> manual_backward
    optimizers: set[str]
    schedulers: set[str]
    scalers: set[str]
    writers: set[str]
    progress_bars: set[str]
    accumulators: set[str]  # names initialised before the loop and summed inside it
    counters: set[str]  # step counters incremented by one per batch
    batch_idx: str | None
    phase: tuple[str, str] | None = None  # ("phase", "train"): fold `phase == "train"` to True
    unwrap: set[int] = field(default_factory=set)  # ids of `if`s around steps: replaced by their body
    drop: set[int] = field(default_factory=set)  # ids of statements to remove (`loss = loss / accum`)
    accumulate_every: str | None = None  # K of accumulate_grad_batches: Lightning divides the loss by it


@dataclass
class StepOutcome:
    """What the rewrite found that the hook, configure_optimizers or the Trainer must carry."""

    losses: list[cst.BaseExpression] = field(default_factory=list)
    clips: list[tuple[str, cst.BaseExpression | None, int, cst.Call]] = field(default_factory=list)  # (algorithm, value, line, call)
    precision: tuple[str, cst.BaseExpression | None, bool] | None = None  # (dtype, enabled, cuda-only)
    step_schedulers: set[str] = field(default_factory=set)
    plateau_metric: cst.BaseExpression | None = None
    breaks: list[tuple[cst.BaseExpression | None, int]] = field(default_factory=list)  # (condition, line)
    logged: list[str] = field(default_factory=list)
    printed_loss: bool = False
    saves: int = 0
    optimizer_order: list[str] = field(default_factory=list)


class StepRewriter(cst.CSTTransformer):
    def __init__(self, context: StepContext, report: Report, line_of: dict[int, int]) -> None:
        self.ctx = context
        self.report = report
        self.line_of = line_of  # id(original statement node) -> line in the input
        self.out = StepOutcome()
        self._line = 0
        self._conditions: list[cst.BaseExpression] = []

    # --- plumbing -----------------------------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line = self.line_of.get(id(node), self._line)

    def _at(self, node: cst.CSTNode) -> int:
        return self.line_of.get(id(node), self._line)

    def _todo(self, node: cst.BaseStatement, code_: str, reason: str) -> cst.BaseStatement:
        self.report.add(code_, self._at(node), reason)
        comment = cst.EmptyLine(comment=cst.Comment(f"# TODO(t2l): {code_} {reason}"))
        return node.with_changes(leading_lines=[*node.leading_lines, comment])

    def _is(self, call: cst.CSTNode, names: set[str] | dict[str, str]) -> bool:
        return self.ctx.imports.call_name(call) in names

    @staticmethod
    def _method(call: cst.CSTNode) -> tuple[str | None, str | None]:
        """`x.y.step()` -> ("x.y", "step"); `x().step()` -> (None, "step")."""
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
            return dotted(call.func.value), call.func.attr.value
        return None, None

    # --- statements -----------------------------------------------------------------------------
    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        if id(original) in self.ctx.drop:
            return cst.RemovalSentinel.REMOVE  # `loss = loss / accum`: Lightning divides
        kept: list[cst.BaseSmallStatement] = []
        for small in updated.body:
            result = self._small(original, small)
            if isinstance(result, cst.BaseStatement):
                return result  # a rule replaced the whole line (TODO comment)
            if result is not None:
                kept.append(result)
        if not kept:
            return cst.RemovalSentinel.REMOVE
        return updated.with_changes(body=kept)

    def _small(self, line: cst.SimpleStatementLine, small: cst.BaseSmallStatement):
        if isinstance(small, cst.Break):
            self.out.breaks.append((_conjunction(self._conditions), self._line))
            return None
        if isinstance(small, cst.Continue):
            return cst.Return(cst.Name("None"))  # Lightning skips the step when training_step returns None
        if isinstance(small, cst.Return) and self.ctx.kind == "train":
            return self._todo(line, "T2L916", "`return` in the batch loop ended training early; in training_step it "
                              "returns the loss: stop with self.trainer.should_stop = True (or Trainer(max_steps=...))")
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return self._call_statement(line, small, small.value)
        if isinstance(small, cst.AugAssign):
            return self._aug_assign(small)
        if isinstance(small, cst.Assign):
            return self._assign(line, small)
        return small

    def _call_statement(self, line, small: cst.Expr, call: cst.Call):
        owner, method = self._method(call)
        for rule in (
            self._zero_grad,
            self._backward,
            self._optimizer_step,
            self._scaler,
            self._scheduler_step,
            self._mode_switch,
            self._clip,
            self._print,
            self._writer,
            self._progress_bar,
            self._save,
        ):
            self._statement = line
            result = rule(call, owner, method)
            if result is not _NO_MATCH:
                return cst.Expr(result) if isinstance(result, cst.BaseExpression) else result
        if method in REGISTER_HOOKS:
            return self._todo(line, "T2L902", f"custom backward hook `{code(call.func)}` kept; check it under Lightning")
        if method in INPLACE_UPDATES and owner and (owner.endswith(".data") or owner.endswith(".grad")):
            return self._todo(line, "T2L903", f"manual parameter update `{code(call)}` kept; Lightning's step also runs")
        return small

    # --- the rules ------------------------------------------------------------------------------
    def _zero_grad(self, call, owner, method):
        if method != "zero_grad":
            return _NO_MATCH
        if self.ctx.manual:
            return call  # manual optimization keeps the user's order of zero_grad, backward and step
        self.report.add("T2L101", self._line)
        return None

    def _backward(self, call, owner, method):
        if method != "backward" or not isinstance(call.func, cst.Attribute):
            return _NO_MATCH
        target = self._undivided(call.func.value)
        inner = target if isinstance(target, cst.Call) else None
        if inner is not None and self._method(inner)[1] == "scale" and self._method(inner)[0] in self.ctx.scalers:
            target = inner.args[0].value  # scaler.scale(loss).backward()
            self.report.add("T2L109", self._line)
        if any(a.keyword and a.keyword.value in ("retain_graph", "create_graph") for a in call.args):
            self.report.add("T2L907", self._line, f"`{code(call)}`: retain_graph/create_graph kept as a plain backward")
        self.out.losses.append(target)
        if self.ctx.manual:
            self.report.add("T2L119", self._line)
            return cst.Call(cst.Attribute(cst.Name("self"), cst.Name("manual_backward")), [cst.Arg(target)])
        self.report.add("T2L102", self._line)
        return None

    def _optimizer_step(self, call, owner, method):
        if method != "step" or owner not in self.ctx.optimizers:
            return _NO_MATCH
        if owner not in self.out.optimizer_order:
            self.out.optimizer_order.append(owner)
        if call.args:
            return self._todo_expr(self._statement, "T2L904", f"`{code(call)}`: a step with arguments inside the batch loop")
        if self.ctx.manual:
            return call
        self.report.add("T2L103", self._line)
        return None

    def _undivided(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        """`loss / accum` -> `loss` under accumulate_grad_batches (Lightning divides by it before backward)."""
        every = self.ctx.accumulate_every
        if every and divides(expr, every):
            return expr.left  # type: ignore[attr-defined]
        return expr

    def _todo_expr(self, line: cst.SimpleStatementLine, code_: str, reason: str) -> cst.BaseStatement:
        """A call kept as written: the whole line stays, marked with the TODO."""
        return self._todo(line, code_, reason)

    def _scaler(self, call, owner, method):
        if owner not in self.ctx.scalers:
            return _NO_MATCH
        self.report.add("T2L109", self._line)
        if method == "step" and call.args:
            optimizer = dotted(call.args[0].value)
            if optimizer and optimizer not in self.out.optimizer_order:
                self.out.optimizer_order.append(optimizer)
            if self.ctx.manual:
                return cst.Call(cst.Attribute(call.args[0].value, cst.Name("step")))
        return None  # update(), unscale_(): Lightning's precision plugin does these

    def _scheduler_step(self, call, owner, method):
        if method != "step" or owner not in self.ctx.schedulers:
            return _NO_MATCH
        self.report.add("T2L107", self._line, f"`{owner}.step()` every batch -> \"interval\": \"step\"")
        self.out.step_schedulers.add(owner)
        return None

    def _mode_switch(self, call, owner, method):
        if method not in ("train", "eval") or call.args or owner is None:
            return _NO_MATCH
        self.report.add("T2L105", self._line)
        return None

    def _clip(self, call, owner, method):
        if not self._is(call, CLIP):
            return _NO_MATCH
        if self.ctx.manual:
            return call  # the user's clip stays between their manual_backward and step
        algorithm = CLIP[self.ctx.imports.call_name(call)]
        value = next((a.value for a in call.args[1:2]), None) or next(
            (a.value for a in call.args if a.keyword and a.keyword.value in ("max_norm", "clip_value")), None
        )
        self.out.clips.append((algorithm, value, self._line, call))
        return None  # the training hook decides: gradient_clip_val, or configure_gradient_clipping

    def _print(self, call, owner, method):
        if dotted(call.func) not in ("print", "logging.info", "logger.info", "log.info"):
            return _NO_MATCH
        mentioned = reads(call)
        if any(reads(loss) & mentioned for loss in self.out.losses) or "loss" in mentioned:
            self.out.printed_loss = True
        self.report.add("T2L113", self._line, f"`{code(call.func)}(...)` removed: metrics go to self.log")
        return None

    def _writer(self, call, owner, method):
        if self.ctx.imports.call_name(call) == "wandb.log" and call.args:
            self.report.add("T2L113", self._line, "wandb.log -> self.log_dict (use WandbLogger in the Trainer)")
            return cst.Call(cst.Attribute(cst.Name("self"), cst.Name("log_dict")), [call.args[0]])
        if owner not in self.ctx.writers:
            return _NO_MATCH
        if method in LOG_METHODS and len(call.args) >= 2:
            tag, value = call.args[0].value, call.args[1].value
            self.report.add("T2L113", self._line, f"SummaryWriter.{method} -> self.log")
            if isinstance(tag, cst.SimpleString):
                self.out.logged.append(tag.evaluated_value)  # type: ignore[arg-type]
            return cst.Call(cst.Attribute(cst.Name("self"), cst.Name("log")), [cst.Arg(tag), cst.Arg(value)])
        self.report.add("T2L113", self._line, f"SummaryWriter.{method} -> the TensorBoardLogger's experiment")
        experiment = cst.Attribute(cst.Attribute(self_attr("logger"), cst.Name("experiment")), cst.Name(method))
        return call.with_changes(func=experiment)

    def _progress_bar(self, call, owner, method):
        if owner not in self.ctx.progress_bars:
            return _NO_MATCH
        self.report.add("T2L114", self._line)
        return None

    def _save(self, call, owner, method):
        if self.ctx.imports.call_name(call) != "torch.save":
            return _NO_MATCH
        self.out.saves += 1
        self.report.add("T2L112", self._line)
        return None

    # --- assignments ------------------------------------------------------------------------------
    def _aug_assign(self, small: cst.AugAssign):
        name = dotted(small.target)
        if name in self.ctx.counters:
            self.report.add("T2L122", self._line)
            return None
        if name in self.ctx.accumulators and isinstance(small.operator, cst.AddAssign):
            self.report.add("T2L121", self._line, f"running total `{name}` -> an epoch sum logged as `{_key(name, self.ctx.kind)}`")
            key = _key(name, self.ctx.kind)
            self.out.logged.append(key)
            args = [
                cst.Arg(cst.SimpleString(f'"{key}"')),
                cst.Arg(small.value),
                *_kwargs(on_step=cst.Name("False"), on_epoch=cst.Name("True"), reduce_fx=cst.SimpleString('"sum"')),
            ]
            return cst.Expr(cst.Call(cst.Attribute(cst.Name("self"), cst.Name("log")), args))
        return small

    def _assign(self, line, small: cst.Assign):
        if self.ctx.accumulate_every and len(small.targets) == 1:
            small = small.with_changes(value=self._undivided(small.value))
        targets = [dotted(t.target) for t in small.targets]
        if all(t in self.ctx.accumulators | self.ctx.counters for t in targets):
            return None  # a reset of a running total: Lightning resets its epoch metrics itself
        value = small.value
        if _is_identity(small):
            self.report.add("T2L104", self._line)
            return None
        if isinstance(value, cst.Call) and self._is(value, TQDM):
            self.report.add("T2L114", self._line)
            return None
        return small

    # --- device moves inside expressions --------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        owner, method = self._method(updated)
        if method == "cuda" or (method == "to" and updated.args and self._is_device(updated.args[0].value)):
            if method == "to" and any(a.keyword is None for a in updated.args[1:]):
                return updated  # .to(device, dtype): keep the dtype change
            self.report.add("T2L104", self._line)
            return updated.func.value  # type: ignore[union-attr]
        if method == "to" and any(a.keyword and a.keyword.value == "device" for a in updated.args):
            rest = [a for a in updated.args if not (a.keyword and a.keyword.value in ("device", "non_blocking"))]
            self.report.add("T2L104", self._line)
            return updated.with_changes(args=rest) if rest else updated.func.value  # type: ignore[union-attr]
        return updated

    def _is_device(self, node: cst.BaseExpression) -> bool:
        name = dotted(node)
        if name is not None and ("device" in name.lower() or name in ("cuda", "gpu")):
            return True
        if isinstance(node, cst.SimpleString) and node.evaluated_value.split(":")[0] in ("cuda", "cpu", "mps"):
            return True
        return isinstance(node, cst.Call) and self.ctx.imports.call_name(node) == "torch.device"

    # --- blocks: conditions (for breaks), with-blocks, phase folding -----------------------------
    def visit_If(self, node: cst.If) -> None:
        self._conditions.append(node.test)

    def leave_If(self, original: cst.If, updated: cst.If):
        self._conditions.pop()
        if id(original) in self.ctx.unwrap:
            return cst.FlattenSentinel(updated.body.body)  # type: ignore[union-attr]
        folded = self._fold(updated.test)
        if folded is True:
            return cst.FlattenSentinel(updated.body.body)
        if folded is False:
            if isinstance(updated.orelse, cst.Else):
                return cst.FlattenSentinel(updated.orelse.body.body)
            if isinstance(updated.orelse, cst.If):
                return updated.orelse
            return cst.RemovalSentinel.REMOVE
        if _empty(updated.body) and updated.orelse is None:
            return cst.RemovalSentinel.REMOVE
        return updated

    def _fold(self, test: cst.BaseExpression) -> bool | None:
        """`phase == "train"` with a known phase -> True/False; `a and b` folded where one side is False."""
        if self.ctx.phase is None:
            return None
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            left, (comparison,) = test.left, test.comparisons
            right = comparison.comparator
            if dotted(left) == self.ctx.phase[0] and isinstance(right, cst.SimpleString):
                equal = right.evaluated_value == self.ctx.phase[1]
                if isinstance(comparison.operator, cst.Equal):
                    return equal
                if isinstance(comparison.operator, cst.NotEqual):
                    return not equal
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            left, right = self._fold(test.left), self._fold(test.right)
            if left is False or right is False:
                return False
            if left is True and right is True:
                return True
        return None

    def leave_With(self, original: cst.With, updated: cst.With):
        kept = []
        for item in updated.items:
            call = item.item
            name = self.ctx.imports.call_name(call)
            if name in NO_GRAD and self.ctx.kind != "train":
                self.report.add("T2L106", self._at(original))
            elif name == "torch.set_grad_enabled":
                self.report.add("T2L120", self._at(original), "torch.set_grad_enabled(phase == ...) removed")
            elif name in AUTOCAST:
                self.out.precision = _precision(call, name)  # type: ignore[arg-type]
                self.report.add("T2L109", self._at(original))
            else:
                kept.append(item)
        if kept:
            return updated.with_changes(items=_strip_trailing_comma(kept))
        return cst.FlattenSentinel(updated.body.body)  # type: ignore[union-attr]

    def leave_For(self, original: cst.For, updated: cst.For):
        call = updated.iter
        if isinstance(call, cst.Call) and self._is(call, TQDM) and call.args:
            self.report.add("T2L114", self._at(original))
            return updated.with_changes(iter=call.args[0].value)
        return updated


_NO_MATCH = object()


def _key(name: str, kind: str) -> str:
    prefix = {"train": "train_", "val": "val_", "test": "test_"}[kind]
    return name if name.startswith(prefix) else prefix + name


def _kwargs(**values: cst.BaseExpression) -> list[cst.Arg]:
    eq = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    return [cst.Arg(value, keyword=cst.Name(key), equal=eq) for key, value in values.items()]


def _is_identity(assign: cst.Assign) -> bool:
    """`x = x` or `a, b = a, b` (what `x = x.to(device)` becomes once the move is stripped)."""
    if len(assign.targets) != 1:
        return False
    target, value = assign.targets[0].target, assign.value
    if isinstance(value, cst.DictComp) and isinstance(value.key, cst.Name) and isinstance(value.value, cst.Name):
        # {k: v for k, v in batch.items()} once `.to(device)` is stripped from v
        loop = value.for_in
        names = [dotted(e.value) for e in loop.target.elements] if isinstance(loop.target, cst.Tuple) else []
        source = loop.iter
        return (
            names == [value.key.value, value.value.value]
            and isinstance(source, cst.Call)
            and dotted(source.func) == f"{dotted(target)}.items"
        )
    if isinstance(target, cst.Name):
        return isinstance(value, cst.Name) and value.value == target.value
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
        left = [dotted(e.value) for e in target.elements]
        right = [dotted(e.value) for e in value.elements]
        return None not in left and left == right
    return False


def _conjunction(conditions: list[cst.BaseExpression]) -> cst.BaseExpression | None:
    if not conditions:
        return None
    result = conditions[0]
    for condition in conditions[1:]:
        result = cst.BooleanOperation(result, cst.And(), condition)
    return result


def _empty(block: cst.BaseSuite) -> bool:
    body = block.body if isinstance(block, cst.IndentedBlock) else []
    return all(isinstance(s, cst.SimpleStatementLine) and all(isinstance(x, cst.Pass) for x in s.body) for s in body)


def _strip_trailing_comma(items: list[cst.WithItem]) -> list[cst.WithItem]:
    return [*items[:-1], items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]


def _precision(call: cst.Call, name: str) -> tuple[str, cst.BaseExpression | None, bool]:
    dtype, enabled, device = "float16", None, "cuda" if name == "torch.cuda.amp.autocast" else None
    for position, arg in enumerate(call.args):
        keyword = arg.keyword.value if arg.keyword else ("device_type" if position == 0 else None)
        if keyword == "dtype":
            dtype = "bfloat16" if "bfloat16" in code(arg.value) else "float16"
        elif keyword == "enabled":
            enabled = arg.value
        elif keyword == "device_type" and isinstance(arg.value, cst.SimpleString):
            device = arg.value.evaluated_value
    if name == "torch.cpu.amp.autocast":
        dtype, device = "bfloat16", "cpu"
    return dtype, enabled, device == "cuda" and dtype == "float16"

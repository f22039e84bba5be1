"""`convert_source`: a plain PyTorch training script in, a LightningModule + Trainer script and a report out.

The order of work: parse -> cheap checks (already Lightning? any `.backward(` at all?) -> `plan.find` reads
the loops -> `mechanics.StepRewriter` turns each loop body into a hook body -> free names become module
attributes passed to `__init__` -> the class is emitted where the train function was, and the Trainer
replaces the epoch loop. The result is parsed again before it is returned: the output always parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import libcst as cst

from converter import accumulation, epoch_body, manual_sgd
from converter import plan as planning
from converter.analysis import Index, apply_edits, check_parses, transform, walk
from converter.files import BadInput, parse  # noqa: F401 - BadInput is part of this module's interface
from converter.mechanics import StepContext, StepOutcome, StepRewriter
from converter.names import (
    BUILTINS,
    Imports,
    NameUses,
    bound_names,
    code,
    dotted,
    loads,
    reads,
    rename,
    self_attr,
    writes,
)
from converter.report import ALREADY_LIGHTNING, CONVERTED, CONVERTED_WITH_TODOS, NO_LOOP, Report

LIGHTNING_BASES = re.compile(r"\b(LightningModule|LightningDataModule)\b")
# LightningModule attributes a user's variable must not shadow: `self.device` is used on purpose.
RESERVED = {
    "trainer", "logger", "loggers", "log", "log_dict", "hparams", "current_epoch", "global_step", "training",
    "optimizers", "lr_schedulers", "precision", "dtype", "fabric", "local_rank", "global_rank", "parameters",
    "forward", "state_dict", "train", "eval", "to", "cuda", "cpu", "float", "half", "double", "type", "apply",
    "children", "modules", "buffers", "automatic_optimization", "example_input_array", "on_gpu", "strict_loading",
}  # fmt: skip


@dataclass
class Hook:
    name: str
    params: list[str]
    body: list[cst.BaseStatement]
    source: planning.Scope | None  # scope the body's names come from
    binding: dict[str, cst.BaseExpression] = field(default_factory=dict)


def convert_source(source: str, path: str = "<string>") -> tuple[str | None, Report]:
    report = Report(path)
    module = parse(source, path)
    if LIGHTNING_BASES.search(source) and re.search(r"^\s*(import|from)\s+(pytorch_lightning|lightning)\b", source, re.M):
        report.status = ALREADY_LIGHTNING
        return None, report
    if ".backward(" not in source:
        report.status = NO_LOOP
        return None, report
    found = planning.find(module, source)
    if found is None:
        report.status = NO_LOOP
        return None, report
    if isinstance(found, planning.Unsupported):
        report.add(found.code, found.line, found.reason)
        report.status = CONVERTED_WITH_TODOS
        comment = cst.EmptyLine(comment=cst.Comment(f"# TODO(t2l): {found.code} {found.reason}; not converted"))
        marked = apply_edits(found.index or Index(found.module), {}, {id(found.node): _with_comment(None, comment)})
        return marked.code, report
    converter = _Converter(found, report)
    output = converter.run()
    if converter.declined == "T2L903" and (manual := _convert_manual_sgd(source, path)) is not None:
        return manual
    report.status = CONVERTED_WITH_TODOS if report.todos else CONVERTED
    return output, report


def _convert_manual_sgd(source: str, path: str) -> tuple[str, Report] | None:
    """Parameters updated by hand (the loop was declined with T2L903): convert the script as if it used
    torch.optim.SGD (see manual_sgd), with every report line mapped back to the input; None (the T2L903 TODO
    stands) when the rewrite does not apply."""
    rewritten = manual_sgd.rewrite(source)
    if rewritten is None:
        return None
    found = planning.find(parse(rewritten.source, path), rewritten.source)
    if found is None or isinstance(found, planning.Unsupported):
        return None
    inner = Report(path)
    converter = _Converter(found, inner)
    output = converter.run()
    if converter.declined:
        return None
    report = Report(path)
    report.add(manual_sgd.CODE, rewritten.update_line, manual_sgd.MESSAGE)
    for finding in inner.findings:
        report.add(finding.code, rewritten.original_line(finding.line), finding.message)
    report.status = CONVERTED_WITH_TODOS if report.todos else CONVERTED
    return output, report


class _Converter:
    def __init__(self, plan: planning.Plan, report: Report) -> None:
        self.plan = plan
        self.report = report
        self.kinds = planning.classify(plan)
        self.stepped = planning.stepped_optimizers(plan, self.kinds)
        self.manual = len(self.stepped) > 1
        self.module_names = _module_level_bindings(plan.module)
        self.attrs: dict[str, cst.BaseExpression] = {}  # attribute -> value at the site
        self.replace: dict[int, object] = {}
        self.trainer_args: dict[str, str] = {}
        self.epoch_var: tuple[str, str] | None = None  # (name, offset expression)
        self.comments: list[str] = []
        self.counters: set[str] = set()
        self.carried: set[str] = set()
        self.logged_val: list[str] = []
        self._bindings: dict[int, set[str]] = {}
        self._accumulated_cache: dict[tuple[int, int], tuple[set[str], set[str]]] = {}
        self.epoch_state: set[str] = set()
        self.epoch_shared: set[str] = set()  # set in on_train_epoch_start, read in on_train_epoch_end
        self.declined: str | None = None  # the code of the TODO, when the loop was left as it was
        self.clip_hook: Hook | None = None
        self.hook_todos: dict[str, list[str]] = {}  # hook name -> TODO comments for its first line
        self.configured: set[str] = set()  # optimizers and schedulers now built in configure_optimizers

    # --- driver -------------------------------------------------------------------------------------
    def run(self) -> str:
        plan = self.plan
        for other in plan.extra_loops:
            reason = f"a second training loop (line {plan.line(other)}) is not converted: convert it as its own script"
            self.todo("T2L913", other, reason, inside=plan.site, hook="training_step")
        if not self.stepped:
            return self._unsupported(plan.batch_loop, "T2L903", "no optimizer step: parameters are updated by hand; "
                                     "make it torch.optim.SGD(params, lr=lr) (p -= lr * p.grad is its step) and convert again")
        if planning.environment_loop(plan):
            return self._unsupported(plan.batch_loop, "T2L905", "an environment episode loop, not a data set; "
                                     "yield experience from an IterableDataset (Lightning's RL examples) or keep the loop under Fabric")
        if planning.is_step_loop(plan.batch_loop, plan.imports) and not self._range_steps():
            return self._unsupported(plan.batch_loop, "T2L910", "batches fetched by hand in a step loop; wrap the "
                                     "fetch in an IterableDataset whose __iter__ yields it, loop over that, and convert again")
        if plan.backward_count > 1 and not self.manual:
            return self._unsupported(plan.batch_loop, "T2L907", "several backward calls per optimizer step")
        self.conditions = self._step_conditions()
        if self.conditions.unsupported:
            return self._unsupported(*self.conditions.unsupported)
        self._epochs()
        train = self._training_hook()
        hooks = [train, *self._evaluation_hooks()]
        configure = self._configure_optimizers(train)
        hooks.append(configure)
        if self.clip_hook is not None:
            hooks.append(self.clip_hook)
        leftover = epoch_body.split(self)
        self.epoch_state, self.epoch_shared = leftover.state, leftover.shared
        switch = self._train_mode_switch() if leftover.end else None
        epoch_start = self._epoch_start_hook(leftover.start + ([switch] if switch else []))
        if epoch_start:
            hooks.insert(0, epoch_start)
        end: list[cst.BaseStatement] = list(leftover.end)
        if self.manual and self.epoch_schedulers:
            end += _parse("for scheduler in self.lr_schedulers():\n    scheduler.step()\n")
        if end:
            hooks.append(Hook("on_train_epoch_end", [], end, self.plan.site_scope, {}))
        rendered = [self._render_hook(h) for h in hooks]
        class_code = self._class_code(rendered)
        self._site(class_code)
        return self._apply()

    def todo(self, code_: str, node: cst.CSTNode, reason: str, inside: cst.CSTNode | None = None,
             hook: str | None = None) -> None:  # fmt: skip
        """Report a TODO and mark its line: the statement in the output, or, when the statement is replaced
        (it sits in `inside`, which the Trainer replaces), the first line of the hook that took its place."""
        self.report.add(code_, self.plan.line(node), reason)
        if inside is not None and hook is not None and self.plan.index.contains(inside, node):
            self.hook_todos.setdefault(hook, []).append(f"{code_} {reason}")
            return
        statement = self.plan.index.statement(node)
        comment = cst.EmptyLine(comment=cst.Comment(f"# TODO(t2l): {code_} {reason}"))
        self.replace[id(statement)] = _with_comment(self.replace.get(id(statement)), comment)

    def _unsupported(self, node: cst.CSTNode, code_: str, reason: str) -> str:
        """Not convertible: the input comes back unchanged but for a TODO comment on the loop."""
        node = self.plan.original(node)
        self.declined = code_
        self.report.add(code_, self.plan.line(node), reason)
        comment = cst.EmptyLine(comment=cst.Comment(f"# TODO(t2l): {code_} {reason}; not converted"))
        self.replace[id(node)] = node.with_changes(leading_lines=[*node.leading_lines, comment])
        return self._apply()

    def _apply(self) -> str:
        output = apply_edits(self.plan.index, {}, self.replace).code
        check_parses(output, self.report.path)  # the output always parses (ast.parse: ~0.1 of a libcst parse)
        return output

    def _step_conditions(self) -> accumulation.StepConditions:
        """`if (i + 1) % accum == 0: optimizer.step()` and other `if`s around optimizer steps."""
        loop = self.plan.batch_loop
        _, counters = self._accumulated(loop, self.plan.scope)
        found = accumulation.find(loop, self.stepped, _batch_index(loop), counters | self.counters,
                                  accumulation.loss_names(loop), self.manual)  # fmt: skip
        if found.accumulation is not None:
            every = self._to_site(found.accumulation.every, self.plan.scope, self.plan.binding)
            self.trainer_args["accumulate_grad_batches"] = code(every)
            last = "" if found.accumulation.steps_on_last_batch else (
                "; Lightning also steps on an epoch's last batch, the loop did not"
            )
            self.report.add("T2L125", self.plan.line(found.accumulation.condition),
                            f"step every `{code(every)}` batches -> accumulate_grad_batches={code(every)}{last}")  # fmt: skip
        for node in self.plan.index.of_kind(cst.If):
            if id(node) in found.unwrapped:
                self.report.add("T2L126", self.plan.line(node))
        return found

    # --- the loops ------------------------------------------------------------------------------------
    def _epochs(self) -> None:
        loop = self.plan.epoch_loop
        if loop is None:
            self.trainer_args["max_epochs"] = "1"
            return
        self.report.add("T2L110", self.plan.line(loop))
        if isinstance(loop, cst.For):
            loop_iter = _unwrap_tqdm(loop.iter, self.plan.imports)
            if self.plan.imports.call_name(loop_iter) == "range" and isinstance(loop.target, cst.Name):
                args = [a.value for a in loop_iter.args]  # type: ignore[union-attr]
                start, stop = (args[0], args[1]) if len(args) >= 2 else (cst.Integer("0"), args[0])
                self.epoch_var = (loop.target.value, code(start))
                self.trainer_args["max_epochs"] = _minus(stop, start)
                return
        if isinstance(loop, cst.While) and isinstance(loop.test, cst.Comparison):
            left, (comparison,) = loop.test.left, loop.test.comparisons[:1]
            if isinstance(comparison.operator, (cst.LessThan, cst.LessThanEqual)):
                self.trainer_args["max_epochs"] = "-1"
                bound = code(comparison.comparator)
                self.trainer_args["max_steps"] = bound if isinstance(comparison.operator, cst.LessThan) else f"{bound} + 1"
                self.counters.add(code(left))
                return
        self.trainer_args["max_epochs"] = "-1"
        self.todo("T2L911", loop, "epoch loop without a range: max_epochs=-1, set a limit", inside=loop, hook="training_step")

    def _context(self, kind: str, loop: cst.For | cst.While, scope: cst.CSTNode, phase: str | None) -> StepContext:
        totals, counters = self._accumulated(loop, scope)
        if kind == "train" and scope is self.plan.scope and not self.plan.phase:  # read later: carried
            block = _block_of(self.plan.index, loop) or []
            later = block[next(i for i, s in enumerate(block) if s is loop) + 1 :] if block else []
            totals -= loads(*[s for s in later if not epoch_body.docstring_or_return(s)]) if later else set()
        batch_idx = _batch_index(loop)
        return StepContext(
            imports=self.plan.imports,
            kind=kind,
            manual=self.manual and kind == "train",
            optimizers=self.kinds["optimizers"],
            schedulers=self.kinds["schedulers"],
            scalers=self.kinds["scalers"],
            writers=self.kinds["writers"],
            progress_bars=self.kinds["bars"],
            accumulators=totals,
            counters=counters | self.counters,
            batch_idx=batch_idx,
            unwrap=self._unwrap if kind == "train" else set(),
            drop=self.conditions.accumulation.removed if kind == "train" and self.conditions.accumulation else set(),
            accumulate_every=code(self.conditions.accumulation.every) if kind == "train" and self.conditions.accumulation else None,
            phase=(self.plan.phase[0], phase) if self.plan.phase and phase else None,
        )

    def _rewrite(self, loop, scope, kind: str, phase: str | None) -> tuple[list[cst.BaseStatement], StepOutcome, StepContext]:
        context = self._context(kind, loop, scope, phase)
        rewriter = StepRewriter(context, self.report, self.plan.line_of)
        body = transform(loop.body, rewriter)
        statements = list(body.body) if isinstance(body, cst.IndentedBlock) else []
        self.counters |= context.counters
        return statements, rewriter.out, context

    def _training_hook(self) -> Hook:
        plan = self.plan
        if plan.closure_step is not None:
            self.report.add("T2L127", plan.line(plan.closure_step))
        elif plan.whole_batch is not None:
            self.report.add("T2L128", plan.line(plan.whole_batch))
        else:
            self.report.add("T2L115", plan.line(plan.batch_loop))
        if plan.phase:
            self.report.add("T2L120", plan.line(plan.batch_loop))
        if self.manual:
            self.report.add("T2L119", plan.line(plan.batch_loop))
        body, out, context = self._rewrite(plan.batch_loop, plan.scope, "train", "train" if plan.phase else None)
        self.train_outcome = out
        params, unpack = _batch_params(plan.batch_loop, context.batch_idx)
        loss = out.losses[-1] if out.losses else cst.Name("loss")
        tail: list[cst.BaseStatement] = []
        if self.manual:
            names = ", ".join(self.stepped)
            body = [*_parse(f"{names} = self.optimizers()\n"), *self._toggled(body)]
            if not out.logged:
                logged = ", ".join(f'"{_loss_key(x)}": {code(x)}' for x in out.losses)
                tail = _parse(f"self.log_dict({{{logged}}})\n")
        else:
            if not out.logged:
                tail = _parse(f'self.log("train_loss", {code(loss)}, prog_bar=True)\n')
            tail += _parse(f"return {code(loss)}\n")
        self._breaks(out, context)
        self._clipping(out.clips)
        if out.precision:
            dtype, enabled, cuda_only = out.precision
            wanted = '"bf16-mixed"' if dtype == "bfloat16" else '"16-mixed"'
            conditions = (["torch.cuda.is_available()"] if cuda_only else []) + (
                [code(self._to_site(enabled, plan.scope, plan.binding))] if enabled is not None else []
            )
            self.trainer_args["precision"] = f'{wanted} if {" and ".join(conditions)} else "32-true"' if conditions else wanted
        if out.saves:
            self.comments.append("Lightning's ModelCheckpoint saves every epoch under lightning_logs/version_N/checkpoints")
        self.carried = self._carried_state(body)
        return Hook("training_step", params, [*unpack, *body, *tail], plan.scope, plan.binding)

    def _clipping(self, clips: list) -> None:
        """One clip call -> Trainer(gradient_clip_val=...); several (per module, or both kinds) ->
        configure_gradient_clipping with the calls as written: Lightning's flag clips all parameters together,
        which is not what two calls over two parameter groups compute."""
        plan = self.plan
        if len(clips) == 1 and clips[0][1] is not None:
            algorithm, value, line, _ = clips[0]
            self.trainer_args["gradient_clip_val"] = code(self._to_site(value, plan.scope, plan.binding))
            if algorithm == "value":
                self.trainer_args["gradient_clip_algorithm"] = '"value"'
            self.report.add("T2L108", line)
        elif clips:
            for *_, line, _call in clips:
                self.report.add("T2L129", line)
            statements = [cst.SimpleStatementLine([cst.Expr(call)]) for *_, call in clips]
            self.clip_hook = Hook("configure_gradient_clipping", ["optimizer", "gradient_clip_val=None",
                                  "gradient_clip_algorithm=None"], statements, plan.scope, plan.binding)  # fmt: skip

    def _toggled(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """Wrap each optimizer's statements in toggle/untoggle when no tensor crosses from one to the next."""
        segments: list[list[cst.BaseStatement]] = [[]]
        owners: list[str | None] = []
        for stmt in body:
            segments[-1].append(stmt)
            calls = {(dotted(c.func.value), c.func.attr.value) for c in walk(stmt)
                     if isinstance(c, cst.Call) and isinstance(c.func, cst.Attribute)}  # fmt: skip
            stepped = next((o for o in self.stepped if (o, "step") in calls), None)
            if stepped:
                owners.append(stepped)
                segments.append([])
        tail = segments.pop()
        if len(owners) != len(self.stepped) or self.plan.backward_count < 2:  # one loss for all: nothing to toggle
            return body
        for i, segment in enumerate(segments):
            later = reads(*[s for seg in segments[i + 1 :] for s in seg], *tail) if segments[i + 1 :] or tail else set()
            crossing = writes(*segment) & later
            if crossing:
                reason = f"`{', '.join(sorted(crossing))}` computed in {owners[i]}'s step is used afterwards"
                self.report.add("T2L912", self.plan.line(self.plan.batch_loop), reason)
                return body
        result: list[cst.BaseStatement] = []
        for owner, segment in zip(owners, segments):
            result += [*_parse(f"self.toggle_optimizer({owner})\n"), *segment, *_parse(f"self.untoggle_optimizer({owner})\n")]
        return result + tail

    def _breaks(self, out: StepOutcome, context: StepContext) -> None:
        for condition, line in out.breaks:
            names = reads(condition) if condition is not None else set()
            batch_idx = context.batch_idx
            if condition is None or (batch_idx and _first_batch(condition, batch_idx)) or not names & (writes(self.plan.batch_loop.body) | {batch_idx}):
                invariant = [c for c in _conjuncts(condition) if not (batch_idx and batch_idx in reads(c))] if condition else []
                flag = " and ".join(code(self._to_site(c, self.plan.scope, self.plan.binding)) for c in invariant)
                self.trainer_args["limit_train_batches"] = f"1 if {flag} else 1.0" if flag else "1"
                self.report.add("T2L111", line, f"break after the first batch -> limit_train_batches={self.trainer_args['limit_train_batches']}")
            elif batch_idx and isinstance(condition, cst.Comparison) and dotted(condition.left) == batch_idx:
                bound = code(self._to_site(condition.comparisons[0].comparator, self.plan.scope, self.plan.binding))
                operator = condition.comparisons[0].operator
                limit = bound if isinstance(operator, cst.GreaterThanEqual) else f"{bound} + 1"
                self.trainer_args["limit_train_batches"] = limit
                self.report.add("T2L111", line, f"break on the batch index -> limit_train_batches={limit}")
            elif isinstance(condition, cst.Comparison) and dotted(condition.left) in context.counters:
                bound = code(self._to_site(condition.comparisons[0].comparator, self.plan.scope, self.plan.binding))
                operator = condition.comparisons[0].operator
                self.trainer_args["max_steps"] = bound if not isinstance(operator, cst.GreaterThan) else f"{bound} + 1"
                self.report.add("T2L111", line, f"break on the step counter -> max_steps={self.trainer_args['max_steps']}")
            else:
                reason = f"`break` on `{code(condition)}` (line {line}) dropped; stop with a Trainer limit or an EarlyStopping callback"
                self.report.add("T2L911", line, reason)
                self.hook_todos.setdefault("training_step", []).append(f"T2L911 {reason}")

    def _evaluation_hooks(self) -> list[Hook]:
        plan, hooks = self.plan, []
        if plan.phase:
            evaluation = next((p for p in plan.phase[1] if p != "train"), None)
            if evaluation:
                body, out, context = self._rewrite(plan.batch_loop, plan.scope, "val", evaluation)
                self.logged_val = out.logged
                params, unpack = _batch_params(plan.batch_loop, context.batch_idx)
                hooks.append(Hook("validation_step", params, [*unpack, *body, *self._val_tail(out, "val")], plan.scope, plan.binding))
                self.val_loader = _phase_loader(plan.batch_loop.iter, plan.phase[0], evaluation)
                self.val_loader = self._to_site(self.val_loader, plan.scope, plan.binding)
            return hooks
        for kind, called in (("val", plan.val), ("test", plan.test)):
            if called is None:
                continue
            loop, scope, binding = (called.loop, called.scope, called.binding) if isinstance(called, planning.Called) else (called, plan.scope, plan.binding)
            self.report.add("T2L116" if kind == "val" else "T2L117", plan.line(loop))
            body, out, context = self._rewrite(loop, scope, kind, None)
            if kind == "val":
                self.logged_val = out.logged
            params, unpack = _batch_params(loop, context.batch_idx)
            hook_name = "validation_step" if kind == "val" else "test_step"
            hooks.append(Hook(hook_name, params, [*unpack, *body, *self._val_tail(out, kind)], scope, binding))
            loader = self._to_site(_unwrap_tqdm(_unwrap_enumerate(loop.iter), plan.imports), scope, binding)
            setattr(self, f"{kind}_loader", loader)
        return hooks

    def _val_tail(self, out: StepOutcome, kind: str) -> list[cst.BaseStatement]:
        if out.logged:
            return []
        loss = next((n for n in ("loss", "val_loss", "test_loss") if n in self._last_writes), None)
        return _parse(f'self.log("{kind}_loss", {loss})\n') if loss else []

    @property
    def _last_writes(self) -> set[str]:
        return writes(self.plan.batch_loop.body)

    # --- optimizers -------------------------------------------------------------------------------------
    @cached_property
    def epoch_schedulers(self) -> list[tuple[str, cst.Call]]:
        """Schedulers stepped once an epoch: in the epoch loop at the site, or after the batch loop."""
        found = []
        for region in (self.plan.epoch_loop, self.plan.scope if self.plan.scope is not self.plan.site_scope else None):
            if region is None:
                continue
            for call in planning.calls_in(region):
                owner = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else None
                if owner in self.kinds["schedulers"] and call.func.attr.value == "step" and owner not in self.train_outcome.step_schedulers:  # type: ignore[union-attr]
                    if all(owner != o for o, _ in found):
                        found.append((owner, call))
        return found

    def _configure_optimizers(self, train: Hook) -> Hook:
        plan = self.plan
        moved: list[cst.BaseStatement] = []
        schedulers = [(s, None) for s in sorted(self.train_outcome.step_schedulers)] + self.epoch_schedulers
        wanted = set(self.stepped) | {s for s, _ in schedulers}
        for stmt in _site_statements(plan):
            if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
                targets = set().union(*(bound_names(t.target) for t in stmt.body[0].targets))
                if targets and targets <= wanted and plan.line(stmt) < plan.line(plan.site):
                    moved.append(stmt.with_changes(leading_lines=_strip_blank(stmt.leading_lines)))
                    self.configured |= targets
                    self.replace[id(stmt)] = cst.RemovalSentinel.REMOVE
                    self.report.add("T2L118" if targets & set(self.stepped) else "T2L107", plan.line(stmt))
        self._mark_moved_reads(moved)
        for name, call in schedulers:
            if call is not None:
                self.report.add("T2L107", plan.line_of.get(id(call), 0), f"`{name}.step()` once an epoch -> configure_optimizers")
        optimizers = ", ".join(self.stepped)
        if self.manual:
            sched = ", ".join(s for s, _ in schedulers)
            ret = f"return [{optimizers}], [{sched}]" if schedulers else f"return [{optimizers}]"
        elif schedulers:
            name, call = schedulers[0]
            config = f'"scheduler": {name}'
            if name in self.train_outcome.step_schedulers:
                config += ', "interval": "step"'
            if call is not None and call.args:
                config += f', "monitor": "{self._monitor(call.args[0].value)}"'
            ret = f'return {{"optimizer": {optimizers}, "lr_scheduler": {{{config}}}}}'
        else:
            ret = f"return {optimizers}"
        return Hook("configure_optimizers", [], [*moved, *_parse(ret + "\n")], plan.site_scope, {})

    def _mark_moved_reads(self, moved: list[cst.BaseStatement]) -> None:
        """Code beside the loop that still uses an optimizer or scheduler now built in configure_optimizers (resume
        code loading its state, a save after training) would meet an undefined name: mark it (T2L909)."""
        if not moved:
            return
        for stmt in _site_statements(self.plan):
            if id(stmt) in self.replace:
                continue
            used = loads(stmt) & self.configured
            if not used or isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            node = next(n for n in walk(stmt) if isinstance(n, cst.Name) and n.value in used)
            names = ", ".join(sorted(used))
            self.todo("T2L909", node, f"uses `{names}`, which configure_optimizers now builds: after fit use "
                      "lit_model.optimizers(); to load its state, do it in the LightningModule (e.g. on_fit_start)")

    def _monitor(self, metric: cst.BaseExpression) -> str:
        name = dotted(metric) or ""
        logged = self.logged_val
        for key in (name, f"val_{name}"):
            if key in logged:
                return key
        if len(logged) == 1:
            self.report.add(
                "T2L107", self.plan.line(self.plan.site),
                f"ReduceLROnPlateau on `{name}` -> \"monitor\": \"{logged[0]}\" (an epoch sum: the same decisions "
                "as the mean under the default relative threshold)",
            )  # fmt: skip
            return logged[0]
        reason = f"ReduceLROnPlateau stepped on `{code(metric)}`: set \"monitor\" to the key you log for it"
        self.report.add("T2L914", self.plan.line(metric), reason)
        self.hook_todos.setdefault("configure_optimizers", []).append(f"T2L914 {reason}")
        return "val_loss"

    # --- state carried across batches -------------------------------------------------------------------
    def _prelude(self) -> list[cst.BaseStatement]:
        block = _block_of(self.plan.index, self.plan.batch_loop)
        if block is None:
            return []
        index = next(i for i, s in enumerate(block) if s is self.plan.batch_loop)
        return list(block[:index])

    def _carried_state(self, body: list[cst.BaseStatement]) -> set[str]:
        prelude_writes = writes(*self._prelude()) if self._prelude() else set()
        loop_writes = writes(*body) if body else set()
        return {n for n in prelude_writes & loop_writes & reads(*body)} if body else set()

    def _epoch_start_hook(self, leftover: list[cst.BaseStatement]) -> Hook | None:
        if not self.carried and not leftover:
            return None
        statements = [s for s in self._prelude() if writes(s) & self.carried]
        for name in sorted(self.carried):
            self.report.add("T2L123", self.plan.line(statements[0]) if statements else 0, f"`{name}` carried across batches -> self.{name}, reset in on_train_epoch_start")
        return Hook("on_train_epoch_start", [], [*statements, *leftover], self.plan.scope, self.plan.binding)

    def _range_steps(self) -> bool:
        """`for it in range(max_iters):` that fetches its own batch: the range is the loader (one step per value,
        no seed drawn, nothing prefetched that draws random numbers), and the fetch stays in training_step
        exactly where the loop made it."""
        loop = self.plan.batch_loop
        if isinstance(loop, cst.For) and self.plan.imports.call_name(loop.iter) == "range" and isinstance(loop.target, cst.Name):
            self.report.add("T2L130", self.plan.line(loop), f"`for {loop.target.value} in range(...)` step loop -> "
                            "the range is the train loader; the batch fetch stays in training_step")  # fmt: skip
            return True
        return False

    def _train_mode_switch(self) -> cst.BaseStatement | None:
        """`model.train()` from the training code, kept at each epoch's start when code moved to
        on_train_epoch_end may leave eval mode (an evaluation function): Lightning restores train mode only
        after its own validation loop."""
        places = [self.plan.batch_loop.body, *self._prelude()]
        for place in places:
            for node in walk(place):
                if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1:
                    call = node.body[0].value if isinstance(node.body[0], cst.Expr) else None
                    if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "train" and not call.args:
                        self.report.add("T2L105", self.plan.line(node), "`.train()` kept in on_train_epoch_start: code at epoch end may switch to eval")
                        return node.with_changes(leading_lines=[])
        return None

    def _accumulated(self, loop, scope) -> tuple[set[str], set[str]]:
        key = (id(loop), id(scope))
        if key not in self._accumulated_cache:
            self._accumulated_cache[key] = _accumulators(self.plan.index, loop, scope)
        totals, counters = self._accumulated_cache[key]
        return set(totals), set(counters)

    @property
    def _unwrap(self) -> set[int]:
        found = self.conditions
        return found.unwrapped | ({id(found.accumulation.condition)} if found.accumulation else set())

    @cached_property
    def reset_names(self) -> set[str]:
        """Running totals and counters: assigned before the batch loop, incremented in it."""
        names: set[str] = set()
        for loop in (self.plan.batch_loop, self.plan.val if isinstance(self.plan.val, cst.For) else None):
            if loop is not None:
                totals, counters = self._accumulated(loop, self.plan.scope)
                names |= totals | counters
        return names

    # --- names -> attributes ------------------------------------------------------------------------------
    def _to_site(self, expr: cst.BaseExpression, scope, binding) -> cst.BaseExpression:
        if scope is self.plan.site_scope:
            return expr
        return rename(expr, {k: v for k, v in binding.items()})

    def _render_hook(self, hook: Hook) -> cst.FunctionDef:
        mapping: dict[str, cst.BaseExpression] = {}
        kept = self.carried | self.epoch_state | self.epoch_shared  # written in a hook, read in another or later
        local = {p.split("=")[0] for p in hook.params} | (writes(*hook.body) - kept if hook.body else set())
        for name in sorted(reads(*hook.body) | (kept & writes(*hook.body) if hook.body else set())):
            if name in local or name in BUILTINS or name == "self":
                continue
            target = self._attribute_for(name, hook)
            if target is not None:
                mapping[name] = target
        body = [rename(s, mapping) for s in hook.body] or _parse("pass\n")
        todos = [cst.EmptyLine(comment=cst.Comment(f"# TODO(t2l): {t}")) for t in self.hook_todos.get(hook.name, [])]
        if todos:
            body[0] = body[0].with_changes(leading_lines=[*body[0].leading_lines, *todos])
        params = [_param(text) for text in ["self", *hook.params]]
        return cst.FunctionDef(
            name=cst.Name(hook.name), params=cst.Parameters(params=params), body=cst.IndentedBlock(body),
            leading_lines=[cst.EmptyLine(indent=False)],
        )  # fmt: skip

    def _attribute_for(self, name: str, hook: Hook) -> cst.BaseExpression | None:
        plan = self.plan
        if name in self.carried:
            return self_attr(name)
        if self.epoch_var and name == self.epoch_var[0]:
            expression = _epoch_expression(self.epoch_var[1])
            if isinstance(plan.site_scope, cst.Module):
                return expression
            # `range(start_epoch, ...)` in a function: the hooks read the start from an attribute
            local = loads(expression) & self._scope_bindings(plan.site_scope) - {"self"}
            return rename(expression, {n: self._state_attribute(n) for n in local})
        if name in self.counters:
            return self_attr("global_step")
        if name in self.epoch_state:
            return self._state_attribute(name)
        if name in self.epoch_shared:
            return self_attr(name + "_" if name in RESERVED else name)
        if name in self.configured and hook.name != "configure_optimizers":
            return self._configured(name)
        bound_in_source = hook.source is not None and (name in self._scope_bindings(hook.source) or name in hook.binding)
        site_module = isinstance(plan.site_scope, cst.Module)
        if not bound_in_source and not (site_module and name in self.module_names["variables"]):
            return None  # a global: the class sees it as it is
        if name in self.module_names["definitions"] and not bound_in_source:
            return None
        if "device" in name.lower() and not name.lower().startswith("model"):
            return self_attr("device")
        if site_module and (name.isupper() or name not in self._built_by_calls):
            return None  # a module-level constant or literal: the class reads the global
        value = self._site_value(name, hook)
        if value is not None and self.epoch_var and dotted(value) == self.epoch_var[0]:
            return _epoch_expression(self.epoch_var[1])
        attribute = name + "_" if name in RESERVED else name
        if value is None:
            self.report.add("T2L909", 0, f"`{name}` is a local of the training function; pass it to __init__ by hand")
            value = cst.Name(name)
        if attribute in self.attrs and code(self.attrs[attribute]) != code(value):
            attribute = f"{attribute}_{len(self.attrs)}"
        self.attrs.setdefault(attribute, value)
        return self_attr(attribute)

    def _configured(self, name: str) -> cst.BaseExpression:
        """An optimizer or scheduler built in configure_optimizers, seen from another hook: the one Lightning
        holds (`self.optimizers()`), never the object built before the Trainer (a different one)."""
        if name in self.stepped:
            call = "self.optimizers()"
            index = self.stepped.index(name)
            return cst.parse_expression(f"{call}[{index}]" if self.manual else call)
        schedulers = sorted(self.train_outcome.step_schedulers) + [s for s, _ in self.epoch_schedulers]
        index = schedulers.index(name) if name in schedulers else 0
        return cst.parse_expression(f"self.lr_schedulers()[{index}]" if len(schedulers) > 1 else "self.lr_schedulers()")

    def _state_attribute(self, name: str) -> cst.BaseExpression:
        """A name the epoch hooks keep from one epoch to the next: an attribute set from its value at the site."""
        attribute = name + "_" if name in RESERVED else name
        self.attrs.setdefault(attribute, cst.Name(name))
        return self_attr(attribute)

    def _scope_bindings(self, scope: planning.Scope) -> set[str]:
        if isinstance(scope, cst.Module):
            return self.module_names["variables"]
        if id(scope) not in self._bindings:
            params = scope.params
            names = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
            self._bindings[id(scope)] = names | writes(scope.body)
        return self._bindings[id(scope)]

    def _site_value(self, name: str, hook: Hook) -> cst.BaseExpression | None:
        if hook.source is self.plan.site_scope or hook.source is None:
            return cst.Name(name)
        if name in hook.binding:
            return hook.binding[name]
        if isinstance(self.plan.site_scope, cst.Module) and name in self.module_names["variables"]:
            return cst.Name(name)  # a module global the training function reads
        return None

    @cached_property
    def _module_calls(self) -> dict[str, list[cst.Call]]:
        return planning.assigned_calls(self.plan.module, index=self.plan.index)

    @cached_property
    def _built_by_calls(self) -> set[str]:
        return set(self._module_calls)

    # --- the class and the site ---------------------------------------------------------------------------
    def _class_code(self, hooks: list[cst.FunctionDef]) -> cst.ClassDef:
        """The class: a small skeleton parsed from text, then the hooks as nodes (their bodies are not re-parsed)."""
        params = ", ".join(self.attrs)
        init = ["super().__init__()"]
        if self.manual:
            init.append("self.automatic_optimization = False  # two optimizers: we call backward and step")
        init += [f"self.{a} = {a}" for a in self.attrs]
        lines = [f"class {self._class_name()}(pl.LightningModule):"]
        lines += [f'    """{_docstring(self.plan)}"""', ""]
        lines += [f"    # TODO(t2l): T2L909 {c}" if c.startswith("!") else f"    # {c}" for c in self.comments]
        lines.append(f"    def __init__(self{', ' if params else ''}{params}):")
        lines += [f"        {line}" for line in init]
        model = self._primary_model()
        if model:
            lines += ["", "    def forward(self, *args, **kwargs):", f"        return self.{model}(*args, **kwargs)"]
        skeleton = cst.ensure_type(_parse("\n".join(lines) + "\n")[0], cst.ClassDef)
        body = cst.ensure_type(skeleton.body, cst.IndentedBlock)
        return skeleton.with_changes(body=body.with_changes(body=[*body.body, *hooks]))

    def _class_name(self) -> str:
        model = self._primary_model()
        value = self.attrs.get(model) if model else None
        calls = self._module_calls.get(dotted(value) or "", []) if value is not None else []
        for call in calls:
            inner = call
            while isinstance(inner.func, cst.Attribute) and isinstance(inner.func.value, cst.Call):
                inner = inner.func.value  # Net().to(device) -> Net()
            name = dotted(inner.func)
            if name and name[:1].isupper():
                return "Lit" + name.split(".")[-1]
        return "LitModel"

    def _primary_model(self) -> str | None:
        models = [a for a in self.attrs if _looks_like_model(a)]
        return models[0] if len(models) == 1 else None

    def _site(self, class_node: cst.ClassDef) -> None:
        plan = self.plan
        fit_args = ["lit_model", f"train_dataloaders={code(self._train_loader())}"]
        if getattr(self, "val_loader", None) is not None:
            fit_args.append(f"val_dataloaders={code(self.val_loader)}")
        trainer_args = ", ".join(f"{k}={v}" for k, v in self.trainer_args.items())
        construct = ", ".join(f"{a}={code(v)}" for a, v in self.attrs.items())
        site_code = (
            f"lit_model = {self._class_name()}({construct})\n"
            f"trainer = pl.Trainer({trainer_args})\n"
            f"trainer.fit({', '.join(fit_args)})\n"
        )
        site_statements = _parse(site_code)
        site_statements[0] = site_statements[0].with_changes(leading_lines=plan.site.leading_lines)
        self.replace[id(plan.site)] = cst.FlattenSentinel(site_statements)
        if plan.test is not None:
            test = _parse(f"trainer.test(lit_model, dataloaders={code(self.test_loader)})\n")
            self.replace[id(plan.test.call_stmt)] = test[0].with_changes(leading_lines=plan.test.call_stmt.leading_lines)
        self._mark_stale_reads()
        class_nodes: list[cst.BaseStatement] = [class_node]
        removed = self._unused_functions()
        for function in removed:
            self.replace[id(function)] = cst.RemovalSentinel.REMOVE
        anchor = removed[0] if removed else self._anchor()
        blank = [cst.EmptyLine(), cst.EmptyLine()]
        class_nodes[0] = class_nodes[0].with_changes(leading_lines=blank)
        previous = self.replace.get(id(anchor))

        def with_class(updated: cst.CSTNode) -> cst.FlattenSentinel:
            current = previous(updated) if callable(previous) else updated if previous is None else previous
            kept = [] if current is cst.RemovalSentinel.REMOVE else _nodes(current)
            if kept:
                kept[0] = kept[0].with_changes(leading_lines=[*blank, *_strip_blank(kept[0].leading_lines)])
            return cst.FlattenSentinel([*class_nodes, *kept])

        self.replace[id(anchor)] = with_class
        self._ensure_import()

    def _train_loader(self) -> cst.BaseExpression:
        plan = self.plan
        loader = _unwrap_tqdm(_unwrap_enumerate(_unwrap_tqdm(plan.batch_loop.iter, plan.imports)), plan.imports)
        if plan.phase:
            loader = _phase_loader(loader, plan.phase[0], "train")
        bars = planning.assigned_calls(plan.scope)
        name = dotted(loader)
        if name in bars and self.plan.imports.call_name(bars[name][0]) in ("tqdm.tqdm", "tqdm.auto.tqdm", "tqdm"):
            loader = bars[name][0].args[0].value
        return self._to_site(loader, plan.scope, plan.binding)

    def _anchor(self) -> cst.BaseStatement:
        """The top-level statement the class goes before: the one holding the site."""
        for stmt in self.plan.module.body:
            if stmt is self.plan.site or self.plan.site_scope is stmt or self.plan.index.contains(stmt, self.plan.site):
                return stmt
        return self.plan.module.body[-1]

    def _unused_functions(self) -> list[cst.FunctionDef]:
        plan, candidates = self.plan, []
        if isinstance(plan.scope, cst.FunctionDef) and plan.scope is not plan.site_scope:
            candidates.append(plan.scope)
        if plan.whole_batch is not None and plan.whole_batch not in candidates and plan.index.parent(plan.whole_batch) is plan.module:
            candidates.append(plan.whole_batch)
        for called in (plan.val, plan.test):
            if isinstance(called, planning.Called) and called.scope not in candidates:
                candidates.append(called.scope)
        unused = []
        uses = NameUses()
        uses.add(plan.module, self.replace)
        remaining = set(uses.reads)
        for function in candidates:
            if function.name.value not in remaining:
                unused.append(function)
        return sorted(unused, key=plan.line)

    def _mark_stale_reads(self) -> None:
        """Code after the site that reads what the removed loop computed: epoch state is read from the module
        (`best_acc` -> `lit_model.best_acc`); anything else is kept and marked."""
        plan = self.plan
        if plan.epoch_loop is None:
            return
        stale = writes(plan.epoch_loop.body) - {self.epoch_var[0] if self.epoch_var else ""}
        block = _block_of(plan.index, plan.site) or []
        after, rebound = False, set()
        for stmt in block:
            if stmt is plan.site:
                after = True
                continue
            names = (reads(stmt) - writes(stmt) - rebound) & stale if after else set()
            rebound |= writes(stmt) if after else set()
            state = {n for n in names if n in self.epoch_state}
            if state:
                mapping = {n: cst.Attribute(cst.Name("lit_model"), cst.Name(n + "_" if n in RESERVED else n)) for n in state}
                self.replace[id(stmt)] = rename(stmt, mapping)
                self.report.add("T2L124", plan.line(stmt), f"`{', '.join(sorted(state))}` read from lit_model after fit")
                names -= state
            if names:
                reason = f"reads `{', '.join(sorted(names))}`, which the replaced training loop computed"
                self.report.add("T2L909", plan.line(stmt), reason)
                comment = cst.EmptyLine(comment=cst.Comment(f"# TODO(t2l): T2L909 {reason}"))
                self.replace[id(stmt)] = _with_comment(self.replace.get(id(stmt)), comment)

    def _ensure_import(self) -> None:
        if self.plan.imports.aliases.get("pl") == "pytorch_lightning":
            return
        body = self.plan.module.body
        last_import = max(
            (i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], (cst.Import, cst.ImportFrom))),
            default=None,
        )
        new = _parse("import pytorch_lightning as pl\n")[0]
        anchor = body[last_import] if last_import is not None else body[0]
        previous = self.replace.get(id(anchor))

        def with_import(updated: cst.CSTNode) -> cst.FlattenSentinel:
            current = previous(updated) if callable(previous) else updated if previous is None else previous
            items = _nodes(current)
            return cst.FlattenSentinel([*items, new] if last_import is not None else [new, *items])

        self.replace[id(anchor)] = with_import


# --- small helpers ----------------------------------------------------------------------------------------
def _param(text: str) -> cst.Param:
    """`name` or `name=default` -> a parameter."""
    name, _, default = text.partition("=")
    if not default:
        return cst.Param(cst.Name(name))
    equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    return cst.Param(cst.Name(name), default=cst.parse_expression(default), equal=equal)


def _nodes(node) -> list:
    if isinstance(node, cst.FlattenSentinel):
        return [n for item in node.nodes for n in _nodes(item)]
    return [] if node is cst.RemovalSentinel.REMOVE else [node]


def _strip_blank(lines) -> list:
    lines = list(lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    return lines


def _parse(text: str) -> list[cst.BaseStatement]:
    """Statements from a snippet of generated code, parsed once per text: libcst's parser costs about 1 ms a call
    even for one line. Sharing is safe: nodes are immutable, and edits are keyed by the identity of nodes of the
    input, never of generated ones."""
    return list(_parse_once(text))


@lru_cache(maxsize=1024)
def _parse_once(text: str) -> tuple[cst.BaseStatement, ...]:
    return tuple(cst.parse_module(text).body)


def _with_comment(previous, comment: cst.EmptyLine):
    def add(updated: cst.CSTNode):
        current = previous(updated) if callable(previous) else updated if previous is None else previous
        nodes = _nodes(current)
        if not nodes:
            return current
        nodes[0] = nodes[0].with_changes(leading_lines=[*nodes[0].leading_lines, comment])
        return cst.FlattenSentinel(nodes)

    return add


def _block_of(index: Index, target: cst.CSTNode) -> list[cst.BaseStatement] | None:
    """The statement list that directly holds `target`."""
    parent = index.parent(target)
    if isinstance(parent, (cst.IndentedBlock, cst.Module)):
        return list(parent.body)
    return None


def _site_statements(plan: planning.Plan) -> list[cst.BaseStatement]:
    block = _block_of(plan.index, plan.site) or []
    return [s for s in block if s is not plan.site]


def _module_level_bindings(module: cst.Module) -> dict[str, set[str]]:
    """Names bound at module level: definitions (functions, classes, imports) and variables."""
    definitions, variables = set(), set()

    def definitions_in(body) -> None:  # defs and imports nested in module-level if/try/with/loops
        for stmt in body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                definitions.add(stmt.name.value)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        definitions.update(writes(small))
            elif isinstance(stmt, (cst.If, cst.Try, cst.With, cst.For, cst.While)):
                definitions_in(stmt.body.body)

    for stmt in module.body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            definitions.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                target = definitions if isinstance(small, (cst.Import, cst.ImportFrom)) else variables
                target.update(writes(small))
        elif isinstance(stmt, (cst.If, cst.Try, cst.With, cst.For, cst.While)):
            definitions_in(stmt.body.body)
            variables.update(writes(stmt) - definitions)
    return {"definitions": definitions, "variables": variables - definitions}


def _accumulators(index: Index, loop, scope) -> tuple[set[str], set[str]]:
    """Names assigned in the scope outside the loop, then incremented inside it: (running totals, counters)."""
    before: set[str] = set()
    for node in index.of_kind((cst.Assign, cst.AnnAssign)):
        if index.contains(scope, node) and not index.contains(loop, node):
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            for target in targets:
                before |= bound_names(target)
    totals, counters = set(), set()
    for node in walk(loop.body):
        if isinstance(node, cst.AugAssign):
            name = dotted(node.target)
            if name is None or name not in before:
                continue
            if isinstance(node.value, cst.Integer) and node.value.value == "1":
                counters.add(name)
            elif isinstance(node.operator, cst.AddAssign):
                totals.add(name)
    return totals, counters


def _batch_index(loop) -> str | None:
    if isinstance(loop, cst.For) and _is_enumerate(loop.iter) and isinstance(loop.target, cst.Tuple):
        first = loop.target.elements[0].value
        return first.value if isinstance(first, cst.Name) else None
    return None


def _is_enumerate(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and dotted(node.func) == "enumerate"


def _unwrap_enumerate(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.args[0].value if _is_enumerate(node) else node  # type: ignore[union-attr]


def _unwrap_tqdm(node: cst.BaseExpression, imports: Imports) -> cst.BaseExpression:
    name = imports.call_name(node)
    if name in ("tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm", "tqdm") and node.args:  # type: ignore[union-attr]
        return node.args[0].value  # type: ignore[union-attr]
    if name == "tqdm.trange" and node.args:  # type: ignore[union-attr]
        return cst.Call(cst.Name("range"), node.args)  # type: ignore[union-attr]
    return node


def _batch_params(loop, batch_idx: str | None) -> tuple[list[str], list[cst.BaseStatement]]:
    target = loop.target
    if _is_enumerate(loop.iter) and isinstance(target, cst.Tuple) and len(target.elements) == 2:
        target = target.elements[1].value
    index = batch_idx or "batch_idx"
    if isinstance(target, cst.Name):
        return [target.value, index], []
    text = code(target.with_changes(lpar=[], rpar=[]) if isinstance(target, cst.Tuple) else target)
    taken = reads(loop.body) | writes(loop.body) | {index}
    name = next(n for n in ("batch", "batch_data", "minibatch") if n not in taken)
    return [name, index], _parse(f"{text} = {name}\n")


def _phase_loader(loader: cst.BaseExpression, phase: str, value: str) -> cst.BaseExpression:
    return rename(loader, {phase: cst.SimpleString(f'"{value}"')})


def _minus(stop: cst.BaseExpression, start: cst.BaseExpression) -> str:
    start_text, stop_text = code(start), code(stop)
    if start_text == "0":
        return stop_text
    if isinstance(stop, cst.BinaryOperation) and isinstance(stop.operator, cst.Add) and code(stop.right) == start_text:
        return code(stop.left)
    return f"{stop_text} - {start_text}"


def _epoch_expression(offset: str) -> cst.BaseExpression:
    if offset == "0":
        return self_attr("current_epoch")
    return cst.parse_expression(f"self.current_epoch + {offset}")


def _first_batch(condition: cst.BaseExpression, batch_idx: str) -> bool:
    """True if the condition holds on the first batch: `batch_idx % k == 0`, `batch_idx == 0`."""
    for part in _conjuncts(condition):
        if batch_idx in reads(part):
            text = code(part).replace(" ", "")
            if not (text.endswith("==0") and (text.startswith(f"{batch_idx}%") or text == f"{batch_idx}==0")):
                return False
    return True


def _conjuncts(condition: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(condition, cst.BooleanOperation) and isinstance(condition.operator, cst.And):
        return [*_conjuncts(condition.left), *_conjuncts(condition.right)]
    return [condition]


def _loss_key(loss: cst.BaseExpression) -> str:
    return dotted(loss) or "loss"


def _looks_like_model(name: str) -> bool:
    lowered = name.lower()
    return lowered in ("model", "net", "network", "classifier") or lowered.startswith(("model", "net")) or lowered.endswith(("model", "net"))


def _docstring(plan: planning.Plan) -> str:
    return f"Built by `t2l convert` from the training loop at line {plan.line(plan.batch_loop)}."

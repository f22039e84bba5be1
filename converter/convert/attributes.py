"""Free names of a hook's body -> what the LightningModule reads instead.

A name the hook reads but does not bind came from the training scope: the model, the loss function, a
hyper-parameter. It becomes `self.<name>`, an `__init__` argument the site passes (`LitNet(model=model, ...)`),
unless it is a global the class can read as it is. Names with a meaning in Lightning become what Lightning holds:
the epoch variable `self.current_epoch`, a step counter `self.global_step`, the device `self.device`, an optimizer
`self.optimizers()`.
"""

from __future__ import annotations

import weakref
from functools import cached_property

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.edits import param, parse_statements, sole_assignment
from converter.convert.hook import Hook
from converter.convert.loops import module_level_bindings
from converter.convert.rules import (
    batch_state,
    epoch_loop,
    loop_variables,
    metric_logging,
    optimizers,
    script_globals,
    validation_epoch,
)
from converter.marks import todo_line
from converter.names import BUILTINS, code, dotted, first_reads, loads, reads, rename, self_attr, writes

# LightningModule attributes a user's variable must not shadow: `self.device` is used on purpose.
RESERVED = {
    "trainer", "logger", "loggers", "log", "log_dict", "hparams", "current_epoch", "global_step", "training",
    "optimizers", "lr_schedulers", "precision", "dtype", "fabric", "local_rank", "global_rank", "parameters",
    "forward", "state_dict", "train", "eval", "to", "cuda", "cpu", "float", "half", "double", "type", "apply",
    "children", "modules", "buffers", "automatic_optimization", "example_input_array", "on_gpu", "strict_loading",
    # hooks and methods Lightning calls by name: `self.train_dataloader = train_dataloader` would replace one
    "train_dataloader", "val_dataloader", "test_dataloader", "predict_dataloader", "training_step", "validation_step",
    "test_step", "predict_step", "configure_optimizers", "configure_callbacks", "configure_gradient_clipping",
    "configure_model", "configure_sharded_model", "optimizer_step", "lr_scheduler_step", "backward",
    "manual_backward", "clip_gradients", "toggle_optimizer", "untoggle_optimizer", "setup", "teardown",
    "prepare_data", "print", "all_gather", "freeze", "unfreeze", "save_hyperparameters", "to_onnx", "to_torchscript",
}  # fmt: skip


def _shared_by_hooks(conv, hook: Hook) -> set[str]:
    """Names set in one hook and read in another: attributes, though the hook binds them."""
    leftover = conv.leftover
    kept = conv.carried | validation_epoch.attributes(conv) | leftover.state | leftover.shared | leftover.read_after
    if hook.body and hook.name != "training_step":  # `loss = float(loss)` at epoch end: from the last batch's
        kept |= leftover.last_batch & first_reads(*hook.body)
    return kept


def attribute_name(name: str) -> str:
    return name + "_" if name in RESERVED else name


class Attributes:
    def __init__(self, conv) -> None:
        self.conv = weakref.proxy(conv)  # the converter owns this: a strong link back would be a reference cycle
        self.values: dict[str, cst.BaseExpression] = {}  # attribute -> its value at the site (an __init__ argument)
        self.module_names = module_level_bindings(conv.plan.module)
        self._bindings: dict[int, set[str]] = {}

    def render(self, hook: Hook) -> cst.FunctionDef:
        """The hook as a method: its free names renamed, its TODOs on its first line."""
        conv = self.conv
        mapping: dict[str, cst.BaseExpression] = {}
        kept_global = script_globals.shared(conv)  # read as globals by the script's functions: never renamed
        kept = _shared_by_hooks(conv, hook) - kept_global
        enclosing = script_globals.enclosing(conv)  # main()'s own, a nested function's `nonlocal`: read as they are
        local = {p.split("=")[0] for p in hook.params} | (writes(*hook.body) - kept if hook.body else set()) | kept_global | enclosing
        if hook.name == "configure_optimizers" and hook.body:  # what it builds is Lightning's (a train function's
            local |= writes(*hook.body) & conv.configured      # own `lr_scheduler` in the hooks is another object)
        for name in sorted(reads(*hook.body) | (kept & writes(*hook.body) if hook.body else set())):
            if name in local or name in BUILTINS or name == "self":
                continue
            target = self._attribute_for(name, hook)
            if target is not None:
                mapping[name] = target
        body = [s for s in (rename(s, mapping) for s in hook.body) if not _assigns_itself(s)]
        body = metric_logging.without_unread_messages(body, kept | set(mapping) | _declared_global(self.conv, hook) | enclosing)
        body = optimizers.unwrapped_where_pickled(conv, body) or parse_statements("pass\n")
        if hook.body:
            body = _declarations(hook, (_declared_global(conv, hook) | kept_global) - set(mapping), enclosing) + body
        if hasattr(body[0], "leading_lines"):  # a blank line above the first statement of a method: none
            body[0] = body[0].with_changes(leading_lines=[line for line in body[0].leading_lines if line.comment])
        todos = [todo_line(*t.split(" ", 1)) for t in conv.hook_todos.get(hook.name, [])]
        if todos:
            body[0] = body[0].with_changes(leading_lines=[*body[0].leading_lines, *todos])
        return cst.FunctionDef(
            name=cst.Name(hook.name), params=cst.Parameters(params=[param(t) for t in ["self", *hook.params]]),
            body=cst.IndentedBlock(body), leading_lines=[cst.EmptyLine(indent=False)],
        )  # fmt: skip

    def _attribute_for(self, name: str, hook: Hook) -> cst.BaseExpression | None:
        conv, plan = self.conv, self.conv.plan
        if name in conv.carried and (batch_state.starts_from_site(conv) or name in batch_state.across_epochs(conv)):
            return self.state(name)  # starts from its value before the loop: an __init__ argument
        if name in conv.carried or name in validation_epoch.attributes(conv):
            return self_attr(name)
        if conv.epoch.variable and name == conv.epoch.name:
            expression = epoch_loop.epoch_expression(conv.epoch.variable[1])
            if isinstance(plan.site_scope, cst.Module):
                return expression
            # `range(start_epoch, ...)` in a function: the hooks read the start from an attribute
            local = loads(expression) & self._scope_bindings(plan.site_scope) - {"self"}
            return rename(expression, {n: self.state(n) for n in local})
        if name in conv.counters:
            return self_attr("global_step")
        if name in conv.leftover.last_batch:
            return self_attr(attribute_name(name))  # training_step keeps the last batch's value
        if name in conv.leftover.state:
            return self.state(name)
        if name in conv.leftover.shared or name in conv.leftover.read_after:
            return self_attr(attribute_name(name))
        if name in conv.configured and hook.name != "configure_optimizers":
            return optimizers.seen_from_hooks(conv, name)
        bound_in_source = hook.source is not None and (name in self._scope_bindings(hook.source) or name in hook.binding)
        site_module = isinstance(plan.site_scope, cst.Module)
        if not bound_in_source and self._a_local_of_the_site_only(name, hook):
            return self._held(name, cst.Name(name), hook)  # an epoch-loop line of main() in on_train_epoch_start
        if not bound_in_source and not (site_module and name in self.module_names["variables"]):
            return None  # a global: the class sees it as it is
        if name in self.module_names["definitions"] and not bound_in_source:
            return None
        if "device" in name.lower() and not name.lower().startswith("model"):
            return self_attr("device")
        if site_module and name not in hook.binding and (self._constant(name) or name not in self.module_calls):
            return None  # a module-level constant or literal: the class reads the global
        value = self._site_value(name, hook)
        if name in hook.binding and isinstance(value, cst.Name) and value.value in conv.leftover.state:
            return self.state(value.value)  # `train_one_epoch(epoch_number, ...)`: a count the epoch loop keeps
        if site_module and name in hook.binding and self._global_or_literal(value) and not _literal_compared_by_identity(value, name, hook):
            return value  # a parameter given a module-level constant or a literal: the class reads that
        if value is not None and conv.epoch.variable and dotted(value) == conv.epoch.name:
            return epoch_loop.epoch_expression(conv.epoch.variable[1])
        if value is None:
            loop_variables.training_local(conv, name, hook)
            value = cst.Name(name)
        return self._held(name, value, hook)

    def _held(self, name: str, value: cst.BaseExpression, hook: Hook) -> cst.BaseExpression:
        """`self.<name>`, an attribute the site sets to `value` (one the class already holds, when it is the same)."""
        attribute = attribute_name(name)
        if name in hook.binding and (same := next((a for a, v in self.values.items() if code(v) == code(value)), None)):
            return self_attr(same)  # `evaluate(net=model)` reads the model the class already holds
        if attribute in self.values and code(self.values[attribute]) != code(value):  # two functions' `loader`s
            named = attribute_name(value.value) if isinstance(value, cst.Name) else None
            attribute = named if named and named not in self.values else f"{attribute}_{len(self.values)}"
        self.values.setdefault(attribute, value)
        return self_attr(attribute)

    def _global_or_literal(self, value: cst.BaseExpression | None) -> bool:
        if isinstance(value, (cst.Integer, cst.Float, cst.SimpleString)):
            return True
        return isinstance(value, cst.Name) and value.value in self.module_names["variables"] and (
            self._constant(value.value) or value.value not in self.module_calls)

    def state(self, name: str) -> cst.BaseExpression:
        """A name the epoch hooks keep from one epoch to the next: an attribute set from its value at the site."""
        attribute = attribute_name(name)
        self.values.setdefault(attribute, cst.Name(name))
        return self_attr(attribute)

    def _a_local_of_the_site_only(self, name: str, hook: Hook) -> bool:
        """A name the function holding the site binds, and neither the hook's own scope nor the module: a hook made
        of the train function's lines and the epoch loop's (SSD's `if epoch in decay_lr_at:` in main(), before
        `train(...)`) reads it from the site."""
        site = self.conv.plan.site_scope
        return (isinstance(site, cst.FunctionDef) and hook.source is not site and name in self._scope_bindings(site)
                and name not in self.module_names["variables"] and name not in self.module_names["definitions"])  # fmt: skip

    def _scope_bindings(self, scope: planning.Scope) -> set[str]:
        if isinstance(scope, cst.Module):
            return self.module_names["variables"]
        if id(scope) not in self._bindings:
            params = scope.params
            names = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
            self._bindings[id(scope)] = names | writes(scope.body)
        return self._bindings[id(scope)]

    def _site_value(self, name: str, hook: Hook) -> cst.BaseExpression | None:
        plan = self.conv.plan
        if hook.source is plan.site_scope or hook.source is None:
            return cst.Name(name)
        if name in hook.binding:
            return hook.binding[name]
        if isinstance(plan.site_scope, cst.Module) and name in self.module_names["variables"]:
            return cst.Name(name)  # a module global the training function reads
        return None

    @cached_property
    def module_calls(self) -> dict[str, list[cst.Call]]:
        """Module-level names assigned from calls (`model = Net()`), with those calls."""
        return planning.assigned_calls(self.conv.plan.module, index=self.conv.plan.index)

    def _constant(self, name: str) -> bool:
        """`BATCH_SIZE`, `DEVICE`: read as globals. A GAN's `G` and `D` are trained models, not constants."""
        return name.isupper() and name not in self._trained

    @cached_property
    def _trained(self) -> set[str]:
        return planning.trained_models(self.conv.plan)


def _assigns_itself(statement: cst.BaseStatement) -> bool:
    """`self.loss_epoch = self.loss_epoch`: what `loss_epoch = train(...)` of a `return loss_epoch` becomes once
    both are the attribute (a line that does nothing, unless a comment rides on it)."""
    small = sole_assignment(statement)
    if small is None or any(line.comment for line in statement.leading_lines):  # type: ignore[attr-defined]
        return False
    return dotted(small.targets[0].target) is not None and dotted(small.targets[0].target) == dotted(small.value)


def _literal_compared_by_identity(value: cst.BaseExpression | None, name: str, hook: Hook) -> bool:
    """A literal for a name the hook tests with `is` (`if grad_clip is not None:` given `grad_clip=0.05`): put in,
    `0.05 is not None` makes Python warn on every run (SyntaxWarning); the hook reads an attribute instead."""
    if not isinstance(value, (cst.Integer, cst.Float, cst.SimpleString)):
        return False
    for statement in hook.body:
        for node in walk(statement):
            if isinstance(node, cst.Comparison) and any(isinstance(t.operator, (cst.Is, cst.IsNot)) for t in node.comparisons):
                operands = [node.left, *(t.comparator for t in node.comparisons)]
                if any(isinstance(o, cst.Name) and o.value == name for o in operands):
                    return True
    return False


def _declarations(hook: Hook, global_names: set[str], enclosing: set[str]) -> list[cst.BaseStatement]:
    """`global best_acc1` (set at epoch end) and `nonlocal step` (counted in the step) for the names the hook assigns."""
    assigned = writes(*hook.body)
    lines = [f"{kind} {', '.join(sorted(names & assigned))}\n" for kind, names in (("nonlocal", enclosing), ("global", global_names))
             if names & assigned]  # fmt: skip
    return parse_statements("".join(lines)) if lines else []


def _declared_global(conv, hook: Hook) -> set[str]:
    """Names the code a hook came from declared `global` (main()'s `global best_acc1`): the hook must too."""
    index = conv.plan.index
    scopes = [s for s in (conv.plan.site_scope, hook.source) if isinstance(s, cst.FunctionDef)]
    return {item.name.value for node in index.of_kind(cst.Global) if any(index.contains(s, node) for s in scopes)
            for item in node.names}

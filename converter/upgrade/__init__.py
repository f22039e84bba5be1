"""`t2l upgrade`: rewrite Lightning 1.x code to the 2.x API, one rule family per module.

    trainer_args     Trainer(...) keywords, trainer.fit/tune follow-ups      T2L201-217, T2L225, T2L226
    callbacks        ModelCheckpoint keywords                                T2L218
    imports          moved/removed modules, one Lightning package per file   T2L219, T2L224
    hooks            *_epoch_end(outputs), *_step_end                        T2L220, T2L221
    removed_hooks    on_epoch_end, on_pretrain_routine_*, on_batch_*...     T2L227
    never_called     on_keyboard_interrupt, callback state, hooks with no twin T2L237, T2L238, T2L967
    returned_logs    return {"loss": ..., "log": ..., "progress_bar": ...}     T2L239, T2L968
    optimizer_idx    several optimizers -> manual optimization               T2L222
    optimizer_step   optimizer_step(..., optimizer_idx, closure, on_tpu, ...) T2L244, T2L971
    hparams          self.hparams = hparams -> self.save_hyperparameters(hparams) T2L245
    trainer_attributes  trainer.running_sanity_check, get_model(), lr_schedulers  T2L246
    datamodule_size  dm.size() -> dm.dims                                    T2L247
    eval_loaders     trainer.val_dataloaders[0] -> trainer.val_dataloaders   T2L248, T2L972
    manual_steps     manual_backward(loss, opt), manual_optimizer_step(opt)  T2L240-242, T2L969
    log_keywords     self.log(sync_dist_op=, tbptt_reduce_fx=, ...)          T2L243, T2L970
    argparse_flags   Trainer.add_argparse_args / from_argparse_args          T2L223
    lightning_cli    LightningCLI(save_config_*=), "--trainer.gpus=N" strings T2L229
    torchmetrics_task  Accuracy(num_classes=N) -> task="multiclass"; binary  T2L230-236, T2L961, T2L965, T2L966
    trainer_dicts    cfg["distributed_backend"] = ... before Trainer(**cfg)  T2L232, T2L962
    loops            trainer.fit_loop = ..., loop.connect(...) (1.5 loops API) T2L963
    yaml_config      a YAML config's Trainer section, through the same rules      T2L964
    legacy           1.x API the rules left (counted): marked                T2L959
    installed        what the installed Lightning 2.x would reject: marked  T2L960
The mapping itself is data in table.py; each family declares the codes it owns (`CODES`).
"""

from __future__ import annotations

import ast
import re
import sys

from converter import verbatim
from converter.analysis import check_parses
from converter.files import one_file, parse
from converter.marks import insert_above
from converter.report import NOT_LIGHTNING, UP_TO_DATE, UPGRADED, UPGRADED_WITH_TODOS, Report, line_map, same_line
from converter.upgrade import installed, yaml_config  # noqa: F401 - yaml_config: registered for its codes
from converter.upgrade.argparse_flags import upgrade_argparse
from converter.upgrade.callbacks import upgrade_callbacks
from converter.upgrade.datamodule_size import upgrade_datamodule_size
from converter.upgrade.engine import Upgrade
from converter.upgrade.eval_loaders import upgrade_eval_loaders
from converter.upgrade.hooks import upgrade_hooks
from converter.upgrade.hparams import upgrade_hparams
from converter.upgrade.imports import package_of, upgrade_imports
from converter.upgrade.legacy import leftovers
from converter.upgrade.lightning_cli import upgrade_lightning_cli
from converter.upgrade.log_keywords import upgrade_log_keywords
from converter.upgrade.loops import upgrade_loops
from converter.upgrade.manual_steps import upgrade_manual_steps
from converter.upgrade.never_called import upgrade_never_called
from converter.upgrade.optimizer_idx import upgrade_optimizer_idx
from converter.upgrade.optimizer_step import upgrade_optimizer_step
from converter.upgrade.removed_hooks import upgrade_removed_hooks
from converter.upgrade.returned_logs import upgrade_returned_logs
from converter.upgrade.torchmetrics_task import upgrade_torchmetrics_task
from converter.upgrade.trainer_args import upgrade_method_keywords, upgrade_trainer_calls
from converter.upgrade.trainer_attributes import upgrade_trainer_attributes
from converter.upgrade.trainer_dicts import upgrade_trainer_dicts

FAMILY_MODULES = [
    sys.modules[f"converter.upgrade.{name}"]
    for name in ("trainer_args", "callbacks", "imports", "hooks", "removed_hooks", "never_called", "returned_logs", "optimizer_idx", "optimizer_step", "hparams", "trainer_attributes", "datamodule_size", "eval_loaders", "manual_steps", "log_keywords",
                 "argparse_flags",
                 "lightning_cli", "torchmetrics_task", "trainer_dicts", "loops", "legacy", "installed", "yaml_config")
]
RULE_FAMILIES = (upgrade_imports, upgrade_trainer_calls, upgrade_method_keywords, upgrade_callbacks,
                 upgrade_optimizer_idx, upgrade_optimizer_step, upgrade_hparams, upgrade_trainer_attributes, upgrade_datamodule_size, upgrade_eval_loaders, upgrade_manual_steps, upgrade_log_keywords, upgrade_hooks, upgrade_removed_hooks, upgrade_never_called, upgrade_returned_logs,
                 upgrade_argparse,
                 upgrade_lightning_cli, upgrade_torchmetrics_task, upgrade_trainer_dicts, upgrade_loops)  # fmt: skip
USES_LIGHTNING = re.compile(r"^\s*(import|from)\s+(pytorch_lightning|lightning)\b", re.M)


MAX_PASSES = 3  # one pass, then one more for what the first exposed; the third must change nothing


@one_file
def upgrade_source(source: str, path: str = "<string>", to: str | None = None) -> tuple[str | None, Report]:
    """Upgrade one file's source. Returns (new source or None when nothing changed, report)."""
    report = Report(path)
    module = parse(source, path)
    if not USES_LIGHTNING.search(source):
        report.status = NOT_LIGHTNING
        return None, report
    package = package_of(module, to)
    output = source
    for _ in range(MAX_PASSES):  # a rewrite can expose more (Trainer.from_argparse_args -> Trainer(...)): repeat
        up = Upgrade(module, report, package, output)
        for family in RULE_FAMILIES:
            family(up)
        rewritten = verbatim.code(up.apply(), up.index)
        if rewritten == output:  # (unchanged: nothing of ours to check)
            break
        output = rewritten
        if not up.exposes_more:  # only some rewrites build code other rules read (a new Trainer(...) call)
            break
        check_parses(output, path)  # before libcst reads it again
        module = parse(output, path)
        report.input_line = line_map(source.splitlines(), output.splitlines())  # the next pass reads moved lines
    report.input_line = same_line  # what follows maps its own lines
    tree = _compiled(output, path, check=output != source)  # one parse, for the compile check and both checks below
    comments = leftovers(source, output, report, tree)  # 1.x API the rules left (T2L959)
    for line, texts in installed.marks(source, output, report, tree, marked=comments).items():
        comments.setdefault(line, []).extend(texts)  # what the installed 2.x would reject (T2L960)
    marked = insert_above(output, comments)
    if marked != output:  # comment lines only, but the output must always compile
        check_parses(marked, path)
        output = marked
    if output == source:
        report.status = UPGRADED_WITH_TODOS if report.todos else UP_TO_DATE
        return (None if not report.todos else output), report
    report.status = UPGRADED_WITH_TODOS if report.todos else UPGRADED
    return output, report


def _compiled(output: str, path: str, check: bool) -> ast.Module | None:
    """The output's tree (Python's parser); with `check`, compiled too (check_parses on the tree: the text is not
    parsed a second time): the output always compiles."""
    try:
        tree = ast.parse(output, path)
    except SyntaxError:
        if check:
            check_parses(output, path)  # raises: a bug of ours, never handed out
        return None  # the input as it was (libcst read it; Python may not, e.g. a newer grammar)
    if check:
        check_parses(tree, path)
    return tree
